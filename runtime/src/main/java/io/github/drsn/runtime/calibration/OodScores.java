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
   * s = ‖ f/‖f‖ − z_(k) ‖₂, the deep nearest-neighbour distance of {@link OodMethod#KNN} (Sun, Ming, Zhu and Li, ICML
   * 2022): the Euclidean distance from the normalised features to the k-th nearest of the n normalised training
   * features z_i ({@code training}, unit rows). Brute force: all n squared distances (the rows as float32, the sums in
   * double), then the k-th smallest by selection (O(n), no sort), then its square root. All-zero features have no
   * direction; they are taken as the zero vector, at distance 1 from every unit row (the score is then 1, of a window
   * that is as far from every training direction as any can be without pointing away from it).
   *
   * @param features f, at least {@code training.features()} values
   * @param work at least {@code training.count()} doubles of working memory
   */
  public static double knn(double[] features, Calibration.Neighbours training, double[] work) {
    int d = training.features();
    int n = training.count();
    double norm = 0;
    for (int j = 0; j < d; j++) {
      norm += features[j] * features[j];
    }
    norm = Math.sqrt(norm);
    double scale = norm > 0 ? 1 / norm : 0;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < d; j++) {
        double diff = features[j] * scale - training.value(i, j);
        sum += diff * diff;
      }
      work[i] = sum;
    }
    return Math.sqrt(kthSmallest(work, n, training.k()));
  }

  /**
   * The k-th smallest (k from 1) of the first {@code n} values, which it reorders: Hoare's selection with a
   * median-of-three pivot, O(n) expected. NaN values are not expected (the features are finite).
   */
  static double kthSmallest(double[] a, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    int target = k - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      // Median of three into a[mid]: sorted lo, mid, hi.
      if (a[mid] < a[lo]) {
        swap(a, mid, lo);
      }
      if (a[hi] < a[lo]) {
        swap(a, hi, lo);
      }
      if (a[hi] < a[mid]) {
        swap(a, hi, mid);
      }
      double pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i++, j--);
        }
      }
      // Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] equal the pivot.
      if (target <= j) {
        hi = j;
      } else if (target >= i) {
        lo = i;
      } else {
        return pivot;
      }
    }
    return a[target];
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /**
   * How many doubles of working memory {@link #score} needs to score {@code method} under {@code calibration} (may be
   * null) for features (and layer features) at most {@code widestFeatures} long: the widest vector, or for
   * {@link OodMethod#KNN} one per training window when that is more.
   */
  public static int workLength(OodMethod method, Calibration calibration, int widestFeatures) {
    Calibration.Neighbours n = calibration == null || method != OodMethod.KNN ? null : calibration.neighbours();
    return n == null ? widestFeatures : Math.max(widestFeatures, n.count());
  }

  /**
   * The score of {@code method} under {@code calibration}'s temperature and statistics.
   *
   * @param layerFeatures the features of every layer, for MAHALANOBIS_LAYERS (else unused, may be null)
   * @param work at least {@link #workLength} doubles
   * @throws IllegalArgumentException for a feature method whose statistics (or layer features) are missing
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
      case KNN -> {
        if (calibration.neighbours() == null) {
          throw new IllegalArgumentException("the nearest-neighbour score needs the normalised training features"
              + " (the calibration has no " + Calibration.NEIGHBOURS_ENTRY + ": recalibrate the bundle)");
        }
        yield knn(features, calibration.neighbours(), work);
      }
      case ENSEMBLE_DISAGREEMENT -> throw new IllegalArgumentException("the ensemble disagreement is not a function"
          + " of the pooled logits; compute it from the members' probabilities (EnsembleAverage.disagreement)");
    };
  }
}
