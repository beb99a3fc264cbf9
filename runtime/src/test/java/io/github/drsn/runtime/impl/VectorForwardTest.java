package io.github.drsn.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.signals.Normalization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The optimised forward passes against a plain one: {@link Reference} below computes the network as the paper and
 * DL4J define it, in double precision, with every batch norm applied as (x − μ)/sqrt(σ² + ε)·γ + β where it stands
 * (nothing folded, nothing fused, no tap arrays). The scalar pass ({@link LeanNetwork} without the Vector API) and the
 * Vector API pass ({@link VectorForward}, which the surefire configuration enables as the launcher does) must both
 * agree with it on random bundles of the paper's networks (batch-norm statistics drawn away from 0/1, so that folding
 * is exercised) within float rounding: probabilities within 1e-5, logits within 1e-4·(1 + |z|), and every unit's
 * time-averaged output (a {@link LeanNetwork.UnitProbe}, the layer ensemble's features) within 1e-4·(1 + |m|).
 */
class VectorForwardTest {

  private static final double PROBABILITY_TOLERANCE = 1e-5;
  private static final double LOGIT_TOLERANCE = 1e-4;

  /** Random parameters of {@code layout} (He-scaled weights, batch-norm statistics away from 0/1). */
  static float[] parameters(ModelLayout layout, long seed) {
    String[] classes = new String[layout.classes()];
    Arrays.setAll(classes, k -> "class" + k);
    return RandomBundles.random(layout, List.of(classes), new InputSpec(12_000, layout.inputLength(),
        layout.inputChannels(), Normalization.Z_SCORE, Representation.TIME), seed).floatParameters();
  }

  private static float[] window(int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) (random.nextGaussian() + Math.sin(0.05 * i));
    }
    return x;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"drsn-cw", "drsn-cs", "resnet", "convnet"})
  void bothPassesMatchTheUnfoldedReferenceOnThePapersNetwork(String architecture) {
    assertTrue(LeanNetwork.VECTOR, "the tests run with --add-modules jdk.incubator.vector (test.vector.argLine)");
    ModelLayout layout = RandomBundles.paperLayout(Architecture.parse(architecture));
    assertTrue(VectorForward.covers(layout) || jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() < 8,
        "the paper's networks run the vector pass wherever vectors hold 8 floats or more");
    assertMatchesReference(layout, 5);
  }

  @Test
  void bothPassesMatchTheReferenceWhereRowsAreShorterThanATile() {
    // Input 512 -> 256 -> 128 -> 64 -> 32: the last stage's rows are shorter than 4 vectors of 512 bits (the tiles'
    // width), so they run the one-vector columns; 2 units per stage.
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    assertMatchesReference(layout, 7);
  }

  @Test
  void bothPassesMatchTheReferenceWithoutANormInTheThresholdSubNetworks() {
    // The paper's DRSN-CW with no norm in the threshold sub-networks (FC1 is then folded with nothing): still the
    // vector pass's network.
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 2048, 1, new int[] {4, 8, 16}, 4, 3, 2, 10,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD, NormKind.NONE);
    assertTrue(VectorForward.covers(layout) || jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() < 8,
        "no threshold norm is covered by the vector pass wherever vectors hold 8 floats or more");
    assertMatchesReference(layout, 9);
  }

  private static void assertMatchesReference(ModelLayout layout, long seed) {
    float[] flat = parameters(layout, seed);
    Reference reference = new Reference(layout, flat);
    LeanNetwork scalar = new LeanNetwork(layout, flat, false);
    LeanNetwork vector = new LeanNetwork(layout, flat, true);
    assertFalse(scalar.vectorised());
    assertEquals(LeanNetwork.VECTOR && VectorForward.covers(layout), vector.vectorised());
    LeanNetwork.Scratch ss = scalar.newScratch();
    LeanNetwork.Scratch vs = vector.newScratch();
    int classes = layout.classes();
    for (int n = 0; n < 8; n++) {
      float[] x = window(layout.inputLength(), 100 + n);
      double[] z = reference.logits(x);
      double[] p = softmax(z);
      float[] ps = new float[classes];
      float[] pv = new float[classes];
      // Odd windows with the unit probe, even ones without: it must change nothing else.
      List<double[]> scalarMeans = new ArrayList<>();
      List<double[]> vectorMeans = new ArrayList<>();
      scalar.forward(x, ss, ps, 1.0, null, n % 2 == 0 ? null : collect(scalarMeans));
      vector.forward(x, vs, pv, 1.0, null, n % 2 == 0 ? null : collect(vectorMeans));
      if (n % 2 == 1) {
        assertEquals(layout.unitCount(), scalarMeans.size());
        assertEquals(layout.unitCount(), vectorMeans.size());
        for (int u = 0; u < layout.unitCount(); u++) {
          double[] m = reference.unitMeans.get(u);
          assertEquals(m.length, scalarMeans.get(u).length);
          assertEquals(m.length, vectorMeans.get(u).length);
          for (int c = 0; c < m.length; c++) {
            String where = layout.architecture() + " window " + n + " unit " + u + " channel " + c;
            assertEquals(m[c], scalarMeans.get(u)[c], LOGIT_TOLERANCE * (1 + Math.abs(m[c])), "scalar mean, " + where);
            assertEquals(m[c], vectorMeans.get(u)[c], LOGIT_TOLERANCE * (1 + Math.abs(m[c])), "vector mean, " + where);
          }
        }
      }
      for (int k = 0; k < classes; k++) {
        String where = layout.architecture() + " window " + n + " class " + k;
        double tolerance = LOGIT_TOLERANCE * (1 + Math.abs(z[k]));
        assertEquals(z[k], ss.logit(k), tolerance, "scalar logit, " + where);
        assertEquals(z[k], vs.logit(k), tolerance, "vector logit, " + where);
        assertEquals(p[k], ps[k], PROBABILITY_TOLERANCE, "scalar probability, " + where);
        assertEquals(p[k], pv[k], PROBABILITY_TOLERANCE, "vector probability, " + where);
      }
    }
  }

  /** A unit probe that keeps a copy of every unit's means, in the order reported (which must be the units'). */
  private static LeanNetwork.UnitProbe collect(List<double[]> into) {
    return (unit, means, channels) -> {
      assertEquals(into.size(), unit, "units are reported in order");
      into.add(Arrays.copyOf(means, channels));
    };
  }

  @Test
  void aProbeChangesNoProbabilityAndReportsWhatTheScalarPassReports() {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    float[] flat = parameters(layout, 3);
    LeanNetwork vector = new LeanNetwork(layout, flat, true);
    LeanNetwork scalar = new LeanNetwork(layout, flat, false);
    LeanNetwork.Scratch vs = vector.newScratch();
    LeanNetwork.Scratch ss = scalar.newScratch();
    float[] x = window(2048, 9);
    float[] plain = new float[10];
    float[] probed = new float[10];
    vector.forward(x, vs, plain);
    List<double[]> fromVector = new ArrayList<>();
    List<double[]> fromScalar = new ArrayList<>();
    vector.forward(x, vs, probed, (unit, tau, meanAbs, zeroed) -> fromVector.add(new double[] {unit, tau, meanAbs,
        zeroed}));
    scalar.forward(x, ss, new float[10], (unit, tau, meanAbs, zeroed) -> fromScalar.add(new double[] {unit, tau,
        meanAbs, zeroed}));
    assertArrayEquals(plain, probed);
    assertEquals(layout.unitCount(), fromVector.size());
    for (int u = 0; u < layout.unitCount(); u++) {
      double[] v = fromVector.get(u);
      double[] s = fromScalar.get(u);
      assertEquals(u, (int) v[0]);
      assertEquals(s[1], v[1], 1e-5 * s[1], "mean τ of unit " + u);
      assertEquals(s[2], v[2], 1e-5 * s[2], "mean |y| of unit " + u);
      // A feature within float rounding of its threshold may fall on either side: a few in the unit's 2048.
      assertEquals(s[3], v[3], 4.0 / 2048, "zeroed fraction of unit " + u);
      assertTrue(v[3] > 0 && v[3] < 1, "the thresholds zero some features, not all: " + v[3]);
    }
  }

  @Test
  void thePapersNetworkAllocatesNothingPerForwardPass() {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    float[] flat = parameters(layout, 4);
    LeanNetwork network = new LeanNetwork(layout, flat);
    LeanNetwork.Scratch s = network.newScratch();
    float[] x = window(2048, 10);
    float[] p = new float[10];
    // Until C2 has compiled the tiles, vectors are objects: warm up as the benchmark does.
    for (int i = 0; i < 20_000; i++) {
      network.forward(x, s, p);
    }
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(id);
    for (int i = 0; i < 1000; i++) {
      network.forward(x, s, p);
    }
    long perPass = (bean.getThreadAllocatedBytes(id) - before) / 1000;
    assertTrue(perPass < 16, "bytes allocated per forward pass (vectorised: " + network.vectorised() + "): " + perPass);
  }

  @Test
  void theLeanPassUsesTheOneSwitch() {
    assertEquals(io.github.drsn.runtime.VectorApi.ENABLED, LeanNetwork.VECTOR);
  }

  @Test
  void withoutTheVectorModuleTheJarRunsTheScalarPass() throws Exception {
    // A JVM started without --add-modules jdk.incubator.vector, as a service that does not add it: the network must
    // load, take the scalar loops and give the scalar pass's probabilities exactly.
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        ScalarProbe.class.getName()).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    assertEquals(0, process.waitFor(), String.join("\n", lines));
    assertEquals("vectorised false", lines.get(0), String.join("\n", lines));
    assertEquals(ScalarProbe.probabilities(false), lines.get(1));
  }

  /** The child JVM's side of {@link #withoutTheVectorModuleTheJarRunsTheScalarPass}. */
  static final class ScalarProbe {
    static String probabilities(boolean vectorised) {
      ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
      float[] flat = parameters(layout, 6);
      LeanNetwork network = new LeanNetwork(layout, flat, vectorised);
      float[] p = new float[10];
      network.forward(window(2048, 11), network.newScratch(), p);
      StringBuilder b = new StringBuilder();
      for (float v : p) {
        b.append(Float.floatToIntBits(v)).append(' ');
      }
      return b.toString().trim();
    }

    public static void main(String[] args) {
      System.out.println("vectorised " + LeanNetwork.VECTOR);
      System.out.println(probabilities(true));
    }
  }

  private static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[z.length];
    for (int k = 0; k < z.length; k++) {
      p[k] = Math.exp(z[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < z.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  /**
   * The network written plainly, for batch-norm layouts with a zero-pad or no shortcut: per-channel rows of doubles,
   * convolutions with 'same' padding (libnd4j's split: left = floor(total / 2)), norms applied where they stand.
   * Weight layouts as DL4J stores them: convolutions [out][in][1][k], the threshold branch's dense layers [in][out]
   * row-major, the output layer [in][out] in 'f' order.
   */
  static final class Reference {
    private final ModelLayout layout;
    private final Map<String, double[]> p = new HashMap<>();
    /** Every unit's output averaged over time per channel, of the last {@link #logits} call. */
    final List<double[]> unitMeans = new ArrayList<>();

    Reference(ModelLayout layout, float[] flat) {
      this.layout = layout;
      int at = 0;
      for (ModelLayout.Param param : layout.parameters()) {
        double[] v = new double[param.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = flat[at + i];
        }
        p.put(param.name(), v);
        at += param.size();
      }
    }

    double[] logits(float[] input) {
      int k = layout.kernelSize();
      double[][] x = new double[layout.inputChannels()][layout.inputLength()];
      for (int c = 0; c < x.length; c++) {
        for (int l = 0; l < layout.inputLength(); l++) {
          x[c][l] = input[c * layout.inputLength() + l];
        }
      }
      int[] stages = layout.stageChannels();
      x = conv(x, p.get("0_W"), p.get("0_b"), stages[0], k, layout.stemStride());
      unitMeans.clear();
      for (int u = 0; u < layout.unitCount(); u++) {
        String l = (u + 1) + "_";
        int cout = layout.unitChannels(u);
        int stride = layout.unitStride(u);
        double[][] h = relu(norm(x, l + "n1"));
        h = conv(h, p.get(l + "c1W"), p.get(l + "c1b"), cout, k, stride);
        h = relu(norm(h, l + "n2"));
        double[][] y = conv(h, p.get(l + "c2W"), p.get(l + "c2b"), cout, k, 1);
        if (layout.thresholdCount(cout) > 0) {
          shrink(y, l, cout);
        }
        if (layout.unitShortcut() == Shortcut.ZERO_PAD) {
          for (int c = 0; c < x.length; c++) {
            for (int j = 0; j < y[c].length; j++) {
              y[c][j] += x[c][j * stride];
            }
          }
        }
        x = y;
        double[] means = new double[cout];
        for (int c = 0; c < cout; c++) {
          for (double v : y[c]) {
            means[c] += v / y[c].length;
          }
        }
        unitMeans.add(means);
      }
      double[][] h = relu(norm(x, (layout.unitCount() + 1) + "_n"));
      double[] pooled = new double[h.length];
      for (int c = 0; c < h.length; c++) {
        for (double v : h[c]) {
          pooled[c] += v / h[c].length;
        }
      }
      String o = (layout.unitCount() + 2) + "_";
      double[] w = p.get(o + "W");
      double[] b = p.get(o + "b");
      double[] z = new double[layout.classes()];
      for (int j = 0; j < z.length; j++) {
        z[j] = b[j];
        for (int c = 0; c < pooled.length; c++) {
          z[j] += w[c + j * pooled.length] * pooled[c];
        }
      }
      return z;
    }

    /** z = mean|y| per channel; α = sigmoid(FC2(ReLU(BN(FC1(z))))); τ = α·z (CW) or α·mean(z) (CS); soft threshold. */
    private void shrink(double[][] y, String l, int cout) {
      int alphas = layout.thresholdCount(cout);
      double[] z = new double[cout];
      double zMean = 0;
      for (int c = 0; c < cout; c++) {
        for (double v : y[c]) {
          z[c] += Math.abs(v) / y[c].length;
        }
        zMean += z[c] / cout;
      }
      double[] w1 = p.get(l + "t1W");
      double[] b1 = p.get(l + "t1b");
      double[] u = new double[cout];
      for (int o = 0; o < cout; o++) {
        u[o] = b1[o];
        for (int i = 0; i < cout; i++) {
          u[o] += w1[i * cout + o] * z[i];
        }
        boolean normed = layout.thresholdNormalization() != NormKind.NONE;
        u[o] = Math.max(normed ? batchNorm(u[o], l + "tn", o) : u[o], 0);
      }
      double[] w2 = p.get(l + "t2W");
      double[] b2 = p.get(l + "t2b");
      for (int c = 0; c < cout; c++) {
        int a = alphas == 1 ? 0 : c;
        double s = b2[a];
        for (int i = 0; i < cout; i++) {
          s += w2[i * alphas + a] * u[i];
        }
        double alpha = 1 / (1 + Math.exp(-s));
        double tau = layout.architecture().thresholdMode() == ThresholdMode.CHANNEL_WISE ? alpha * z[c] : alpha * zMean;
        for (int j = 0; j < y[c].length; j++) {
          y[c][j] = Math.signum(y[c][j]) * Math.max(Math.abs(y[c][j]) - tau, 0);
        }
      }
    }

    private double batchNorm(double v, String prefix, int c) {
      return (v - p.get(prefix + "Mean")[c]) / Math.sqrt(p.get(prefix + "Var")[c] + ModelLayout.NORM_EPS)
          * p.get(prefix + "Gamma")[c] + p.get(prefix + "Beta")[c];
    }

    private double[][] norm(double[][] x, String prefix) {
      double[][] y = new double[x.length][];
      for (int c = 0; c < x.length; c++) {
        y[c] = new double[x[c].length];
        for (int j = 0; j < x[c].length; j++) {
          y[c][j] = batchNorm(x[c][j], prefix, c);
        }
      }
      return y;
    }

    private static double[][] relu(double[][] x) {
      for (double[] row : x) {
        for (int j = 0; j < row.length; j++) {
          row[j] = Math.max(row[j], 0);
        }
      }
      return x;
    }

    private static double[][] conv(double[][] x, double[] w, double[] b, int cout, int k, int stride) {
      int cin = x.length;
      int n = x[0].length;
      int out = (n + stride - 1) / stride;
      int padLeft = Math.max((out - 1) * stride + k - n, 0) / 2;
      double[][] y = new double[cout][out];
      for (int o = 0; o < cout; o++) {
        for (int j = 0; j < out; j++) {
          double s = b[o];
          for (int i = 0; i < cin; i++) {
            for (int t = 0; t < k; t++) {
              int at = j * stride + t - padLeft;
              if (at >= 0 && at < n) {
                s += w[(o * cin + i) * k + t] * x[i][at];
              }
            }
          }
          y[o][j] = s;
        }
      }
      return y;
    }
  }
}
