package io.github.drsn.datasets.csv;

import io.github.drsn.datasets.RecordingLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A numeric CSV file read column by column: one column per channel, one row per sample instant.
 *
 * <p>Rules: the delimiter is tab, {@code ;}, {@code ,} or runs of spaces, detected in that order from
 * the first line, except that a first line of space-separated numbers with decimal commas ({@code 1,5  2,25}) is
 * space-separated; with tab, {@code ;} or space delimiters a decimal comma ({@code 1,5}) is read as a decimal
 * point; a UTF-8 byte-order mark is ignored; lines starting with {@code #} are comments; trailing empty lines are ignored, but an empty line
 * followed by more data is an error (it usually means two files were concatenated); every row must have
 * as many fields as the first; every field must be a finite number ({@code NaN}, {@code Inf} and empty
 * fields are errors naming the line and column). Header names may be quoted with {@code "}.
 *
 * @param columnNames one name per column (from the header, or {@code col1, col2, ...})
 * @param columns the values, one array per column
 */
public record CsvTable(List<String> columnNames, double[][] columns) {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private static final Pattern NUMBER_OR_DECIMAL_COMMA = Pattern.compile("[-+]?\\d+(,\\d+)?([eE][-+]?\\d+)?");
  /** NaN and infinity as MATLAB, NumPy, R and Excel write them. */
  private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity|#num!|#div/0!)");

  /** @return number of rows */
  public int rows() {
    return columns.length == 0 ? 0 : columns[0].length;
  }

  /**
   * Finds a column by header name, or by 1-based position written as a number (e.g. {@code "2"}) when no
   * column has that name.
   *
   * @param file the file, for the error message
   * @param channel a column name or 1-based position
   * @return the 0-based column index
   * @throws RecordingLoadException naming the file and the available columns if there is no such column
   */
  public int columnIndex(Path file, String channel) throws RecordingLoadException {
    int byName = columnNames.indexOf(channel);
    if (byName >= 0) {
      return byName;
    }
    try {
      int position = Integer.parseInt(channel.trim());
      if (position >= 1 && position <= columnNames.size()) {
        return position - 1;
      }
    } catch (NumberFormatException notANumber) {
      // fall through to the error below
    }
    throw new RecordingLoadException(file, "no column " + channel + "; expected one of " + columnNames
        + " or a position 1.." + columnNames.size());
  }

  /**
   * @param file the CSV file
   * @param header whether the first data line is a header
   * @return its columns
   * @throws RecordingLoadException if the file is missing, empty, ragged, or holds a non-numeric or
   *     non-finite value (the message names the line and column)
   */
  public static CsvTable read(Path file, HeaderMode header) throws RecordingLoadException {
    if (Files.isDirectory(file)) {
      throw new RecordingLoadException(file, "is a folder; expected a CSV recording");
    }
    // Streamed line by line into primitive chunks: a 20-million-sample column costs 8 bytes a sample, not a
    // String and a boxed row per line.
    String delimiter = null;
    List<String> names = null;
    int width = -1;
    Column[] columns = null;
    int firstBlankAfterData = -1;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      StringBuilder buffer = new StringBuilder();
      for (String line; (line = readLine(file, reader, buffer, lineNumber + 1)) != null; ) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.startsWith("#")) {
          continue;
        }
        if (isBlankRow(line)) {
          if (names != null && firstBlankAfterData < 0) {
            firstBlankAfterData = lineNumber;
          }
          continue;
        }
        if (firstBlankAfterData > 0) {
          throw new RecordingLoadException(file, "line " + firstBlankAfterData + " is empty but more data follows"
              + " (line " + lineNumber + "); expected one row per sample (only trailing empty lines are ignored)");
        }
        if (delimiter == null) {
          delimiter = detectDelimiter(line);
        }
        String[] fields = split(line, delimiter);
        if (width < 0) {
          width = fields.length;
          if (width > MAX_COLUMNS) {
            throw new RecordingLoadException(file, "line " + lineNumber + " has " + width + " fields; expected at most "
                + MAX_COLUMNS + " columns (one per channel)");
          }
          boolean isHeader = switch (header) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> !allNumeric(fields, delimiter);
          };
          names = new ArrayList<>();
          columns = new Column[width];
          for (int c = 0; c < width; c++) {
            names.add(isHeader ? unquote(fields[c]) : "col" + (c + 1));
            columns[c] = new Column();
          }
          if (isHeader) {
            continue;
          }
        }
        if (fields.length != width) {
          throw new RecordingLoadException(file, "line " + lineNumber + " has " + fields.length + " fields, expected "
              + width + " like the first row");
        }
        for (int c = 0; c < width; c++) {
          columns[c].add(parse(file, fields[c], delimiter, lineNumber, c, names.get(c)));
        }
      }
    } catch (RecordingLoadException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new RecordingLoadException(file, "file does not exist; expected a CSV recording", e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new RecordingLoadException(file, "is not UTF-8 text (" + e + "); expected a CSV recording", e);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RecordingLoadException(file, "cannot read file as UTF-8 text (" + e + ")", e);
    }
    if (columns == null || columns[0].size == 0) {
      throw new RecordingLoadException(file, "no data rows; expected at least one row of numbers");
    }
    double[][] values = new double[width][];
    for (int c = 0; c < width; c++) {
      values[c] = columns[c].toArray();
      columns[c] = null;
    }
    return new CsvTable(List.copyOf(names), values);
  }

  /** A line with nothing but blanks and delimiters, as spreadsheets write for empty rows. */
  private static boolean isBlankRow(String line) {
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (!Character.isWhitespace(ch) && ch != ',' && ch != ';') {
        return false;
      }
    }
    return true;
  }

  private static double parse(Path file, String raw, String delimiter, int lineNumber, int c, String name)
      throws RecordingLoadException {
    String field = decimalPoint(raw.trim(), delimiter);
    double value;
    try {
      value = NON_FINITE.matcher(field).matches() ? Double.NaN : Double.parseDouble(field);
    } catch (NumberFormatException e) {
      throw new RecordingLoadException(file, "line " + lineNumber + ", column " + (c + 1) + " (" + name + "): \""
          + excerpt(field) + "\" is not a number; expected a finite decimal number");
    }
    if (!Double.isFinite(value)) {
      throw new RecordingLoadException(file, "line " + lineNumber + ", column " + (c + 1) + " (" + name + "): "
          + excerpt(field) + " is not finite; expected finite samples only");
    }
    return value;
  }

  /** At most 40 characters of a field, control characters escaped: an error never echoes a file's contents. */
  static String excerpt(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length() && i < 40; i++) {
      char ch = field.charAt(i);
      out.append(ch < 0x20 || ch == 0x7f ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
    }
    return field.length() > 40 ? out + "..." : out.toString();
  }

  /** Columns a CSV recording may have: far more channels than any sensor array, far fewer than a hostile line. */
  static final int MAX_COLUMNS = 1024;
  /** Characters a line may have: a row of {@link #MAX_COLUMNS} numbers fits many times over. */
  static final int MAX_LINE_CHARS = 1 << 20;

  /** A line without its terminator (\n, \r or \r\n), at most {@link #MAX_LINE_CHARS} long; null at the end. */
  private static String readLine(Path file, BufferedReader reader, StringBuilder buffer, int lineNumber)
      throws IOException {
    buffer.setLength(0);
    int c = reader.read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n' && c != '\r') {
      if (buffer.length() == MAX_LINE_CHARS) {
        throw new RecordingLoadException(file, "line " + lineNumber + " is longer than " + MAX_LINE_CHARS
            + " characters; expected one row of numbers per line");
      }
      buffer.append((char) c);
      c = reader.read();
    }
    if (c == '\r') {
      reader.mark(1);
      if (reader.read() != '\n') {
        reader.reset();
      }
    }
    return buffer.toString();
  }

  /** A decimal comma read as a point, unless commas separate the fields. */
  private static String decimalPoint(String field, String delimiter) {
    return !",".equals(delimiter) && field.indexOf(',') >= 0 && field.indexOf('.') < 0 ? field.replace(',', '.') : field;
  }

  /**
   * A growable column of doubles in chunks that double from 256 values to 65,536 (no copying while it grows, and a
   * column of a few values costs a few KB).
   */
  private static final class Column {
    private static final int FIRST = 1 << 8;
    private static final int CHUNK = 1 << 16;
    private final List<double[]> chunks = new ArrayList<>();
    private double[] current;
    private int used;
    private int size;

    void add(double v) {
      if (current == null || used == current.length) {
        current = new double[current == null ? FIRST : Math.min(CHUNK, current.length * 2)];
        chunks.add(current);
        used = 0;
      }
      current[used++] = v;
      size++;
    }

    double[] toArray() {
      double[] out = new double[size];
      int at = 0;
      for (int k = 0; k < chunks.size(); k++) {
        double[] chunk = chunks.get(k);
        int n = Math.min(chunk.length, size - at);
        System.arraycopy(chunk, 0, out, at, n);
        at += n;
        chunks.set(k, null);
      }
      current = null;
      return out;
    }
  }

  private static String detectDelimiter(String line) {
    // "1,5  2,25" or "0  1,25": decimal commas in columns separated by spaces (European text exports); a field
    // separator would leave a comma at the end or start of a space-separated token ("1, 2"), and one value alone
    // ("1,5") stays two comma-separated fields.
    if (line.indexOf('\t') < 0 && line.indexOf(';') < 0) {
      String[] tokens = WHITESPACE.split(line.trim());
      // Whole numbers may stand among them (a time column starting at "0"); at least one decimal comma must.
      if (tokens.length > 1
          && java.util.Arrays.stream(tokens).allMatch(t -> NUMBER_OR_DECIMAL_COMMA.matcher(t).matches())
          && java.util.Arrays.stream(tokens).anyMatch(t -> t.indexOf(',') >= 0)) {
        return null;
      }
    }
    // ';' before ',' so that "1,5;2,25" (decimal commas, as European spreadsheets write) splits on ';'
    for (String candidate : new String[] {"\t", ";", ","}) {
      if (line.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String[] split(String line, String delimiter) {
    if (delimiter == null) {
      return WHITESPACE.split(line.trim());
    }
    return line.split(Pattern.quote(delimiter), -1);
  }

  private static boolean allNumeric(String[] fields, String delimiter) {
    for (String raw : fields) {
      String field = decimalPoint(raw.trim(), delimiter);
      if (NON_FINITE.matcher(field).matches()) {
        continue;
      }
      try {
        Double.parseDouble(field);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  private static String unquote(String field) {
    String s = field.trim();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    return s;
  }
}
