package io.github.drsn.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.experiments.report.Plots;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.NoiseType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the shrinkage thresholds learn (issue #18): the same test windows, at Gaussian SNRs from −10 dB to clean,
 * through trained DRSN models; per residual shrinkage unit, the mean of τ ÷ mean|y| (the learned scale α of the
 * threshold τ = α·mean|y|, Zhao et al. 2020, eq. 8) and the fraction of features the soft threshold sets to zero,
 * averaged over the windows. If the thresholds track the noise as the paper argues, both should grow as the SNR
 * falls. Each model is scored on the data, split and evaluation seed its bundle records.
 *
 * <pre>java -cp "$(cat cli/target/classpath.txt):cli/target/drsn-cli.jar" io.github.drsn.experiments.ThresholdsVsSnr \
 *     OUT_DIR MODEL.drsn...</pre>
 * writes {@code thresholds_vs_snr.json} and two PNGs per model, {@code threshold_ratio_vs_snr_modelN.png} and
 * {@code zeroed_fraction_vs_snr_modelN.png} (clean is in the JSON; the plots show the dB levels).
 */
public final class ThresholdsVsSnr {

  /** The SNR levels in dB; clean is measured as well. */
  static final double[] LEVELS = {-10, -8, -6, -4, -2, 0, 4, 8, 12};

  private ThresholdsVsSnr() {
  }

  /** Sums of one unit's probe values. */
  private static final class UnitSums {
    double ratio;
    double zeroed;
    long windows;
  }

  /**
   * @param args the output folder, then one or more model bundles
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ThresholdsVsSnr OUT_DIR MODEL.drsn...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    ObjectMapper json = JsonMappers.indented();
    ObjectNode root = json.createObjectNode();
    root.put("what", "per shrinkage unit, mean over the test windows of tau / mean|y| and of the zeroed fraction");
    ArrayNode models = root.putArray("models");
    for (int m = 1; m < args.length; m++) {
      Map<String, List<Plots.SnrPoint>> ratioSeries = new LinkedHashMap<>();
      Map<String, List<Plots.SnrPoint>> zeroedSeries = new LinkedHashMap<>();
      Path modelFile = Path.of(args[m]);
      LeanDiagnoser diagnoser = LeanDiagnoser.load(modelFile);
      RunSettings settings = RunSettings.recordedIn(diagnoser.bundle(), modelFile);
      if (settings == null) {
        throw new IllegalArgumentException(modelFile + " records no run settings; expected a bundle of drsn train");
      }
      WindowedDataset windows = settings.data().loadWindows();
      long seed = Calibrations.recordedEvaluationSeed(diagnoser.bundle());
      ObjectNode model = models.addObject();
      model.put("model", modelFile.toString());
      model.put("trained", settings.input().describe());
      ArrayNode levels = model.putArray("levels");
      List<Double> all = new ArrayList<>();
      for (double level : LEVELS) {
        all.add(level);
      }
      all.add(Double.POSITIVE_INFINITY);
      for (double level : all) {
        NoiseSpec noise = Double.isInfinite(level) ? null : new NoiseSpec(NoiseType.GAUSSIAN, level);
        List<UnitSums> units = new ArrayList<>();
        float[] p = new float[diagnoser.classes().size()];
        Evaluation.forEachWindow(diagnoser.inputSpec(), windows, Region.TEST, noise, seed, (w, input) ->
            diagnoser.predict(input, p, (unit, meanThreshold, meanAbsFeature, zeroedFraction) -> {
              while (units.size() <= unit) {
                units.add(new UnitSums());
              }
              UnitSums u = units.get(unit);
              u.ratio += meanAbsFeature > 0 ? meanThreshold / meanAbsFeature : 0;
              u.zeroed += zeroedFraction;
              u.windows++;
            }));
        ObjectNode point = levels.addObject();
        if (Double.isInfinite(level)) {
          point.putNull("snr_db");
        } else {
          point.put("snr_db", level);
        }
        ArrayNode ratio = point.putArray("threshold_over_mean_abs");
        ArrayNode zeroed = point.putArray("zeroed_fraction");
        for (int u = 0; u < units.size(); u++) {
          UnitSums s = units.get(u);
          ratio.add(s.ratio / s.windows);
          zeroed.add(s.zeroed / s.windows);
          if (!Double.isInfinite(level)) {
            String name = String.format(Locale.ROOT, "unit %d", u + 1);
            ratioSeries.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new Plots.SnrPoint(level, s.ratio / s.windows, Double.NaN));
            zeroedSeries.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new Plots.SnrPoint(level, 100 * s.zeroed / s.windows, Double.NaN));
          }
        }
        System.err.printf(Locale.ROOT, "%s at %s: %d units%n", modelFile, Double.isInfinite(level) ? "clean"
            : level + " dB", units.size());
      }
      String tag = "model" + m;
      String trained = "trained " + settings.input().describe();
      Plots.metricVsSnr(out.resolve("threshold_ratio_vs_snr_" + tag + ".png"),
          "tau / mean|y| per shrinkage unit (" + trained + ")", "tau / mean|y|", ratioSeries);
      Plots.metricVsSnr(out.resolve("zeroed_fraction_vs_snr_" + tag + ".png"),
          "Features set to zero per unit (" + trained + ")", "zeroed (%)", zeroedSeries);
      model.put("plots", tag);
    }
    AtomicFiles.writeString(out.resolve("thresholds_vs_snr.json"), json.writeValueAsString(root));
  }
}
