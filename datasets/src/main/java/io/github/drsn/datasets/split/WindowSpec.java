package io.github.drsn.datasets.split;

/**
 * Window length and strides. Training windows may overlap (stride &lt; length) inside the training
 * region; validation and test windows are usually cut without overlap so that each test sample is
 * counted once.
 *
 * @param length samples per window, L
 * @param trainStride step between training window starts
 * @param evaluationStride step between validation/test window starts
 */
public record WindowSpec(int length, int trainStride, int evaluationStride) {

  /** @throws IllegalArgumentException if a value is not positive */
  public WindowSpec {
    if (length < 1 || trainStride < 1 || evaluationStride < 1) {
      throw new IllegalArgumentException("window length and strides must be >= 1, got length " + length
          + ", train stride " + trainStride + ", evaluation stride " + evaluationStride);
    }
  }

  /** @return the protocol's windows (docs/protocol.md): L = 2048, training stride 512, validation/test stride 2048 */
  public static WindowSpec benchmark() {
    return new WindowSpec(2048, 512, 2048);
  }

  /**
   * @param length samples per window
   * @param trainStride step between training windows
   * @return windows with non-overlapping validation and test windows
   */
  public static WindowSpec of(int length, int trainStride) {
    return new WindowSpec(length, trainStride, length);
  }

  /**
   * @param region a split region
   * @return the stride used in that region
   */
  public int stride(Region region) {
    return region == Region.TRAIN ? trainStride : evaluationStride;
  }
}
