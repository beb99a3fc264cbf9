package io.github.drsn.signals;

/**
 * Per-window amplitude normalisation. Statistics are computed in double precision over the window only.
 * A constant window (max = min) has no scale; it maps to all zeros for every mode except {@link #NONE},
 * never to NaN.
 */
public enum Normalization {
  /** Values unchanged. */
  NONE,
  /** (x - mean) / std with the population standard deviation (divisor n): zero mean, unit variance. */
  Z_SCORE,
  /** (x - min) / (max - min), into [0, 1]. */
  MIN_MAX,
  /** 2 (x - min) / (max - min) - 1, into [-1, 1]. */
  PLUS_MINUS_ONE;

  /**
   * A normalised copy of {@code window}.
   *
   * @param window samples (not modified)
   * @return the normalised copy
   * @throws IllegalArgumentException if the window is null, empty or holds NaN/Inf
   */
  public double[] apply(double[] window) {
    Checks.requireSamples("window", window);
    double[] out = window.clone();
    if (this == NONE) {
      return out;
    }
    Affine map = fit(window);
    for (int i = 0; i < out.length; i++) {
      out[i] = map.apply(window[i]);
    }
    return out;
  }

  /**
   * Normalises {@code data[offset .. offset + length)} in place (statistics in double precision).
   *
   * @param data array holding the window
   * @param offset first sample of the window
   * @param length number of samples in the window
   * @throws IllegalArgumentException if the range is empty, out of bounds or holds NaN/Inf
   */
  public void applyInPlace(float[] data, int offset, int length) {
    Checks.requireSamples("data", data, offset, length);
    if (this == NONE) {
      return;
    }
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      values[i] = data[offset + i];
    }
    Affine map = fit(values);
    for (int i = 0; i < length; i++) {
      data[offset + i] = (float) map.apply(values[i]);
    }
  }

  /**
   * out = (x unit - shift) scale + offset, with unit the power of two that brings max|x| into [1, 2). All
   * three modes are invariant to a positive rescaling of x, so working on x unit is exact and keeps sums of
   * squares from overflowing or underflowing for windows near the ends of the double range. Constant
   * windows (max = min) get scale 0: exact zeros, never 0/0.
   */
  private record Affine(double unit, double shift, double scale, double offset) {
    double apply(double x) {
      return scale == 0 ? 0.0 : (x * unit - shift) * scale + offset;
    }
  }

  private Affine fit(double[] x) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (max == min) {
      return new Affine(1, 0, 0, 0);
    }
    double unit = Math.scalb(1.0, -Math.getExponent(Math.max(Math.abs(min), Math.abs(max))));
    double lo = min * unit;
    double range = max * unit - lo;
    switch (this) {
      case Z_SCORE -> {
        double sum = 0;
        for (double v : x) {
          sum += v * unit;
        }
        double mean = sum / x.length;
        double squares = 0;
        for (double v : x) {
          double d = v * unit - mean;
          squares += d * d;
        }
        double std = Math.sqrt(squares / x.length);
        return new Affine(unit, mean, std > 0 ? 1 / std : 0, 0);
      }
      case MIN_MAX -> {
        return new Affine(unit, lo, 1 / range, 0);
      }
      case PLUS_MINUS_ONE -> {
        return new Affine(unit, lo, 2 / range, -1);
      }
      default -> throw new IllegalStateException("unhandled normalisation " + this);
    }
  }
}
