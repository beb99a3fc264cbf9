package io.github.drsn.runtime.calibration;

import java.util.Arrays;

/**
 * Area under the ROC curve of a score that should be higher for positives (here: out-of-distribution windows) than
 * for negatives (in-distribution windows): the probability that a random positive scores above a random negative,
 * ties counting one half (the Mann-Whitney U statistic divided by n₊·n₋), computed from mid-ranks in O(n log n).
 */
public final class Auroc {

  private Auroc() {}

  /**
   * @throws IllegalArgumentException if either group is empty or a score is NaN
   */
  public static double of(double[] positives, double[] negatives) {
    if (positives.length == 0 || negatives.length == 0) {
      throw new IllegalArgumentException("AUROC needs both groups: " + positives.length + " positive and "
          + negatives.length + " negative scores");
    }
    int n = positives.length + negatives.length;
    double[][] all = new double[n][];
    for (int i = 0; i < positives.length; i++) {
      all[i] = new double[] {check(positives[i]), 1};
    }
    for (int i = 0; i < negatives.length; i++) {
      all[positives.length + i] = new double[] {check(negatives[i]), 0};
    }
    Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
    double rankSum = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && all[j][0] == all[i][0]) {
        j++;
      }
      double midRank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their mean
      for (int k = i; k < j; k++) {
        if (all[k][1] == 1) {
          rankSum += midRank;
        }
      }
      i = j;
    }
    double u = rankSum - positives.length * (positives.length + 1) / 2.0;
    return u / ((double) positives.length * negatives.length);
  }

  private static double check(double v) {
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("a score is NaN");
    }
    return v;
  }
}
