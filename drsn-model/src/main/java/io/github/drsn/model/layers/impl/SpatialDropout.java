package io.github.drsn.model.layers.impl;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Spatial dropout (Tompson et al., "Efficient Object Localization Using Convolutional Networks", CVPR 2015): in
 * training, each channel of each sample is dropped whole with probability p and kept channels are scaled by
 * 1/(1 − p) (inverted dropout, so inference is the identity). Neighbouring positions of a feature map are strongly
 * correlated, so dropping single values regularises little; dropping channels does. The masks come from ND4J's
 * global random generator ({@code Nd4j.getRandom()}), drawn in row order (sample, then channel) by both kernel
 * implementations of {@link io.github.drsn.model.layers.ResidualUnit}, so that seeding it gives the same masks.
 */
final class SpatialDropout {

  private SpatialDropout() {}

  /**
   * The factor of each row r = s·C + c: 0 with probability p (a uniform draw u &lt; p), else 1/(1 − p).
   *
   * @param p in (0, 1)
   */
  static double[] scales(int n, int channels, double p) {
    double[] k = new double[n * channels];
    double kept = 1 / (1 - p);
    for (int r = 0; r < k.length; r++) {
      k[r] = Nd4j.getRandom().nextDouble() < p ? 0 : kept;
    }
    return k;
  }

  /**
   * The per-row affine maps {a, b} of a norm with each row multiplied by its factor k ≥ 0: since ReLU(k·u) =
   * k·ReLU(u), ReLU(k·a·x + k·b) is the dropped-out ReLU(a·x + b), so dropout fuses into the norm-ReLU sweep.
   */
  static double[][] fold(double[][] affine, double[] k) {
    double[] a = new double[k.length];
    double[] b = new double[k.length];
    for (int r = 0; r < k.length; r++) {
      a[r] = affine[0][r] * k[r];
      b[r] = affine[1][r] * k[r];
    }
    return new double[][] {a, b};
  }
}
