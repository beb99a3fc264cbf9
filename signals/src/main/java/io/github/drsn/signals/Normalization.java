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
   * @throws IllegalArgumentException if the window is null, empty or holds NaN/Inf
   */
  public double[] apply(double[] window) {
    Checks.requireSamples("window", window);
    double[] out = window.clone();
    if (this == NONE) {
      return out;
    }
    double[] shiftScale = shiftAndScale(window, 0, window.length, out);
    for (int i = 0; i < out.length; i++) {
      out[i] = (out[i] - shiftScale[0]) * shiftScale[1] + shiftScale[2];
    }
    return out;
  }

  /**
   * Normalises {@code data[offset .. offset + length)} in place (statistics in double precision).
   *
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
    double[] shiftScale = shiftAndScale(values, 0, length, values);
    for (int i = 0; i < length; i++) {
      data[offset + i] = (float) ((values[i] - shiftScale[0]) * shiftScale[1] + shiftScale[2]);
    }
  }

  /** {shift, scale, offset} so that out = (x - shift) scale + offset; for constant input all zeros. */
  private double[] shiftAndScale(double[] x, int from, int to, double[] target) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = from; i < to; i++) {
      min = Math.min(min, x[i]);
      max = Math.max(max, x[i]);
      sum += x[i];
    }
    if (max == min) {
      // Subtracting a computed mean from identical values can leave rounding residue; force exact zeros.
      java.util.Arrays.fill(target, from, to, min);
      return new double[] {min, 0, 0};
    }
    int n = to - from;
    switch (this) {
      case Z_SCORE -> {
        double mean = sum / n;
        double squares = 0;
        for (int i = from; i < to; i++) {
          double d = x[i] - mean;
          squares += d * d;
        }
        double std = Math.sqrt(squares / n);
        return new double[] {mean, 1 / std, 0};
      }
      case MIN_MAX -> {
        return new double[] {min, 1 / (max - min), 0};
      }
      case PLUS_MINUS_ONE -> {
        return new double[] {min, 2 / (max - min), -1};
      }
      default -> throw new IllegalStateException("unhandled normalisation " + this);
    }
  }
}
