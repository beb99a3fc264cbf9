package io.github.drsn.contract;

/**
 * An out-of-distribution score of one window, computed from the network's logits z (K classes), the calibration
 * temperature T and, for Mahalanobis and the nearest-neighbour distance, the pooled features f (global average pool
 * of the head's ReLU, the dense layer's input) or, for its layer ensemble, every residual unit's output averaged over
 * time. Every score is oriented the same way: <em>higher means less like the training data</em>, so one rule flags a
 * window as unknown: score &gt; threshold (a NaN score counts as unknown too: {@link Calibration#unknown}).
 */
public enum OodMethod {
  /** s = −max_k softmax(z/T)_k: the negated calibrated confidence (Hendrycks and Gimpel, ICLR 2017). */
  MAX_SOFTMAX,
  /** s = E(z) = −T · log Σ_k exp(z_k / T): the free energy of the logits (Liu et al., NeurIPS 2020). */
  ENERGY,
  /**
   * s = min_k (f − μ_k)ᵀ Σ⁻¹ (f − μ_k): the squared Mahalanobis distance to the nearest class mean with one shared
   * (tied) covariance Σ of the pooled features, fitted on in-distribution data (Lee et al., NeurIPS 2018; without
   * their input pre-processing; their layer ensemble is {@link #MAHALANOBIS_LAYERS}, a background-relative variant
   * {@link #RELATIVE_MAHALANOBIS}, a non-parametric one on the same features {@link #KNN}). For an ensemble, f is the
   * members' pooled features concatenated.
   */
  MAHALANOBIS,
  /**
   * The layer ensemble of Mahalanobis scores (Lee et al., "A Simple Unified Framework for Detecting
   * Out-of-Distribution Samples and Adversarial Attacks", NeurIPS 2018, Sec. 2.2 "feature ensemble"), for a single
   * network. For each residual unit l = 1 … L, f_l is the unit's output averaged over time, one value per channel;
   * layer L + 1 is the head's pooled features f (as {@link #MAHALANOBIS}). With a tied Gaussian per layer fitted on
   * the training windows (class means μ_{l,k}, shared precision Σ_l⁻¹),
   * <pre>
   *   d_l = min_k (f_l − μ_{l,k})ᵀ Σ_l⁻¹ (f_l − μ_{l,k}),      s = Σ_l (d_l − m_l) / s_l,
   * </pre>
   * where m_l and s_l are the mean and the (population) standard deviation of d_l over the windows the Gaussians were
   * fitted on (s_l = 1 where d_l did not vary). An unweighted standardised sum: Lee et al. weight the layers by a
   * logistic regression fitted on out-of-distribution examples, which a user of a fault classifier does not have; the
   * standardisation only puts the layers' distances, whose scales grow with their channel counts, on one scale. No
   * input pre-processing either. Ensemble bundles do not have it (their members' layers differ).
   */
  MAHALANOBIS_LAYERS,
  /**
   * The relative Mahalanobis distance (Ren, Fort, Liu, Roy, Padhy and Lakshminarayanan, "A Simple Fix to Mahalanobis
   * Distance for Improving Near-OOD Detection", arXiv:2106.09022, 2021): with MD_k(f) = (f − μ_k)ᵀ Σ⁻¹ (f − μ_k) the
   * tied-covariance class distance of {@link #MAHALANOBIS} and MD_0(f) = (f − μ_0)ᵀ Σ_0⁻¹ (f − μ_0) the distance to
   * one "background" Gaussian fitted on all in-distribution training features regardless of class (its own mean μ_0
   * and full covariance Σ_0),
   * <pre>
   *   RMD_k(f) = MD_k(f) − MD_0(f),      s = min_k RMD_k(f) = min_k MD_k(f) − MD_0(f).
   * </pre>
   * Subtracting MD_0 removes what every class shares: directions in which the training data as a whole varies
   * widely (many classes spread along them) count less than directions in which it does not vary at all, where a
   * near-OOD class that sits close to one known class but off the data's common subspace still stands out. Same
   * features as {@link #MAHALANOBIS} (the pooled features; an ensemble's members' concatenated, for which the
   * background Gaussian is fitted on the concatenation as the class Gaussians are), fitted on the same training
   * windows.
   */
  RELATIVE_MAHALANOBIS,
  /**
   * The deep nearest-neighbour distance (Sun, Ming, Zhu and Li, "Out-of-Distribution Detection with Deep Nearest
   * Neighbors", ICML 2022): with z the pooled features of {@link #MAHALANOBIS} (an ensemble's members'
   * concatenated), each normalised to unit L2 norm, and z_1 … z_n the normalised features of the n training windows
   * the Mahalanobis statistics are fitted on,
   * <pre>
   *   s(x) = ‖ z(x)/‖z(x)‖ − z_(k)/‖z_(k)‖ ‖₂,
   * </pre>
   * the Euclidean distance to the k-th nearest of them (k = {@link Calibration.Neighbours#DEFAULT_K} = 50). No
   * Gaussian is assumed: a class whose features are not one ellipsoid, or an unseen fault size lying beside or between
   * known sizes, is judged by the training windows actually near it. k = 50 is the paper's default for CIFAR-10,
   * fixed before any open-set cell was scored and not tuned on them; with our ~5,300 training windows cut with 75 %
   * overlap, a window has ~6 near-duplicate neighbours (its overlapping shifts), so k must lie well above them for the
   * distance to describe the data's density rather than one recording's. Ties and the order of the training windows
   * do not matter (the k-th smallest distance is a value, not a choice). All-zero features, which have no direction,
   * are taken as the zero vector (score 1); training windows with them are left out.
   */
  KNN,
  /**
   * For an ensemble bundle only: s = (1/M) Σ_m KL(p_m ‖ p̄) = H(p̄) − (1/M) Σ_m H(p_m), the mean Kullback-Leibler
   * divergence of the M members' softmax probabilities p_m (at T = 1) from their mean p̄, which equals the mutual
   * information between the prediction and the choice of member (the "BALD" disagreement, Houlsby et al. 2011;
   * Lakshminarayanan et al. 2017 use it for deep ensembles). 0 when the members agree, at most log M.
   */
  ENSEMBLE_DISAGREEMENT
}
