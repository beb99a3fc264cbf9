package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;

/**
 * The class-conditional Gaussians with one shared ("tied") covariance behind the Mahalanobis score (Lee et al.,
 * "A Simple Unified Framework for Detecting Out-of-Distribution Samples and Adversarial Attacks", NeurIPS 2018,
 * Eq. 1): μ_k = mean of the features of class k, Σ = (1/n) Σ_i (f_i − μ_{y_i})(f_i − μ_{y_i})ᵀ. Pooled ReLU
 * features can be constant (a channel that never fires gives a zero row), so Σ is shrunk towards a multiple of the
 * identity before inversion: Σ + λI with λ = 10⁻³ · trace(Σ)/d (10⁻¹² when Σ is zero); the inverse is taken by
 * Cholesky decomposition and symmetrised.
 */
public final class TiedGaussian {

  /** The shrinkage λ as a fraction of the mean variance. */
  public static final double SHRINKAGE = 1e-3;

  private TiedGaussian() {}

  /**
   * Fits class means and the shared precision matrix.
   *
   * @param features one row per window, all of the same length d ≤ {@link Calibration#MAX_FEATURES}
   * @param labels the windows' classes
   * @param classes number of classes; a class with no window gets the overall mean (it then still scores, but
   *     no window was seen near it, which the caller should report)
   * @throws IllegalArgumentException for mismatched sizes, a label out of range, or too many features
   */
  public static Calibration.Mahalanobis fit(double[][] features, int[] labels, int classes) {
    if (features.length == 0 || features.length != labels.length) {
      throw new IllegalArgumentException(features.length + " feature rows and " + labels.length + " labels; expected"
          + " as many of each, at least one");
    }
    int d = features[0].length;
    if (d < 1 || d > Calibration.MAX_FEATURES) {
      throw new IllegalArgumentException(d + " features; the Mahalanobis statistics are kept for 1 to "
          + Calibration.MAX_FEATURES);
    }
    double[][] means = new double[classes][d];
    int[] count = new int[classes];
    double[] overall = new double[d];
    for (int i = 0; i < features.length; i++) {
      if (features[i].length != d) {
        throw new IllegalArgumentException("feature row " + i + " has " + features[i].length + " values, row 0 has " + d);
      }
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of window " + i + " is not one of " + classes
            + " classes");
      }
      count[labels[i]]++;
      for (int j = 0; j < d; j++) {
        means[labels[i]][j] += features[i][j];
        overall[j] += features[i][j] / features.length;
      }
    }
    for (int k = 0; k < classes; k++) {
      for (int j = 0; j < d; j++) {
        means[k][j] = count[k] == 0 ? overall[j] : means[k][j] / count[k];
      }
    }
    double[] cov = new double[d * d];
    double[] diff = new double[d];
    for (int i = 0; i < features.length; i++) {
      for (int j = 0; j < d; j++) {
        diff[j] = features[i][j] - means[labels[i]][j];
      }
      for (int a = 0; a < d; a++) {
        for (int b = 0; b <= a; b++) {
          cov[a * d + b] += diff[a] * diff[b];
        }
      }
    }
    double trace = 0;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        cov[a * d + b] /= features.length;
        cov[b * d + a] = cov[a * d + b];
      }
      trace += cov[a * d + a];
    }
    double lambda = trace > 0 ? SHRINKAGE * trace / d : 1e-12;
    for (int a = 0; a < d; a++) {
      cov[a * d + a] += lambda;
    }
    return new Calibration.Mahalanobis(means, inverse(cov, d));
  }

  /** The inverse of a symmetric positive-definite matrix (row-major), by Cholesky: A = LLᵀ, A⁻¹ = L⁻ᵀL⁻¹. */
  static double[] inverse(double[] a, int d) {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i * d + j];
        for (int k = 0; k < j; k++) {
          sum -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            throw new IllegalArgumentException("the feature covariance is not positive definite (pivot " + i + " is "
                + sum + ")");
          }
          l[i * d + i] = Math.sqrt(sum);
        } else {
          l[i * d + j] = sum / l[j * d + j];
        }
      }
    }
    // L⁻¹ by forward substitution, column by column.
    double[] li = new double[d * d];
    for (int c = 0; c < d; c++) {
      for (int i = c; i < d; i++) {
        double sum = i == c ? 1 : 0;
        for (int k = c; k < i; k++) {
          sum -= l[i * d + k] * li[k * d + c];
        }
        li[i * d + c] = sum / l[i * d + i];
      }
    }
    double[] inv = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0;
        for (int k = i; k < d; k++) {
          sum += li[k * d + i] * li[k * d + j];
        }
        inv[i * d + j] = sum;
        inv[j * d + i] = sum;
      }
    }
    return inv;
  }
}
