package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;

/**
 * The out-of-distribution scores of {@link OodMethod} for one window, from its logits and pooled features. Every
 * score is "higher = less like the training data". Allocation-free: callers pass their working arrays.
 */
public final class OodScores {

  private OodScores() {}

  /** log Σ_k exp(z_k / T) over the first {@code n} logits, computed stably (max subtracted). */
  public static double logSumExp(double[] logits, int n, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      max = Math.max(max, logits[k] / temperature);
    }
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += Math.exp(logits[k] / temperature - max);
    }
    return max + Math.log(sum);
  }

  /** E = −T · log Σ_k exp(z_k / T) (Liu et al., NeurIPS 2020). */
  public static double energy(double[] logits, int n, double temperature) {
    return -temperature * logSumExp(logits, n, temperature);
  }

  /** −max_k softmax(z / T)_k = −exp(max_k z_k / T − logsumexp(z / T)) (Hendrycks and Gimpel, ICLR 2017). */
  public static double maxSoftmax(double[] logits, int n, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      max = Math.max(max, logits[k] / temperature);
    }
    return -Math.exp(max - logSumExp(logits, n, temperature));
  }

  /**
   * min_k (f − μ_k)ᵀ Σ⁻¹ (f − μ_k) (Lee et al., NeurIPS 2018).
   *
   * @param features f, at least {@code stats.features()} values
   * @param work at least {@code stats.features()} doubles of working memory
   */
  public static double mahalanobis(double[] features, Calibration.Mahalanobis stats, double[] work) {
    int d = stats.features();
    int classes = stats.classCount();
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      for (int i = 0; i < d; i++) {
        work[i] = features[i] - stats.mean(k, i);
      }
      double q = 0;
      for (int i = 0; i < d; i++) {
        double row = 0;
        for (int j = 0; j < d; j++) {
          row += stats.precision(i, j) * work[j];
        }
        q += work[i] * row;
      }
      best = Math.min(best, q);
    }
    return best;
  }

  /**
   * The score of {@code method}.
   *
   * @throws IllegalArgumentException for MAHALANOBIS without statistics
   */
  public static double score(OodMethod method, double[] logits, int n, double temperature, double[] features,
      Calibration.Mahalanobis stats, double[] work) {
    return switch (method) {
      case MAX_SOFTMAX -> maxSoftmax(logits, n, temperature);
      case ENERGY -> energy(logits, n, temperature);
      case MAHALANOBIS -> {
        if (stats == null) {
          throw new IllegalArgumentException("the Mahalanobis score needs class means and a precision matrix");
        }
        yield mahalanobis(features, stats, work);
      }
      case ENSEMBLE_DISAGREEMENT -> throw new IllegalArgumentException("the ensemble disagreement is not a function"
          + " of the pooled logits; compute it from the members' probabilities (EnsembleAverage.disagreement)");
    };
  }
}
