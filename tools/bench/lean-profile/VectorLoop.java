package io.github.drsn.runtime.impl;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Forward passes of the paper's network in a loop (the vector pass when the module is present), for a sampling
 * profile of the pass (JFR, command in docs/results/bench/lean/README.md): prints µs and bytes allocated per pass over
 * rounds of N passes, then the minimum, 10th percentile and median over 300 batches of 100 passes.
 * Usage: VectorLoop MODEL N.
 */
public final class VectorLoop {

  private VectorLoop() {
  }

  public static void main(String[] args) {
    LeanNetwork net = ScalarStages.paperNetwork(args[0]);
    LeanNetwork.Scratch s = net.newScratch();
    float[] in = ScalarStages.window();
    float[] p = new float[10];
    int n = Integer.parseInt(args[1]);
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int round = 0; round < 5; round++) {
      long a0 = bean.getThreadAllocatedBytes(id);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        net.forward(in, s, p);
      }
      long t1 = System.nanoTime();
      System.out.printf("%.2f us per pass, %.1f bytes per pass%n", (t1 - t0) / 1e3 / n,
          (bean.getThreadAllocatedBytes(id) - a0) / (double) n);
    }
    double[] batches = new double[300];
    for (int k = 0; k < batches.length; k++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        net.forward(in, s, p);
      }
      batches[k] = (System.nanoTime() - t0) / 1e3 / 100;
    }
    Arrays.sort(batches);
    System.out.printf("min of batches %.2f us, p10 %.2f, median %.2f%n", batches[0], batches[30], batches[150]);
  }
}
