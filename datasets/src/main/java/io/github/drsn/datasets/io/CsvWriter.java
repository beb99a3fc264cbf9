package io.github.drsn.datasets.io;

import io.github.drsn.contract.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes comma-separated values per RFC 4180: fields containing a comma, double quote, CR or LF are
 * enclosed in double quotes with inner quotes doubled. Lines end with LF rather than RFC 4180's CRLF; every
 * CSV reader accepts it and it keeps files diff-friendly. Numbers use {@link Double#toString}, the shortest
 * decimal that reads back to the same double, so exported data round-trip exactly. Files are written
 * atomically through {@link AtomicFiles}.
 */
public final class CsvWriter {

  private CsvWriter() {}

  /** Writes a header line and then one line per row; every row must have as many fields as the header. */
  public static void write(Path file, List<String> header, Iterable<? extends List<String>> rows) throws IOException {
    AtomicFiles.write(file, out -> {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      writeLine(writer, header);
      int index = 0;
      for (List<String> row : rows) {
        if (row.size() != header.size()) {
          throw new IllegalArgumentException("row " + index + " has " + row.size() + " fields, the header has "
              + header.size());
        }
        writeLine(writer, row);
        index++;
      }
      writer.flush();
    });
  }

  /**
   * Exports windows as a table: one line per window, columns {@code s0 .. s(L−1)} with the samples and a
   * last column {@code label} with {@code labelNames[labels[i]]}.
   *
   * @throws IllegalArgumentException if there are no windows, windows differ in length, {@code labels}
   *     has a different count, or a label is not an index into {@code labelNames}
   */
  public static void writeWindows(Path file, double[][] windows, int[] labels, List<String> labelNames)
      throws IOException {
    if (windows.length == 0) {
      throw new IllegalArgumentException("no windows to export");
    }
    if (labels.length != windows.length) {
      throw new IllegalArgumentException(windows.length + " windows but " + labels.length + " labels");
    }
    int length = windows[0].length;
    for (int i = 0; i < windows.length; i++) {
      if (windows[i].length != length) {
        throw new IllegalArgumentException("window " + i + " has " + windows[i].length
            + " samples, window 0 has " + length);
      }
      if (labels[i] < 0 || labels[i] >= labelNames.size()) {
        throw new IllegalArgumentException("label " + labels[i] + " of window " + i + " is not in [0, "
            + labelNames.size() + ")");
      }
    }
    List<String> header = new ArrayList<>(length + 1);
    for (int s = 0; s < length; s++) {
      header.add("s" + s);
    }
    header.add("label");
    AtomicFiles.write(file, out -> {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      writeLine(writer, header);
      for (int i = 0; i < windows.length; i++) {
        for (double v : windows[i]) {
          writer.write(Double.toString(v));
          writer.write(',');
        }
        writer.write(quote(labelNames.get(labels[i])));
        writer.write('\n');
      }
      writer.flush();
    });
  }

  /** One CSV line (with its LF) for these fields. */
  public static String line(List<String> fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(quote(fields.get(i)));
    }
    return sb.append('\n').toString();
  }

  /** A field quoted as RFC 4180 requires, or unchanged when it needs no quotes. */
  public static String quote(String field) {
    if (field == null) {
      return "";
    }
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  private static void writeLine(Writer writer, List<String> fields) throws IOException {
    writer.write(line(fields));
  }
}
