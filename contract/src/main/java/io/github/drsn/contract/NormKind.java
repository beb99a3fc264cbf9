package io.github.drsn.contract;

/**
 * Feature normalisation used everywhere in a network (inside every unit, in the threshold
 * sub-network and in the head); {@link #NONE} only inside the threshold sub-networks. Not to be
 * confused with the per-window input normalisation of
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
  GROUP_NORM,
  /**
   * No normalisation, only inside DRSN's threshold sub-networks: α = sigmoid(FC2(ReLU(FC1(z)))), the excitation of
   * squeeze-and-excitation networks (Hu et al., CVPR 2018), which has none. Chosen over a per-window norm of FC1's
   * features (layer, group or instance norm), which would remove the window's own level of FC1(z) that lets α differ
   * between windows; z = GAP(|x|) of an already normalised trunk needs no rescaling, and without batch statistics
   * a window's output no longer depends on the other windows of its batch. No parameters.
   */
  NONE
}
