package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;
import java.util.Arrays;

/**
 * The threshold of a score (higher = more unusual) for a stated false-alarm rate α on in-distribution windows:
 * with the n scores sorted, t = s_(n − ⌊α·n⌋), the ⌊α·n⌋-th largest counted from above, so that at most ⌊α·n⌋ of the
 * windows (ties: fewer) score strictly above t. A window is flagged when its score &gt; t or is NaN
 * ({@link Calibration#flags}).
 */
public final class FalseAlarmThreshold {

  private FalseAlarmThreshold() {}

  /**
   * @throws IllegalArgumentException if there are no scores, one is not finite, or α is not in (0, 1)
   */
  public static double of(double[] inDistribution, double falseAlarmRate) {
    if (inDistribution.length == 0) {
      throw new IllegalArgumentException("no in-distribution scores to choose a threshold from");
    }
    if (!(falseAlarmRate > 0 && falseAlarmRate < 1)) {
      throw new IllegalArgumentException("the false-alarm rate must be in (0, 1), got " + falseAlarmRate);
    }
    double[] sorted = inDistribution.clone();
    for (double v : sorted) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("an in-distribution score is " + v + "; expected finite scores");
      }
    }
    Arrays.sort(sorted);
    int allowed = (int) Math.floor(falseAlarmRate * sorted.length);
    return sorted[sorted.length - 1 - allowed];
  }

  /** The fraction of {@code scores} flagged at {@code threshold}: above it or NaN ({@link Calibration#flags}). */
  public static double flagRate(double[] scores, double threshold) {
    int flagged = 0;
    for (double v : scores) {
      if (Calibration.flags(v, threshold)) {
        flagged++;
      }
    }
    return scores.length == 0 ? Double.NaN : flagged / (double) scores.length;
  }
}
