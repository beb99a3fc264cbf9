package io.github.drsn.model.layers.impl;

import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.NativeBackend;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Paired speed comparison of a FLOAT DRSN-CW training step with float32 convolutions ({@link FloatConv}) and with the
 * double ones, in one JVM, alternating blocks of steps so that both see the same machine load (the bench's A/B
 * across JVMs is at the mercy of a shared machine's load). Prints the median step time of each and their ratio.
 * With the argument {@code conv}, times one convolution per DRSN-CW shape instead ({@link #convolutions}).
 * Not a test: {@code java --add-modules jdk.incubator.vector -cp <test classpath> ...FloatPathSpeed [rounds] [steps]}.
 */
public final class FloatPathSpeed {

  private FloatPathSpeed() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("conv")) {
      convolutions();
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    NativeBackend.configure();
    NativeBackend.setComputeThreads(2);
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CW, ModelSpec.paper(10));
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(DataType.FLOAT, 128, 1, 1, 2048);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 128, 10);
    for (int i = 0; i < 128; i++) {
      y.putScalar(i, i % 10, 1.0);
    }
    DataSet batch = new DataSet(x, y);
    for (int i = 0; i < 10; i++) {
      Kernels.useVectorFloat(i % 2 == 0);
      net.fit(batch);
    }
    boolean profile = Boolean.getBoolean("profile");
    Phases.enable(profile);
    long[][] phaseNanos = new long[2][Phases.Phase.values().length];
    double[][] ms = new double[2][rounds];
    double[][] cpu = new double[2][rounds];
    var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < rounds; r++) {
      for (int v = 0; v < 2; v++) {
        Kernels.useVectorFloat(v == 0);
        Phases.reset();
        long c0 = bean.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
          net.fit(batch);
        }
        ms[v][r] = (System.nanoTime() - t0) / 1e6 / steps;
        cpu[v][r] = (bean.getProcessCpuTime() - c0) / 1e6 / steps;
        for (var e : Phases.totals().entrySet()) {
          phaseNanos[v][e.getKey().ordinal()] += e.getValue();
        }
      }
    }
    String[] names = {"float32 convolutions", "double convolutions"};
    if (profile) {
      for (Phases.Phase p : Phases.Phase.values()) {
        System.out.printf(Locale.ROOT, "%-80s float %8.2f  double %8.2f ms/step%n", p.label(),
            phaseNanos[0][p.ordinal()] / 1e6 / rounds / steps, phaseNanos[1][p.ordinal()] / 1e6 / rounds / steps);
      }
    }
    for (int v = 0; v < 2; v++) {
      Arrays.sort(ms[v]);
      Arrays.sort(cpu[v]);
      System.out.printf(Locale.ROOT, "%-22s median %.1f ms/step wall (%.0f windows/s), %.1f ms CPU/step%n", names[v],
          ms[v][rounds / 2], 128 * 1000 / ms[v][rounds / 2], cpu[v][rounds / 2]);
    }
    System.out.printf(Locale.ROOT, "ratio double/float: wall %.3f, CPU %.3f (%d rounds of %d steps, batch 128, %d threads,"
        + " load %s)%n", ms[1][rounds / 2] / ms[0][rounds / 2], cpu[1][rounds / 2] / cpu[0][rounds / 2], rounds, steps,
        NativeBackend.computeThreads(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Forward and backward (weights and input) of one convolution (kernel 3) per sample, in the shapes of DRSN-CW's
   * stages, float32 against double, one thread, CPU time per sample (median of 15 alternating rounds); the data
   * stays in cache, so this is the arithmetic alone, without a training step's memory traffic.
   */
  static void convolutions() {
    var mx = ManagementFactory.getThreadMXBean();
    int[][] shapes = {{1024, 4, 4, 2}, {512, 4, 4, 1}, {256, 8, 8, 1}, {128, 16, 16, 1}};
    int n = 32;
    int reps = 20;
    int rounds = 15;
    for (int[] shape : shapes) {
      int length = shape[0];
      int cIn = shape[1];
      int cOut = shape[2];
      int stride = shape[3];
      java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
      int outLength = Kernels.outLength(length, stride);
      double[] x = rng.doubles(n * cIn * length, -1, 1).toArray();
      double[] w = rng.doubles(cOut * cIn * 3, -1, 1).toArray();
      double[] b = rng.doubles(cOut, -1, 1).toArray();
      double[] g = rng.doubles(n * cOut * outLength, -1, 1).toArray();
      double[] y = new double[g.length];
      double[] gi = new double[x.length];
      double[] gw = new double[w.length];
      double[][] forward = new double[2][rounds];
      double[][] backward = new double[2][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int v = 0; v < 2; v++) {
          Kernels.Conv conv = Kernels.Conv.of(w, b, cIn, cOut, 3, stride, length, v == 0);
          Kernels.Conv.Scratch sc = conv.scratch();
          long t0 = mx.getCurrentThreadCpuTime();
          for (int rep = 0; rep < reps; rep++) {
            for (int s = 0; s < n; s++) {
              conv.forward(x, s * cIn * length, y, s * cOut * outLength, sc);
            }
          }
          long t1 = mx.getCurrentThreadCpuTime();
          for (int rep = 0; rep < reps; rep++) {
            for (int s = 0; s < n; s++) {
              conv.backward(x, s * cIn * length, g, s * cOut * outLength, gi, s * cIn * length, gw, null, sc);
            }
          }
          long t2 = mx.getCurrentThreadCpuTime();
          forward[v][r] = (t1 - t0) / 1e3 / reps / n;
          backward[v][r] = (t2 - t1) / 1e3 / reps / n;
        }
      }
      for (double[] a : new double[][] {forward[0], forward[1], backward[0], backward[1]}) {
        Arrays.sort(a);
      }
      int m = rounds / 2;
      System.out.printf(Locale.ROOT, "L=%4d C=%2d->%2d stride %d: forward float %.2f us, double %.2f us (%.2fx);"
          + " backward float %.2f us, double %.2f us (%.2fx)%n", length, cIn, cOut, stride, forward[0][m],
          forward[1][m], forward[1][m] / forward[0][m], backward[0][m], backward[1][m],
          backward[1][m] / backward[0][m]);
    }
  }
}
