package io.github.drsn.contract;

/** Which soft thresholding a residual unit applies to its residual branch (DRSN paper, Sec. II-D/E). */
public enum ThresholdMode {
  /** No thresholding: a plain pre-activation residual unit (ResNet, ConvNet). */
  NONE,
  /** RSBU-CW: one threshold per channel and sample, τ_c = α_c · mean|x_c|. */
  CHANNEL_WISE,
  /** RSBU-CS: one threshold per sample shared by all channels, τ = α · mean_c(mean|x_c|). */
  CHANNEL_SHARED
}
