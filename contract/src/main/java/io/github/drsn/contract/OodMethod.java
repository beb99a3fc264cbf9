package io.github.drsn.contract;

/**
 * An out-of-distribution score of one window, computed from the network's logits z (K classes), the calibration
 * temperature T and, for Mahalanobis, the pooled features f (global average pool of the head's ReLU, the dense
 * layer's input). Every score is oriented the same way: <em>higher means less like the training data</em>, so one
 * rule flags a window as unknown: score &gt; threshold.
 */
public enum OodMethod {
  /** s = −max_k softmax(z/T)_k: the negated calibrated confidence (Hendrycks and Gimpel, ICLR 2017). */
  MAX_SOFTMAX,
  /** s = E(z) = −T · log Σ_k exp(z_k / T): the free energy of the logits (Liu et al., NeurIPS 2020). */
  ENERGY,
  /**
   * s = min_k (f − μ_k)ᵀ Σ⁻¹ (f − μ_k): the squared Mahalanobis distance to the nearest class mean with one shared
   * (tied) covariance Σ of the pooled features, fitted on in-distribution data (Lee et al., NeurIPS 2018; without
   * their input pre-processing and layer ensemble). For an ensemble, f is the members' pooled features concatenated.
   */
  MAHALANOBIS,
  /**
   * For an ensemble bundle only: s = (1/M) Σ_m KL(p_m ‖ p̄) = H(p̄) − (1/M) Σ_m H(p_m), the mean Kullback-Leibler
   * divergence of the M members' softmax probabilities p_m (at T = 1) from their mean p̄, which equals the mutual
   * information between the prediction and the choice of member (the "BALD" disagreement, Houlsby et al. 2011;
   * Lakshminarayanan et al. 2017 use it for deep ensembles). 0 when the members agree, at most log M.
   */
  ENSEMBLE_DISAGREEMENT
}
