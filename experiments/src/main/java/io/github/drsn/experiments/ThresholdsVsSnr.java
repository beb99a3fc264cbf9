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
import io.github.drsn.model.eval.Summary;
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
 * falls. Each bundle is scored on the data, split and evaluation seed it records.
 *
 * <p>A model is given as one or more bundles, one per training seed, separated by commas; its curves are the mean
 * over the seeds with ± one sample standard deviation across them (none for one seed), and the JSON keeps every
 * seed's values.
 *
 * <pre>java -cp "$(cat cli/target/classpath.txt):cli/target/drsn-cli.jar" io.github.drsn.experiments.ThresholdsVsSnr \
 *     OUT_DIR SEED1.drsn,SEED2.drsn,SEED3.drsn [OTHER_MODEL_SEED1.drsn,…]…</pre>
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
   * One bundle's means: {@code ratio[level][unit]} and {@code zeroed[level][unit]}, levels as {@link #levels()}.
   *
   * @param trained what the bundle was trained on, for titles
   * @param windows test windows probed at each level
   */
  record Probe(String trained, double[][] ratio, double[][] zeroed, int windows) {}

  /** {@link #LEVELS}, then clean (+∞). */
  static List<Double> levels() {
    List<Double> all = new ArrayList<>();
    for (double level : LEVELS) {
      all.add(level);
    }
    all.add(Double.POSITIVE_INFINITY);
    return all;
  }

  /**
   * @param args the output folder, then one or more models, each one bundle or several (seeds) joined by commas
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ThresholdsVsSnr OUT_DIR MODEL.drsn[,SEED2.drsn,...]...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    ObjectMapper json = JsonMappers.indented();
    ObjectNode root = json.createObjectNode();
    root.put("what", "per shrinkage unit, mean over the test windows of tau / mean|y| and of the zeroed fraction;"
        + " per model the mean and sample standard deviation over its seeds, and every seed's values");
    ArrayNode models = root.putArray("models");
    List<Double> levels = levels();
    for (int m = 1; m < args.length; m++) {
      List<Path> bundles = new ArrayList<>();
      for (String part : args[m].split(",")) {
        bundles.add(Path.of(part.trim()));
      }
      List<Probe> probes = new ArrayList<>();
      for (Path bundle : bundles) {
        probes.add(probe(bundle, levels));
      }
      String trained = probes.get(0).trained();
      for (int i = 1; i < probes.size(); i++) {
        if (!probes.get(i).trained().equals(trained)) {
          throw new IllegalArgumentException(bundles.get(i) + " was trained " + probes.get(i).trained() + ", but "
              + bundles.get(0) + " " + trained + "; the seeds of one model must share their training input");
        }
      }
      ObjectNode model = models.addObject();
      ArrayNode seeds = model.putArray("seeds");
      bundles.forEach(b -> seeds.add(b.toString()));
      model.put("trained", trained);
      ArrayNode points = model.putArray("levels");
      Map<String, List<Plots.SnrPoint>> ratioSeries = new LinkedHashMap<>();
      Map<String, List<Plots.SnrPoint>> zeroedSeries = new LinkedHashMap<>();
      for (int l = 0; l < levels.size(); l++) {
        double level = levels.get(l);
        ObjectNode point = points.addObject();
        if (Double.isInfinite(level)) {
          point.putNull("snr_db");
        } else {
          point.put("snr_db", level);
        }
        int units = probes.get(0).ratio()[l].length;
        ArrayNode ratioMean = point.putArray("threshold_over_mean_abs");
        ArrayNode ratioStd = point.putArray("threshold_over_mean_abs_std");
        ArrayNode zeroedMean = point.putArray("zeroed_fraction");
        ArrayNode zeroedStd = point.putArray("zeroed_fraction_std");
        ArrayNode perSeed = point.putArray("per_seed");
        for (Probe p : probes) {
          ObjectNode one = perSeed.addObject();
          one.set("threshold_over_mean_abs", json.valueToTree(p.ratio()[l]));
          one.set("zeroed_fraction", json.valueToTree(p.zeroed()[l]));
        }
        for (int u = 0; u < units; u++) {
          double[] ratio = new double[probes.size()];
          double[] zeroed = new double[probes.size()];
          for (int k = 0; k < probes.size(); k++) {
            ratio[k] = probes.get(k).ratio()[l][u];
            zeroed[k] = probes.get(k).zeroed()[l][u];
          }
          Summary r = Summary.of(ratio);
          Summary z = Summary.of(zeroed);
          ratioMean.add(r.mean());
          zeroedMean.add(z.mean());
          // One seed has no spread: null in the JSON, no error bar in the plot.
          ratioStd.add(Double.isNaN(r.std()) ? null : r.std());
          zeroedStd.add(Double.isNaN(z.std()) ? null : z.std());
          if (!Double.isInfinite(level)) {
            String name = String.format(Locale.ROOT, "unit %d", u + 1);
            ratioSeries.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new Plots.SnrPoint(level, r.mean(), r.std()));
            zeroedSeries.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new Plots.SnrPoint(level, 100 * z.mean(), 100 * z.std()));
          }
        }
      }
      String tag = "model" + m;
      String seedNote = probes.size() == 1 ? "1 seed" : probes.size() + " seeds, mean +- std";
      String title = "trained " + trained + "; " + seedNote;
      Plots.metricVsSnr(out.resolve("threshold_ratio_vs_snr_" + tag + ".png"),
          "tau / mean|y| per shrinkage unit (" + title + ")", "tau / mean|y|", ratioSeries);
      Plots.metricVsSnr(out.resolve("zeroed_fraction_vs_snr_" + tag + ".png"),
          "Features set to zero per unit (" + title + ")", "zeroed (%)", zeroedSeries);
      model.put("plots", tag);
    }
    AtomicFiles.writeString(out.resolve("thresholds_vs_snr.json"), json.writeValueAsString(root));
  }

  /** One bundle's probe means at every level, on the test windows its run settings record. */
  static Probe probe(Path modelFile, List<Double> levels) throws Exception {
    LeanDiagnoser diagnoser = LeanDiagnoser.load(modelFile);
    RunSettings settings = RunSettings.recordedIn(diagnoser.bundle(), modelFile);
    if (settings == null) {
      throw new IllegalArgumentException(modelFile + " records no run settings; expected a bundle of drsn train");
    }
    // The data as the model sees it (in the order domain for an order-domain model).
    WindowedDataset windows = settings.loadWindows();
    long seed = Calibrations.recordedEvaluationSeed(diagnoser.bundle());
    double[][] ratio = new double[levels.size()][];
    double[][] zeroed = new double[levels.size()][];
    for (int l = 0; l < levels.size(); l++) {
      double level = levels.get(l);
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
      ratio[l] = new double[units.size()];
      zeroed[l] = new double[units.size()];
      for (int u = 0; u < units.size(); u++) {
        ratio[l][u] = units.get(u).ratio / units.get(u).windows;
        zeroed[l][u] = units.get(u).zeroed / units.get(u).windows;
      }
      System.err.printf(Locale.ROOT, "%s at %s: %d units%n", modelFile, Double.isInfinite(level) ? "clean"
          : level + " dB", units.size());
    }
    return new Probe(settings.input().describe(), ratio, zeroed, windows.windows(Region.TEST).size());
  }
}
