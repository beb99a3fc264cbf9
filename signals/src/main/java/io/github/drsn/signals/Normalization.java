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
    double[] map = new double[AFFINE_TERMS];
    fit(window, window.length, map, 0);
    for (int i = 0; i < out.length; i++) {
      out[i] = affine(map, 0, window[i]);
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
    applyInPlace(data, offset, length, new double[scratchLength(length)]);
  }

  /**
   * As {@link #applyInPlace(float[], int, int)} without allocating: {@code scratch} receives the window's values in
   * double precision and the fitted map (for callers that normalise many windows, such as an inference loop).
   *
   * @param scratch at least {@link #scratchLength(int) scratchLength(length)} values, overwritten
   * @throws IllegalArgumentException as {@link #applyInPlace(float[], int, int)}, or if scratch is too short
   */
  public void applyInPlace(float[] data, int offset, int length, double[] scratch) {
    Checks.requireSamples("data", data, offset, length);
    if (scratch.length < scratchLength(length)) {
      throw new IllegalArgumentException("scratch holds " + scratch.length + " values, a window of " + length
          + " needs " + scratchLength(length));
    }
    if (this == NONE) {
      return;
    }
    double[] values = scratch;
    for (int i = 0; i < length; i++) {
      values[i] = data[offset + i];
    }
    fit(values, length, values, length);
    for (int i = 0; i < length; i++) {
      data[offset + i] = (float) affine(values, length, values[i]);
    }
  }

  /** Length of the scratch array {@link #applyInPlace(float[], int, int, double[])} needs for a window. */
  public static int scratchLength(int windowLength) {
    return windowLength + AFFINE_TERMS;
  }

  /**
   * The fitted map is out = (x unit - shift) scale + offset, with unit the power of two that brings max|x| into
   * [1, 2). All three modes are invariant to a positive rescaling of x, so working on x unit is exact and keeps sums
   * of squares from overflowing or underflowing for windows near the ends of the double range. Constant windows
   * (max = min) get scale 0: exact zeros, never 0/0. Its four terms are kept in an array (unit, shift, scale,
   * offset) rather than an object so that the inference path allocates nothing.
   */
  private static final int AFFINE_TERMS = 4;

  private static void set(double[] map, int at, double unit, double shift, double scale, double offset) {
    map[at] = unit;
    map[at + 1] = shift;
    map[at + 2] = scale;
    map[at + 3] = offset;
  }

  private static double affine(double[] map, int at, double x) {
    double scale = map[at + 2];
    return scale == 0 ? 0.0 : (x * map[at] - map[at + 1]) * scale + map[at + 3];
  }

  private void fit(double[] x, int n, double[] map, int at) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
    }
    if (max == min) {
      set(map, at, 1, 0, 0, 0);
      return;
    }
    double unit = Math.scalb(1.0, -Math.getExponent(Math.max(Math.abs(min), Math.abs(max))));
    double lo = min * unit;
    double range = max * unit - lo;
    switch (this) {
      case Z_SCORE -> {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += x[i] * unit;
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
          double d = x[i] * unit - mean;
          squares += d * d;
        }
        double std = Math.sqrt(squares / n);
        set(map, at, unit, mean, std > 0 ? 1 / std : 0, 0);
        return;
      }
      case MIN_MAX -> {
        set(map, at, unit, lo, 1 / range, 0);
        return;
      }
      case PLUS_MINUS_ONE -> {
        set(map, at, unit, lo, 2 / range, -1);
        return;
      }
      default -> throw new IllegalStateException("unhandled normalisation " + this);
    }
  }
}
