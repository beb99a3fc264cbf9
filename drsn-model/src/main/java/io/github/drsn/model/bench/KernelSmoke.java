package io.github.drsn.model.bench;

import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.NativeBackend;
import io.github.drsn.model.layers.KernelChoice;
import java.util.Locale;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Smoke test of the custom layers' ND4J-op implementation on whatever backend is on the class path (the GPU
 * one under the cli module's {@code -Pcuda} build; docs/gpu.md). On the paper's DRSN-CW (Table II sizes, float32,
 * batch 32) it prints the ND4J backend and what {@link KernelChoice#AUTO} resolves to, then the largest
 * differences between the JAVA and the ND4J implementation (same parameters and batch: network output,
 * parameter gradients, input gradient; the JAVA kernels run on the host under any backend), then trains
 * 20 steps with the ND4J kernels and prints the loss before and after and the windows/s. Exits 1 if the
 * differences exceed float32 tolerance (relative 1e-3 of each array's largest magnitude) or the loss is not
 * finite. Arguments: none.
 */
public final class KernelSmoke {

  private KernelSmoke() {
  }

  /** Runs the smoke test; prints as described above and exits 0 (OK) or 1 (FAILED). */
  public static void main(String[] args) {
    NativeBackend.configure();
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    System.out.printf("backend %s, kernels auto -> %s%n", Nd4j.getBackend().getClass().getSimpleName(),
        KernelChoice.AUTO.resolve().label());
    ModelSpec spec = ModelSpec.paper(10);
    Nd4j.getRandom().setSeed(1);
    INDArray x = Nd4j.randn(DataType.FLOAT, 32, 1, 1, spec.inputLength());
    INDArray y = Nd4j.zeros(DataType.FLOAT, 32, spec.classes());
    for (int i = 0; i < 32; i++) {
      y.putScalar(i, i % spec.classes(), 1.0);
    }
    KernelChoice.select(KernelChoice.JAVA);
    MultiLayerNetwork java = DrsnModels.network(Architecture.DRSN_CW, spec);
    KernelChoice.select(KernelChoice.ND4J);
    MultiLayerNetwork nd4j = DrsnModels.network(Architecture.DRSN_CW, spec);
    nd4j.setParams(java.params().dup());
    boolean ok = true;
    ok &= report("output", java.output(x, false), nd4j.output(x, false));
    Pair<Gradient, INDArray> gj = java.calculateGradients(x, y, null, null);
    Pair<Gradient, INDArray> gn = nd4j.calculateGradients(x, y, null, null);
    ok &= report("parameter gradients", gj.getFirst().gradient(), gn.getFirst().gradient());
    ok &= report("input gradient", gj.getSecond(), gn.getSecond());
    DataSet batch = new DataSet(x, y);
    double before = nd4j.score(batch);
    long t0 = System.nanoTime();
    for (int step = 0; step < 20; step++) {
      nd4j.fit(batch);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double after = nd4j.score(batch);
    ok &= Double.isFinite(after);
    System.out.printf(Locale.ROOT, "nd4j kernels: 20 training steps at batch 32, loss %.4f -> %.4f, %.0f windows/s%n",
        before, after, 20 * 32 / seconds);
    System.out.println(ok ? "OK" : "FAILED");
    System.exit(ok ? 0 : 1);
  }

  private static boolean report(String what, INDArray java, INDArray nd4j) {
    INDArray a = java.castTo(DataType.DOUBLE);
    double diff = a.sub(nd4j.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    double scale = Math.max(a.amaxNumber().doubleValue(), 1e-30);
    boolean ok = diff <= 1e-3 * scale;
    System.out.printf(Locale.ROOT, "java vs nd4j %-20s max |difference| %.3g (largest value %.3g) %s%n", what, diff,
        scale, ok ? "ok" : "TOO LARGE");
    return ok;
  }
}
