package io.github.drsn.model.layers.impl;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight-gradient reductions of {@link Kernels} with the Vector API ({@code jdk.incubator.vector}, JEP 414):
 * HotSpot does not vectorise floating-point reductions written as loops (Java fixes their order), so the scalar
 * version runs one multiply-add per lane-slot; here each sum is kept as a vector of partial sums, one per lane,
 * added across lanes at the end. The summation order differs from the scalar version's (the results agree to
 * rounding). Loaded only when the module is present ({@link Kernels#VECTOR}): the launcher adds it with
 * {@code --add-modules jdk.incubator.vector}; without it the scalar loops run.
 */
final class VectorDots {

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

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
}
