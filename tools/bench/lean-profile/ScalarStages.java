package io.github.drsn.runtime.impl;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.util.List;
import java.util.Random;

/**
 * Where the scalar forward pass of {@link LeanNetwork} spends its time, per stage of every unit (in this package for
 * its package-private parts): norm1 + ReLU into conv1's taps, conv1, conv2's taps, conv2, and the rest of the unit
 * (thresholds, soft threshold, shortcut) as the whole unit minus those. Each figure is the minimum over 60 batches of
 * 200 calls, in µs, which filters out the time other processes take on a shared machine. Run it against main's jars,
 * or the branch with -Ddrsn.vector=false (docs/results/bench/lean/README.md has the commands).
 */
public final class ScalarStages {

  private ScalarStages() {
  }

  static double time(Runnable r, int warmUp) {
    for (int i = 0; i < warmUp; i++) {
      r.run();
    }
    double best = Double.MAX_VALUE;
    for (int k = 0; k < 60; k++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        r.run();
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e3 / 200);
    }
    return best;
  }

  /** The paper's network of {@code architecture} with random weights (seed 1), as LeanBenchmark measures it. */
  static LeanNetwork paperNetwork(String architecture) {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.parse(architecture));
    Bundle bundle = RandomBundles.random(layout, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 1);
    return new LeanNetwork(layout, bundle.floatParameters());
  }

  /** 2048 standard Gaussian samples (seed 3). */
  static float[] window() {
    float[] in = new float[2048];
    Random random = new Random(3);
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) random.nextGaussian();
    }
    return in;
  }

  public static void main(String[] args) throws ReflectiveOperationException {
    LeanNetwork net = paperNetwork(args.length > 0 ? args[0] : "drsn-cw");
    LeanNetwork.Scratch s = net.newScratch();
    float[] in = window();
    float[] p = new float[10];
    int warmUp = 5000;
    System.out.printf("forward pass %.2f us%n", time(() -> net.forward(in, s, p), warmUp));
    java.lang.reflect.Field f = LeanNetwork.class.getDeclaredField("units");
    f.setAccessible(true);
    LeanNetwork.Unit[] units = (LeanNetwork.Unit[]) f.get(net);
    f = LeanNetwork.class.getDeclaredField("stem");
    f.setAccessible(true);
    LeanNetwork.Conv stem = (LeanNetwork.Conv) f.get(net);
    System.arraycopy(in, 0, s.x[0], 0, 2048);
    double stemTime = time(() -> {
      stem.taps(s.x, 1, 2048, null, null, false, s);
      stem.apply(s.taps, s.y, 1024);
    }, warmUp);
    System.out.printf("stem %.2f us%n", stemTime);
    float[][] x = s.y;
    float[][] y = s.x;
    int length = 1024;
    double sum = stemTime;
    double[] total = new double[5];
    for (int u = 0; u < units.length; u++) {
      LeanNetwork.Unit unit = units[u];
      float[][] xx = new float[x.length][];
      float[][] yy = new float[y.length][];
      for (int c = 0; c < x.length; c++) {
        xx[c] = x[c].clone();
        yy[c] = y[c].clone();
      }
      int inLength = length;
      int out = unit.conv1.outLength(length);
      double whole = time(() -> unit.forward(xx, inLength, yy, s, null, 0), warmUp);
      double taps1 = time(() -> {
        unit.norm1.coefficients(xx, inLength, s.a, s.b);
        unit.conv1.taps(xx, unit.cin, inLength, s.a, s.b, true, s);
      }, warmUp);
      unit.norm1.coefficients(xx, inLength, s.a, s.b);
      unit.conv1.taps(xx, unit.cin, inLength, s.a, s.b, true, s);
      double conv1 = time(() -> unit.conv1.apply(s.taps, s.mid, out), warmUp);
      double taps2 = time(() -> unit.conv2.taps(s.mid, unit.cout, out, null, null, true, s), warmUp);
      double conv2 = time(() -> unit.conv2.apply(s.taps, yy, out), warmUp);
      double rest = whole - taps1 - conv1 - taps2 - conv2;
      System.out.printf("unit %2d %2d->%2d channels, length %4d->%4d: whole %6.2f, taps1 %5.2f, conv1 %5.2f,"
          + " taps2 %5.2f, conv2 %5.2f, rest %5.2f us%n", u, unit.cin, unit.cout, inLength, out, whole, taps1, conv1,
          taps2, conv2, rest);
      total[0] += taps1;
      total[1] += conv1;
      total[2] += taps2;
      total[3] += conv2;
      total[4] += rest;
      sum += whole;
      unit.forward(x, inLength, y, s, null, 0);
      float[][] t = x;
      x = y;
      y = t;
      length = out;
    }
    System.out.printf("stem + units %.2f us: taps1 %.2f, conv1 %.2f, taps2 %.2f, conv2 %.2f, rest %.2f us%n", sum,
        total[0], total[1], total[2], total[3], total[4]);
  }
}
