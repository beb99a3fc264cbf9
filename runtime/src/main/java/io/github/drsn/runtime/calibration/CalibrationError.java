package io.github.drsn.runtime.calibration;

/**
 * Expected calibration error (Guo et al., ICML 2017, Eq. 3; Naeini et al., AAAI 2015): the windows are put into M
 * equal-width bins of their confidence (bin m holds confidences in ((m − 1)/M, m/M], a confidence of 0 goes to the
 * first), and ECE = Σ_m (|B_m| / n) · |acc(B_m) − conf(B_m)|, where acc is the fraction of the bin's windows whose
 * predicted (arg-max) class is right and conf their mean confidence. A fraction in [0, 1]; 0.02 is "2 %".
 */
public final class CalibrationError {

  /** The number of bins of Guo et al. */
  public static final int BINS = 15;

  private CalibrationError() {}

  /**
   * ECE of confidences and correctness.
   *
   * @throws IllegalArgumentException if the arrays differ in length or are empty, a confidence is outside [0, 1],
   *     or {@code bins} is below 1
   */
  public static double ece(double[] confidence, boolean[] correct, int bins) {
    if (confidence.length == 0 || confidence.length != correct.length) {
      throw new IllegalArgumentException(confidence.length + " confidences and " + correct.length + " outcomes;"
          + " expected as many of each, at least one");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, got " + bins);
    }
    double[] conf = new double[bins];
    double[] hits = new double[bins];
    int[] count = new int[bins];
    for (int i = 0; i < confidence.length; i++) {
      double c = confidence[i];
      if (!(c >= 0 && c <= 1)) {
        throw new IllegalArgumentException("confidence " + i + " is " + c + ", expected a probability in [0, 1]");
      }
      int b = Math.min(bins - 1, Math.max(0, (int) Math.ceil(c * bins) - 1));
      conf[b] += c;
      hits[b] += correct[i] ? 1 : 0;
      count[b]++;
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        ece += Math.abs(hits[b] - conf[b]) / confidence.length;
      }
    }
    return ece;
  }

  /** ECE with {@link #BINS} bins of the arg-max of softmax(z / T) against the labels. */
  public static double ece(double[][] logits, int[] labels, double temperature) {
    TemperatureScaling.check(logits, labels);
    double[] confidence = new double[logits.length];
    boolean[] correct = new boolean[logits.length];
    for (int i = 0; i < logits.length; i++) {
      double[] z = logits[i];
      int best = 0;
      for (int k = 1; k < z.length; k++) {
        if (z[k] > z[best]) {
          best = k;
        }
      }
      confidence[i] = -OodScores.maxSoftmax(z, z.length, temperature);
      correct[i] = best == labels[i];
    }
    return ece(confidence, correct, BINS);
  }
}
