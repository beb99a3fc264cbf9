package io.github.drsn.experiments;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.calibration.Auroc;
import io.github.drsn.runtime.calibration.Calibrator;
import io.github.drsn.runtime.calibration.FalseAlarmThreshold;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurement of the open-set protocol (issue #16) for one model trained without one class: its test windows
 * and the known classes' test windows, scored by every {@link OodMethod} against the thresholds its calibration
 * chose on the known classes' validation windows (the false-alarm rate it was chosen for, e.g. 5 %).
 * <ul>
 *   <li>{@code flag_rate}: fraction of the held-out class's test windows flagged unknown (score &gt; threshold);
 *   <li>{@code false_alarm_rate}: fraction of the known classes' test windows flagged unknown;
 *   <li>{@code auroc}: AUROC of the score separating held-out (positive) from known (negative) windows, threshold-free.
 * </ul>
 * Each row also has the calibrated model's ECE, accuracy and fault-family accuracy on the known test windows.
 *
 * <p>Every method is scored, {@link OodMethod#MAHALANOBIS_LAYERS} (single networks),
 * {@link OodMethod#RELATIVE_MAHALANOBIS} and {@link OodMethod#KNN} included: a bundle calibrated before those methods
 * existed gets their statistics and thresholds fitted here as a new bundle's would be ({@link Calibrations#withEveryMethod}), its other
 * thresholds unchanged, so that re-evaluating a kept run gives every method.
 */
public final class OpenSetEvaluation {

  /** Keys of every row (scripts read them; keep them stable). */
  public static final List<String> ROW_KEYS = List.of("dataset", "model", "method", "held_out_class", "snr_db", "seed",
      "flag_rate", "false_alarm_rate", "auroc");

  private OpenSetEvaluation() {}

  /**
   * One row per noise level and method.
   *
   * @param bundle the calibrated model, trained without {@code heldOut}
   * @param settings the run settings it was trained with (their data excludes {@code heldOut}); also those the feature
   *     methods the bundle's calibration lacks are fitted on
   * @param levels the noise levels of the test windows
   * @throws IllegalArgumentException if the bundle is not calibrated or the test region has no window of the
   *     held-out class
   */
  public static List<Map<String, Object>> rows(Bundle bundle, RunSettings settings, String heldOut,
      List<ExperimentConfig.NoiseLevels> levels, String dataset, String model, long seed)
      throws RecordingLoadException {
    return rows(bundle, settings, heldOut, levels, dataset, model, seed, new DataSources());
  }

  /** As {@link #rows(Bundle, RunSettings, String, List, String, String, long)}, the recordings from {@code sources}. */
  static List<Map<String, Object>> rows(Bundle bundle, RunSettings settings, String heldOut,
      List<ExperimentConfig.NoiseLevels> levels, String dataset, String model, long seed, DataSources sources)
      throws RecordingLoadException {
    if (bundle.calibration() == null) {
      throw new IllegalArgumentException("the open-set protocol needs a calibrated model (thresholds)");
    }
    Calibration calibration = Calibrations.withEveryMethod(bundle, settings, sources);
    DataSettings data = settings.data();
    // Every class (the held-out one too), as the model sees the data: in the order domain when it was trained so.
    WindowedDataset all = WindowedDataset.cut(settings.input().view(sources.loadAll(data)), data.splitPlan(),
        data.windowSpec());
    LeanDiagnoser diagnoser = LeanDiagnoser.of(bundle);
    long evaluationSeed = Calibrations.recordedEvaluationSeed(bundle);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ExperimentConfig.NoiseLevels level : levels) {
      InputSettings.Noise kind = InputSettings.Noise.valueOf(level.type());
      List<Double> snrs = kind == InputSettings.Noise.none ? java.util.Collections.singletonList(null) : level.snrDb();
      for (Double snr : snrs) {
        NoiseSpec noise = snr == null ? null : new NoiseSpec(kind.type(), snr);
        Calibrator.Outputs outputs = Calibrations.outputs(diagnoser, all, Region.TEST, noise, evaluationSeed);
        boolean[] everyKnown = new boolean[bundle.classes().size()];
        java.util.Arrays.fill(everyKnown, true);
        Calibrator.Outputs known = outputs.select(everyKnown);
        int[] labels = outputs.labels();
        List<Integer> unknownIndex = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
          if (labels[i] < 0) {
            unknownIndex.add(i);
          }
        }
        if (unknownIndex.isEmpty()) {
          throw new IllegalArgumentException("the test region has no window of the held-out class " + heldOut);
        }
        Calibrations.Uncertainty inDistribution = Calibrations.measure(calibration, bundle.classes(), known);
        for (OodMethod method : outputs.methods()) {
          double[] all0 = outputs.scores(method, calibration);
          double[] out = new double[unknownIndex.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = all0[unknownIndex.get(i)];
          }
          double[] in = known.scores(method, calibration);
          double threshold = calibration.thresholds().get(method);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("dataset", dataset);
          row.put("model", model);
          row.put("method", method.name().toLowerCase(java.util.Locale.ROOT));
          row.put("held_out_class", heldOut);
          row.put("snr_db", snr);
          row.put("seed", seed);
          row.put("flag_rate", FalseAlarmThreshold.flagRate(out, threshold));
          row.put("false_alarm_rate", FalseAlarmThreshold.flagRate(in, threshold));
          row.put("auroc", Auroc.of(out, in));
          row.put("threshold", threshold);
          row.put("validation_false_alarm_rate", calibration.falseAlarmRate());
          row.put("held_out_windows", out.length);
          row.put("known_windows", in.length);
          row.put("temperature", calibration.temperature());
          row.put("known_accuracy", inDistribution.accuracy());
          row.put("known_family_accuracy", inDistribution.familyAccuracy());
          row.put("known_ece_before", inDistribution.eceBefore());
          row.put("known_ece_after", inDistribution.eceAfter());
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /**
   * The Markdown summary of open-set rows (from any number of cells): per model, method and noise level the mean
   * over held-out classes (and seeds) of flag rate, false-alarm rate and AUROC, whether the target (flag ≥ 80 % at
   * ≤ 5 % false alarms) is met on average, and the AUROC of each held-out class. A method that was not scored in every
   * cell (cells evaluated before it existed) is averaged over the cells that have it, and a note under the table says
   * so: compare it with the others only over the same cells.
   */
  public static String summary(List<com.fasterxml.jackson.databind.JsonNode> rows) {
    Map<String, double[]> sums = new java.util.TreeMap<>();
    // Per key and held-out class: the sum of the AUROCs and their count (the mean over seeds).
    Map<String, Map<String, double[]>> perClass = new java.util.TreeMap<>();
    java.util.TreeSet<String> classes = new java.util.TreeSet<>();
    for (com.fasterxml.jackson.databind.JsonNode r : rows) {
      String level = r.path("snr_db").isNull() ? "clean" : r.path("snr_db").asDouble() + " dB";
      String key = r.path("model").asText() + " | " + r.path("method").asText() + " | " + level;
      double[] s = sums.computeIfAbsent(key, k -> new double[5]);
      s[0] += r.path("flag_rate").asDouble();
      s[1] += r.path("false_alarm_rate").asDouble();
      s[2] += r.path("auroc").asDouble();
      s[3] += r.path("known_ece_after").asDouble();
      s[4]++;
      classes.add(r.path("held_out_class").asText());
      double[] auroc = perClass.computeIfAbsent(key, k -> new java.util.TreeMap<>())
          .computeIfAbsent(r.path("held_out_class").asText(), c -> new double[2]);
      auroc[0] += r.path("auroc").asDouble();
      auroc[1]++;
    }
    StringBuilder md = new StringBuilder("| model | method | test noise | cells | flag rate | false alarms | AUROC |"
        + " ECE (known) | target met |\n|---|---|---|---:|---:|---:|---:|---:|---|\n");
    sums.forEach((key, s) -> {
      double flag = s[0] / s[4];
      double fa = s[1] / s[4];
      md.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.1f %% | %.1f %% | %.3f | %.2f %% | %s |\n",
          key, (int) s[4], 100 * flag, 100 * fa, s[2] / s[4], 100 * s[3] / s[4],
          flag >= 0.8 && fa <= 0.05 ? "yes" : "no"));
    });
    Map<String, Integer> most = new java.util.HashMap<>();
    sums.forEach((key, s) -> most.merge(modelAndLevel(key), (int) s[4], Math::max));
    List<String> fewer = new ArrayList<>();
    sums.forEach((key, s) -> {
      if ((int) s[4] < most.get(modelAndLevel(key))) {
        fewer.add(key + " (" + (int) s[4] + " of " + most.get(modelAndLevel(key)) + ")");
      }
    });
    if (!fewer.isEmpty()) {
      md.append("\nScored in fewer cells than the other methods (cells evaluated before the method existed; re-evaluate"
          + " them to compare over the same cells): ").append(String.join("; ", fewer)).append(".\n");
    }
    md.append("\nAUROC per held-out class:\n\n| model | method | test noise |");
    classes.forEach(c -> md.append(' ').append(c).append(" |"));
    md.append("\n|---|---|---|");
    classes.forEach(c -> md.append("---:|"));
    md.append('\n');
    perClass.forEach((key, byClass) -> {
      md.append("| ").append(key).append(" |");
      classes.forEach(c -> md.append(byClass.containsKey(c)
          ? String.format(java.util.Locale.ROOT, " %.3f |", byClass.get(c)[0] / byClass.get(c)[1]) : " |"));
      md.append('\n');
    });
    return md.toString();
  }

  /** "model | method | level" without the method. */
  private static String modelAndLevel(String key) {
    String[] parts = key.split(" \\| ");
    return parts[0] + " | " + parts[2];
  }
}
