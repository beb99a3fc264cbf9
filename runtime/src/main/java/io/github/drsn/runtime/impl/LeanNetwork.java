package io.github.drsn.runtime.impl;

import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.runtime.CalibratedReadout;
import io.github.drsn.runtime.VectorApi;
import java.util.Arrays;
import java.util.Map;

/**
 * The inference forward pass of a trained DRSN-CW/CS, ResNet or ConvNet (Zhao et al., IEEE TII 2020, Fig. 4
 * and Table II, as built by drsn-model's {@code DrsnModels}) over float arrays:
 * <pre>
 *   stem conv → units: x ↦ conv2(ReLU(norm2(conv1(ReLU(norm1(x)), /s)))) → soft threshold → + shortcut
 *   → norm → ReLU → global average pool → dense → softmax
 * </pre>
 * Batch norm uses its running statistics as y = a·x + b with a = γ / sqrt(σ² + ε), b = β − μ·a; where it
 * directly follows a linear map (norm2 after conv1, the threshold branch's norm after FC1) it is folded into
 * that map's weights and bias at load time. Norms followed by a ReLU before a convolution (norm1, the head)
 * cannot be folded through the ReLU; they are applied in the pass that pads the convolution's input. Group
 * norm (Wu and He, ECCV 2018) uses per-sample statistics of its groups (biased variance), computed in double
 * precision. Convolutions use 'same' padding with libnd4j's split (left = floor(total / 2)).
 *
 * <p>Where the Vector API module is present ({@link #VECTOR}) and the layout is one {@link VectorForward} covers
 * (batch norm, kernel 3: the paper's networks), that class runs the same network in vector registers; else the
 * scalar loops below run.
 *
 * <p>Immutable and thread-safe; all working memory is in a {@link Scratch} owned by the calling thread, so a
 * forward pass allocates nothing.
 */
public final class LeanNetwork {

  private final ModelLayout layout;
  private final Conv stem;
  private final Unit[] units;
  private final Norm head;
  private final int headChannels;
  private final float[] denseW;
  private final float[] denseB;
  private final int[] rowLengths;
  private final int vectorFloats;
  /** The Vector API pass, or null where it is absent or does not cover the layout. */
  private final Pass vector;

  /**
   * Another implementation of the pass from the input to the pooled features over this network's (folded)
   * parameters: {@link VectorForward}, reached only through this interface and by its name (see
   * {@link #vectorPass}), so that this class's code neither loads it nor depends on it.
   */
  interface Pass {
    /** Per-thread buffers of the pass, kept in {@link Scratch}. */
    Object newWork();

    /** As {@link LeanNetwork}'s scalar pass: the head's pooled features of {@code input} into {@code pooled}. */
    void pooled(float[] input, Scratch s, Object work, float[] pooled, ShrinkageProbe probe, UnitProbe units);
  }

  /** Whether the Vector API pass ({@link VectorForward}) may run: {@link VectorApi#ENABLED}. */
  static final boolean VECTOR = VectorApi.ENABLED;

  /**
   * @param layout the network
   * @param flat the parameter vector in {@link ModelLayout#parameters()} order (DL4J's flat order)
   * @throws IllegalArgumentException if the vector's length does not match the layout
   */
  public LeanNetwork(ModelLayout layout, float[] flat) {
    this(layout, flat, VECTOR);
  }

  /**
   * As {@link #LeanNetwork(ModelLayout, float[])}; {@code vectorised} false keeps the scalar pass even where the
   * Vector API pass could run (tests compare the two).
   */
  LeanNetwork(ModelLayout layout, float[] flat, boolean vectorised) {
    this.layout = layout;
    Params params = new Params(flat, layout.parameterOffsets(flat.length));
    int k = layout.kernelSize();
    int[] channels = layout.stageChannels();
    stem = new Conv(params.get("0_W", channels[0] * layout.inputChannels() * k), params.get("0_b", channels[0]),
        channels[0], layout.inputChannels(), k, layout.stemStride());
    units = new Unit[layout.unitCount()];
    int length = stem.outLength(layout.inputLength());
    int widest = Math.max(layout.inputChannels(), channels[0]);
    for (int u = 0; u < units.length; u++) {
      widest = Math.max(widest, Math.max(layout.unitInputChannels(u), layout.unitChannels(u)));
    }
    // Channel c's rows only need the longest activation that has a channel c: narrow early layers are long,
    // wide late layers short (for Table II: 1x2048, 4x1024, 8x256, 16x128 instead of 16x2048).
    rowLengths = new int[widest];
    cover(rowLengths, layout.inputChannels(), layout.inputLength());
    cover(rowLengths, channels[0], length);
    for (int u = 0; u < units.length; u++) {
      units[u] = new Unit(layout, u, params);
      cover(rowLengths, layout.unitInputChannels(u), length);
      length = units[u].conv1.outLength(length);
      cover(rowLengths, layout.unitChannels(u), length);
    }
    headChannels = channels[channels.length - 1];
    String h = (units.length + 1) + "_";
    head = new Norm(params, h + "n", headChannels, layout.groupNorm(),
        ModelLayout.effectiveGroups(headChannels, layout.groups()));
    String o = (units.length + 2) + "_";
    // DL4J stores the dense weights [nIn, nOut] in 'f' order: element (c, k) at c + k * nIn, i.e. row k of W^T.
    denseW = params.get(o + "W", headChannels * layout.classes());
    denseB = params.get(o + "b", layout.classes());
    vectorFloats = Math.max(widest, layout.classes());
    vector = vectorised && VECTOR ? vectorPass(layout) : null;
  }

