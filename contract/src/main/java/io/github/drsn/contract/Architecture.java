package io.github.drsn.contract;

import java.util.Locale;

/**
 * The four networks of the DRSN paper (Zhao et al., "Deep Residual Shrinkage Networks for Fault Diagnosis",
 * IEEE TII 16(7), 2020, Sec. III), all on the Table II skeleton. The one list of architectures: bundles, the
 * command line and experiment configurations name them by {@link #label()}.
 */
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

  /** The name in bundles, on the command line and in experiment files, e.g. {@code drsn-cw}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a label ({@code drsn-cw}) or an enum name ({@code DRSN_CW}), ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the text and the accepted names
   */
  public static Architecture parse(String text) {
    String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Architecture a : values()) {
      if (a.label().equals(key)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown architecture '" + text + "' (expected drsn-cw, drsn-cs, resnet or convnet)");
  }
}
