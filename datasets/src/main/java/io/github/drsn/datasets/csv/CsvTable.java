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
 * the first line; with tab or {@code ;} delimiters a decimal comma ({@code 1,5}) is read as a decimal
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
    List<String> lines;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      lines = reader.lines().toList();
    } catch (NoSuchFileException e) {
      throw new RecordingLoadException(file, "file does not exist; expected a CSV recording", e);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RecordingLoadException(file, "cannot read file as UTF-8 text (" + e + ")", e);
    }
    if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      lines = new ArrayList<>(lines);
      lines.set(0, lines.get(0).substring(1));
    }
    int last = lines.size() - 1;
    while (last >= 0 && lines.get(last).isBlank()) {
      last--;
    }
    String delimiter = null;
    List<String> names = null;
    int width = -1;
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i <= last; i++) {
      String line = lines.get(i);
      int lineNumber = i + 1;
      if (line.startsWith("#")) {
        continue;
      }
      if (line.isBlank()) {
        if (names == null && rows.isEmpty()) {
          continue;
        }
        throw new RecordingLoadException(file, "line " + lineNumber + " is empty but more data follows; expected "
            + "one row per sample (only trailing empty lines are ignored)");
      }
      if (delimiter == null) {
        delimiter = detectDelimiter(line);
      }
      String[] fields = split(line, delimiter);
      if (width < 0) {
        width = fields.length;
        boolean isHeader = switch (header) {
          case PRESENT -> true;
          case ABSENT -> false;
          case AUTO -> !allNumeric(fields);
        };
        names = new ArrayList<>();
        for (int c = 0; c < width; c++) {
          names.add(isHeader ? unquote(fields[c]) : "col" + (c + 1));
        }
        if (isHeader) {
          continue;
        }
      }
      if (fields.length != width) {
        throw new RecordingLoadException(file, "line " + lineNumber + " has " + fields.length + " fields, expected "
            + width + " like the first row");
      }
      double[] row = new double[width];
      for (int c = 0; c < width; c++) {
        String field = fields[c].trim();
        if (!",".equals(delimiter) && field.indexOf(',') >= 0 && field.indexOf('.') < 0) {
          field = field.replace(',', '.');
        }
        double value;
        try {
          value = NON_FINITE.matcher(field).matches() ? Double.NaN : Double.parseDouble(field);
        } catch (NumberFormatException e) {
          throw new RecordingLoadException(file, "line " + lineNumber + ", column " + (c + 1) + " (" + names.get(c)
              + "): \"" + field + "\" is not a number; expected a finite decimal number");
        }
        if (!Double.isFinite(value)) {
          throw new RecordingLoadException(file, "line " + lineNumber + ", column " + (c + 1) + " (" + names.get(c)
              + "): " + field + " is not finite; expected finite samples only");
        }
        row[c] = value;
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new RecordingLoadException(file, "no data rows; expected at least one row of numbers");
    }
    double[][] columns = new double[width][rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      double[] row = rows.get(r);
      for (int c = 0; c < width; c++) {
        columns[c][r] = row[c];
      }
    }
    return new CsvTable(List.copyOf(names), columns);
  }

  private static String detectDelimiter(String line) {
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

  private static boolean allNumeric(String[] fields) {
    for (String field : fields) {
      if (NON_FINITE.matcher(field.trim()).matches()) {
        continue;
      }
      try {
        Double.parseDouble(field.trim());
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
