package io.github.drsn.contract.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes NumPy {@code .npy} files of float32 and float64 arrays, following the format
 * specification (NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays", and
 * {@code numpy.lib.format}).
 *
 * <p>Layout of a version 1.0 file as written here:
 * <pre>
 *   "\x93NUMPY" 0x01 0x00  HEADER_LEN (uint16, little-endian)
 *   HEADER: "{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }" + spaces + "\n"
 *   data: the elements in C order, little-endian
 * </pre>
 * The header is padded with spaces so that magic + version + length + header is a multiple of 64 bytes,
 * the alignment NumPy uses (the padding is the minimum that reaches it; NumPy itself may add more spare
 * space, which readers ignore). A file written here loads with {@code numpy.load} and vice versa.
 *
 * <p>The reader accepts versions 1.0, 2.0 and 3.0, dtypes {@code <f4 >f4 <f8 >f8}, C order only, and
 * requires the data to be exactly as long as the shape says; anything else is a {@link FileFormatException}
 * naming the file and the problem.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGNMENT = 64;
  private static final int PREFIX_V1 = MAGIC.length + 2 + 2;
  private static final int MAX_HEADER_LENGTH = 1 << 20;
  private static final int IO_CHUNK = 1 << 16;

  private Npy() {}

  /** Writes {@code array} to {@code file} as a version 1.0 .npy file, atomically. */
  public static void write(Path file, NpyArray array) throws IOException {
    AtomicFiles.write(file, out -> write(out, array));
  }

  /** Writes {@code array} as a version 1.0 .npy stream (e.g. an entry of a zip file); does not close {@code out}. */
  public static void write(OutputStream out, NpyArray array) throws IOException {
    out.write(header(array.dtype(), array.shape()));
    int itemBytes = array.dtype().bytes();
    ByteBuffer buffer = ByteBuffer.allocate(IO_CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    int n = array.size();
    float[] floats = array.dtype() == NpyArray.DType.FLOAT32 ? array.toFloatArray() : null;
    double[] doubles = floats == null ? array.toDoubleArray() : null;
    for (int i = 0; i < n; i++) {
      if (buffer.remaining() < itemBytes) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      if (floats != null) {
        buffer.putFloat(floats[i]);
      } else {
        buffer.putDouble(doubles[i]);
      }
    }
    out.write(buffer.array(), 0, buffer.position());
  }

  /** Writes a float32 array of the given shape (C order). */
  public static void writeFloats(Path file, float[] data, int... shape) throws IOException {
    write(file, NpyArray.ofFloats(data, shape));
  }

  /** Writes a float64 array of the given shape (C order). */
  public static void writeDoubles(Path file, double[] data, int... shape) throws IOException {
    write(file, NpyArray.ofDoubles(data, shape));
  }

  /**
   * The complete version 1.0 preamble (magic, version, header length, padded header) for an array of this
   * dtype and shape; the data follow it directly.
   */
  static byte[] header(NpyArray.DType dtype, int[] shape) {
    NpyArray.elementCount(shape);
    String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + shapeRepr(shape) + ", }";
    int unpadded = PREFIX_V1 + dict.length() + 1;
    int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
    int headerLength = dict.length() + padding + 1;
    ByteBuffer buffer = ByteBuffer.allocate(PREFIX_V1 + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength);
    buffer.put(dict.getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < padding; i++) {
      buffer.put((byte) ' ');
    }
    buffer.put((byte) '\n');
    return buffer.array();
  }

  /** Python's repr of a tuple of ints: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
  private static String shapeRepr(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(')').toString();
  }

  /**
   * Reads a float32 or float64 .npy file.
   *
   * @throws FileFormatException if the file is not a .npy file, uses Fortran order or an unsupported
   *     dtype, or its data are shorter or longer than its shape requires
   * @throws IOException if the file cannot be read
   */
  public static NpyArray read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, channel.size(), file);
    }
  }

  /**
   * Reads a .npy file held in memory (e.g. an entry of a zip file). The values are decoded straight from
   * {@code bytes} into the array returned, with no copy of the data in between.
   *
   * @param source names the bytes in error messages, e.g. {@code bundle.zip!/parameters.npy}
   * @throws FileFormatException as {@link #read(Path)}
   */
  public static NpyArray read(byte[] bytes, Path source) throws IOException {
    Header h = header(bytes, source);
    ByteBuffer data = data(bytes, h);
    if (h.dtype() == NpyArray.DType.FLOAT32) {
      float[] values = new float[h.count()];
      data.asFloatBuffer().get(values);
      return NpyArray.adopt(NpyArray.DType.FLOAT32, h.shape, values, null);
    }
    double[] values = new double[h.count()];
    data.asDoubleBuffer().get(values);
    return NpyArray.adopt(NpyArray.DType.FLOAT64, h.shape, null, values);
  }

  /**
   * What the header of a .npy file says about the data that follow it: their element type and shape.
   *
   * @param dtype the element type (either byte order)
   * @param shape the dimensions (C order)
   * @param count the number of elements, the product of the shape
   * @param order the byte order of the data
   * @param dataOffset where the data start (the length of everything before them)
   */
  public record Header(NpyArray.DType dtype, int[] shape, int count, ByteOrder order, long dataOffset) {

    public Header {
      shape = shape.clone();
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** The type as its NumPy descr with this header's byte order, e.g. {@code <f4}. */
    public String descr() {
      return (order == ByteOrder.LITTLE_ENDIAN ? "<" : ">") + dtype.descr().substring(1);
    }
  }

  /**
   * Reads and checks the header of a .npy file held in memory, allocating nothing sized by it: a caller can look at
   * the type and shape (and the memory the values will need) before decoding them with {@link #readDoubles} or
   * {@link #readFloats}.
   *
   * @throws FileFormatException as {@link #read(Path)}, including when the data are not exactly as long as the
   *     shape requires
   */
  public static Header header(byte[] bytes, Path source) throws IOException {
    return header(new CountingChannel(Channels.newChannel(new ByteArrayInputStream(bytes))), bytes.length, source);
  }

  /**
   * The values of a float32 or float64 .npy file held in memory as float64 (float32 widens exactly), decoded
   * straight from {@code bytes}: the only array allocated is the one returned.
   *
   * @throws FileFormatException as {@link #read(Path)}
   */
  public static double[] readDoubles(byte[] bytes, Path source) throws IOException {
    Header h = header(bytes, source);
    ByteBuffer data = data(bytes, h);
    double[] values = new double[h.count()];
    if (h.dtype() == NpyArray.DType.FLOAT64) {
      data.asDoubleBuffer().get(values);
    } else {
      java.nio.FloatBuffer floats = data.asFloatBuffer();
      for (int i = 0; i < values.length; i++) {
        values[i] = floats.get(i);
      }
    }
    return values;
  }

  /**
   * The values of a float32 or float64 .npy file held in memory as float32 (float64 rounded to nearest), decoded
   * straight from {@code bytes}: the only array allocated is the one returned.
   *
   * @throws FileFormatException as {@link #read(Path)}
   */
  public static float[] readFloats(byte[] bytes, Path source) throws IOException {
    Header h = header(bytes, source);
    ByteBuffer data = data(bytes, h);
    float[] values = new float[h.count()];
    if (h.dtype() == NpyArray.DType.FLOAT32) {
      data.asFloatBuffer().get(values);
    } else {
      java.nio.DoubleBuffer doubles = data.asDoubleBuffer();
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) doubles.get(i);
      }
    }
    return values;
  }

  /** The data of {@code bytes} (checked by {@link #header}) as a view in the file's byte order. */
  private static ByteBuffer data(byte[] bytes, Header h) {
    return ByteBuffer.wrap(bytes, (int) h.dataOffset(), bytes.length - (int) h.dataOffset()).slice().order(h.order());
  }

  private static NpyArray read(ReadableByteChannel input, long fileSize, Path file) throws IOException {
    CountingChannel channel = input instanceof CountingChannel c ? c : new CountingChannel(input);
    Header h = header(channel, fileSize, file);
    ByteBuffer data = readFully(channel, file, (int) ((long) h.count() * h.dtype().bytes()), "data").order(h.order());
    if (h.dtype() == NpyArray.DType.FLOAT32) {
      float[] values = new float[h.count()];
      data.asFloatBuffer().get(values);
      return NpyArray.adopt(NpyArray.DType.FLOAT32, h.shape, values, null);
    }
    double[] values = new double[h.count()];
    data.asDoubleBuffer().get(values);
    return NpyArray.adopt(NpyArray.DType.FLOAT64, h.shape, null, values);
  }

  /** Reads and checks everything up to the data, leaving {@code channel} at their first byte. */
  private static Header header(CountingChannel channel, long fileSize, Path file) throws IOException {
    {
      ByteBuffer prefix = readFully(channel, file, MAGIC.length + 2, "magic string and version");
      byte[] magic = new byte[MAGIC.length];
      prefix.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new FileFormatException(file, "not a NumPy .npy file (missing the \\x93NUMPY magic string)");
      }
      int major = prefix.get() & 0xff;
      int minor = prefix.get() & 0xff;
      int headerLength;
      if (major == 1 && minor == 0) {
        headerLength = readFully(channel, file, 2, "header length").order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
      } else if ((major == 2 || major == 3) && minor == 0) {
        long length = readFully(channel, file, 4, "header length").order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (length > MAX_HEADER_LENGTH) {
          throw new FileFormatException(file, "header length " + length + " is implausibly large");
        }
        headerLength = (int) length;
      } else {
        throw new FileFormatException(file, "unsupported .npy format version " + major + "." + minor
            + " (supported: 1.0, 2.0, 3.0)");
      }
      ByteBuffer headerBytes = readFully(channel, file, headerLength, "header");
      String header = new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      Map<String, Object> dict = HeaderParser.parse(file, header);

      NpyArray.DType dtype;
      ByteOrder order;
      String descr = (String) dict.get("descr");
      switch (descr) {
        case "<f4" -> { dtype = NpyArray.DType.FLOAT32; order = ByteOrder.LITTLE_ENDIAN; }
        case ">f4" -> { dtype = NpyArray.DType.FLOAT32; order = ByteOrder.BIG_ENDIAN; }
        case "<f8" -> { dtype = NpyArray.DType.FLOAT64; order = ByteOrder.LITTLE_ENDIAN; }
        case ">f8" -> { dtype = NpyArray.DType.FLOAT64; order = ByteOrder.BIG_ENDIAN; }
        default -> throw new FileFormatException(file, "unsupported dtype '" + descr
            + "' (supported: '<f4', '>f4', '<f8', '>f8', i.e. float32 and float64)");
      }
      if (Boolean.TRUE.equals(dict.get("fortran_order"))) {
        throw new FileFormatException(file, "fortran_order=True is not supported; save the array in C order "
            + "(numpy.ascontiguousarray) before writing it");
      }
      int[] shape = (int[]) dict.get("shape");
      long count;
      try {
        count = NpyArray.elementCount(shape);
      } catch (IllegalArgumentException e) {
        throw new FileFormatException(file, e.getMessage());
      }
      long expectedBytes = count * dtype.bytes();
      long actualBytes = fileSize - channel.position();
      if (actualBytes < expectedBytes) {
        throw new FileFormatException(file, "truncated: shape " + Arrays.toString(shape) + " of " + descr
            + " needs " + expectedBytes + " data bytes but only " + actualBytes + " follow the header");
      }
      if (actualBytes > expectedBytes) {
        throw new FileFormatException(file, (actualBytes - expectedBytes) + " unexpected bytes after the "
            + expectedBytes + " data bytes of shape " + Arrays.toString(shape));
      }
      return new Header(dtype, shape, (int) count, order, channel.position());
    }
  }

  private static ByteBuffer readFully(ReadableByteChannel channel, Path file, int length, String what) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new FileFormatException(file, "truncated: the file ends inside the " + what);
      }
    }
    buffer.flip();
    return buffer;
  }

  /**
   * Parses the header, a Python dict literal with exactly the keys {@code descr} (a string),
   * {@code fortran_order} (True/False) and {@code shape} (a tuple of non-negative ints), as
   * {@code numpy.lib.format} requires.
   */
  private static final class HeaderParser {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    private final Path file;
    private final String text;
    private int pos;

    private HeaderParser(Path file, String text) {
      this.file = file;
      this.text = text;
    }

    static Map<String, Object> parse(Path file, String header) throws FileFormatException {
      if (!header.endsWith("\n")) {
        throw new FileFormatException(file, "header does not end with a newline");
      }
      HeaderParser p = new HeaderParser(file, header);
      Map<String, Object> dict = p.dict();
      p.skipSpace();
      if (p.pos != header.length()) {
        throw p.error("unexpected text after the header dict");
      }
      if (!dict.keySet().equals(KEYS)) {
        throw new FileFormatException(file, "header keys " + dict.keySet() + " are not exactly " + KEYS);
      }
      if (!(dict.get("descr") instanceof String)) {
        throw new FileFormatException(file, "header 'descr' is not a simple type string (structured dtypes "
            + "are not supported)");
      }
      if (!(dict.get("fortran_order") instanceof Boolean)) {
        throw new FileFormatException(file, "header 'fortran_order' is not True or False");
      }
      if (!(dict.get("shape") instanceof int[])) {
        throw new FileFormatException(file, "header 'shape' is not a tuple of integers");
      }
      return dict;
    }

    private Map<String, Object> dict() throws FileFormatException {
      expect('{');
      Map<String, Object> dict = new LinkedHashMap<>();
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          return dict;
        }
        String key = string();
        expect(':');
        Object value = value();
        if (dict.put(key, value) != null) {
          throw error("duplicate key '" + key + "'");
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private Object value() throws FileFormatException {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        return tuple();
      }
      if (text.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (c == '[') {
        throw error("structured dtypes (a list as value) are not supported");
      }
      throw error("unexpected value");
    }

    private int[] tuple() throws FileFormatException {
      expect('(');
      List<Integer> values = new ArrayList<>();
      while (true) {
        skipSpace();
        if (peek() == ')') {
          pos++;
          break;
        }
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
        if (start == pos) {
          throw error("expected a non-negative integer in the shape");
        }
        try {
          values.add(Integer.parseInt(text.substring(start, pos)));
        } catch (NumberFormatException e) {
          throw error("dimension " + text.substring(start, pos) + " is too large");
        }
        if (pos < text.length() && text.charAt(pos) == 'L') {
          pos++; // Python 2 long literal, as in files written by old NumPy versions
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != ')') {
          throw error("expected ',' or ')' in the shape");
        }
      }
      return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private String string() throws FileFormatException {
      skipSpace();
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw error("expected a quoted string");
      }
      int end = text.indexOf(quote, pos + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String s = text.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }

    private void expect(char c) throws FileFormatException {
      skipSpace();
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private char peek() throws FileFormatException {
      if (pos >= text.length()) {
        throw error("header ends unexpectedly");
      }
      return text.charAt(pos);
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private FileFormatException error(String problem) {
      String shown = text.strip();
      if (shown.length() > 200) {
        shown = shown.substring(0, 200) + "...";
      }
      return new FileFormatException(file, "malformed .npy header (" + problem + " at character " + pos
          + "): " + shown);
    }
  }

  /** Counts the bytes read, so truncation and trailing bytes can be told from any channel. */
  private static final class CountingChannel implements ReadableByteChannel {
    private final ReadableByteChannel delegate;
    private long position;

    CountingChannel(ReadableByteChannel delegate) {
      this.delegate = delegate;
    }

    long position() {
      return position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = delegate.read(dst);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