  /**
   * {@code VectorForward.of}, called by name: the class needs the module jdk.incubator.vector, which a JVM may lack
   * (then {@link #VECTOR} is false and this is never called).
   */
  private Pass vectorPass(ModelLayout layout) {
    try {
      return (Pass) Class.forName("io.github.drsn.runtime.impl.VectorForward")
          .getDeclaredMethod("of", ModelLayout.class, Conv.class, Unit[].class, Norm.class)
          .invoke(null, layout, stem, units, head);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the Vector API pass did not load", e);
    }
  }

  /** Whether forward passes run the Vector API pass ({@link VectorForward}). */
  public boolean vectorised() {
    return vector != null;
  }

  /** The network's layout. */
  public ModelLayout layout() {
    return layout;
  }

  /** Fresh working memory for one thread. */
  public Scratch newScratch() {
    // The vector pass keeps its activations in buffers of its own: no scalar rows beside them.
    return vector == null ? new Scratch(rowLengths, layout.kernelSize(), vectorFloats, null)
        : new Scratch(new int[0], layout.kernelSize(), vectorFloats, vector.newWork());
  }

  private static void cover(int[] rowLengths, int channels, int length) {
    for (int c = 0; c < channels; c++) {
      rowLengths[c] = Math.max(rowLengths[c], length);
    }
  }

  /**
   * Class probabilities of one input.
   *
   * @param input {@code inputChannels × inputLength} values, channel-major (preprocessed features)
   * @param scratch the calling thread's working memory, from {@link #newScratch()}
   * @param probabilities receives {@code classes} softmax probabilities
   */
  public void forward(float[] input, Scratch scratch, float[] probabilities) {
    forward(input, scratch, probabilities, 1.0, null);
  }

  /**
   * Receives, per residual shrinkage unit and input, what its soft threshold did: the mean learned threshold
   * τ over channels, the mean |feature| it was learned from (τ = α·mean|y|, so their ratio is the mean α), and
   * the fraction of the unit's features set to zero (|y| ≤ τ). Units without thresholds (ResNet, ConvNet) are
   * not reported. Called on the forwarding thread.
   */
  @FunctionalInterface
  public interface ShrinkageProbe {
    /**
     * @param unit 0-based index of the unit
     * @param meanThreshold mean τ over the unit's channels
     * @param meanAbsFeature mean |y| over the unit's channels and positions, before thresholding
     * @param zeroedFraction fraction of the unit's features with |y| ≤ τ (set to zero)
     */
    void unit(int unit, double meanThreshold, double meanAbsFeature, double zeroedFraction);
  }

  /**
   * Receives, per residual unit and input, the unit's output (after its soft threshold and shortcut) averaged over
   * time, one value per channel: the features of the Mahalanobis layer ensemble
   * ({@link io.github.drsn.contract.OodMethod#MAHALANOBIS_LAYERS}). Every unit is reported, thresholded or not, in
   * order. Called on the forwarding thread.
   */
  @FunctionalInterface
  public interface UnitProbe {
    /**
     * @param unit 0-based index of the unit
     * @param means channel c's mean at {@code means[c]} for c &lt; {@code channels}; valid during the call only
     * @param channels the unit's output channels
     */
    void unit(int unit, double[] means, int channels);
  }

  /**
   * As {@link #forward(float[], Scratch, float[])}, reporting every shrinkage unit's thresholds to
   * {@code probe} (null: none, the allocation-free normal path; a probe costs one extra pass over each
   * thresholded activation).
   */
  public void forward(float[] input, Scratch scratch, float[] probabilities, ShrinkageProbe probe) {
    forward(input, scratch, probabilities, 1.0, probe);
  }

