package io.github.drsn.contract;

/** The shortcut path of a residual unit. */
public enum Shortcut {
  /** No shortcut: the unit is a plain stack of layers (the paper's ConvNet baseline). */
  NONE,
  /**
   * Identity, subsampled (every stride-th sample, as the reference code's pooling with kernel 1) when
   * the unit is strided and zero-padded with new channels when it widens; no parameters.
   */
  ZERO_PAD,
  /** A 1x1 convolution with the unit's stride and no bias, mapping the input to the output channels. */
  PROJECTION
}
