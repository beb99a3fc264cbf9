package io.github.drsn.contract;

/**
 * Feature normalisation used everywhere in a network (inside every unit, in the threshold
 * sub-network and in the head). Not to be confused with the per-window input normalisation of
 * {@code io.github.drsn.signals.Normalization}.
 */
public enum NormKind {
  /**
   * Batch normalisation (Ioffe and Szegedy, 2015): per-channel statistics over the mini-batch and
   * length in training, running averages (decay 0.9) at inference.
   */
  BATCH_NORM,
  /**
   * Group normalisation (Wu and He, 2018): per-sample statistics over each group of channels and
   * the length; identical in training and inference. Learned per-channel γ and β.
   */
  GROUP_NORM
}
