import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's ceiling for the convolution tiles of the lean runtime's vector pass: vector fused multiply-adds per
 * second with the preferred species, 12 independent accumulators (enough to hide the FMA latency), no memory access.
 * Prints the best of 30 runs of 12 million FMAs.
 */
public final class PeakFma {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private PeakFma() {
  }

  static float run(int n, float[] w) {
    FloatVector a0 = FloatVector.broadcast(S, 1f);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    FloatVector a8 = a0;
    FloatVector a9 = a0;
    FloatVector a10 = a0;
    FloatVector a11 = a0;
    FloatVector x = FloatVector.broadcast(S, w[0]);
    FloatVector y = FloatVector.broadcast(S, w[1]);
    for (int i = 0; i < n; i++) {
      a0 = a0.fma(x, y);
      a1 = a1.fma(x, y);
      a2 = a2.fma(x, y);
      a3 = a3.fma(x, y);
      a4 = a4.fma(x, y);
      a5 = a5.fma(x, y);
      a6 = a6.fma(x, y);
      a7 = a7.fma(x, y);
      a8 = a8.fma(x, y);
      a9 = a9.fma(x, y);
      a10 = a10.fma(x, y);
      a11 = a11.fma(x, y);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .reduceLanes(VectorOperators.ADD);
  }

  public static void main(String[] args) {
    float[] w = {0.5f, 0.25f};
    float sink = 0;
    for (int k = 0; k < 20; k++) {
      sink += run(1_000_000, w);
    }
    double best = Double.MAX_VALUE;
    for (int k = 0; k < 30; k++) {
      long t0 = System.nanoTime();
      sink += run(1_000_000, w);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf("%d lanes: %.2f G vector FMAs/s (%.1f G float multiply-adds/s) [%s]%n", S.length(),
        12e6 / best / 1e9, 12e6 * S.length() / best / 1e9, sink);
  }
}