  /**
   * Class probabilities of one input at a temperature: softmax(z / T) of the logits z (temperature scaling, Guo et
   * al., ICML 2017; T = 1 is exactly {@link #forward(float[], Scratch, float[])}). Afterwards the scratch holds the
   * pass's logits ({@link Scratch#logit}) and pooled features ({@link Scratch#pooled}), until its next pass.
   *
   * @param temperature T &gt; 0
   * @throws IllegalArgumentException for arrays of the wrong length or a temperature that is not finite and &gt; 0
   */
  public void forward(float[] input, Scratch scratch, float[] probabilities, double temperature) {
    forward(input, scratch, probabilities, temperature, null);
  }

  /**
   * The forward pass at a temperature, reporting the shrinkage units to {@code probe} (null: none); see
   * {@link #forward(float[], Scratch, float[], double)} and {@link #forward(float[], Scratch, float[], ShrinkageProbe)}.
   */
  public void forward(float[] input, Scratch scratch, float[] probabilities, double temperature,
      ShrinkageProbe probe) {
    forward(input, scratch, probabilities, temperature, probe, null);
  }

  /**
   * The forward pass at a temperature, reporting the shrinkage units to {@code probe} and every unit's time-averaged
   * output to {@code units} (either null: none; the means cost one extra pass over each unit's output, the normal
   * path none).
   */
  public void forward(float[] input, Scratch scratch, float[] probabilities, double temperature,
      ShrinkageProbe probe, UnitProbe units) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
    }
    int length = layout.inputLength();
    int cin = layout.inputChannels();
    if (input.length != cin * length || probabilities.length != layout.classes()) {
      throw new IllegalArgumentException("input of " + input.length + " values and " + probabilities.length
          + " probabilities given; the network takes " + cin + " x " + length + " and has " + layout.classes()
          + " classes");
    }
    Scratch s = scratch;
    // The pooled features and logits go to arrays of their own (s.z is the units' working vector), so that a caller
    // can read them after the pass: the inputs of the out-of-distribution scores.
    float[] pooled = s.pooled;
    if (vector != null) {
      vector.pooled(input, s, s.vectorWork, pooled, probe, units);
    } else {
      scalarPooled(input, s, probe, units, pooled);
    }
    int classes = denseB.length;
    s.classes = classes;
    s.features = headChannels;
    double[] raw = s.rawLogits;
    for (int k = 0; k < classes; k++) {
      double sum = denseB[k];
      int base = k * headChannels;
      for (int c = 0; c < headChannels; c++) {
        sum += denseW[base + c] * pooled[c];
      }
      raw[k] = sum;
    }
    // The one softmax(z / T) of every diagnoser (the DL4J reference's too), s.logits its working memory.
    CalibratedReadout.softmax(raw, classes, temperature, s.logits, probabilities);
  }

  /** The scalar pass from the input to the head's pooled features, mean(ReLU(norm(x_c))), into {@code pooled}. */
  private void scalarPooled(float[] input, Scratch s, ShrinkageProbe probe, UnitProbe unitProbe, float[] pooled) {
    int length = layout.inputLength();
    int cin = layout.inputChannels();
    for (int i = 0; i < cin; i++) {
      System.arraycopy(input, i * length, s.x[i], 0, length);
    }
    stem.taps(s.x, cin, length, null, null, false, s);
    int outLength = stem.outLength(length);
    stem.apply(s.taps, s.y, outLength);
    float[][] x = s.y;
    float[][] y = s.x;
    length = outLength;
    for (int u = 0; u < units.length; u++) {
      length = units[u].forward(x, length, y, s, probe, u);
      if (unitProbe != null) {
        for (int c = 0; c < units[u].cout; c++) {
          s.channelMeans[c] = rowMean(y[c], 0, length);
        }
        unitProbe.unit(u, s.channelMeans, units[u].cout);
      }
      float[][] t = x;
      x = y;
      y = t;
    }
    head.coefficients(x, length, s.a, s.b);
    for (int c = 0; c < headChannels; c++) {
      pooled[c] = (float) (reluSum(x[c], length, s.a[c], s.b[c]) / length);
    }
  }

  /**
   * Σ max(a·x + b, 0) over {@code length} values, with eight independent partial sums: a single running
   * float sum is bound by the add latency (~4 cycles per value), eight chains are not.
   */
  static double reluSum(float[] x, int length, float a, float b) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int l = 0;
    for (; l + 8 <= length; l += 8) {
      s0 += Math.max(a * x[l] + b, 0f);
      s1 += Math.max(a * x[l + 1] + b, 0f);
      s2 += Math.max(a * x[l + 2] + b, 0f);
      s3 += Math.max(a * x[l + 3] + b, 0f);
      s4 += Math.max(a * x[l + 4] + b, 0f);
      s5 += Math.max(a * x[l + 5] + b, 0f);
      s6 += Math.max(a * x[l + 6] + b, 0f);
      s7 += Math.max(a * x[l + 7] + b, 0f);
    }
    double sum = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    for (; l < length; l++) {
      sum += Math.max(a * x[l] + b, 0f);
    }
    return sum;
  }

  /**
   * The mean of {@code x[from .. from + length)}, summed in order in double precision: one definition for both passes,
   * so that their unit means differ only as their unit outputs do.
   */
  static double rowMean(float[] x, int from, int length) {
    double sum = 0;
    for (int l = from; l < from + length; l++) {
      sum += x[l];
    }
    return sum / length;
  }

  /** Σ |x| over {@code length} values, eight independent partial sums (see {@link #reluSum}). */
  static double absSum(float[] x, int length) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int l = 0;
    for (; l + 8 <= length; l += 8) {
      s0 += Math.abs(x[l]);
      s1 += Math.abs(x[l + 1]);
      s2 += Math.abs(x[l + 2]);
      s3 += Math.abs(x[l + 3]);
      s4 += Math.abs(x[l + 4]);
      s5 += Math.abs(x[l + 5]);
      s6 += Math.abs(x[l + 6]);
      s7 += Math.abs(x[l + 7]);
    }
    double sum = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    for (; l < length; l++) {
      sum += Math.abs(x[l]);
    }
    return sum;
  }

  /**
   * Per-thread working memory of {@link #forward}: activations as one array per channel, so that the
   * convolution's inner loops index every array with the same {@code j} (the form HotSpot's C2 compiler
   * vectorises; offsets into one shared array measured 3-4x slower).
   */
  public static final class Scratch {
    final float[][] x;
    final float[][] y;
    final float[][] mid;
    final float[] act;
    final float[][][] taps;
    final float[] a;
    final float[] b;
    final float[] z;
    final float[] u;
    final float[] tau;
    final double[] logits;
    final double[] rawLogits;
    final float[] pooled;
    /** A unit's channel means for a {@link UnitProbe}. */
    final double[] channelMeans;
    /** The Vector API pass's buffers, or null when the network runs the scalar pass only. */
    final Object vectorWork;
    int classes;
    int features;

    /** Logit k (before any temperature) of the last forward pass with this scratch. */
    public double logit(int k) {
      if (k < 0 || k >= classes) {
        throw new IndexOutOfBoundsException("logit " + k + " of " + classes + " (no forward pass yet?)");
      }
      return rawLogits[k];
    }

    /** Number of logits of the last forward pass (0 before the first). */
    public int logitCount() {
      return classes;
    }

    /**
     * Pooled feature c of the last forward pass: the global average over time of ReLU(norm(x_c)) of the last stage,
     * the dense layer's input.
     */
    public float pooled(int c) {
      if (c < 0 || c >= features) {
        throw new IndexOutOfBoundsException("pooled feature " + c + " of " + features + " (no forward pass yet?)");
      }
      return pooled[c];
    }

    /** Number of pooled features of the last forward pass (0 before the first). */
    public int featureCount() {
      return features;
    }

    Scratch(int[] rowLengths, int kernel, int vectorFloats, Object vectorWork) {
      this.vectorWork = vectorWork;
      int channels = rowLengths.length;
      x = new float[channels][];
      y = new float[channels][];
      mid = new float[channels][];
      taps = new float[kernel][channels][];
      int longest = 0;
      for (int c = 0; c < channels; c++) {
        x[c] = new float[rowLengths[c]];
        y[c] = new float[rowLengths[c]];
        mid[c] = new float[rowLengths[c]];
        for (int t = 0; t < kernel; t++) {
          taps[t][c] = new float[rowLengths[c]];
        }
        longest = Math.max(longest, rowLengths[c]);
      }
      act = new float[longest];
      a = new float[vectorFloats];
      b = new float[vectorFloats];
      z = new float[vectorFloats];
      u = new float[vectorFloats];
      tau = new float[vectorFloats];
      logits = new double[vectorFloats];
      rawLogits = new double[vectorFloats];
      pooled = new float[vectorFloats];
      channelMeans = new double[vectorFloats];
    }
  }

  /** Named slices of the flat parameter vector. */
  private record Params(float[] flat, Map<String, Integer> offsets) {
    float[] get(String name, int size) {
      Integer at = offsets.get(name);
      if (at == null) {
        throw new IllegalStateException("no parameter " + name + " in the layout");
      }
      return Arrays.copyOfRange(flat, at, at + size);
    }
  }

  /**
   * A convolution with kernel (1, k), stride s, 'same' padding and bias; weights [out][in][k]. Its input is
   * given as k tap arrays per input channel, tap t holding the (padded) input at j·s + t − padLeft for output
   * position j, so that every inner loop is a plain same-index multiply-add.
   */
  static final class Conv {
    final float[] w;
    final float[] bias;
    final int cout;
    final int cin;
    final int k;
    final int stride;

    Conv(float[] w, float[] bias, int cout, int cin, int k, int stride) {
      this.w = w;
      this.bias = bias;
      this.cout = cout;
      this.cin = cin;
      this.k = k;
      this.stride = stride;
    }

    int outLength(int inLength) {
      return (inLength + stride - 1) / stride;
    }

    /** Total 'same' padding for an input of this length; libnd4j puts floor(total / 2) on the left. */
    int totalPad(int inLength) {
      return Math.max((outLength(inLength) - 1) * stride + k - inLength, 0);
    }

    /**
     * Fills {@code s.taps} from {@code src} ([cin][inLength]) after the per-channel map v = a·x + b (identity
     * when {@code a} is null) and an optional ReLU: taps[t][i][j] = v_i(j·s + t − padLeft), 0 outside.
     */
    void taps(float[][] src, int channels, int inLength, float[] a, float[] b, boolean relu, Scratch s) {
      int outLength = outLength(inLength);
      int padLeft = totalPad(inLength) / 2;
      boolean shifted = stride == 1 && k == 3 && padLeft == 1;
      for (int i = 0; i < channels; i++) {
        float[] v = shifted ? s.taps[1][i] : s.act;
        float[] x = src[i];
        if (a != null) {
          float ai = a[i];
          float bi = b[i];
          if (relu) {
            for (int l = 0; l < inLength; l++) {
              v[l] = Math.max(ai * x[l] + bi, 0f);
            }
          } else {
            for (int l = 0; l < inLength; l++) {
              v[l] = ai * x[l] + bi;
            }
          }
        } else if (relu) {
          for (int l = 0; l < inLength; l++) {
            v[l] = Math.max(x[l], 0f);
          }
        } else {
          System.arraycopy(x, 0, v, 0, inLength);
        }
        if (shifted) {
          float[] t0 = s.taps[0][i];
          float[] t2 = s.taps[2][i];
          t0[0] = 0f;
          System.arraycopy(v, 0, t0, 1, inLength - 1);
          System.arraycopy(v, 1, t2, 0, inLength - 1);
          t2[inLength - 1] = 0f;
          continue;
        }
        for (int t = 0; t < k; t++) {
          float[] tap = s.taps[t][i];
          // Output positions whose input index j·s + t − padLeft lies inside [0, inLength); zeros elsewhere.
          int first = Math.max(0, Math.floorDiv(padLeft - t + stride - 1, stride));
          int end = Math.min(outLength, Math.floorDiv(inLength - 1 - t + padLeft, stride) + 1);
          Arrays.fill(tap, 0, Math.min(first, outLength), 0f);
          int offset = t - padLeft;
          if (stride == 2) {
            for (int j = first; j < end; j++) {
              tap[j] = v[2 * j + offset];
            }
          } else {
            for (int j = first; j < end; j++) {
              tap[j] = v[j * stride + offset];
            }
          }
          if (end < outLength) {
            Arrays.fill(tap, Math.max(end, 0), outLength, 0f);
          }
        }
      }
    }

    /**
     * out[o][j] = bias[o] + Σ_i Σ_t w[o][i][t] · taps[t][i][j] for j &lt; outLength, with fused multiply-adds
     * (vectorised by C2; ~10 % faster than separate multiplies and adds, and rounded once per term).
     */
    void apply(float[][][] taps, float[][] out, int outLength) {
      if (k == 3 && cout % 2 == 0) {
        pairs(w, bias, taps[0], taps[1], taps[2], out, outLength, cout, cin);
        return;
      }
      for (int o = 0; o < cout; o++) {
        float[] y = out[o];
        Arrays.fill(y, 0, outLength, bias[o]);
        for (int i = 0; i < cin; i++) {
          int wo = (o * cin + i) * k;
          for (int t = 0; t < k; t++) {
            float wt = w[wo + t];
            float[] a = taps[t][i];
            for (int j = 0; j < outLength; j++) {
              y[j] = Math.fma(wt, a[j], y[j]);
            }
          }
        }
      }
    }

    /**
     * Kernel-3 convolution, two output channels per pass over the taps: 7 memory accesses per 6 multiply-adds
     * instead of 5 per 3 (+25 % measured). Written as one simple static loop nest: C2 left variants with more
     * arrays per loop, or extra loops in the method, scalar (4x slower, measured).
     */
    private static void pairs(float[] w, float[] bias, float[][] s0, float[][] s1, float[][] s2, float[][] out, int n,
        int cout, int cin) {
      for (int o = 0; o < cout; o += 2) {
        float[] y = out[o];
        float[] z = out[o + 1];
        Arrays.fill(y, 0, n, bias[o]);
        Arrays.fill(z, 0, n, bias[o + 1]);
        for (int i = 0; i < cin; i++) {
          float[] a = s0[i];
          float[] b = s1[i];
          float[] c = s2[i];
          int wo = (o * cin + i) * 3;
          int vo = ((o + 1) * cin + i) * 3;
          float w0 = w[wo];
          float w1 = w[wo + 1];
          float w2 = w[wo + 2];
          float v0 = w[vo];
          float v1 = w[vo + 1];
          float v2 = w[vo + 2];
          for (int j = 0; j < n; j++) {
            float p = a[j];
            float q = b[j];
            float r = c[j];
            y[j] = Math.fma(w2, r, Math.fma(w1, q, Math.fma(w0, p, y[j])));
            z[j] = Math.fma(v2, r, Math.fma(v1, q, Math.fma(v0, p, z[j])));
          }
        }
      }
    }

    /** Scales output channel o by a[o] and adds b[o] (a following batch norm folded in). */
    Conv foldAffine(float[] a, float[] b) {
      float[] w2 = w.clone();
      float[] bias2 = bias.clone();
      for (int o = 0; o < cout; o++) {
        for (int j = 0; j < cin * k; j++) {
          w2[o * cin * k + j] *= a[o];
        }
        bias2[o] = bias[o] * a[o] + b[o];
      }
      return new Conv(w2, bias2, cout, cin, k, stride);
    }
  }

  /** Batch norm (running statistics as a per-channel affine map) or group norm (per-sample statistics). */
  static final class Norm {
    final int channels;
    final boolean group;
    final int groups;
    final float[] scale;
    final float[] shift;

    Norm(Params params, String prefix, int channels, boolean group, int groups) {
      this.channels = channels;
      this.group = group;
      this.groups = groups;
      float[] gamma = params.get(prefix + "Gamma", channels);
      float[] beta = params.get(prefix + "Beta", channels);
      if (group) {
        scale = gamma;
        shift = beta;
      } else {
        float[] mean = params.get(prefix + "Mean", channels);
        float[] var = params.get(prefix + "Var", channels);
        scale = new float[channels];
        shift = new float[channels];
        for (int c = 0; c < channels; c++) {
          double a = gamma[c] / Math.sqrt(var[c] + ModelLayout.NORM_EPS);
          scale[c] = (float) a;
          shift[c] = (float) (beta[c] - mean[c] * a);
        }
      }
    }

    /** Per-channel a, b such that norm(x) = a·x + b for this sample; x[c] holds {@code length} values. */
    void coefficients(float[][] x, int length, float[] a, float[] b) {
      if (!group) {
        System.arraycopy(scale, 0, a, 0, channels);
        System.arraycopy(shift, 0, b, 0, channels);
        return;
      }
      int perGroup = channels / groups;
      long count = (long) perGroup * length;
      for (int g = 0; g < groups; g++) {
        double sum = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          float[] xc = x[c];
          for (int l = 0; l < length; l++) {
            sum += xc[l];
          }
        }
        double mean = sum / count;
        double squares = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          float[] xc = x[c];
          for (int l = 0; l < length; l++) {
            double d = xc[l] - mean;
            squares += d * d;
          }
        }
        fill(g, perGroup, mean, squares / count, a, b);
      }
    }

    /** Coefficients of a feature vector (one value per channel), e.g. the threshold branch's FC1 output. */
    void vectorCoefficients(float[] u, float[] a, float[] b) {
      if (!group) {
        System.arraycopy(scale, 0, a, 0, channels);
        System.arraycopy(shift, 0, b, 0, channels);
        return;
      }
      int perGroup = channels / groups;
      for (int g = 0; g < groups; g++) {
        double sum = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          sum += u[c];
        }
        double mean = sum / perGroup;
        double squares = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          squares += (u[c] - mean) * (u[c] - mean);
        }
        fill(g, perGroup, mean, squares / perGroup, a, b);
      }
    }

    private void fill(int g, int perGroup, double mean, double variance, float[] a, float[] b) {
      double inv = 1 / Math.sqrt(variance + ModelLayout.NORM_EPS);
      for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
        a[c] = (float) (scale[c] * inv);
        b[c] = (float) (shift[c] - mean * scale[c] * inv);
      }
    }
  }

  /** One residual (shrinkage) unit, or a plain convolution block for ConvNet. */
  static final class Unit {
    final int cin;
    final int cout;
    final int stride;
    final Norm norm1;
    final Conv conv1;
    final Norm norm2;
    final Conv conv2;
    final ThresholdMode threshold;
    final float[] fc1;
    final float[] fc1Bias;
    final Norm thresholdNorm;
    final float[] fc2;
    final float[] fc2Bias;
    final int alphas;
    final Shortcut shortcut;
    final float[] projection;

    Unit(ModelLayout layout, int index, Params params) {
      String l = (index + 1) + "_";
      int k = layout.kernelSize();
      boolean gn = layout.groupNorm();
      cin = layout.unitInputChannels(index);
      cout = layout.unitChannels(index);
      stride = layout.unitStride(index);
      norm1 = new Norm(params, l + "n1", cin, gn, ModelLayout.effectiveGroups(cin, layout.groups()));
      Conv c1 = new Conv(params.get(l + "c1W", cout * cin * k), params.get(l + "c1b", cout), cout, cin, k, stride);
      Norm n2 = new Norm(params, l + "n2", cout, gn, ModelLayout.effectiveGroups(cout, layout.groups()));
      if (gn) {
        conv1 = c1;
        norm2 = n2;
      } else {
        conv1 = c1.foldAffine(n2.scale, n2.shift);
        norm2 = null;
      }
      conv2 = new Conv(params.get(l + "c2W", cout * cout * k), params.get(l + "c2b", cout), cout, cout, k, 1);
      threshold = layout.architecture().thresholdMode();
      alphas = layout.thresholdCount(cout);
      if (alphas > 0) {
        float[] w1 = params.get(l + "t1W", cout * cout);
        float[] b1 = params.get(l + "t1b", cout);
        // The threshold sub-network may normalise otherwise than the trunk (ModelLayout.thresholdNormalization):
        // batch norm folds into FC1, group norm stays a step of its own, no norm (NONE) has no parameters.
        NormKind kind = layout.thresholdNormalization();
        boolean tgn = kind == NormKind.GROUP_NORM;
        Norm tn = kind == NormKind.NONE ? null : new Norm(params, l + "tn", cout, tgn, layout.thresholdGroups(cout));
        boolean fold = kind == NormKind.BATCH_NORM;
        // Stored transposed, [out][in], so that each output is a contiguous dot product.
        fc1 = new float[cout * cout];
        fc1Bias = new float[cout];
        for (int o = 0; o < cout; o++) {
          float a = fold ? tn.scale[o] : 1f;
          for (int i = 0; i < cout; i++) {
            fc1[o * cout + i] = w1[i * cout + o] * a;
          }
          fc1Bias[o] = fold ? b1[o] * a + tn.shift[o] : b1[o];
        }
        thresholdNorm = tgn ? tn : null;
        float[] w2 = params.get(l + "t2W", cout * alphas);
        fc2 = new float[alphas * cout];
        for (int a = 0; a < alphas; a++) {
          for (int i = 0; i < cout; i++) {
            fc2[a * cout + i] = w2[i * alphas + a];
          }
        }
        fc2Bias = params.get(l + "t2b", alphas);
      } else {
        fc1 = null;
        fc1Bias = null;
        thresholdNorm = null;
        fc2 = null;
        fc2Bias = null;
      }
      shortcut = layout.unitShortcut();
      projection = shortcut == Shortcut.PROJECTION ? params.get(l + "scW", cout * cin) : null;
    }

    /** Writes the unit's output for {@code x} ([cin][inLength]) into {@code y}; returns the output length. */
    int forward(float[][] x, int inLength, float[][] y, Scratch s, ShrinkageProbe probe, int index) {
      norm1.coefficients(x, inLength, s.a, s.b);
      conv1.taps(x, cin, inLength, s.a, s.b, true, s);
      int outLength = conv1.outLength(inLength);
      conv1.apply(s.taps, s.mid, outLength);
      if (norm2 != null) {
        norm2.coefficients(s.mid, outLength, s.a, s.b);
        conv2.taps(s.mid, cout, outLength, s.a, s.b, true, s);
      } else {
        conv2.taps(s.mid, cout, outLength, null, null, true, s);
      }
      conv2.apply(s.taps, y, outLength);
      boolean fused = alphas > 0 && shortcut == Shortcut.ZERO_PAD && stride == 1;
      if (alphas > 0) {
        softThreshold(y, outLength, s, fused ? x : null, probe, index);
      }
      switch (fused ? Shortcut.NONE : shortcut) {
        case NONE -> { }
        case ZERO_PAD -> {
          for (int c = 0; c < cin; c++) {
            float[] yc = y[c];
            float[] xc = x[c];
            if (stride == 1) {
              for (int j = 0; j < outLength; j++) {
                yc[j] += xc[j];
              }
            } else {
              for (int j = 0; j < outLength; j++) {
                yc[j] += xc[j * stride];
              }
            }
          }
        }
        case PROJECTION -> {
          for (int o = 0; o < cout; o++) {
            float[] yo = y[o];
            for (int i = 0; i < cin; i++) {
              float w = projection[o * cin + i];
              float[] xi = x[i];
              for (int j = 0; j < outLength; j++) {
                yo[j] += w * xi[j * stride];
              }
            }
          }
        }
        default -> throw new IllegalStateException("unhandled shortcut " + shortcut);
      }
      return outLength;
    }

    /**
     * z = mean|y| per channel; α = sigmoid(FC2(ReLU(norm(FC1(z))))); τ = α ⊙ z (CW) or α · mean(z) (CS);
     * y ← sign(y) · max(|y| − τ, 0), computed as y − clamp(y, −τ, τ) (the same floats, no branch); plus
     * {@code identity} (the unit's input) when the shortcut is a stride-1 identity, else null.
     */
    private void softThreshold(float[][] y, int length, Scratch s, float[][] identity, ShrinkageProbe probe,
        int index) {
      float[] z = s.z;
      double zSum = 0;
      for (int c = 0; c < cout; c++) {
        z[c] = (float) (absSum(y[c], length) / length);
        zSum += z[c];
      }
      float zMean = thresholds(s, zSum);
      float[] tau = s.tau;
      if (probe != null) {
        report(y, length, tau, zMean, probe, index);
      }
      shrink(y, length, s, identity);
    }

    /**
     * The learned thresholds from z = mean|y| per channel (in {@code s.z}, with {@code zSum} = Σ z): α =
     * sigmoid(FC2(ReLU(norm(FC1(z))))), τ = α ⊙ z (CW) or α · mean(z) (CS), into {@code s.tau}; returns mean(z).
     */
    float thresholds(Scratch s, double zSum) {
      float[] z = s.z;
      float[] u = s.u;
      for (int o = 0; o < cout; o++) {
        double sum = fc1Bias[o];
        int base = o * cout;
        for (int i = 0; i < cout; i++) {
          sum += fc1[base + i] * z[i];
        }
        u[o] = (float) sum;
      }
      if (thresholdNorm != null) {
        thresholdNorm.vectorCoefficients(u, s.a, s.b);
        for (int o = 0; o < cout; o++) {
          u[o] = s.a[o] * u[o] + s.b[o];
        }
      }
      for (int o = 0; o < cout; o++) {
        u[o] = Math.max(u[o], 0f);
      }
      float[] tau = s.tau;
      float zMean = (float) (zSum / cout);
      for (int a = 0; a < alphas; a++) {
        double sum = fc2Bias[a];
        int base = a * cout;
        for (int i = 0; i < cout; i++) {
          sum += fc2[base + i] * u[i];
        }
        float alpha = (float) (1 / (1 + Math.exp(-sum)));
        tau[a] = threshold == ThresholdMode.CHANNEL_WISE ? alpha * z[a] : alpha * zMean;
      }
      return zMean;
    }

    /** Second half of {@link #softThreshold}: shrinks y by {@code s.tau}, adding {@code identity} when not null. */
    private void shrink(float[][] y, int length, Scratch s, float[][] identity) {
      float[] tau = s.tau;
      for (int c = 0; c < cout; c++) {
        float t = threshold == ThresholdMode.CHANNEL_WISE ? tau[c] : tau[0];
        float negT = -t;
        float[] yc = y[c];
        if (identity != null && c < cin) {
          // Identity shortcut fused into the same pass (same operations, same order as adding it afterwards).
          float[] xc = identity[c];
          for (int l = 0; l < length; l++) {
            float v = yc[l];
            yc[l] = (v - Math.max(negT, Math.min(v, t))) + xc[l];
          }
          continue;
        }
        for (int l = 0; l < length; l++) {
          float v = yc[l];
          yc[l] = v - Math.max(negT, Math.min(v, t));
        }
      }
    }

    /** The probe's numbers for this unit, from y before thresholding (a separate pass: the normal path stays as it was). */
    private void report(float[][] y, int length, float[] tau, float zMean, ShrinkageProbe probe, int index) {
      double tauSum = 0;
      long zeroed = 0;
      for (int c = 0; c < cout; c++) {
        float t = threshold == ThresholdMode.CHANNEL_WISE ? tau[c] : tau[0];
        tauSum += t;
        zeroed += zeroed(y[c], 0, length, t);
      }
      probe.unit(index, tauSum / cout, zMean, (double) zeroed / ((long) cout * length));
    }

    /** As {@link #report} for rows held in one array, channel c's from {@code c * length}. */
    void report(float[] y, int length, float[] tau, float zMean, ShrinkageProbe probe, int index) {
      double tauSum = 0;
      long zeroed = 0;
      for (int c = 0; c < cout; c++) {
        float t = threshold == ThresholdMode.CHANNEL_WISE ? tau[c] : tau[0];
        tauSum += t;
        zeroed += zeroed(y, c * length, length, t);
      }
      probe.unit(index, tauSum / cout, zMean, (double) zeroed / ((long) cout * length));
    }

    /** How many of {@code y[from .. from + length)} the soft threshold t sets to zero: |y| ≤ t. */
    private static long zeroed(float[] y, int from, int length, float t) {
      long count = 0;
      for (int l = from; l < from + length; l++) {
        if (Math.abs(y[l]) <= t) {
          count++;
        }
      }
      return count;
    }
  }
}
