package io.github.drsn.datasets.mat;

import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.RecordingLoadException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/**
 * The numeric contents of one MATLAB v5 MAT-file, read with MFL ({@code us.hebi.matlab.mat:mfl-core})
 * and copied into plain {@code double} arrays.
 *
 * <p>Supported: level-5 MAT-files as written by MATLAB {@code save -v6} (uncompressed) and {@code -v7}
 * (each variable zlib-compressed, the default since MATLAB 7); real numeric matrices of any numeric
 * class (double, single, integer, logical), including 1x1 scalars; and fields of 1x1 structs, named with
 * dots ({@code "meta.fs"}, nested to any depth). Cells, strings, sparse and complex matrices are listed in
 * {@link #otherVariables()} but not read as samples. Not supported, with a specific error: MATLAB 7.3
 * files (HDF5 containers) and level-4 MAT-files.
 *
 * <p>Every failure is a {@link RecordingLoadException} that names the file and says what was expected:
 * missing file, file shorter than the 128-byte header, wrong header, truncated or corrupt data, a
 * variable that is absent or has the wrong shape.
 *
 * <pre>{@code
 * MatContents mat = MatContents.read(Path.of("105.mat"));
 * String de = mat.requireSingleMatch(Pattern.compile("X\\d+_DE_time"));
 * double[] samples = mat.vector(de);
 * double rpm = mat.scalar("X105RPM");
 * }</pre>
 */
public final class MatContents {

  /** Size of the MAT v5 header: 116 bytes text, 8 bytes subsystem offset, 2 version, 2 endian marker. */
  public static final int HEADER_BYTES = 128;

  private final Path file;
  private final String description;
  private final boolean compressed;
  private final Map<String, NumericArray> numeric;
  private final Map<String, String> other;

  private MatContents(Path file, String description, boolean compressed, Map<String, NumericArray> numeric,
      Map<String, String> other) {
    this.file = file;
    this.description = description;
    this.compressed = compressed;
    this.numeric = Collections.unmodifiableMap(numeric);
    this.other = Collections.unmodifiableMap(other);
  }

  /** A real numeric array in MATLAB's column-major order. */
  private record NumericArray(int[] dimensions, double[] values) {
  }

  /**
   * Reads every numeric variable (and 1x1-struct field) of a MAT-file.
   *
   * @param file the MAT-file
   * @return its numeric contents
   * @throws RecordingLoadException if the file is missing, not a level-5 MAT-file, truncated or corrupt
   */
  public static MatContents read(Path file) throws RecordingLoadException {
    byte[] header = readHeader(file);
    String text = new String(header, 0, 116, StandardCharsets.ISO_8859_1).trim();
    boolean compressed = firstDataElementIsCompressed(file, header);
    MatSizeCheck.check(file, header);
    Mat5File mat;
    try {
      mat = Mat5.readFromFile(file.toFile());
    } catch (IOException | RuntimeException e) {
      Throwable root = rootCause(e);
      String size = fileSize(file);
      if (root instanceof EOFException || root instanceof BufferUnderflowException
          || root instanceof IndexOutOfBoundsException) {
        throw new RecordingLoadException(file, "MAT-file is truncated: its " + size + " end before the sizes its tags"
            + " declare (" + root + "); expected a complete MATLAB v5 file", e);
      }
      String what = root instanceof DataFormatException || String.valueOf(root.getMessage()).contains("nflat")
          ? "compressed data is corrupt or truncated" : "MAT-file is corrupt or truncated";
      throw new RecordingLoadException(file, what + " (" + size + ", " + root + "); expected a complete MATLAB v5 file",
          e);
    }
    Map<String, NumericArray> numeric = new LinkedHashMap<>();
    Map<String, String> other = new LinkedHashMap<>();
    try (mat) {
      for (MatFile.Entry entry : mat.getEntries()) {
        collect(entry.getName(), entry.getValue(), numeric, other);
      }
    } catch (IOException | RuntimeException e) {
      throw new RecordingLoadException(file, "could not decode variable values (" + rootCause(e)
          + "); expected real numeric matrices or 1x1 structs of them", e);
    }
    return new MatContents(file, text, compressed, numeric, other);
  }

