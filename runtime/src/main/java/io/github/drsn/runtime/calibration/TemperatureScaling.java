package io.github.drsn.runtime.calibration;

/**
 * Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017): one scalar T &gt; 0 such
 * that softmax(z / T) is calibrated, fitted by minimising the mean negative log-likelihood of held-out windows,
 * NLL(T) = (1/n) Σ_i [log Σ_k exp(z_ik / T) − z_{i,y_i} / T]. NLL is convex in 1/T, hence unimodal in log T, and
 * is minimised by golden-section search on log T over [1/100, 100]. The arg-max class, and so the accuracy, does not
 * change with T.
 *
 * <p>When every held-out window's arg-max is its label, NLL falls without bound as T → 0 and has no minimiser: the
 * search would stop at T = 1/100 and call every later window certain, the wrong ones too. The held-out windows then
 * give no evidence against the network's own confidence, and T = 1 is kept.
 */
public final class TemperatureScaling {

  /** Smallest temperature searched: the smallest a bundle may hold. */
  public static final double MIN_T = io.github.drsn.contract.Calibration.MIN_TEMPERATURE;
  /** Largest temperature searched. */
  public static final double MAX_T = io.github.drsn.contract.Calibration.MAX_TEMPERATURE;

  private TemperatureScaling() {}

  /**
   * The mean negative log-likelihood (nats) of the labels under softmax(z / T).
   *
   * @throws IllegalArgumentException if the arrays differ in length, are empty, or a label is out of range
   */
  public static double nll(double[][] logits, int[] labels, double temperature) {
    check(logits, labels);
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      sum += OodScores.logSumExp(logits[i], logits[i].length, temperature) - logits[i][labels[i]] / temperature;
    }
    return sum / logits.length;
  }

  /**
   * The temperature minimising {@link #nll}, to a relative precision of 1e-6; 1 when every window is classified
   * right (no minimiser, see the class comment).
   *
   * @throws IllegalArgumentException as {@link #nll}, or if a logit is not finite
   */
  public static double fit(double[][] logits, int[] labels) {
    check(logits, labels);
    for (double[] row : logits) {
      for (double z : row) {
        if (!Double.isFinite(z)) {
          throw new IllegalArgumentException("logits must be finite to fit a temperature, found " + z);
        }
      }
    }
    if (allRight(logits, labels)) {
      return 1;
    }
    double golden = (Math.sqrt(5) - 1) / 2;
    double a = Math.log(MIN_T);
    double b = Math.log(MAX_T);
    double c = b - golden * (b - a);
    double d = a + golden * (b - a);
    double fc = nll(logits, labels, Math.exp(c));
    double fd = nll(logits, labels, Math.exp(d));
    while (b - a > 1e-6) {
      if (fc <= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - golden * (b - a);
        fc = nll(logits, labels, Math.exp(c));
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + golden * (b - a);
        fd = nll(logits, labels, Math.exp(d));
      }
    }
    return Math.exp((a + b) / 2);
  }

  private static boolean allRight(double[][] logits, int[] labels) {
    for (int i = 0; i < logits.length; i++) {
      for (int k = 0; k < logits[i].length; k++) {
        if (k != labels[i] && logits[i][k] >= logits[i][labels[i]]) {
          return false;
        }
      }
    }
    return true;
  }

  static void check(double[][] logits, int[] labels) {
    if (logits.length == 0 || logits.length != labels.length) {
      throw new IllegalArgumentException(logits.length + " logit rows and " + labels.length + " labels; expected as"
          + " many of each, at least one");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= logits[i].length) {
        throw new IllegalArgumentException("label " + labels[i] + " of window " + i + " is not one of the "
            + logits[i].length + " classes");
      }
    }
  }
}
