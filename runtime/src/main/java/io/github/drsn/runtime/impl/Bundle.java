package io.github.drsn.runtime.impl;

import io.github.drsn.runtime.BundleFormatException;
import io.github.drsn.runtime.InputSpec;
import io.github.drsn.runtime.Representation;
import io.github.drsn.signals.Normalization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A model bundle as the runtime reads it: drsn-model's {@code ModelBundle} file format
 * ({@value #FORMAT} version {@value #FORMAT_VERSION}), a zip archive with {@code bundle.json} (architecture,
 * sizes, classes, input spec, parameter layout with the SHA-256 of the parameters) and {@code parameters.npy}
 * (the flat float32 or float64 parameter vector in DL4J order, batch-norm running statistics included).
 * Reading checks the format and version, the SHA-256, and that the recorded layout is exactly the layout of
 * the architecture it names; every failure is a {@link BundleFormatException} naming the file.
 *
 * @param layout the network
 * @param classes class names in output order
 * @param input what a window must be
 * @param parameters the flat parameter vector as float32
 */
public record Bundle(ModelLayout layout, List<String> classes, InputSpec input, float[] parameters) {

  /** The format name in bundle.json. */
  public static final String FORMAT = "drsn-model-bundle";
  /** The format version this runtime reads. */
  public static final int FORMAT_VERSION = 1;
  static final String METADATA_ENTRY = "bundle.json";
  static final String PARAMETERS_ENTRY = "parameters.npy";

  /** Copies the class list. */
  public Bundle {
    classes = List.copyOf(classes);
  }

  /**
   * Reads and checks a bundle file.
   *
   * @throws BundleFormatException if the file is missing, truncated, corrupt, of another format or version,
   *     or inconsistent; the message names the file and says what was expected
   * @throws IOException on other read errors
   */
  public static Bundle read(Path file) throws IOException {
    byte[] metadata;
    byte[] parameters;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      metadata = entry(file, zip, METADATA_ENTRY);
      parameters = entry(file, zip, PARAMETERS_ENTRY);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new BundleFormatException(file, "no such file", e);
    } catch (ZipException | java.io.EOFException e) {
      throw new BundleFormatException(file, "truncated or not a zip archive (" + e.getMessage() + ")", e);
    }
    if (metadata == null) {
      throw new BundleFormatException(file, "no " + METADATA_ENTRY + " entry; not a " + FORMAT + " file");
    }
    Map<String, Object> root;
    try {
      root = object(Json.parse(new String(metadata, StandardCharsets.UTF_8)), METADATA_ENTRY);
    } catch (Json.JsonException | IllegalArgumentException e) {
      throw new BundleFormatException(file, METADATA_ENTRY + " is not a valid JSON object: " + e.getMessage(), e);
    }
    try {
      return parse(file, root, parameters);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new BundleFormatException(file, "invalid " + METADATA_ENTRY + ": " + e.getMessage(), e);
    }
  }

  private static Bundle parse(Path file, Map<String, Object> root, byte[] parameters) {
    Object format = root.get("format");
    if (!FORMAT.equals(format)) {
      throw new BundleFormatException(file, "format is '" + format + "', expected '" + FORMAT + "'");
    }
    int version = integer(root, "format_version");
    if (version != FORMAT_VERSION) {
      throw new BundleFormatException(file, "format version " + version + " (written by drsn "
          + root.get("project_version") + "); this runtime reads format version " + FORMAT_VERSION + " only"
          + (version > FORMAT_VERSION ? "; upgrade drsn-runtime to load it" : ""));
    }
    if (parameters == null) {
      throw new BundleFormatException(file, "no " + PARAMETERS_ENTRY + " entry (the bundle is incomplete)");
    }
    Map<String, Object> recorded = object(root.get("parameters"), "parameters");
    if (!text(recorded, "sha256").equals(sha256(parameters))) {
      throw new BundleFormatException(file, PARAMETERS_ENTRY + " does not match its recorded SHA-256 (corrupt file)");
    }
    Map<String, Object> m = object(root.get("model"), "model");
    List<Object> stageList = list(m.get("stage_channels"), "stage_channels");
    int[] stages = new int[stageList.size()];
    for (int i = 0; i < stages.length; i++) {
      stages[i] = toInt(stageList.get(i), "stage_channels[" + i + "]");
    }
    String norm = text(m, "normalization");
    if (!norm.equals("BATCH_NORM") && !norm.equals("GROUP_NORM")) {
      throw new IllegalArgumentException("model.normalization '" + norm + "', expected BATCH_NORM or GROUP_NORM");
    }
    ModelLayout layout = new ModelLayout(ModelLayout.Architecture.parse(text(root, "architecture")),
        integer(m, "input_length"), integer(m, "input_channels"), stages, integer(m, "units_per_stage"),
        integer(m, "kernel_size"), integer(m, "stem_stride"), integer(m, "classes"), norm.equals("GROUP_NORM"),
        integer(m, "groups"), ModelLayout.Shortcut.valueOf(text(m, "shortcut")));
    List<String> classes = new ArrayList<>();
    for (Object c : list(root.get("classes"), "classes")) {
      if (!(c instanceof String s)) {
        throw new IllegalArgumentException("classes must be strings, found " + c);
      }
      classes.add(s);
    }
    if (classes.size() != layout.classes()) {
      throw new IllegalArgumentException(classes.size() + " class names for " + layout.classes() + " outputs");
    }
    Map<String, Object> in = object(root.get("input"), "input");
    InputSpec input = new InputSpec(number(in, "sampling_rate"), integer(in, "window_length"),
        integer(in, "channels"), Normalization.valueOf(text(in, "normalization")),
        Representation.valueOf(text(in, "representation")));
    if (input.channels() != layout.inputChannels() || input.featureLength() != layout.inputLength()) {
      throw new IllegalArgumentException("input " + input + " does not give the network's input of "
          + layout.inputChannels() + " x " + layout.inputLength());
    }
    checkLayout(file, list(recorded.get("layout"), "parameters.layout"), layout.parameters());
    float[] values = npy(file, parameters);
    if (values.length != layout.parameterCount()) {
      throw new BundleFormatException(file, PARAMETERS_ENTRY + " holds " + values.length + " values but " + layout
          + " has " + layout.parameterCount() + " parameters");
    }
    return new Bundle(layout, classes, input, values);
  }

  private static void checkLayout(Path file, List<Object> recorded, List<ModelLayout.Param> expected) {
    if (recorded.size() != expected.size()) {
      throw new BundleFormatException(file, "its parameter layout records " + recorded.size()
          + " arrays, the architecture it names has " + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> p = object(recorded.get(i), "parameters.layout[" + i + "]");
      List<Object> shapeList = list(p.get("shape"), "shape");
      int[] shape = new int[shapeList.size()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = toInt(shapeList.get(d), "shape");
      }
      ModelLayout.Param actual = new ModelLayout.Param(text(p, "name"), shape);
      if (!actual.equals(expected.get(i))) {
        throw new BundleFormatException(file, "parameter " + i + " is " + actual + ", the architecture it names has "
            + expected.get(i));
      }
    }
  }

  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?)([fi])(\\d)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /** A float32/float64 NPY array (NEP 1, versions 1-3, C order) as float32 values. */
  static float[] npy(Path file, byte[] bytes) {
    String where = PARAMETERS_ENTRY + ": ";
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U' || bytes[3] != 'M'
        || bytes[4] != 'P' || bytes[5] != 'Y') {
      throw new BundleFormatException(file, where + "not an NPY array (bad magic)");
    }
    int major = bytes[6];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = buf.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new BundleFormatException(file, where + "truncated header");
      }
      headerLength = buf.getInt(8);
      headerStart = 12;
    } else {
      throw new BundleFormatException(file, where + "NPY version " + major + " (expected 1, 2 or 3)");
    }
    if (headerLength < 0 || headerStart + headerLength > bytes.length) {
      throw new BundleFormatException(file, where + "truncated header");
    }
    String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shape = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new BundleFormatException(file, where + "unreadable header " + header.strip());
    }
    if (!descr.group(2).equals("f") || !(descr.group(3).equals("4") || descr.group(3).equals("8"))) {
      throw new BundleFormatException(file, where + "dtype " + descr.group() + ", expected float32 or float64");
    }
    if (fortran.group(1).equals("True")) {
      throw new BundleFormatException(file, where + "Fortran order is not supported");
    }
    long count = 1;
    for (String d : shape.group(1).split(",")) {
      if (!d.isBlank()) {
        count *= Long.parseLong(d.strip());
      }
    }
    int itemBytes = descr.group(3).equals("4") ? 4 : 8;
    int dataStart = headerStart + headerLength;
    if (count > Integer.MAX_VALUE || bytes.length - dataStart != count * itemBytes) {
      throw new BundleFormatException(file, where + "holds " + (bytes.length - dataStart) + " data bytes, its shape ("
          + shape.group(1) + ") needs " + count * itemBytes + " (truncated or corrupt)");
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
        .order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) count];
    for (int i = 0; i < out.length; i++) {
      out[i] = itemBytes == 4 ? data.getFloat(dataStart + 4 * i) : (float) data.getDouble(dataStart + 8 * i);
    }
    return out;
  }

  private static byte[] entry(Path file, ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      return null;
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("'" + what + "' must be an object, found " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o, String what) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("'" + what + "' must be an array, found " + o);
    }
    return (List<Object>) o;
  }

  private static String text(Map<String, Object> node, String field) {
    if (!(node.get(field) instanceof String s)) {
      throw new IllegalArgumentException("missing text field '" + field + "'");
    }
    return s;
  }

  private static double number(Map<String, Object> node, String field) {
    if (!(node.get(field) instanceof Double d)) {
      throw new IllegalArgumentException("missing number field '" + field + "'");
    }
    return d;
  }

  private static int integer(Map<String, Object> node, String field) {
    if (!(node.get(field) instanceof Double)) {
      throw new IllegalArgumentException("missing integer field '" + field + "'");
    }
    return toInt(node.get(field), field);
  }

  private static int toInt(Object o, String what) {
    if (!(o instanceof Double d) || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + what + "' must be an integer, found " + o);
    }
    return d.intValue();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