  private static byte[] readHeader(Path file) throws RecordingLoadException {
    if (!Files.exists(file)) {
      throw new RecordingLoadException(file, "file does not exist; expected a MATLAB v5 MAT-file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new RecordingLoadException(file, "not a readable regular file; expected a MATLAB v5 MAT-file");
    }
    byte[] header = new byte[HEADER_BYTES];
    int read = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while (read < HEADER_BYTES && (n = in.read(header, read, HEADER_BYTES - read)) > 0) {
        read += n;
      }
    } catch (NoSuchFileException e) {
      throw new RecordingLoadException(file, "file does not exist; expected a MATLAB v5 MAT-file", e);
    } catch (IOException e) {
      throw new RecordingLoadException(file, "cannot read file (" + e + ")", e);
    }
    String text = new String(header, 0, Math.min(read, 116), StandardCharsets.ISO_8859_1);
    if (text.startsWith("MATLAB 7.3")) {
      throw new RecordingLoadException(file, "MATLAB 7.3 MAT-file (HDF5 container) is not supported; "
          + "re-save it in MATLAB with save(..., '-v7') or '-v6'");
    }
    if (read < HEADER_BYTES) {
      throw new RecordingLoadException(file, "MAT-file is truncated: " + read + " bytes, expected at least the "
          + HEADER_BYTES + "-byte MATLAB v5 header");
    }
    if (!text.startsWith("MATLAB 5.0 MAT-file")) {
      throw new RecordingLoadException(file, "not a MATLAB v5 MAT-file: header starts with \""
          + printable(text.substring(0, Math.min(24, text.length()))) + "\", expected \"MATLAB 5.0 MAT-file\""
          + " (level-4 and HDF5-based 7.3 files are not supported)");
    }
    return header;
  }

