package io.github.drsn.model.eval;

import java.util.Collection;
import java.util.Locale;

/**
 * Mean and sample standard deviation of a metric over repeated runs (e.g. seeds):
 * mean = (1/n) Σ x_i, std = sqrt( Σ (x_i − mean)² / (n − 1) ) (Bessel's correction, as
 * {@code numpy.std(x, ddof=1)} and {@code pandas.Series.std()}).
 *
 * <p>With a single value the sample standard deviation is undefined, so {@code std} is {@link Double#NaN}
 * (pandas gives NaN too); {@link #format} prints such a summary without a "±" part. The sum of squares is
 * taken around the mean (two-pass), which is exact for values that are all equal.
 *
 * @param n number of values, at least 1
 * @param mean arithmetic mean
 * @param std sample standard deviation, NaN when n = 1
 * @param min smallest value
 * @param max largest value
 */
public record Summary(int n, double mean, double std, double min, double max) {

  /**
   * Summarises {@code values}.
   *
   * @throws IllegalArgumentException if there are no values or one is NaN or infinite
   */
  public static Summary of(double... values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("cannot summarise an empty set of values");
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("value " + i + " is not finite: " + v);
      }
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    int n = values.length;
    double mean = sum / n;
    double std = Double.NaN;
    if (n > 1) {
      double squares = 0;
      for (double v : values) {
        squares += (v - mean) * (v - mean);
      }
      std = Math.sqrt(squares / (n - 1));
    }
    return new Summary(n, mean, std, min, max);
  }

  /** Summarises a collection of values; see {@link #of(double...)}. */
  public static Summary of(Collection<? extends Number> values) {
    return of(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  /** True when a standard deviation exists (n ≥ 2). */
  public boolean hasStd() {
    return n > 1;
  }

  /**
   * "mean ± std" with {@code decimals} decimals after multiplying both by {@code scale} (100 for percent),
   * or just "mean" when n = 1.
   */
  public String format(double scale, int decimals) {
    String pattern = "%." + decimals + "f";
    String m = String.format(Locale.ROOT, pattern, mean * scale);
    return hasStd() ? m + " ± " + String.format(Locale.ROOT, pattern, std * scale) : m;
  }
}
