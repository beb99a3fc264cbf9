package io.github.drsn.datasets.csv;

import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Recording}s from CSV files (format rules in {@link CsvTable}). The sampling rate is
 * stated by the caller, and checked against a column whose header names time ({@link CsvLayout}).
 *
 * <pre>{@code
 * Recording r = CsvRecordings.load(Path.of("run01.csv"), "healthy", 25_600, List.of("acc_x", "acc_y"),
 *     new OperatingCondition(0.5, 1500), HeaderMode.AUTO);
 * }</pre>
 */
public final class CsvRecordings {

  private CsvRecordings() {
  }

  /**
   * @param file the CSV file
   * @param label class name
   * @param samplingRate sampling rate in Hz
   * @param channels column names or 1-based positions to use as channels, whatever they hold; empty = every column
   *     that is not a time axis ({@link CsvLayout})
   * @param condition operating condition
   * @param header header handling
   * @return the recording, id = file name without extension
   * @throws RecordingLoadException if the file cannot be parsed, a channel is missing, or a column named as time
   *     disagrees with the rate
   */
  public static Recording load(Path file, String label, double samplingRate, List<String> channels,
      OperatingCondition condition, HeaderMode header) throws RecordingLoadException {
    CsvTable table = CsvTable.read(file, header);
    // As predict reads a recording: the channels named, else the columns that are not time axes; a column named as
    // time that disagrees with the rate is refused.
    List<Integer> columns = CsvLayout.of(file, table, samplingRate, channels).signalColumns();
    List<String> names = new ArrayList<>();
    List<double[]> samples = new ArrayList<>();
    for (int index : columns) {
      names.add(table.columnNames().get(index));
      samples.add(table.columns()[index]);
    }
    String sha256;
    try {
      sha256 = FileDigests.sha256(file);
    } catch (IOException e) {
      throw new RecordingLoadException(file, "cannot read file to hash it (" + e + ")", e);
    }
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String id = dot > 0 ? fileName.substring(0, dot) : fileName;
    try {
      return new Recording(id, label, samplingRate, names, samples.toArray(double[][]::new), condition,
          new SourceFile(file, String.join(",", names), sha256), Map.of());
    } catch (IllegalArgumentException e) {
      throw new RecordingLoadException(file, e.getMessage(), e);
    }
  }
}
