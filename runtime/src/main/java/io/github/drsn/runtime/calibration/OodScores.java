package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;

/**
 * The out-of-distribution scores of {@link OodMethod} for one window, from its logits and pooled features (and, for
 * the layer ensemble, every residual unit's time-averaged output). Every
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
   * s = Σ_l (d_l − m_l) / s_l with d_l = min_k (f_l − μ_{l,k})ᵀ Σ_l⁻¹ (f_l − μ_{l,k}), the layer ensemble of
   * {@link OodMethod#MAHALANOBIS_LAYERS} (Lee et al., NeurIPS 2018, unweighted).
   *
   * @param layerFeatures f_l, one row per layer of at least {@code stats.layer(l).features()} values
   * @param work at least as many doubles as the widest layer has features
   */
  public static double mahalanobisLayers(double[][] layerFeatures, Calibration.LayerEnsemble stats, double[] work) {
    double sum = 0;
    for (int l = 0; l < stats.count(); l++) {
      sum += (mahalanobis(layerFeatures[l], stats.layer(l), work) - stats.distanceMean(l)) / stats.distanceSd(l);
    }
    return sum;
  }

  /**
   * The score of {@code method}.
   *
   * @param layerFeatures the features of every layer, for MAHALANOBIS_LAYERS (else unused, may be null)
   * @param layers the layer ensemble's statistics, for MAHALANOBIS_LAYERS (else unused, may be null)
   * @param work at least as many doubles as the widest feature vector scored
   * @throws IllegalArgumentException for MAHALANOBIS or MAHALANOBIS_LAYERS without their statistics or features
   */
  public static double score(OodMethod method, double[] logits, int n, double temperature, double[] features,
      Calibration.Mahalanobis stats, double[][] layerFeatures, Calibration.LayerEnsemble layers, double[] work) {
    return switch (method) {
      case MAX_SOFTMAX -> maxSoftmax(logits, n, temperature);
      case ENERGY -> energy(logits, n, temperature);
      case MAHALANOBIS -> {
        if (stats == null) {
          throw new IllegalArgumentException("the Mahalanobis score needs class means and a precision matrix");
        }
        yield mahalanobis(features, stats, work);
      }
      case MAHALANOBIS_LAYERS -> {
        if (layers == null || layerFeatures == null) {
          throw new IllegalArgumentException("the layer ensemble score needs per-layer statistics and every residual"
              + " unit's features" + (layers == null ? " (the calibration has no layer statistics)"
              : " (none were computed for this window)"));
        }
        yield mahalanobisLayers(layerFeatures, layers, work);
      }
      case ENSEMBLE_DISAGREEMENT -> throw new IllegalArgumentException("the ensemble disagreement is not a function"
          + " of the pooled logits; compute it from the members' probabilities (EnsembleAverage.disagreement)");
    };
  }
}
