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
   * s = min_k MD_k(f) − MD_0(f), the relative Mahalanobis distance of {@link OodMethod#RELATIVE_MAHALANOBIS} (Ren et
   * al., arXiv:2106.09022, 2021): MD_k the tied-covariance distance to class k ({@link #mahalanobis} with
   * {@code stats}), MD_0 the distance to the one background Gaussian of all training features ({@code background},
   * one mean). MD_0 does not depend on k, so the minimum of RMD_k = MD_k − MD_0 is the minimum of MD_k less MD_0.
   *
   * @param work at least {@code stats.features()} doubles of working memory
   */
  public static double relativeMahalanobis(double[] features, Calibration.Mahalanobis stats,
      Calibration.Mahalanobis background, double[] work) {
    return mahalanobis(features, stats, work) - mahalanobis(features, background, work);
  }

  /**
   * The score of {@code method} under {@code calibration}'s temperature and statistics.
   *
   * @param layerFeatures the features of every layer, for MAHALANOBIS_LAYERS (else unused, may be null)
   * @param work at least as many doubles as the widest feature vector scored
   * @throws IllegalArgumentException for a Mahalanobis method whose statistics (or layer features) are missing
   */
  public static double score(OodMethod method, double[] logits, int n, Calibration calibration, double[] features,
      double[][] layerFeatures, double[] work) {
    Calibration.Mahalanobis stats = calibration.mahalanobis();
    Calibration.LayerEnsemble layers = calibration.layers();
    return switch (method) {
      case MAX_SOFTMAX -> maxSoftmax(logits, n, calibration.temperature());
      case ENERGY -> energy(logits, n, calibration.temperature());
      case MAHALANOBIS -> {
        if (stats == null) {
          throw new IllegalArgumentException("the Mahalanobis score needs class means and a precision matrix");
        }
        yield mahalanobis(features, stats, work);
      }
      case RELATIVE_MAHALANOBIS -> {
        if (stats == null || calibration.background() == null) {
          throw new IllegalArgumentException("the relative Mahalanobis score needs the class Gaussians and the"
              + " background Gaussian of the pooled features (the calibration has no "
              + (stats == null ? "class Gaussians" : "background Gaussian: recalibrate the bundle") + ")");
        }
        yield relativeMahalanobis(features, stats, calibration.background(), work);
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
