package io.github.drsn.model;

import io.github.drsn.model.layers.ThresholdMode;

/** The four networks of the DRSN paper (Zhao et al., IEEE TII 2020, Sec. III), all on the Table II skeleton. */
public enum Architecture {
  /** Residual shrinkage network with channel-wise thresholds (RSBU-CW units). */
  DRSN_CW(ThresholdMode.CHANNEL_WISE, true),
  /** Residual shrinkage network with channel-shared thresholds (RSBU-CS units). */
  DRSN_CS(ThresholdMode.CHANNEL_SHARED, true),
  /** The same residual network without soft thresholding. */
  RESNET(ThresholdMode.NONE, true),
  /** Plain convolutional network of the same shape: no shortcuts, no thresholding. */
  CONVNET(ThresholdMode.NONE, false);

  private final ThresholdMode thresholdMode;
  private final boolean residual;

  Architecture(ThresholdMode thresholdMode, boolean residual) {
    this.thresholdMode = thresholdMode;
    this.residual = residual;
  }

  /** Soft thresholding inside each unit. */
  public ThresholdMode thresholdMode() {
    return thresholdMode;
  }

  /** Whether units have a shortcut. */
  public boolean residual() {
    return residual;
  }
}
