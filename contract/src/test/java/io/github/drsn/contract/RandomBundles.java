package io.github.drsn.contract;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bundles of random parameters, for tests and benchmarks that need a model file but not a trained model (shipped
 * in this module's test jar, never in a runtime jar): He-scaled random weights, batch-norm statistics drawn away
 * from 0/1 so that folding them is exercised.
 */
public final class RandomBundles {

  private RandomBundles() {
  }

  /** The paper's Table II network (input 1×2048 at 12 kHz, stages 4/8/16 × 4 units, kernel 3, stem /2) for 10 classes. */
  public static ModelLayout paperLayout(Architecture architecture) {
    return new ModelLayout(architecture, 2048, 1, new int[] {4, 8, 16}, 4, 3, 2, 10, NormKind.BATCH_NORM, 4,
        Shortcut.ZERO_PAD);
  }

  /** A float32 bundle of {@code layout} with random parameters drawn from {@code seed}. */
  public static Bundle random(ModelLayout layout, List<String> classes, InputSpec input, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] flat = new double[layout.parameterCount()];
    int at = 0;
    for (ModelLayout.Param p : layout.parameters()) {
      String name = p.name().substring(p.name().indexOf('_') + 1);
      int fanIn = p.shape().length == 4 ? p.shape()[1] * p.shape()[3] : p.shape()[0];
      for (int i = 0; i < p.size(); i++) {
        double v;
        if (name.endsWith("Var")) {
          v = 0.5 + random.nextDouble();
        } else if (name.endsWith("Gamma")) {
          v = 0.8 + 0.4 * random.nextDouble();
        } else if (name.endsWith("Mean") || name.endsWith("Beta") || name.endsWith("b")) {
          v = 0.1 * random.nextGaussian();
        } else {
          v = random.nextGaussian() * Math.sqrt(2.0 / fanIn);
        }
        flat[at++] = (float) v;
      }
    }
    return new Bundle(layout, classes, input, Bundle.Precision.FLOAT, flat, "test",
        Instant.parse("2026-01-01T00:00:00Z"), Map.of(), Map.of(), Map.of());
  }

  /**
   * A plausible calibration section for a single network of {@code layout}: T = 1.5, thresholds for every method,
   * Mahalanobis statistics with random class means and a diagonally dominant symmetric precision matrix, and as many
   * for every layer of the layer ensemble (distance means and standard deviations of a few units), and a one-mean
   * background Gaussian of the pooled features for the relative Mahalanobis distance.
   */
  public static Calibration calibration(ModelLayout layout, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] widths = Calibration.LayerEnsemble.widths(layout);
    Calibration.Mahalanobis pooled = gaussian(layout.classes(), widths[widths.length - 1], random);
    List<Calibration.Mahalanobis> layers = new java.util.ArrayList<>();
    double[] mean = new double[widths.length];
    double[] sd = new double[widths.length];
    for (int l = 0; l < widths.length; l++) {
      layers.add(gaussian(layout.classes(), widths[l], random));
      mean[l] = widths[l] + random.nextDouble();
      sd[l] = 1 + random.nextDouble();
    }
    Map<OodMethod, Double> thresholds = new java.util.EnumMap<>(OodMethod.class);
    thresholds.put(OodMethod.MAX_SOFTMAX, -0.6);
    thresholds.put(OodMethod.ENERGY, -1.25);
    thresholds.put(OodMethod.MAHALANOBIS, 3.5);
    thresholds.put(OodMethod.MAHALANOBIS_LAYERS, 4.25);
    thresholds.put(OodMethod.RELATIVE_MAHALANOBIS, 2.75);
    Calibration.Mahalanobis background = gaussian(1, widths[widths.length - 1], random);
    return new Calibration(1.5, OodMethod.MAHALANOBIS, thresholds, 0.05, "validation windows of a test", 300, 0.08,
        0.015, 0.4, 0.3, pooled, new Calibration.LayerEnsemble(layers, mean, sd), background, null);
  }

  private static Calibration.Mahalanobis gaussian(int classes, int d, SplittableRandom random) {
    double[][] means = new double[classes][d];
    for (double[] row : means) {
      for (int i = 0; i < d; i++) {
        row[i] = random.nextDouble();
      }
    }
    double[] precision = new double[d * d];
    for (int i = 0; i < d; i++) {
      precision[i * d + i] = 2 + random.nextDouble();
      for (int j = 0; j < i; j++) {
        double v = 0.1 * random.nextGaussian();
        precision[i * d + j] = v;
        precision[j * d + i] = v;
      }
    }
    return new Calibration.Mahalanobis(means, precision);
  }

  /**
   * Writes a random bundle to {@code file}.
   *
   * @return the parameters written, in flat order, as float32
   */
  public static float[] write(Path file, ModelLayout layout, List<String> classes, InputSpec input, long seed)
      throws IOException {
    Bundle bundle = random(layout, classes, input, seed);
    bundle.write(file);
    return bundle.floatParameters();
  }
}
