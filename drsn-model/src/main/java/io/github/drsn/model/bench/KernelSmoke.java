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
 * parameter gradients, input gradient; the JAVA kernels run on the host under any backend) in double precision,
 * where they must agree within 1e-6 of each array's largest magnitude, and in float32, printed for information
 * only (the Java kernels accumulate in double even for float32 networks, ND4J's ops in float32: through the
 * paper's 17 layers their gradients differ by about 1 % of the largest, measured on the CPU); then trains
 * 20 steps in float32 with the ND4J kernels and prints the loss before and after and the windows/s. Exits 1 if
 * the double-precision differences are too large or the loss is not finite. Arguments: none.
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
    boolean ok = compare(DataType.DOUBLE, 1e-6);
    compare(DataType.FLOAT, Double.NaN);
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    ModelSpec spec = ModelSpec.paper(10);
    INDArray x = input(spec, DataType.FLOAT);
    INDArray y = labels(spec, DataType.FLOAT);
    KernelChoice.select(KernelChoice.ND4J);
    MultiLayerNetwork nd4j = DrsnModels.network(Architecture.DRSN_CW, spec);
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

  private static INDArray input(ModelSpec spec, DataType type) {
    Nd4j.getRandom().setSeed(1);
    return Nd4j.randn(DataType.DOUBLE, 32, 1, 1, spec.inputLength()).castTo(type);
  }

  private static INDArray labels(ModelSpec spec, DataType type) {
    INDArray y = Nd4j.zeros(type, 32, spec.classes());
    for (int i = 0; i < 32; i++) {
      y.putScalar(i, i % spec.classes(), 1.0);
    }
    return y;
  }

  /** Both implementations on the same parameters and batch in {@code type}; tolerance NaN: printed only. */
  private static boolean compare(DataType type, double tolerance) {
    Nd4j.setDefaultDataTypes(type, type);
    ModelSpec spec = ModelSpec.paper(10).toBuilder().dataType(type).build();
    INDArray x = input(spec, type);
    INDArray y = labels(spec, type);
    KernelChoice.select(KernelChoice.JAVA);
    MultiLayerNetwork java = DrsnModels.network(Architecture.DRSN_CW, spec);
    KernelChoice.select(KernelChoice.ND4J);
    MultiLayerNetwork nd4j = DrsnModels.network(Architecture.DRSN_CW, spec);
    nd4j.setParams(java.params().dup());
    String label = type.name().toLowerCase(Locale.ROOT);
    boolean ok = report(label, "output", java.output(x, false), nd4j.output(x, false), tolerance);
    Pair<Gradient, INDArray> gj = java.calculateGradients(x, y, null, null);
    Pair<Gradient, INDArray> gn = nd4j.calculateGradients(x, y, null, null);
    ok &= report(label, "parameter gradients", gj.getFirst().gradient(), gn.getFirst().gradient(), tolerance);
    ok &= report(label, "input gradient", gj.getSecond(), gn.getSecond(), tolerance);
    return ok;
  }

  private static boolean report(String type, String what, INDArray java, INDArray nd4j, double tolerance) {
    INDArray a = java.castTo(DataType.DOUBLE);
    double diff = a.sub(nd4j.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    double scale = Math.max(a.amaxNumber().doubleValue(), 1e-30);
    boolean ok = Double.isNaN(tolerance) || diff <= tolerance * scale;
    System.out.printf(Locale.ROOT, "java vs nd4j, %-6s %-20s max |difference| %.3g (largest value %.3g) %s%n", type,
        what, diff, scale, Double.isNaN(tolerance) ? "(for information)" : ok ? "ok" : "TOO LARGE");
    return ok;
  }
}
