package io.github.drsn.runtime.impl;

import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LeanNetwork}'s forward pass with the Vector API ({@code jdk.incubator.vector}, JEP 414), for batch-norm
 * networks with kernel 3 (the paper's Table II family); the same arithmetic as the scalar pass in fewer passes over
 * memory:
 * <ul>
 *   <li>A convolution keeps a tile of 4 output channels × 4 vectors (64 positions with 512-bit vectors) in registers
 *       while it runs over all inputs and taps: each loaded input vector feeds 4 multiply-adds and each output is
 *       stored once, where the scalar pass reads and writes its output row once per input channel and tap.</li>
 *   <li>Its input is read in place, shifted by the tap: a stride-1 convolution's input rows are stored padded with
 *       one zero on each side; a stride-2 one's as an even and an odd phase (taps even[j], odd[j], even[j + 1]). No
 *       tap arrays are copied.</li>
 *   <li>What follows a convolution is done on its registers before they are stored: conv1's ReLU (norm2 is already
 *       folded into conv1), conv2's per-channel Σ|y| for the thresholds.</li>
 *   <li>One pass per unit does the soft threshold, the identity shortcut, and the next unit's norm1 and ReLU (or the
 *       head's norm, ReLU and average pool), writing the next convolution's padded input.</li>
 * </ul>
 * Sums are taken in another order than the scalar pass's (vector lanes, then across lanes; multiply-adds fused):
 * the outputs agree to float rounding, not bit for bit.
 *
 * <p>Loaded only when the module is in the boot layer ({@link LeanNetwork#VECTOR}); layouts it does not cover
 * (group norm, a projection shortcut, another kernel width, lengths that are not whole vectors, channel counts that
 * are not multiples of 4) run the scalar pass.
 */
final class VectorForward implements LeanNetwork.Pass {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = S.length();
  /**
   * Lanes 0, 2, 4, … (1, 3, 5, …) of a vector, twice, and the mask of the upper half: the even (odd) lanes of two
   * vectors side by side are v0.rearrange(EVEN).blend(v1.rearrange(EVEN), UPPER) ({@link #prepare}). The two-vector
   * rearrange of JDK 17 allocates its wrapped shuffle on every call.
   */
  private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> (2 * i) % LANES);
  private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) % LANES);
  private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, -1L << (LANES / 2));
  private static final int RELU = 0;
  private static final int PLAIN = 1;
  private static final int ABS_SUM = 2;

  private final LeanNetwork.Unit[] units;
  private final VConv stem;
  private final VConv[] conv1;
  private final VConv[] conv2;
  private final float[] headScale;
  private final float[] headShift;
  private final int inputChannels;
  private final int inputLength;
  private final int p1Floats;
  private final int p2Floats;
  private final int xFloats;
  private final int evenFloats;
  private final int widest;

  /**
   * Whether this pass covers {@code layout} on this machine: vectors of at least 8 floats, batch norm (in the
   * threshold sub-networks batch norm or none, both folded into FC1 by LeanNetwork.Unit), kernel 3, a
   * zero-pad or no shortcut, stride-2 inputs of even length, every convolution's output a whole number of vectors long
   * and a multiple of 4 channels. With 4-float vectors (-XX:MaxVectorSize=16 here) the pass measured no faster than
   * the scalar one (docs/results/bench/lean/vector-widths.txt).
   */
  static boolean covers(ModelLayout layout) {
    if (LANES < 8 || layout.groupNorm() || layout.thresholdGroupNorm() || layout.kernelSize() != 3 || layout.unitShortcut() == Shortcut.PROJECTION
        || layout.stemStride() < 1 || layout.stemStride() > 2) {
      return false;
    }
    int length = layout.inputLength();
    if (!convCovered(length, layout.stemStride(), layout.stageChannels()[0])) {
      return false;
    }
    length = outLength(length, layout.stemStride());
    for (int u = 0; u < layout.unitCount(); u++) {
      int stride = layout.unitStride(u);
      if (!convCovered(length, stride, layout.unitChannels(u))) {
        return false;
      }
      length = outLength(length, stride);
    }
    return true;
  }

  private static boolean convCovered(int inLength, int stride, int outChannels) {
    return (stride == 1 || inLength % 2 == 0) && outLength(inLength, stride) % LANES == 0 && outChannels % 4 == 0;
  }

  private static int outLength(int inLength, int stride) {
    return (inLength + stride - 1) / stride;
  }

  /** Floats of one channel's row as a convolution of {@code stride} reads it (padded, or even and odd phases). */
  private static int rowFloats(int inLength, int stride) {
    return stride == 1 ? inLength + 2 : inLength + 1;
  }

  /** The pass for a network's parts, or null when it does not cover the layout ({@link #covers}). */
  static LeanNetwork.Pass of(ModelLayout layout, LeanNetwork.Conv stem, LeanNetwork.Unit[] units,
      LeanNetwork.Norm head) {
    return covers(layout) ? new VectorForward(layout, stem, units, head) : null;
  }

  /** The network's parameters (already folded by {@link LeanNetwork}) repacked for the tiles. */
  private VectorForward(ModelLayout layout, LeanNetwork.Conv stem, LeanNetwork.Unit[] units, LeanNetwork.Norm head) {
    this.units = units;
    inputChannels = layout.inputChannels();
    inputLength = layout.inputLength();
    int length = inputLength;
    this.stem = new VConv(stem, length);
    int p1 = inputChannels * rowFloats(length, stem.stride);
    length = this.stem.outLength;
    int x = stem.cout * length;
    int p2 = 0;
    int even = 0;
    int wide = Math.max(inputChannels, stem.cout);
    conv1 = new VConv[units.length];
    conv2 = new VConv[units.length];
    for (int u = 0; u < units.length; u++) {
      LeanNetwork.Unit unit = units[u];
      conv1[u] = new VConv(unit.conv1, length);
      p1 = Math.max(p1, unit.cin * rowFloats(length, unit.stride));
      if (unit.stride == 2) {
        even = Math.max(even, unit.cin * (length / 2));
      }
      length = conv1[u].outLength;
      conv2[u] = new VConv(unit.conv2, length);
      p2 = Math.max(p2, unit.cout * rowFloats(length, 1));
      x = Math.max(x, Math.max(unit.cin, unit.cout) * length);
      wide = Math.max(wide, unit.cout);
    }
    headScale = head.scale;
    headShift = head.shift;
    p1Floats = p1;
    p2Floats = p2;
    xFloats = x;
    evenFloats = Math.max(even, 1);
    widest = wide;
  }

  /** Per-thread buffers of this pass, flat and channel-major. */
  static final class Work {
    final float[] p1;
    final float[] p2;
    final float[] x;
    final float[] y;
    final float[][] even;
    /** A row of zeros: the shortcut of channels that have none (zero padding). */
    final float[] zeros;
    final float[] absSum;

    Work(VectorForward f) {
      p1 = new float[f.p1Floats];
      p2 = new float[f.p2Floats];
      x = new float[f.xFloats];
      y = new float[f.xFloats];
      even = new float[][] {new float[f.evenFloats], new float[f.evenFloats]};
      absSum = new float[f.widest];
      zeros = new float[f.xFloats];
    }
  }

  @Override
  public Object newWork() {
    return new Work(this);
  }

  /**
   * Runs stem and units on {@code input} and leaves the head's pooled features, mean(ReLU(norm(x_c))), in
   * {@code pooled}; {@code s} provides the threshold branch's small vectors. A probe (or null) is given each
   * shrinkage unit's thresholds, and a unit probe (or null) every unit's channel means, as in the scalar pass.
   */
  @Override
  public void pooled(float[] input, LeanNetwork.Scratch s, Object work, float[] pooled,
      LeanNetwork.ShrinkageProbe probe, LeanNetwork.UnitProbe unitProbe) {
    Work w = (Work) work;
    int length = inputLength;
    for (int c = 0; c < inputChannels; c++) {
      prepare(input, c * length, length, 1f, 0f, false, stem.stride, w.p1, c, null);
    }
    conv(w.p1, stem, w.x, 0, stem.outLength, PLAIN, null);
    length = stem.outLength;
    float[] x = w.x;
    float[] y = w.y;
    LeanNetwork.Unit first = units[0];
    for (int c = 0; c < first.cin; c++) {
      prepare(x, c * length, length, first.norm1.scale[c], first.norm1.shift[c], true, first.stride, w.p1, c,
          first.stride == 2 ? w.even[0] : null);
    }
    for (int u = 0; u < units.length; u++) {
      LeanNetwork.Unit unit = units[u];
      VConv c1 = conv1[u];
      int out = c1.outLength;
      int row = out + 2;
      conv(w.p1, c1, w.p2, 1, row, RELU, null);
      for (int o = 0; o < unit.cout; o++) {
        w.p2[o * row] = 0f;
        w.p2[o * row + out + 1] = 0f;
      }
      boolean thresholded = unit.alphas > 0;
      if (thresholded) {
        java.util.Arrays.fill(w.absSum, 0, unit.cout, 0f);
      }
      conv(w.p2, conv2[u], y, 0, out, thresholded ? ABS_SUM : PLAIN, w.absSum);
      if (thresholded) {
        double zSum = 0;
        for (int c = 0; c < unit.cout; c++) {
          s.z[c] = w.absSum[c] / out;
          zSum += s.z[c];
        }
        float zMean = unit.thresholds(s, zSum);
        if (probe != null) {
          unit.report(y, out, s.tau, zMean, probe, u);
        }
      }
      LeanNetwork.Unit next = u + 1 < units.length ? units[u + 1] : null;
      finish(unit, next, x, y, length, out, s, w, u, pooled);
      if (unitProbe != null) {
        // finish left the unit's output in y, channel c's row from c · out.
        for (int c = 0; c < unit.cout; c++) {
          s.channelMeans[c] = LeanNetwork.rowMean(y, c * out, out);
        }
        unitProbe.unit(u, s.channelMeans, unit.cout);
      }
      float[] t = x;
      x = y;
      y = t;
      length = out;
    }
  }

  /**
   * The unit's last pass over its output rows y ({@code out} long): soft threshold, identity shortcut from x (its
   * input, {@code inLength} long; the even phase kept by {@link #prepare} when the unit has stride 2), then the next
   * unit's norm1 and ReLU into its convolution's input, or, after the last unit, the head's pooled features.
   */
  private void finish(LeanNetwork.Unit unit, LeanNetwork.Unit next, float[] x, float[] y, int inLength, int out,
      LeanNetwork.Scratch s, Work w, int index, float[] pooled) {
    boolean thresholded = unit.alphas > 0;
    boolean channelWise = unit.threshold == ThresholdMode.CHANNEL_WISE;
    boolean identity = unit.shortcut == Shortcut.ZERO_PAD;
    float[] shortcut = unit.stride == 1 ? x : w.even[index % 2];
    int shortcutRow = unit.stride == 1 ? inLength : inLength / 2;
    for (int c = 0; c < unit.cout; c++) {
      // τ = 0 leaves y as it is (y − clamp(y, −0, 0) = y) and a zero row adds nothing: the loops have no branches,
      // which would make C2 allocate the vectors that meet after them.
      float t = thresholded ? s.tau[channelWise ? c : 0] : 0f;
      boolean add = identity && c < unit.cin;
      float[] from = add ? shortcut : w.zeros;
      int at = add ? c * shortcutRow : 0;
      float a = next != null ? next.norm1.scale[c] : headScale[c];
      float b = next != null ? next.norm1.shift[c] : headShift[c];
      int yb = c * out;
      if (next != null && next.stride == 1) {
        int pb = c * (out + 2);
        shrinkInto(y, yb, out, t, from, at, a, b, w.p1, pb + 1);
        w.p1[pb] = 0f;
        w.p1[pb + out + 1] = 0f;
      } else {
        float sum = shrinkPool(y, yb, out, t, from, at, a, b);
        if (next == null) {
          pooled[c] = sum / out;
        } else {
          prepare(y, yb, out, a, b, true, 2, w.p1, c, w.even[(index + 1) % 2]);
        }
      }
    }
  }

  /**
   * y ← y − clamp(y, −t, t) + from (the soft threshold and the shortcut) over y[yb .. yb + n), and the next
   * convolution's input ReLU(a·y + b) into {@code dst} from {@code db}.
   */
  private static void shrinkInto(float[] y, int yb, int n, float t, float[] from, int at, float a, float b,
      float[] dst, int db) {
    FloatVector tau = FloatVector.broadcast(S, t);
    FloatVector negTau = FloatVector.broadcast(S, -t);
    FloatVector av = FloatVector.broadcast(S, a);
    FloatVector bv = FloatVector.broadcast(S, b);
    FloatVector zero = FloatVector.broadcast(S, 0f);
    for (int j = 0; j < n; j += LANES) {
      FloatVector v = FloatVector.fromArray(S, y, yb + j);
      v = v.sub(v.min(tau).max(negTau)).add(FloatVector.fromArray(S, from, at + j));
      v.intoArray(y, yb + j);
      v.fma(av, bv).max(zero).intoArray(dst, db + j);
    }
  }

  /** As {@link #shrinkInto}, returning Σ ReLU(a·y + b) (the head's pool) instead of storing it. */
  private static float shrinkPool(float[] y, int yb, int n, float t, float[] from, int at, float a, float b) {
    FloatVector tau = FloatVector.broadcast(S, t);
    FloatVector negTau = FloatVector.broadcast(S, -t);
    FloatVector av = FloatVector.broadcast(S, a);
    FloatVector bv = FloatVector.broadcast(S, b);
    FloatVector zero = FloatVector.broadcast(S, 0f);
    FloatVector sum = zero;
    for (int j = 0; j < n; j += LANES) {
      FloatVector v = FloatVector.fromArray(S, y, yb + j);
      v = v.sub(v.min(tau).max(negTau)).add(FloatVector.fromArray(S, from, at + j));
      v.intoArray(y, yb + j);
      sum = sum.add(v.fma(av, bv).max(zero));
    }
    return sum.reduceLanes(VectorOperators.ADD);
  }

  /**
   * Writes channel c's row of a convolution's input: v = a·src + b (then ReLU if {@code relu}) from
   * {@code src[from .. from + length)}, padded with a zero on each side (stride 1) or split into its even phase with
   * a zero after it and its odd phase (stride 2; then also the raw even phase into {@code even}, the shortcut's
   * subsampled input, when not null).
   */
  private static void prepare(float[] src, int from, int length, float a, float b, boolean relu, int stride,
      float[] dst, int c, float[] even) {
    float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
    if (stride == 1) {
      int base = c * (length + 2);
      dst[base] = 0f;
      dst[base + length + 1] = 0f;
      for (int j = 0; j < length; j++) {
        dst[base + 1 + j] = Math.max(a * src[from + j] + b, floor);
      }
      return;
    }
    int half = length / 2;
    int e = c * (length + 1);
    int o = e + half + 1;
    FloatVector av = FloatVector.broadcast(S, a);
    FloatVector bv = FloatVector.broadcast(S, b);
    FloatVector fv = FloatVector.broadcast(S, floor);
    int raw = even == null ? -1 : c * half;
    for (int j = 0; j < half; j += LANES) {
      // Lanes 2j .. 2j + 2·LANES − 1 of the row, split into their even and odd lanes (half of the shuffle's indexes
      // point into the second vector).
      FloatVector v0 = FloatVector.fromArray(S, src, from + 2 * j);
      FloatVector v1 = FloatVector.fromArray(S, src, from + 2 * j + LANES);
      FloatVector ve = v0.rearrange(EVEN).blend(v1.rearrange(EVEN), UPPER);
      FloatVector vo = v0.rearrange(ODD).blend(v1.rearrange(ODD), UPPER);
      ve.fma(av, bv).max(fv).intoArray(dst, e + j);
      vo.fma(av, bv).max(fv).intoArray(dst, o + j);
      if (raw >= 0) {
        ve.intoArray(even, raw + j);
      }
    }
    dst[e + half] = 0f;
  }

  /** A kernel-3 convolution repacked for {@link #conv}: weights grouped by 4 output channels, tap offsets. */
  private static final class VConv {
    final int cin;
    final int cout;
    final int stride;
    final int outLength;
    /** Weights [cout / 4][cin][3][4]: the 4 outputs' weights of one input and tap side by side. */
    final float[] w;
    final float[] bias;
    /** Offset of input i's tap t, at index i·3 + t, in the layout {@link #prepare} writes. */
    final int[] taps;

    VConv(LeanNetwork.Conv conv, int inLength) {
      cin = conv.cin;
      cout = conv.cout;
      stride = conv.stride;
      outLength = outLength(inLength, conv.stride);
      bias = conv.bias.clone();
      w = new float[conv.w.length];
      for (int ob = 0; ob < cout; ob += 4) {
        for (int i = 0; i < cin; i++) {
          for (int t = 0; t < 3; t++) {
            for (int r = 0; r < 4; r++) {
              w[((ob / 4 * cin + i) * 3 + t) * 4 + r] = conv.w[((ob + r) * cin + i) * 3 + t];
            }
          }
        }
      }
      taps = new int[cin * 3];
      int row = rowFloats(inLength, conv.stride);
      for (int i = 0; i < cin; i++) {
        // Stride 1: the padded row, shifted by the tap. Stride 2: even[j], odd[j], even[j + 1].
        int base = i * row;
        taps[i * 3] = base;
        taps[i * 3 + 1] = conv.stride == 1 ? base + 1 : base + inLength / 2 + 1;
        taps[i * 3 + 2] = conv.stride == 1 ? base + 2 : base + 1;
      }
    }
  }

  /**
   * out[from + o·row + j] = bias[o] + Σ_i Σ_t w[o][i][t] · in[taps[i·3 + t] + j], then ReLU ({@code RELU}), or with
   * Σ_j |out| added to {@code absSum[o]} ({@code ABS_SUM}). One tile per call: C2 inlines neither a larger loop nest
   * with its 16 vector accumulators nor helper methods for the stores, and vectors that cross a call that was not
   * inlined are allocated as objects.
   */
  private static void conv(float[] in, VConv c, float[] out, int from, int row, int mode, float[] absSum) {
    int n = c.outLength;
    int wide = 4 * LANES;
    for (int ob = 0; ob < c.cout; ob += 4) {
      int j = 0;
      for (; j + wide <= n; j += wide) {
        tile(in, c, ob, j, out, from + ob * row + j, row, mode, absSum);
      }
      for (; j < n; j += LANES) {
        column(in, c, ob, j, out, from + ob * row + j, row, mode, absSum);
      }
    }
  }

  /** Output channels ob .. ob + 3 at positions j .. j + 4·LANES − 1 (see {@link #conv}), stored from {@code at}. */
  private static void tile(float[] in, VConv c, int ob, int j, float[] out, int at, int row, int mode,
      float[] absSum) {
    int terms = c.cin * 3;
    int[] taps = c.taps;
    float[] w = c.w;
    FloatVector a00 = FloatVector.broadcast(S, c.bias[ob]);
    FloatVector a10 = FloatVector.broadcast(S, c.bias[ob + 1]);
    FloatVector a20 = FloatVector.broadcast(S, c.bias[ob + 2]);
    FloatVector a30 = FloatVector.broadcast(S, c.bias[ob + 3]);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a11 = a10;
    FloatVector a12 = a10;
    FloatVector a13 = a10;
    FloatVector a21 = a20;
    FloatVector a22 = a20;
    FloatVector a23 = a20;
    FloatVector a31 = a30;
    FloatVector a32 = a30;
    FloatVector a33 = a30;
    for (int k = 0, wk = ob * terms; k < terms; k++, wk += 4) {
      int p = taps[k] + j;
      FloatVector x0 = FloatVector.fromArray(S, in, p);
      FloatVector x1 = FloatVector.fromArray(S, in, p + LANES);
      FloatVector x2 = FloatVector.fromArray(S, in, p + 2 * LANES);
      FloatVector x3 = FloatVector.fromArray(S, in, p + 3 * LANES);
      FloatVector w0 = FloatVector.broadcast(S, w[wk]);
      a00 = x0.fma(w0, a00);
      a01 = x1.fma(w0, a01);
      a02 = x2.fma(w0, a02);
      a03 = x3.fma(w0, a03);
      FloatVector w1 = FloatVector.broadcast(S, w[wk + 1]);
      a10 = x0.fma(w1, a10);
      a11 = x1.fma(w1, a11);
      a12 = x2.fma(w1, a12);
      a13 = x3.fma(w1, a13);
      FloatVector w2 = FloatVector.broadcast(S, w[wk + 2]);
      a20 = x0.fma(w2, a20);
      a21 = x1.fma(w2, a21);
      a22 = x2.fma(w2, a22);
      a23 = x3.fma(w2, a23);
      FloatVector w3 = FloatVector.broadcast(S, w[wk + 3]);
      a30 = x0.fma(w3, a30);
      a31 = x1.fma(w3, a31);
      a32 = x2.fma(w3, a32);
      a33 = x3.fma(w3, a33);
    }
    // ReLU as max(v, 0), or max(v, −∞) = v: without a branch, after which C2 would allocate the vectors.
    FloatVector floor = FloatVector.broadcast(S, mode == RELU ? 0f : Float.NEGATIVE_INFINITY);
    a00 = a00.max(floor);
    a01 = a01.max(floor);
    a02 = a02.max(floor);
    a03 = a03.max(floor);
    a10 = a10.max(floor);
    a11 = a11.max(floor);
    a12 = a12.max(floor);
    a13 = a13.max(floor);
    a20 = a20.max(floor);
    a21 = a21.max(floor);
    a22 = a22.max(floor);
    a23 = a23.max(floor);
    a30 = a30.max(floor);
    a31 = a31.max(floor);
    a32 = a32.max(floor);
    a33 = a33.max(floor);
    int at1 = at + row;
    int at2 = at1 + row;
    int at3 = at2 + row;
    a00.intoArray(out, at);
    a01.intoArray(out, at + LANES);
    a02.intoArray(out, at + 2 * LANES);
    a03.intoArray(out, at + 3 * LANES);
    a10.intoArray(out, at1);
    a11.intoArray(out, at1 + LANES);
    a12.intoArray(out, at1 + 2 * LANES);
    a13.intoArray(out, at1 + 3 * LANES);
    a20.intoArray(out, at2);
    a21.intoArray(out, at2 + LANES);
    a22.intoArray(out, at2 + 2 * LANES);
    a23.intoArray(out, at2 + 3 * LANES);
    a30.intoArray(out, at3);
    a31.intoArray(out, at3 + LANES);
    a32.intoArray(out, at3 + 2 * LANES);
    a33.intoArray(out, at3 + 3 * LANES);
    if (mode == ABS_SUM) {
      absSum[ob] += a00.abs().add(a01.abs()).add(a02.abs().add(a03.abs())).reduceLanes(VectorOperators.ADD);
      absSum[ob + 1] += a10.abs().add(a11.abs()).add(a12.abs().add(a13.abs())).reduceLanes(VectorOperators.ADD);
      absSum[ob + 2] += a20.abs().add(a21.abs()).add(a22.abs().add(a23.abs())).reduceLanes(VectorOperators.ADD);
      absSum[ob + 3] += a30.abs().add(a31.abs()).add(a32.abs().add(a33.abs())).reduceLanes(VectorOperators.ADD);
    }
  }

  /** As {@link #tile} for one vector of positions (the rest of a row that is not a whole tile). */
  private static void column(float[] in, VConv c, int ob, int j, float[] out, int at, int row, int mode,
      float[] absSum) {
    int terms = c.cin * 3;
    int[] taps = c.taps;
    float[] w = c.w;
    FloatVector a0 = FloatVector.broadcast(S, c.bias[ob]);
    FloatVector a1 = FloatVector.broadcast(S, c.bias[ob + 1]);
    FloatVector a2 = FloatVector.broadcast(S, c.bias[ob + 2]);
    FloatVector a3 = FloatVector.broadcast(S, c.bias[ob + 3]);
    for (int k = 0, wk = ob * terms; k < terms; k++, wk += 4) {
      FloatVector x = FloatVector.fromArray(S, in, taps[k] + j);
      a0 = x.fma(FloatVector.broadcast(S, w[wk]), a0);
      a1 = x.fma(FloatVector.broadcast(S, w[wk + 1]), a1);
      a2 = x.fma(FloatVector.broadcast(S, w[wk + 2]), a2);
      a3 = x.fma(FloatVector.broadcast(S, w[wk + 3]), a3);
    }
    FloatVector floor = FloatVector.broadcast(S, mode == RELU ? 0f : Float.NEGATIVE_INFINITY);
    a0 = a0.max(floor);
    a1 = a1.max(floor);
    a2 = a2.max(floor);
    a3 = a3.max(floor);
    a0.intoArray(out, at);
    a1.intoArray(out, at + row);
    a2.intoArray(out, at + 2 * row);
    a3.intoArray(out, at + 3 * row);
    if (mode == ABS_SUM) {
      absSum[ob] += a0.abs().reduceLanes(VectorOperators.ADD);
      absSum[ob + 1] += a1.abs().reduceLanes(VectorOperators.ADD);
      absSum[ob + 2] += a2.abs().reduceLanes(VectorOperators.ADD);
      absSum[ob + 3] += a3.abs().reduceLanes(VectorOperators.ADD);
    }
  }
}