  /** miCOMPRESSED (data type 15) as the first tag after the header marks a -v7 file. */
  private static boolean firstDataElementIsCompressed(Path file, byte[] header) throws RecordingLoadException {
    boolean littleEndian = header[126] == 'I' && header[127] == 'M';
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(HEADER_BYTES);
      byte[] tag = in.readNBytes(4);
      if (tag.length < 4) {
        return false;
      }
      int type = littleEndian
          ? (tag[0] & 0xff) | (tag[1] & 0xff) << 8
          : (tag[3] & 0xff) | (tag[2] & 0xff) << 8;
      return type == 15;
    } catch (IOException e) {
      throw new RecordingLoadException(file, "cannot read file (" + e + ")", e);
    }
  }

  private static void collect(String name, Array value, Map<String, NumericArray> numeric,
      Map<String, String> other) {
    if (value instanceof Matrix matrix && !matrix.isComplex()) {
      int n = matrix.getNumElements();
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = matrix.getDouble(i);
      }
      numeric.put(name, new NumericArray(matrix.getDimensions().clone(), values));
    } else if (value instanceof Struct struct && struct.getNumElements() == 1) {
      for (String field : struct.getFieldNames()) {
        collect(name + "." + field, struct.get(field), numeric, other);
      }
    } else {
      String kind = value instanceof Matrix ? "complex matrix" : String.valueOf(value.getType());
      other.put(name, kind + " " + shape(value.getDimensions()));
    }
  }

  private static String fileSize(Path file) {
    try {
      return Files.size(file) + " bytes";
    } catch (IOException e) {
      return "unknown number of bytes";
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 32 && c < 127 ? c : '.');
    }
    return b.toString();
  }

  private static String shape(int[] dims) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      b.append(i == 0 ? "" : "x").append(dims[i]);
    }
    return b.toString();
  }

  /** @return the file that was read */
  public Path file() {
    return file;
  }

  /** @return the 116-byte descriptive text of the header, trimmed */
  public String description() {
    return description;
  }

  /** @return whether the file stores its variables zlib-compressed (MATLAB -v7) */
  public boolean compressed() {
    return compressed;
  }

  /** @return names of the real numeric variables and struct fields, in file order */
  public List<String> numericVariables() {
    return List.copyOf(numeric.keySet());
  }

  /** @return other variables (cells, chars, sparse, complex, struct arrays) with their kind and shape */
  public Map<String, String> otherVariables() {
    return other;
  }

  /**
   * @param name variable name, or dotted struct-field path
   * @return whether a real numeric variable of that name exists
   */
  public boolean has(String name) {
    return numeric.containsKey(name);
  }

  /**
   * @param pattern a regular expression that must match the whole name
   * @return names of the numeric variables that match, in file order
   * @throws IllegalArgumentException if matching the pattern costs more than {@value #MATCH_STEPS} character reads
   *     for one name: a pattern from a user's file (a manifest) must not hang the tool by catastrophic backtracking
   */
  public List<String> matching(Pattern pattern) {
    List<String> names = new ArrayList<>();
    for (String name : numeric.keySet()) {
      if (pattern.matcher(new Bounded(name, pattern)).matches()) {
        names.add(name);
      }
    }
    return names;
  }

  /** Character reads a pattern may make on one variable name. */
  static final int MATCH_STEPS = 1_000_000;

  /** A name that refuses to be read more than {@link #MATCH_STEPS} times: bounds a regular expression's work. */
  private static final class Bounded implements CharSequence {
    private final String text;
    private final Pattern pattern;
    private int reads;

    Bounded(String text, Pattern pattern) {
      this.text = text;
      this.pattern = pattern;
    }

    @Override
    public char charAt(int index) {
      if (++reads > MATCH_STEPS) {
        throw new IllegalArgumentException("channel pattern " + pattern.pattern() + " takes more than " + MATCH_STEPS
            + " steps to match the variable name " + text + "; expected a simple pattern such as X\\d+_DE_time");
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * @param pattern a regular expression that must match the whole name
   * @return the only numeric variable whose name matches
   * @throws RecordingLoadException if none or several match
   */
  public String requireSingleMatch(Pattern pattern) throws RecordingLoadException {
    List<String> names = matching(pattern);
    if (names.isEmpty()) {
      // A variable of that name that is not real numbers (complex, text, a cell) is named as such, not reported missing.
      List<String> notNumeric = new ArrayList<>();
      other.forEach((name, kind) -> {
        if (pattern.matcher(new Bounded(name, pattern)).matches()) {
          notNumeric.add(name + " is a " + kind);
        }
      });
      if (!notNumeric.isEmpty()) {
        throw new RecordingLoadException(file, String.join(", ", notNumeric) + "; expected a real numeric vector or"
            + " matrix (numeric variables: " + numericVariables() + ")");
      }
    }
    if (names.size() != 1) {
      throw new RecordingLoadException(file, (names.isEmpty() ? "no variable" : names.size() + " variables " + names)
          + " match " + pattern.pattern() + ", expected exactly one (numeric variables: " + numericVariables() + ")");
    }
    return names.get(0);
  }

  /**
   * @param name variable name or dotted struct-field path
   * @return the variable's dimensions
   * @throws RecordingLoadException if the variable is absent
   */
  public int[] dimensions(String name) throws RecordingLoadException {
    return require(name).dimensions().clone();
  }

  /**
   * A numeric vector (one row or one column) as a new array.
   *
   * @param name variable name or dotted struct-field path
   * @return its values
   * @throws RecordingLoadException if the variable is absent or is not a non-empty vector
   */
  public double[] vector(String name) throws RecordingLoadException {
    NumericArray array = require(name);
    int[] d = array.dimensions();
    boolean vector = d.length == 2 && (d[0] == 1 || d[1] == 1) && array.values().length > 0;
    if (!vector) {
      throw new RecordingLoadException(file, "variable " + name + " is " + shape(d)
          + ", expected a non-empty vector (Nx1 or 1xN)");
    }
    return array.values().clone();
  }

  /**
   * The columns of a 2-D numeric matrix, e.g. an N x C matrix holding C channels.
   *
   * @param name variable name or dotted struct-field path
   * @return one array per column
   * @throws RecordingLoadException if the variable is absent, empty or not 2-D
   */
  public double[][] columns(String name) throws RecordingLoadException {
    NumericArray array = require(name);
    int[] d = array.dimensions();
    if (d.length != 2 || array.values().length == 0) {
      throw new RecordingLoadException(file, "variable " + name + " is " + shape(d)
          + ", expected a non-empty 2-D matrix (samples x channels)");
    }
    double[][] columns = new double[d[1]][];
    for (int c = 0; c < d[1]; c++) {
      columns[c] = Arrays.copyOfRange(array.values(), c * d[0], (c + 1) * d[0]);
    }
    return columns;
  }

  /**
   * @param name variable name or dotted struct-field path
   * @return the value of a 1x1 numeric variable
   * @throws RecordingLoadException if the variable is absent or not 1x1
   */
  public double scalar(String name) throws RecordingLoadException {
    NumericArray array = require(name);
    if (array.values().length != 1) {
      throw new RecordingLoadException(file, "variable " + name + " is " + shape(array.dimensions())
          + ", expected a 1x1 scalar");
    }
    return array.values()[0];
  }

  private NumericArray require(String name) throws RecordingLoadException {
    NumericArray array = numeric.get(name);
    if (array == null) {
      String kind = other.containsKey(name) ? " (it is a " + other.get(name) + ")" : "";
      throw new RecordingLoadException(file, "no numeric variable " + name + kind + "; numeric variables are "
          + numericVariables());
    }
    return array;
  }

  /**
   * @return SHA-256 of the file
   * @throws RecordingLoadException if the file can no longer be read
   */
  public String sha256() throws RecordingLoadException {
    try {
      return FileDigests.sha256(file);
    } catch (IOException e) {
      throw new RecordingLoadException(file, "cannot read file to hash it (" + e + ")", e);
    }
  }
}
