package io.github.drsn.runtime;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.signals.Normalization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Bundles of random weights written by the runtime itself (no DL4J), and test signals. */
final class TestBundles {

  static final List<String> CLASSES = List.of("normal", "inner", "outer", "ball");

  private TestBundles() {
  }

  /** A small DRSN-CW (input 512 at 12 kHz, stages 4/8/16 × 2 units, 4 classes). */
  static Path small(Path dir, String name, long seed) throws IOException {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2,
        CLASSES.size(), NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path file = dir.resolve(name);
    RandomBundles.write(file, layout, CLASSES, new InputSpec(12_000, 512, 1, Normalization.Z_SCORE,
        Representation.TIME), seed);
    return file;
  }

  /** A vibration-like signal: a few tones with amplitude modulation plus Gaussian noise. */
  static float[] signal(int n, double rate, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n];
    double f1 = 157 + random.nextInt(200);
    double f2 = 1600 + random.nextInt(2000);
    for (int i = 0; i < n; i++) {
      double t = i / rate;
      double envelope = 1 + 0.5 * Math.sin(2 * Math.PI * 29 * t);
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * f1 * t) + 0.2 * envelope * Math.sin(2 * Math.PI * f2 * t)
          + 0.2 * random.nextGaussian());
    }
    return x;
  }

  /** The samples in double precision, as recordings are given to {@link Diagnoser#diagnose}. */
  static double[] doubles(float[] samples) {
    double[] x = new double[samples.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = samples[i];
    }
    return x;
  }
}
