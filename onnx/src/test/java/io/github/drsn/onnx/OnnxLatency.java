package io.github.drsn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.impl.LeanNetwork;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Batch-1 latency of the exported graph in ONNX Runtime (one intra-op thread) next to the lean runtime's, for the
 * paper's networks with random parameters: median and p90 of {@code runs} timed forward passes after
 * {@code warmup} untimed ones, on the preprocessed input (no preprocessing timed). A plain main, not a test: no
 * test asserts a speed. Run from the module's test class path:
 * <pre>
 *   java -cp onnx/target/test-classes:onnx/target/classes:$(cat /tmp/cp.txt) io.github.drsn.onnx.OnnxLatency [runs]
 * </pre>
 */
public final class OnnxLatency {

  private OnnxLatency() {
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = runs / 2;
    System.out.printf("batch-1 latency, ms (median / p90 of %d runs after %d warm-up), %d processors%n", runs, warmup,
        Runtime.getRuntime().availableProcessors());
    for (Architecture a : List.of(Architecture.DRSN_CW, Architecture.DRSN_CS, Architecture.RESNET,
        Architecture.CONVNET)) {
      ModelLayout layout = RandomBundles.paperLayout(a);
      Bundle bundle = OnnxExporterTest.bundle(layout, 1);
      float[] x = OnnxExporterTest.randomInputs(layout, 1, 2).get(0);
      LeanNetwork lean = new LeanNetwork(layout, bundle.floatParameters());
      LeanNetwork.Scratch scratch = lean.newScratch();
      float[] p = new float[layout.classes()];
      double[] leanMs = time(runs, warmup, () -> lean.forward(x, scratch, p));
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      double[] ortMs;
      try (OrtSession session = OrtParity.session(OnnxExporter.export(bundle, null).toByteArray());
          OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, layout.inputLength()})) {
        Map<String, OnnxTensor> inputs = Map.of("features", tensor);
        ortMs = time(runs, warmup, () -> {
          try (OrtSession.Result r = session.run(inputs)) {
            r.get(0);
          }
        });
      }
      System.out.printf("  %-8s lean runtime %.3f / %.3f   ONNX Runtime 1.20 (1 thread) %.3f / %.3f%n", a.label(),
          leanMs[0], leanMs[1], ortMs[0], ortMs[1]);
    }
  }

  interface Pass {
    void run() throws Exception;
  }

  private static double[] time(int runs, int warmup, Pass pass) throws Exception {
    for (int i = 0; i < warmup; i++) {
      pass.run();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      pass.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[runs / 2], ms[(int) (runs * 0.9)]};
  }
}
