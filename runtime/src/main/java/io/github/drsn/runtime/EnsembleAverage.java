package io.github.drsn.runtime;

/**
 * How an ensemble of classifiers combines its members, one window at a time, and how much they disagree: the one
 * home of this arithmetic for the runtime's ensemble bundles ({@link LeanDiagnoser}), snapshot ensembles and any
 * other "average N networks" use (e.g. cross-validated models scoring their held-out windows).
 *
 * <ul>
 *   <li>The prediction is the mean of the members' softmax probabilities, p̄_k = (1/M) Σ_m p_m,k (Lakshminarayanan
 *       et al., "Simple and Scalable Predictive Uncertainty Estimation using Deep Ensembles", NeurIPS 2017; Huang et
 *       al., "Snapshot Ensembles: Train 1, get M for free", ICLR 2017).
 *   <li>Calibration comes after pooling ("pool, then calibrate", Ashukha et al., ICLR 2020; Rahaman and Thiery,
 *       NeurIPS 2021, show that averaging calibrated members makes an under-confident ensemble): the ensemble's
 *       logits are z̄_k = log p̄_k and its calibrated probabilities softmax(z̄ / T); at T = 1 they are p̄ exactly.
 *   <li>The disagreement is the mean Kullback-Leibler divergence of the members from their mean, (1/M) Σ_m
 *       KL(p_m ‖ p̄), which equals H(p̄) − (1/M) Σ_m H(p_m), the mutual information between the prediction and the
 *       member (Houlsby et al. 2011's BALD); 0 when all members agree, at most log M.
 * </ul>
 * Allocation-free; all arrays are the caller's.
 */
public final class EnsembleAverage {

  private EnsembleAverage() {}

  /**
   * p̄_k = (1/M) Σ_m p_m,k.
   *
   * @param members M rows of at least {@code classes} probabilities
   * @param out receives {@code classes} values
   * @throws IllegalArgumentException if there are no members
   */
  public static void mean(double[][] members, int classes, double[] out) {
    if (members.length == 0) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    for (int k = 0; k < classes; k++) {
      double sum = 0;
      for (double[] p : members) {
        sum += p[k];
      }
      out[k] = sum / members.length;
    }
  }

  /**
   * (1/M) Σ_m Σ_k p_m,k log(p_m,k / p̄_k), with 0 log 0 = 0; never negative (rounding is clamped to 0).
   *
   * @param mean p̄ of {@link #mean}
   */
  public static double disagreement(double[][] members, double[] mean, int classes) {
    double sum = 0;
    for (double[] p : members) {
      for (int k = 0; k < classes; k++) {
        if (p[k] > 0) {
          sum += p[k] * Math.log(p[k] / mean[k]);
        }
      }
    }
    return Math.max(0, sum / members.length);
  }

  /**
   * The ensemble's logits z̄_k = log p̄_k (−∞ where p̄_k = 0 is replaced by log of the smallest positive double, so
   * that scores and temperature scaling stay finite).
   */
  public static void logits(double[] mean, int classes, double[] out) {
    for (int k = 0; k < classes; k++) {
      out[k] = Math.log(Math.max(mean[k], Double.MIN_NORMAL));
    }
  }

  /**
   * The calibrated probabilities softmax(z̄ / T) of the ensemble's logits z̄ ({@link #logits}); at T = 1 they are
   * the mean probabilities themselves (copied, not recomputed, so that they are exact).
   */
  public static void calibrated(double[] mean, double[] logits, int classes, double temperature, float[] out) {
    if (temperature == 1.0) {
      for (int k = 0; k < classes; k++) {
        out[k] = (float) mean[k];
      }
      return;
    }
    double lse = io.github.drsn.runtime.calibration.OodScores.logSumExp(logits, classes, temperature);
    for (int k = 0; k < classes; k++) {
      out[k] = (float) Math.exp(logits[k] / temperature - lse);
    }
  }
}
