package io.github.drsn.model.layers.impl;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight-gradient reductions of {@link Kernels} with the Vector API ({@code jdk.incubator.vector}, JEP 414):
 * HotSpot does not vectorise floating-point reductions written as loops (Java fixes their order), so the scalar
 * version runs one multiply-add per lane-slot; here each sum is kept as a vector of partial sums, one per lane,
 * added across lanes at the end. The summation order differs from the scalar version's (the results agree to
 * rounding). The float32 convolution's loops ({@link FloatConv}) are here too: its reductions, its output rows and
 * the lane-wise float/double conversions around them. Loaded only when the module is present
 * ({@link Kernels#VECTOR}): the launcher adds it with {@code --add-modules jdk.incubator.vector}; without it the
 * scalar loops run (and FLOAT networks convolve in double).
 */
final class VectorDots {

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  /** Floats as many as {@link #SPECIES} holds doubles: the other side of a lane-wise double/float conversion. */
  private static final VectorSpecies<Float> HALF_FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 2));

  private VectorDots() {
  }

  /** As {@link Kernels}' scalar pairedTripleDot: gradW[wa + t] += Σ e0·tap_t, gradW[wb + t] += Σ e1·tap_t. */
  static void pairedTripleDot(double[] e0, double[] e1, double[] a, double[] b, double[] c, int length,
      double[] gradW, int wa, int wb) {
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector t0 = s0;
    DoubleVector t1 = s0;
    DoubleVector t2 = s0;
    int step = SPECIES.length();
    int j = 0;
    for (int bound = SPECIES.loopBound(length); j < bound; j += step) {
      DoubleVector p = DoubleVector.fromArray(SPECIES, a, j);
      DoubleVector q = DoubleVector.fromArray(SPECIES, b, j);
      DoubleVector r = DoubleVector.fromArray(SPECIES, c, j);
      DoubleVector e = DoubleVector.fromArray(SPECIES, e0, j);
      DoubleVector f = DoubleVector.fromArray(SPECIES, e1, j);
      s0 = e.fma(p, s0);
      s1 = e.fma(q, s1);
      s2 = e.fma(r, s2);
      t0 = f.fma(p, t0);
      t1 = f.fma(q, t1);
      t2 = f.fma(r, t2);
    }
    double x0 = s0.reduceLanes(VectorOperators.ADD);
    double x1 = s1.reduceLanes(VectorOperators.ADD);
    double x2 = s2.reduceLanes(VectorOperators.ADD);
    double y0 = t0.reduceLanes(VectorOperators.ADD);
    double y1 = t1.reduceLanes(VectorOperators.ADD);
    double y2 = t2.reduceLanes(VectorOperators.ADD);
    for (; j < length; j++) {
      x0 = Math.fma(e0[j], a[j], x0);
      x1 = Math.fma(e0[j], b[j], x1);
      x2 = Math.fma(e0[j], c[j], x2);
      y0 = Math.fma(e1[j], a[j], y0);
      y1 = Math.fma(e1[j], b[j], y1);
      y2 = Math.fma(e1[j], c[j], y2);
    }
    gradW[wa] += x0;
    gradW[wa + 1] += x1;
    gradW[wa + 2] += x2;
    gradW[wb] += y0;
    gradW[wb + 1] += y1;
    gradW[wb + 2] += y2;
  }

  /** Σ a[ia + j]·b[ib + j], j &lt; count (as {@link Kernels#dot}). */
  static double dot(double[] a, int ia, double[] b, int ib, int count) {
    DoubleVector s = DoubleVector.zero(SPECIES);
    int step = SPECIES.length();
    int j = 0;
    for (int bound = SPECIES.loopBound(count); j < bound; j += step) {
      s = DoubleVector.fromArray(SPECIES, a, ia + j).fma(DoubleVector.fromArray(SPECIES, b, ib + j), s);
    }
    double sum = s.reduceLanes(VectorOperators.ADD);
    for (; j < count; j++) {
      sum = Math.fma(a[ia + j], b[ib + j], sum);
    }
    return sum;
  }

  /**
   * gradW[wa + t] += Σ_j e0[j]·tap_t[j] and gradW[wb + t] += Σ_j e1[j]·tap_t[j] for the three taps a, b, c, in
   * float lanes (as the double version; each float sum has at most a row's terms and is added to a double).
   */
  static void pairedTripleDot(float[] e0, float[] e1, float[] a, float[] b, float[] c, int length, double[] gradW,
      int wa, int wb) {
    FloatVector s0 = FloatVector.zero(FLOATS);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector t0 = s0;
    FloatVector t1 = s0;
    FloatVector t2 = s0;
    int step = FLOATS.length();
    int j = 0;
    for (int bound = FLOATS.loopBound(length); j < bound; j += step) {
      FloatVector p = FloatVector.fromArray(FLOATS, a, j);
      FloatVector q = FloatVector.fromArray(FLOATS, b, j);
      FloatVector r = FloatVector.fromArray(FLOATS, c, j);
      FloatVector e = FloatVector.fromArray(FLOATS, e0, j);
      FloatVector f = FloatVector.fromArray(FLOATS, e1, j);
      s0 = e.fma(p, s0);
      s1 = e.fma(q, s1);
      s2 = e.fma(r, s2);
      t0 = f.fma(p, t0);
      t1 = f.fma(q, t1);
      t2 = f.fma(r, t2);
    }
    float x0 = s0.reduceLanes(VectorOperators.ADD);
    float x1 = s1.reduceLanes(VectorOperators.ADD);
    float x2 = s2.reduceLanes(VectorOperators.ADD);
    float y0 = t0.reduceLanes(VectorOperators.ADD);
    float y1 = t1.reduceLanes(VectorOperators.ADD);
    float y2 = t2.reduceLanes(VectorOperators.ADD);
    for (; j < length; j++) {
      x0 = Math.fma(e0[j], a[j], x0);
      x1 = Math.fma(e0[j], b[j], x1);
      x2 = Math.fma(e0[j], c[j], x2);
      y0 = Math.fma(e1[j], a[j], y0);
      y1 = Math.fma(e1[j], b[j], y1);
      y2 = Math.fma(e1[j], c[j], y2);
    }
    gradW[wa] += x0;
    gradW[wa + 1] += x1;
    gradW[wa + 2] += x2;
    gradW[wb] += y0;
    gradW[wb + 1] += y1;
    gradW[wb + 2] += y2;
  }

  /** Σ a[j]·b[j], j &lt; count, in float lanes. */
  static float dot(float[] a, float[] b, int count) {
    FloatVector s = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int j = 0;
    for (int bound = FLOATS.loopBound(count); j < bound; j += step) {
      s = FloatVector.fromArray(FLOATS, a, j).fma(FloatVector.fromArray(FLOATS, b, j), s);
    }
    float sum = s.reduceLanes(VectorOperators.ADD);
    for (; j < count; j++) {
      sum = Math.fma(a[j], b[j], sum);
    }
    return sum;
  }

  /**
   * Rows o and o + 1 of a kernel-3 convolution from the shifted tap rows: y[j] = by + Σ_i Σ_t w[wo + 3i + t]·
   * taps[t][i][j], z[j] = bz + Σ_i Σ_t w[wv + 3i + t]·taps[t][i][j], j &lt; length. Tiles of four vectors per row
   * stay in registers across all input channels (12 loads per 24 multiply-adds, no accumulator traffic). The row
   * form the double kernels use (one pass per input channel, loading and storing both accumulator rows) measured
   * no faster in float than in double: its per-call cost dominates on the late stages' 128-float rows.
   */
  static void convPair(float[][][] taps, int cIn, float[] w, int wo, int wv, float by, float bz, float[] y, float[] z,
      int length) {
    int step = FLOATS.length();
    int j = 0;
    for (; j + 4 * step <= length; j += 4 * step) {
      FloatVector y0 = FloatVector.broadcast(FLOATS, by);
      FloatVector y1 = y0;
      FloatVector y2 = y0;
      FloatVector y3 = y0;
      FloatVector z0 = FloatVector.broadcast(FLOATS, bz);
      FloatVector z1 = z0;
      FloatVector z2 = z0;
      FloatVector z3 = z0;
      for (int i = 0; i < cIn; i++) {
        float[] a = taps[0][i];
        float[] b = taps[1][i];
        float[] c = taps[2][i];
        int k = wo + 3 * i;
        int m = wv + 3 * i;
        FloatVector w0 = FloatVector.broadcast(FLOATS, w[k]);
        FloatVector w1 = FloatVector.broadcast(FLOATS, w[k + 1]);
        FloatVector w2 = FloatVector.broadcast(FLOATS, w[k + 2]);
        FloatVector v0 = FloatVector.broadcast(FLOATS, w[m]);
        FloatVector v1 = FloatVector.broadcast(FLOATS, w[m + 1]);
        FloatVector v2 = FloatVector.broadcast(FLOATS, w[m + 2]);
        FloatVector p = FloatVector.fromArray(FLOATS, a, j);
        FloatVector q = FloatVector.fromArray(FLOATS, b, j);
        FloatVector r = FloatVector.fromArray(FLOATS, c, j);
        y0 = r.fma(w2, q.fma(w1, p.fma(w0, y0)));
        z0 = r.fma(v2, q.fma(v1, p.fma(v0, z0)));
        p = FloatVector.fromArray(FLOATS, a, j + step);
        q = FloatVector.fromArray(FLOATS, b, j + step);
        r = FloatVector.fromArray(FLOATS, c, j + step);
        y1 = r.fma(w2, q.fma(w1, p.fma(w0, y1)));
        z1 = r.fma(v2, q.fma(v1, p.fma(v0, z1)));
        p = FloatVector.fromArray(FLOATS, a, j + 2 * step);
        q = FloatVector.fromArray(FLOATS, b, j + 2 * step);
        r = FloatVector.fromArray(FLOATS, c, j + 2 * step);
        y2 = r.fma(w2, q.fma(w1, p.fma(w0, y2)));
        z2 = r.fma(v2, q.fma(v1, p.fma(v0, z2)));
        p = FloatVector.fromArray(FLOATS, a, j + 3 * step);
        q = FloatVector.fromArray(FLOATS, b, j + 3 * step);
        r = FloatVector.fromArray(FLOATS, c, j + 3 * step);
        y3 = r.fma(w2, q.fma(w1, p.fma(w0, y3)));
        z3 = r.fma(v2, q.fma(v1, p.fma(v0, z3)));
      }
      y0.intoArray(y, j);
      y1.intoArray(y, j + step);
      y2.intoArray(y, j + 2 * step);
      y3.intoArray(y, j + 3 * step);
      z0.intoArray(z, j);
      z1.intoArray(z, j + step);
      z2.intoArray(z, j + 2 * step);
      z3.intoArray(z, j + 3 * step);
    }
    if (j < length) {
      java.util.Arrays.fill(y, j, length, by);
      java.util.Arrays.fill(z, j, length, bz);
      for (int i = 0; i < cIn; i++) {
        int k = wo + 3 * i;
        int m = wv + 3 * i;
        for (int l = j; l < length; l++) {
          float p = taps[0][i][l];
          float q = taps[1][i][l];
          float r = taps[2][i][l];
          y[l] = Math.fma(w[k + 2], r, Math.fma(w[k + 1], q, Math.fma(w[k], p, y[l])));
          z[l] = Math.fma(w[m + 2], r, Math.fma(w[m + 1], q, Math.fma(w[m], p, z[l])));
        }
      }
    }
  }

  /** to[at + j] = (float) from[start + j], j &lt; count, converted lane-wise (HotSpot 17 does not vectorise the loop). */
  static void narrow(double[] from, int start, float[] to, int at, int count) {
    int step = SPECIES.length();
    int j = 0;
    for (int bound = SPECIES.loopBound(count); j < bound; j += step) {
      ((FloatVector) DoubleVector.fromArray(SPECIES, from, start + j)
          .convertShape(VectorOperators.D2F, HALF_FLOATS, 0)).intoArray(to, at + j);
    }
    for (; j < count; j++) {
      to[at + j] = (float) from[start + j];
    }
  }

  /** to[at + j] = from[j], j &lt; count: a float row widened lane-wise into a double tensor. */
  static void widen(float[] from, double[] to, int at, int count) {
    int step = HALF_FLOATS.length();
    int j = 0;
    for (int bound = HALF_FLOATS.loopBound(count); j < bound; j += step) {
      ((DoubleVector) FloatVector.fromArray(HALF_FLOATS, from, j).convertShape(VectorOperators.F2D, SPECIES, 0))
          .intoArray(to, at + j);
    }
    for (; j < count; j++) {
      to[at + j] = from[j];
    }
  }

  /** to[j] = (float) max(a·from[start + j] + b, 0), j &lt; count: a norm-ReLU row narrowed lane-wise. */
  static void affineReluNarrow(double[] from, int start, double a, double b, float[] to, int count) {
    DoubleVector va = DoubleVector.broadcast(SPECIES, a);
    DoubleVector vb = DoubleVector.broadcast(SPECIES, b);
    DoubleVector zero = DoubleVector.zero(SPECIES);
    int step = SPECIES.length();
    int j = 0;
    for (int bound = SPECIES.loopBound(count); j < bound; j += step) {
      ((FloatVector) DoubleVector.fromArray(SPECIES, from, start + j).fma(va, vb).max(zero)
          .convertShape(VectorOperators.D2F, HALF_FLOATS, 0)).intoArray(to, j);
    }
    for (; j < count; j++) {
      to[j] = (float) Math.max(Math.fma(a, from[start + j], b), 0.0);
    }
  }
}
