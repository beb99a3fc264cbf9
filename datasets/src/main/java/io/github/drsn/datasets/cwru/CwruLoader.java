package io.github.drsn.datasets.cwru;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.LoadResult;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.SkippedRecording;
import io.github.drsn.datasets.SourceFile;
import io.github.drsn.datasets.mat.MatContents;
import io.github.drsn.datasets.mat.MatRecordings;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads CWRU MAT-files from a folder (any layout: files are found by name, {@code NNN.mat}, anywhere
 * below it) and turns them into {@link Recording}s with the catalogue's labels and conditions.
 *
 * <p>Variables are matched by pattern, never by position: the channel of sensor S is
 * {@code X0*<n>_S_time} where n is the catalogue's variable number, else the only variable matching
 * {@code X\d+_S_time} (the renamed files 3001-3008); the speed is {@code X0*<n>RPM}, else the only
 * {@code X\d+RPM}, else the catalogue's nominal speed (recorded in the attribute {@code rpmSource}).
 * The defect frequencies at that speed (faulty bearing's geometry; drive end for normal files) are
 * recorded as the attributes {@code bpfiHz}, {@code bpfoHz}, {@code bsfHz} and {@code ftfHz}.
 *
 * <pre>{@code
 * CwruLoader loader = new CwruLoader(Path.of("../shared/data/cwru"));
 * Recording ir = loader.load(105, List.of(Sensor.DE));     // 12 kHz, 1797 rpm, label "IR007"
 * }</pre>
 */
public final class CwruLoader {

  private static final Pattern FILE_NAME = Pattern.compile("(\\d+)\\.mat");

  private final Path dataDir;
  private Map<Integer, List<Path>> index;

  /**
   * @param dataDir folder holding the MAT-files (searched recursively, up to 4 levels)
   */
  public CwruLoader(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
  }

  /** @return the folder searched for files */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * @param number a catalogued file number
   * @return where {@code <number>.mat} lies below the data folder
   * @throws RecordingLoadException if the folder is missing, or the file is absent or present twice
   */
  public Path locate(int number) throws RecordingLoadException {
    Path expected = dataDir.resolve(number + ".mat");
    if (!Files.isDirectory(dataDir)) {
      throw new RecordingLoadException(dataDir, "CWRU data folder does not exist; expected a folder holding "
          + "<number>.mat files");
    }
    List<Path> paths = index().getOrDefault(number, List.of());
    if (paths.isEmpty()) {
      throw new RecordingLoadException(expected, "file " + number + ".mat not found anywhere below " + dataDir
          + "; expected it for CWRU file number " + number);
    }
    if (paths.size() > 1) {
      throw new RecordingLoadException(paths.get(0), "file " + number + ".mat is present " + paths.size()
          + " times below " + dataDir + " " + paths + "; expected exactly one");
    }
    return paths.get(0);
  }

  private synchronized Map<Integer, List<Path>> index() throws RecordingLoadException {
    if (index == null) {
      Map<Integer, List<Path>> found = new HashMap<>();
      try (Stream<Path> files = Files.walk(dataDir, 4)) {
        files.filter(Files::isRegularFile).forEach(p -> {
          var m = FILE_NAME.matcher(p.getFileName().toString());
          if (m.matches()) {
            found.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(p);
          }
        });
      } catch (IOException | UncheckedIOException e) {
        throw new RecordingLoadException(dataDir, "cannot list the data folder (" + e + ")", e);
      }
      index = found;
    }
    return index;
  }

  /**
   * Loads one file at its own sampling rate, labelled with its 10-class label.
   *
   * @param number catalogued file number
   * @param sensors channels to read, in order
   * @return the recording (id {@code "cwru-<number>"})
   * @throws RecordingLoadException if the number is unknown, or the file is missing, unreadable, lacks
   *     a channel or holds NaN/Inf
   */
  public Recording load(int number, List<Sensor> sensors) throws RecordingLoadException {
    CwruFile entry;
    try {
      entry = CwruCatalogue.require(number);
    } catch (IllegalArgumentException e) {
      throw new RecordingLoadException(dataDir.resolve(number + ".mat"), e.getMessage(), e);
    }
    return load(entry, entry.tenClassLabel(), sensors);
  }

  /**
   * Loads one catalogued file at its own sampling rate under a given label.
   *
   * @param entry the catalogue entry
   * @param label the class name to give the recording
   * @param sensors channels to read, in order
   * @return the recording (id {@code "cwru-<number>"})
   * @throws RecordingLoadException if the file is missing, unreadable, lacks a channel or holds NaN/Inf
   */
  public Recording load(CwruFile entry, String label, List<Sensor> sensors) throws RecordingLoadException {
    if (sensors.isEmpty()) {
      throw new IllegalArgumentException("expected at least one sensor for CWRU file " + entry.number());
    }
    Path file = locate(entry.number());
    MatContents mat = MatContents.read(file);
    List<String> names = new ArrayList<>();
    double[][] channels = new double[sensors.size()][];
    for (int s = 0; s < sensors.size(); s++) {
      Sensor sensor = sensors.get(s);
      String variable = findVariable(mat, entry, sensor.variableSuffix());
      names.add(variable);
      channels[s] = mat.vector(variable);
    }
    MatRecordings.checkSamples(file, names, channels);

    Map<String, String> attributes = new LinkedHashMap<>();
    double rpm;
    String rpmVariable = findOptional(mat, entry, "RPM", false);
    if (rpmVariable != null) {
      rpm = mat.scalar(rpmVariable);
      if (!(rpm > 0) || Double.isInfinite(rpm)) {
        throw new RecordingLoadException(file, "variable " + rpmVariable + " is " + rpm + ", expected a speed > 0 rpm");
      }
      attributes.put("rpmSource", "file variable " + rpmVariable);
    } else {
      rpm = entry.nominalRpm();
      attributes.put("rpmSource", "catalogue nominal speed (the file has no RPM variable of its own)");
    }
    attributes.put("cwruFile", Integer.toString(entry.number()));
    attributes.put("fault", entry.fault().code());
    attributes.put("faultDiameterIn", String.format(Locale.ROOT, "%.3f", entry.diameterInches()));
    attributes.put("faultyBearing", entry.faultyBearing().name());
    BearingGeometry.DefectFrequencies defects = entry.geometry().at(rpm);
    attributes.put("bpfiHz", String.format(Locale.ROOT, "%.2f", defects.bpfi()));
    attributes.put("bpfoHz", String.format(Locale.ROOT, "%.2f", defects.bpfo()));
    attributes.put("bsfHz", String.format(Locale.ROOT, "%.2f", defects.bsf()));
    attributes.put("ftfHz", String.format(Locale.ROOT, "%.3f", defects.ftf()));
    List<String> channelNames = sensors.stream().map(Sensor::name).toList();
    SourceFile source = new SourceFile(file, String.join(",", names), mat.sha256());
    try {
      return new Recording("cwru-" + entry.number(), label, entry.samplingRate(), channelNames, channels,
          new OperatingCondition(entry.loadHp(), rpm), source, attributes);
    } catch (IllegalArgumentException e) {
      throw new RecordingLoadException(file, e.getMessage(), e);
    }
  }

  private static String findVariable(MatContents mat, CwruFile entry, String suffix)
      throws RecordingLoadException {
    String name = findOptional(mat, entry, suffix, true);
    if (name == null) {
      throw new RecordingLoadException(mat.file(), "no variable matches X0*" + entry.variableNumber() + suffix
          + " or, failing that, exactly one X\\d+" + suffix + "; numeric variables are " + mat.numericVariables());
    }
    return name;
  }

  /**
   * The catalogue's own variable, else the only variable of that kind, else null. When that only variable's number is
   * another catalogued file's, a signal ({@code renamedIsError}) is refused: the file was renamed, and read under this
   * number its recording would be labelled with this file's fault. A speed under another number is left out instead
   * (null: the catalogue's nominal speed is used), since the signal, found under the file's own number, already shows
   * which file it is, and another file's speed is not this one's.
   */
  private static String findOptional(MatContents mat, CwruFile entry, String suffix, boolean renamedIsError)
      throws RecordingLoadException {
    String quotedSuffix = Pattern.quote(suffix);
    List<String> exact = mat.matching(Pattern.compile("X0*" + entry.variableNumber() + quotedSuffix));
    if (exact.size() == 1) {
      return exact.get(0);
    }
    List<String> any = mat.matching(Pattern.compile("X\\d{1,9}" + quotedSuffix));
    if (any.size() != 1) {
      return null;
    }
    String name = any.get(0);
    int number = Integer.parseInt(name.substring(1, name.length() - suffix.length()));
    List<CwruFile> owners = CwruCatalogue.findByVariableNumber(number);
    if (owners.isEmpty()) {
      return name;
    }
    if (!renamedIsError) {
      return null;
    }
    CwruFile owner = owners.get(0);
    throw new RecordingLoadException(mat.file(), mat.file().getFileName() + " holds " + name + ", a variable of CWRU"
        + " file " + owner.number() + " (" + owner.tenClassLabel() + "), not of file " + entry.number() + " ("
        + entry.tenClassLabel() + "); expected " + entry.number() + ".mat's own X"
        + String.format(Locale.ROOT, "%03d", entry.variableNumber()) + suffix + " (a renamed file would be"
        + " labelled with the fault of the name it was given)");
  }

  /**
   * Loads every {@code NNN.mat} below the data folder at its own sampling rate, in file-number order.
   * Files whose number the catalogue does not know, or that cannot be read, fail the call or are
   * reported in {@link LoadResult#skipped()}, as the policy says.
   *
   * @param sensors channels to read from every file
   * @param policy stop at the first problem, or skip and report
   * @return the recordings and the skipped files
   * @throws RecordingLoadException under {@link ErrorPolicy#FAIL_FAST}, for the first problem
   */
  public LoadResult loadAll(List<Sensor> sensors, ErrorPolicy policy) throws RecordingLoadException {
    if (!Files.isDirectory(dataDir)) {
      throw new RecordingLoadException(dataDir, "CWRU data folder does not exist; expected a folder holding "
          + "<number>.mat files");
    }
    List<Recording> recordings = new ArrayList<>();
    List<SkippedRecording> skipped = new ArrayList<>();
    for (int number : new TreeSet<>(index().keySet())) {
      try {
        recordings.add(load(number, sensors));
      } catch (RecordingLoadException failure) {
        if (policy == ErrorPolicy.FAIL_FAST) {
          throw failure;
        }
        skipped.add(new SkippedRecording(failure.file().toString(), failure.problem()));
      }
    }
    return new LoadResult(recordings, skipped);
  }

  /**
   * Loads several files into a data set at one sampling rate.
   *
   * @param name data set name
   * @param classes class names in label-index order
   * @param labels file number → class name (its iteration order is the recording order)
   * @param sensors channels to read from every file
   * @param samplingRate the common rate in Hz; files at another rate are resampled with anti-aliasing
   * @param policy stop at the first unreadable file, or skip it and report it in {@link Dataset#skipped()}
   * @return the data set
   * @throws RecordingLoadException under {@link ErrorPolicy#FAIL_FAST}, for the first unreadable file
   */
  public Dataset dataset(String name, List<String> classes, Map<Integer, String> labels, List<Sensor> sensors,
      double samplingRate, ErrorPolicy policy) throws RecordingLoadException {
    List<Recording> recordings = new ArrayList<>();
    List<SkippedRecording> skipped = new ArrayList<>();
    for (Map.Entry<Integer, String> e : labels.entrySet()) {
      try {
        CwruFile entry;
        try {
          entry = CwruCatalogue.require(e.getKey());
        } catch (IllegalArgumentException unknown) {
          throw new RecordingLoadException(dataDir.resolve(e.getKey() + ".mat"), unknown.getMessage(), unknown);
        }
        recordings.add(Resampler.toRate(load(entry, e.getValue(), sensors), samplingRate));
      } catch (RecordingLoadException failure) {
        if (policy == ErrorPolicy.FAIL_FAST) {
          throw failure;
        }
        skipped.add(new SkippedRecording(failure.file().toString(), failure.problem()));
      }
    }
    return new Dataset(name, classes, recordings, skipped);
  }
}
