package io.github.drsn.datasets.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.SkippedRecording;
import io.github.drsn.datasets.csv.CsvRecordings;
import io.github.drsn.datasets.csv.CsvTable;
import io.github.drsn.datasets.csv.HeaderMode;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.mat.MatContents;
import io.github.drsn.datasets.mat.MatRecordings;
import io.github.drsn.signals.bearing.BearingCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's own data set described in a small manifest file, so that no Java has to be written: which
 * file holds which class, at what sampling rate and operating condition. File paths are relative to the
 * manifest's folder and must stay inside it (see {@link #load(Path, ErrorPolicy, boolean)}); a file may be listed
 * once. docs/manifest.md is the user's guide. CSV recordings follow {@link CsvTable}; MAT recordings name their channels by
 * variable (a regular expression matching the whole name, struct fields written with dots).
 *
 * <p>JSON form ({@code .json}):
 * <pre>{@code
 * {
 *   "name": "gearbox-rig",
 *   "samplingRate": 25600,                 // default for entries that do not state one
 *   "resampleTo": 12800,                   // optional common rate; else all rates must agree
 *   "classes": ["healthy", "inner", "outer"],   // optional; fixes the label order
 *   "recordings": [
 *     {"file": "run01.csv", "label": "healthy", "load": 0, "rpm": 1500, "channels": ["acc_x"]},
 *     {"file": "run02.mat", "label": "inner", "channels": ["X\\d+_DE_time"], "samplingRateVariable": "fs"},
 *     {"file": "run03.csv", "label": "outer", "samplingRate": 51200, "header": "ABSENT", "id": "outer-a",
 *      "bearing": "skf-6205"}           // optional: a catalogued bearing or "n,d,D,angle" (BEARING_ATTRIBUTE)
 *   ]
 * }
 * }</pre>
 * (Comments are not allowed in real JSON; they explain the fields here.)
 *
 * <p>CSV form ({@code .csv}): a header line and one line per recording, columns
 * {@code file,label,samplingRate,load,rpm,channels,id} of which {@code file}, {@code label} and
 * {@code samplingRate} are required; several channels are separated by {@code |} (so channel patterns in
 * a CSV manifest cannot contain {@code |} or {@code ,}: use the JSON form for those); {@code #} starts a
 * comment line. Classes are ordered by first appearance.
 * <pre>
 * file,label,samplingRate,load,rpm,channels
 * data/normal_0.csv,normal,12000,0,1797,DE
 * data/ir_0.mat,IR,12000,0,1797,X\d+_DE_time
 * </pre>
 *
 * <p>A mistake in the manifest itself (bad JSON, missing field, unknown class) always fails with the
 * manifest and the entry named. A recording file that is missing or unreadable fails, or is skipped and
 * reported in {@link Dataset#skipped()}, as the {@link ErrorPolicy} says.
 */
public final class Manifest {

  private static final ObjectMapper JSON = JsonMappers.compact();
  private static final Set<String> ENTRY_FIELDS = Set.of("file", "label", "samplingRate", "samplingRateVariable",
      "load", "rpm", "channels", "id", "header", "bearing");
  /**
   * Recording attribute holding the bearing a JSON manifest names for a recording: a
   * {@link BearingCatalogue} name or a geometry {@code n,d,D,angle} ({@link BearingCatalogue#resolve}).
   */
  public static final String BEARING_ATTRIBUTE = "bearing";

  private static final Set<String> TOP_FIELDS = Set.of("name", "samplingRate", "resampleTo", "classes",
      "recordings");

  private Manifest() {
  }

  /** One manifest line, as read, before its file is opened. */
  private record Entry(int number, Path file, String label, double samplingRate, String samplingRateVariable,
      OperatingCondition condition, List<String> channels, String id, HeaderMode header, String bearing) {
  }

  /**
   * Loads the data set a manifest describes.
   *
   * @param manifest a {@code .json} or {@code .csv} manifest
   * @param policy what to do with a recording file that is missing or unreadable
   * @return the data set (name from the manifest, or its file name)
   * @throws RecordingLoadException if the manifest is malformed, or (under {@link ErrorPolicy#FAIL_FAST})
   *     a recording cannot be read
   */
  public static Dataset load(Path manifest, ErrorPolicy policy) throws RecordingLoadException {
    return load(manifest, policy, false);
  }

  /**
   * As {@link #load(Path, ErrorPolicy)}; recordings outside the manifest's folder (an absolute path, {@code ..}, or a
   * link leading out) are refused unless {@code allowOutside}, so that a manifest received from someone else cannot
   * make the tool read, and quote in its errors, files elsewhere on the machine.
   */
  public static Dataset load(Path manifest, ErrorPolicy policy, boolean allowOutside) throws RecordingLoadException {
    String fileName = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
    String text;
    try {
      text = Files.readString(manifest);
    } catch (NoSuchFileException e) {
      throw new RecordingLoadException(manifest, "manifest does not exist; expected a .json or .csv manifest", e);
    } catch (IOException e) {
      throw new RecordingLoadException(manifest, "cannot read manifest (" + e + ")", e);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Path base = manifest.toAbsolutePath().normalize().getParent();
    String defaultName = fileName.replaceFirst("\\.[^.]*$", "");
    if (fileName.endsWith(".json")) {
      return fromJson(manifest, base, text, defaultName, policy, allowOutside);
    }
    if (fileName.endsWith(".csv")) {
      return fromCsv(manifest, base, text, defaultName, policy, allowOutside);
    }
    throw new RecordingLoadException(manifest, "unknown manifest type; expected a file ending in .json or .csv");
  }

  private static Dataset fromJson(Path manifest, Path base, String text, String defaultName, ErrorPolicy policy,
      boolean allowOutside) throws RecordingLoadException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the offending token: keep it short and escaped.
      throw new RecordingLoadException(manifest, "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + " (" + excerpt(e.getOriginalMessage(), 80) + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new RecordingLoadException(manifest, "expected a JSON object with a \"recordings\" array");
    }
    rejectUnknown(manifest, "manifest", root, TOP_FIELDS);
    String name = root.hasNonNull("name") ? root.get("name").asText() : defaultName;
    double defaultRate = root.hasNonNull("samplingRate")
        ? number(manifest, "manifest", root, "samplingRate") : Double.NaN;
    double resampleTo = root.hasNonNull("resampleTo") ? number(manifest, "manifest", root, "resampleTo") : Double.NaN;
    List<String> classes = null;
    if (root.hasNonNull("classes")) {
      classes = strings(manifest, "manifest", root.get("classes"), "classes");
    }
    JsonNode list = root.get("recordings");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new RecordingLoadException(manifest, "expected a non-empty \"recordings\" array");
    }
    List<Entry> entries = new ArrayList<>();
    int number = 0;
    for (JsonNode node : list) {
      number++;
      String where = "recording #" + number;
      if (!node.isObject()) {
        throw new RecordingLoadException(manifest, where + " is not an object");
      }
      rejectUnknown(manifest, where, node, ENTRY_FIELDS);
      String file = requiredText(manifest, where, node, "file");
      String label = requiredText(manifest, where, node, "label");
      double rate = node.hasNonNull("samplingRate") ? number(manifest, where, node, "samplingRate") : defaultRate;
      String rateVariable = node.hasNonNull("samplingRateVariable") ? node.get("samplingRateVariable").asText() : null;
      if (Double.isNaN(rate) && rateVariable == null) {
        throw new RecordingLoadException(manifest, where + " (" + file + ") states no samplingRate and the manifest "
            + "has no default; expected a sampling rate in Hz");
      }
      double load = node.hasNonNull("load") ? number(manifest, where, node, "load") : Double.NaN;
      double rpm = node.hasNonNull("rpm") ? number(manifest, where, node, "rpm") : Double.NaN;
      List<String> channels = node.hasNonNull("channels")
          ? strings(manifest, where, node.get("channels"), "channels") : List.of();
      String id = node.hasNonNull("id") ? node.get("id").asText() : null;
      HeaderMode header = HeaderMode.AUTO;
      if (node.hasNonNull("header")) {
        header = enumValue(manifest, where, node.get("header").asText());
      }
      String bearing = null;
      if (node.hasNonNull("bearing")) {
        bearing = node.get("bearing").asText().trim();
        try {
          BearingCatalogue.resolve(bearing);
        } catch (IllegalArgumentException ex) {
          throw new RecordingLoadException(manifest, where + " (" + file + "): \"bearing\": " + ex.getMessage());
        }
      }
      entries.add(new Entry(number, recordingPath(manifest, base, file, where, allowOutside), label, rate, rateVariable,
          condition(manifest, where, load, rpm), channels, id, header, bearing));
    }
    return build(manifest, name, classes, resampleTo, entries, policy);
  }

  private static Dataset fromCsv(Path manifest, Path base, String text, String defaultName, ErrorPolicy policy,
      boolean allowOutside) throws RecordingLoadException {
    List<String> columns = null;
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (columns == null) {
        columns = Arrays.stream(fields).map(String::trim).toList();
        for (String required : List.of("file", "label", "samplingRate")) {
          if (!columns.contains(required)) {
            throw new RecordingLoadException(manifest, "header line lacks column " + required + "; expected columns "
                + "file,label,samplingRate[,load,rpm,channels,id], got " + columns);
          }
        }
        for (String column : columns) {
          if (!ENTRY_FIELDS.contains(column)) {
            throw new RecordingLoadException(manifest, "unknown column " + column + "; expected some of "
                + new TreeSet<>(ENTRY_FIELDS));
          }
        }
        continue;
      }
      String where = "line " + (i + 1);
      if (fields.length != columns.size()) {
        throw new RecordingLoadException(manifest, where + " has " + fields.length + " fields, expected "
            + columns.size() + " " + columns);
      }
      String file = csvField(columns, fields, "file");
      String label = csvField(columns, fields, "label");
      if (file.isEmpty() || label.isEmpty()) {
        throw new RecordingLoadException(manifest, where + ": file and label must not be empty");
      }
      double rate = csvNumber(manifest, where, columns, fields, "samplingRate");
      if (Double.isNaN(rate)) {
        throw new RecordingLoadException(manifest, where + " (" + file + "): samplingRate is empty; expected Hz");
      }
      double load = csvNumber(manifest, where, columns, fields, "load");
      double rpm = csvNumber(manifest, where, columns, fields, "rpm");
      String channelText = csvField(columns, fields, "channels");
      List<String> channels = channelText.isEmpty() ? List.of() : List.of(channelText.split("\\|"));
      String id = csvField(columns, fields, "id");
      String headerText = csvField(columns, fields, "header");
      HeaderMode header = headerText.isEmpty() ? HeaderMode.AUTO : enumValue(manifest, where, headerText);
      entries.add(new Entry(entries.size() + 1, recordingPath(manifest, base, file, where, allowOutside), label, rate,
          null,
          condition(manifest, where, load, rpm), channels, id.isEmpty() ? null : id, header, null));
    }
    if (entries.isEmpty()) {
      throw new RecordingLoadException(manifest, "no recordings; expected a header line and one line per recording");
    }
    return build(manifest, defaultName, null, Double.NaN, entries, policy);
  }

  private static Dataset build(Path manifest, String name, List<String> declaredClasses, double resampleTo,
      List<Entry> entries, ErrorPolicy policy) throws RecordingLoadException {
    Set<String> labels = new LinkedHashSet<>();
    entries.forEach(e -> labels.add(e.label()));
    List<String> classes;
    if (declaredClasses != null) {
      for (Entry e : entries) {
        if (!declaredClasses.contains(e.label())) {
          throw new RecordingLoadException(manifest, "recording #" + e.number() + " (" + e.file().getFileName()
              + ") has label " + e.label() + ", expected one of the declared classes " + declaredClasses);
        }
      }
      classes = declaredClasses;
    } else {
      classes = List.copyOf(labels);
    }
    for (String c : classes) {
      try {
        io.github.drsn.contract.OutcomeLabels.requireClassName(c, "class " + c);
      } catch (IllegalArgumentException e) {
        throw new RecordingLoadException(manifest, e.getMessage());
      }
    }
    Map<List<Object>, Entry> sameData = new HashMap<>();
    for (Entry e : entries) {
      Entry earlier = sameData.putIfAbsent(List.of(e.file(), e.channels()), e);
      if (earlier != null) {
        throw new RecordingLoadException(manifest, "recording #" + e.number() + " (" + e.file().getFileName()
            + ", label " + e.label() + ") is the same file and channels as recording #" + earlier.number()
            + " (label " + earlier.label() + "); expected each recording once, or its windows would be in two"
            + (e.label().equals(earlier.label()) ? " places of the split" : " classes"));
      }
    }
    if (!Double.isNaN(resampleTo) && !(resampleTo >= 1 && resampleTo <= MAX_RATE)) {
      throw new RecordingLoadException(manifest, "\"resampleTo\" is " + resampleTo + " Hz; expected a rate between 1 Hz"
          + " and " + (long) MAX_RATE + " Hz");
    }
    Set<String> ids = new HashSet<>();
    List<Recording> recordings = new ArrayList<>();
    List<Entry> readFrom = new ArrayList<>();
    List<SkippedRecording> skipped = new ArrayList<>();
    for (Entry e : entries) {
      try {
        Recording r = read(e);
        if (e.id() != null) {
          r = new Recording(e.id(), r.label(), r.samplingRate(), r.channelNames(), channelsOf(r), r.condition(),
              r.source().orElse(null), r.attributes());
        }
        if (e.bearing() != null) {
          Map<String, String> attributes = new java.util.HashMap<>(r.attributes());
          attributes.put(BEARING_ATTRIBUTE, e.bearing());
          r = new Recording(r.id(), r.label(), r.samplingRate(), r.channelNames(), channelsOf(r), r.condition(),
              r.source().orElse(null), attributes);
        }
        if (!ids.add(r.id())) {
          throw new RecordingLoadException(manifest, "recording #" + e.number() + " has id " + r.id()
              + " like an earlier one; expected unique ids (set \"id\" for files with equal names)");
        }
        if (!Double.isNaN(resampleTo)) {
          long samples = (long) Math.ceil(r.length() * (resampleTo / r.samplingRate())) * r.channelCount();
          long budget = Runtime.getRuntime().maxMemory() / 4 / Double.BYTES;
          if (samples > budget) {
            throw new RecordingLoadException(manifest, "recording #" + e.number() + " (" + e.file().getFileName()
                + ") resampled from " + r.samplingRate() + " to " + resampleTo + " Hz would hold " + samples
                + " samples, more than a quarter of this JVM's heap (" + budget + " samples); expected a"
                + " \"resampleTo\" near the recordings' own rate");
          }
          try {
            r = Resampler.toRate(r, resampleTo);
          } catch (IllegalArgumentException impossible) {
            // Found by fuzzing: a rate change the resampler cannot make escaped as an untyped exception.
            throw new RecordingLoadException(manifest, "recording #" + e.number() + ": " + impossible.getMessage()
                + "; expected a \"resampleTo\" the recording's rate can be converted to", impossible);
          }
        }
        recordings.add(r);
        readFrom.add(e);
      } catch (RecordingLoadException failure) {
        if (policy == ErrorPolicy.FAIL_FAST || failure.file().equals(manifest)) {
          throw failure;
        }
        skipped.add(new SkippedRecording(failure.file().toString(), failure.problem()));
      }
    }
    Set<Double> rates = new TreeSet<>();
    recordings.forEach(r -> rates.add(r.samplingRate()));
    if (rates.size() > 1) {
      throw new RecordingLoadException(manifest, "recordings have different sampling rates " + rates
          + " Hz; expected one rate, or set \"resampleTo\" (JSON manifest) to bring them to a common rate");
    }
    Set<Integer> channelCounts = new TreeSet<>();
    recordings.forEach(r -> channelCounts.add(r.channelCount()));
    if (channelCounts.size() > 1) {
      throw new RecordingLoadException(manifest, "recordings have different channel counts " + channelCounts
          + "; expected the same channels in every recording (select them with \"channels\")");
    }
    refuseCopies(manifest, recordings, readFrom);
    return new Dataset(name, classes, recordings, skipped);
  }

  /**
   * Refuses two entries that read the same samples: a file copied under another name, or one column chosen by name in
   * one entry and by position in another. A whole-recording split could put the two in training and test, where the
   * network would be tested on windows it trained on; with two labels, one signal would teach two classes.
   */
  private static void refuseCopies(Path manifest, List<Recording> recordings, List<Entry> readFrom)
      throws RecordingLoadException {
    Map<Integer, List<Integer>> byHash = new HashMap<>();
    for (int i = 0; i < recordings.size(); i++) {
      Recording r = recordings.get(i);
      int hash = Arrays.deepHashCode(channelsOf(r));
      List<Integer> sameHash = byHash.computeIfAbsent(hash, h -> new ArrayList<>());
      for (int j : sameHash) {
        if (Arrays.deepEquals(channelsOf(recordings.get(j)), channelsOf(r))) {
          Entry e = readFrom.get(i);
          Entry earlier = readFrom.get(j);
          throw new RecordingLoadException(manifest, "recording #" + e.number() + " (" + e.file().getFileName()
              + ", label " + e.label() + ") holds the same samples as recording #" + earlier.number() + " ("
              + earlier.file().getFileName() + ", label " + earlier.label() + "); expected each recording once,"
              + " or its windows could be both trained on and tested");
        }
      }
      sameHash.add(i);
    }
  }

  private static double[][] channelsOf(Recording r) {
    double[][] channels = new double[r.channelCount()][];
    for (int c = 0; c < channels.length; c++) {
      channels[c] = r.channel(c);
    }
    return channels;
  }

  private static Recording read(Entry e) throws RecordingLoadException {
    String name = e.file().getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".mat")) {
      if (e.channels().isEmpty()) {
        throw new RecordingLoadException(e.file(), "no \"channels\" given for this MAT-file; expected variable names "
            + "or patterns such as X\\d+_DE_time");
      }
      List<Pattern> patterns = new ArrayList<>();
      for (String channel : e.channels()) {
        try {
          patterns.add(Pattern.compile(channel));
        } catch (PatternSyntaxException bad) {
          throw new RecordingLoadException(e.file(), "channel pattern " + channel
              + " is not a valid regular expression (" + bad.getDescription() + ")", bad);
        }
      }
      double rate = e.samplingRate();
      if (e.samplingRateVariable() != null) {
        rate = MatContents.read(e.file()).scalar(e.samplingRateVariable());
      }
      try {
        return MatRecordings.load(e.file(), patterns, e.label(), rate, e.condition());
      } catch (IllegalArgumentException costly) {
        throw new RecordingLoadException(e.file(), costly.getMessage(), costly);
      }
    }
    if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".tsv")) {
      if (e.samplingRateVariable() != null) {
        throw new RecordingLoadException(e.file(),
            "samplingRateVariable only applies to MAT-files; state samplingRate");
      }
      return CsvRecordings.load(e.file(), e.label(), e.samplingRate(), e.channels(), e.condition(), e.header());
    }
    throw new RecordingLoadException(e.file(), "unknown recording type; expected .mat, .csv, .tsv or .txt");
  }

  private static OperatingCondition condition(Path manifest, String where, double load, double rpm)
      throws RecordingLoadException {
    try {
      return new OperatingCondition(load, rpm);
    } catch (IllegalArgumentException e) {
      throw new RecordingLoadException(manifest, where + ": " + e.getMessage(), e);
    }
  }

  private static void rejectUnknown(Path manifest, String where, JsonNode node, Set<String> known)
      throws RecordingLoadException {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!known.contains(field)) {
        throw new RecordingLoadException(manifest, where + " has unknown field \"" + field + "\"; expected some of "
            + new TreeSet<>(known));
      }
    }
  }

  private static String requiredText(Path manifest, String where, JsonNode node, String field)
      throws RecordingLoadException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new RecordingLoadException(manifest, where + " lacks \"" + field + "\"; expected a non-empty string");
    }
    return value.asText();
  }

  private static double number(Path manifest, String where, JsonNode node, String field)
      throws RecordingLoadException {
    JsonNode value = node.get(field);
    if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw new RecordingLoadException(manifest, where + ": \"" + field + "\" is " + excerpt(String.valueOf(value), 40)
          + ", expected a number");
    }
    return value.asDouble();
  }

  private static List<String> strings(Path manifest, String where, JsonNode node, String field)
      throws RecordingLoadException {
    if (!node.isArray() || node.isEmpty()) {
      throw new RecordingLoadException(manifest, where + ": \"" + field + "\" must be a non-empty array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new RecordingLoadException(manifest, where + ": \"" + field + "\" holds " + excerpt(item.toString(), 40)
            + ", expected strings");
      }
      values.add(item.asText());
    }
    return values;
  }

  private static HeaderMode enumValue(Path manifest, String where, String text) throws RecordingLoadException {
    try {
      return HeaderMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RecordingLoadException(manifest, where + ": header " + text + " is not one of "
          + Arrays.toString(HeaderMode.values()), e);
    }
  }

  private static String csvField(List<String> columns, String[] fields, String column) {
    int index = columns.indexOf(column);
    return index < 0 ? "" : fields[index].trim();
  }

  private static double csvNumber(Path manifest, String where, List<String> columns, String[] fields, String column)
      throws RecordingLoadException {
    String text = csvField(columns, fields, column);
    if (text.isEmpty()) {
      return Double.NaN;
    }
    try {
      double value = Double.parseDouble(text);
      if (!Double.isFinite(value)) {
        throw new NumberFormatException("not finite");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new RecordingLoadException(manifest, where + ": " + column + " \"" + text + "\" is not a finite number", e);
    }
  }

  /** The highest sampling rate a manifest may state or ask for: 10 MHz, far above any vibration sensor. */
  private static final double MAX_RATE = 10e6;

  private static Path recordingPath(Path manifest, Path base, String file, String where, boolean allowOutside)
      throws RecordingLoadException {
    Path resolved;
    try {
      resolved = base.resolve(file).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new RecordingLoadException(manifest, where + ": file \"" + excerpt(file, 80) + "\" is not a valid path");
    }
    if (allowOutside) {
      return resolved;
    }
    boolean inside = resolved.startsWith(base);
    if (inside && Files.exists(resolved)) {
      try {
        inside = resolved.toRealPath().startsWith(base.toRealPath());
      } catch (IOException e) {
        inside = false;
      }
    }
    if (!inside) {
      throw new RecordingLoadException(manifest, where + ": file \"" + excerpt(file, 80) + "\" lies outside the"
          + " manifest's folder " + base + "; expected a path inside it (put the manifest in a folder that holds"
          + " its recordings; Java callers may allow others with Manifest.load(file, policy, true))");
    }
    return resolved;
  }

  /** At most {@code max} characters of a text from a file, control characters escaped. */
  private static String excerpt(String text, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && i < max; i++) {
      char ch = text.charAt(i);
      out.append(ch < 0x20 || ch == 0x7f ? String.format(Locale.ROOT, "\\u%04x", (int) ch) : String.valueOf(ch));
    }
    return text.length() > max ? out + "..." : out.toString();
  }
}
