package io.github.drsn.model.data;

/**
 * The shape of the feature array of a batch of N windows with C channels and F values per channel.
 */
public enum FeatureLayout {
  /** [N, C, F]: DL4J's recurrent/1-D convolution layout (NCW). */
  NCW,
  /** [N, C, 1, F]: the 2-D convolution layout with a height of 1 (NCHW), used with (1 x k) kernels. */
  NCHW;

  /**
   * @param batch N
   * @param channels C
   * @param length F
   * @return the array shape
   */
  public long[] shape(int batch, int channels, int length) {
    return this == NCW ? new long[] {batch, channels, length} : new long[] {batch, channels, 1, length};
  }
}
