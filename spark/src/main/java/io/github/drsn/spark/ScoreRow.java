package io.github.drsn.spark;

import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.RecordingDiagnosis;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One row of the scoring job's table: a recording's diagnosis (window null) or one window's, or a file that could not
 * be diagnosed (error set, the diagnosis columns null). Plain Java, so that the single-JVM path and the benchmark make
 * exactly the rows the job writes; {@link ScoreTable} turns them into Spark rows.
 *
 * @param file the recording's path as listed
 * @param channel what was read: file, variable or column, and rate (SignalFiles' description)
 * @param samplingRate the recording's rate in Hz
 * @param window the window's index (null on the file's row)
 * @param windowStartSeconds the window's start from the beginning of the recording (null on the file's row)
 * @param windows windows the file was cut into (null on window rows)
 * @param diagnosis a class, or {@code unknown}, {@code uncertain}, {@code unhealthy input}
 * @param outcome classified, uncertain, unknown or unhealthy_input
 * @param candidate the class the probabilities lean to (the file's: highest mean probability), also when the outcome
 *     is uncertain or unknown, so that an archive's uncertain files can be sorted by what they resemble; null when
 *     nothing was scored
 * @param confidence mean calibrated probability of the candidate class (a window's: its top probability)
 * @param oodScore the out-of-distribution score (the median over healthy windows on a file row), null when the model
 *     is uncalibrated or nothing was scored
 * @param health input-health findings: {@code issue=windows} joined by {@code ;} on a file row, the issues on a
 *     window row, empty when healthy
 * @param resampled whether the recording was resampled to the model's rate
 * @param modelId the model as the job was given it (its path)
 * @param modelSha256 SHA-256 of the bundle's bytes
 * @param error why the file could not be diagnosed, else null
 */
public record ScoreRow(String file, String channel, Double samplingRate, Integer window, Double windowStartSeconds,
    Integer windows, String diagnosis, String outcome, String candidate, Double confidence, Double oodScore, String health,
    Boolean resampled, String modelId, String modelSha256, String error) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The row of a file that could not be read or diagnosed. */
  public static ScoreRow error(String file, String modelId, String modelSha256, String error) {
    return new ScoreRow(file, null, null, null, null, null, null, null, null, null, null, null, null, modelId,
        modelSha256, error);
  }

  /**
   * The file's row, then (with {@code perWindow}) one row per window, of a diagnosed recording.
   */
  public static List<ScoreRow> of(String file, String channel, RecordingDiagnosis result, List<String> classes,
      boolean perWindow, String modelId, String modelSha256) {
    List<ScoreRow> rows = new ArrayList<>(perWindow ? result.windows().size() + 1 : 1);
    String health = result.health().entrySet().stream()
        .map(e -> name(e.getKey()) + "=" + e.getValue()).collect(Collectors.joining(";"));
    rows.add(new ScoreRow(file, channel, result.samplingRate(), null, null, result.windows().size(), result.label(),
        name(result.outcome()), className(classes, result.candidate()), finite(result.confidence()), finite(result.medianOodScore()), health,
        result.resampled(), modelId, modelSha256, null));
    if (perWindow) {
      int index = 0;
      for (RecordingDiagnosis.Window w : result.windows()) {
        Diagnosis d = w.diagnosis();
        boolean scored = d.labelIndex() >= 0;
        rows.add(new ScoreRow(file, channel, result.samplingRate(), index++, w.startSeconds(), null, d.label(),
            name(d.outcome()), scored ? className(classes, d.labelIndex()) : null, scored ? finite(d.confidence()) : null, scored ? finite(d.oodScore()) : null,
            d.health().issues().stream().sorted().map(ScoreRow::name).collect(Collectors.joining(";")),
            result.resampled(), modelId, modelSha256, null));
      }
    }
    return rows;
  }

  private static String className(List<String> classes, int index) {
    return index >= 0 ? classes.get(index) : null;
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** NaN (no healthy window, an uncalibrated model) is a missing value in the table, not a number. */
  private static Double finite(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
