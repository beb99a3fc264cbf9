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
