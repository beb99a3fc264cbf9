package io.github.drsn.signals;

/**
 * Cutting a region of a recording into fixed-length windows without ever crossing the region's end, so
 * windows of a train region never share samples with a test region (split first, then window).
 */
public final class Segmentation {

  private Segmentation() {}

  /**
   * Start indices regionStart + i stride of every window of {@code windowLength} samples that lies wholly
   * inside [regionStart, regionEnd): start + windowLength &lt;= regionEnd. A remainder shorter than a window
   * is dropped.
   *
   * @param regionStart first sample of the region (inclusive)
   * @param regionEnd end of the region (exclusive)
   * @param windowLength samples per window
   * @param stride samples between window starts
   * @return the start indices, ascending
   * @throws IllegalArgumentException if regionStart &lt; 0, the region is empty, windowLength or stride is
   *     not positive, or the window is longer than the region
   */
  public static int[] windowStarts(int regionStart, int regionEnd, int windowLength, int stride) {
    if (regionStart < 0) {
      throw new IllegalArgumentException("regionStart must be >= 0, got " + regionStart);
    }
    if (regionEnd <= regionStart) {
      throw new IllegalArgumentException("region [" + regionStart + ", " + regionEnd + ") is empty; regionEnd must"
          + " exceed regionStart");
    }
    Checks.requirePositive("windowLength", windowLength);
    Checks.requirePositive("stride", stride);
    int regionLength = regionEnd - regionStart;
    if (windowLength > regionLength) {
      throw new IllegalArgumentException("windowLength " + windowLength + " is longer than the region ["
          + regionStart + ", " + regionEnd + ") of " + regionLength + " samples");
    }
    int count = windowCount(regionLength, windowLength, stride);
    int[] starts = new int[count];
    for (int i = 0; i < count; i++) {
      starts[i] = regionStart + i * stride;
    }
    return starts;
  }

  /**
   * Number of whole windows in a region: floor((regionLength - windowLength) / stride) + 1, or 0.
   *
   * @param regionLength samples in the region
   * @param windowLength samples per window
   * @param stride samples between window starts
   * @return the number of whole windows
   */
  public static int windowCount(int regionLength, int windowLength, int stride) {
    Checks.requirePositive("windowLength", windowLength);
    Checks.requirePositive("stride", stride);
    if (regionLength < windowLength) {
      return 0;
    }
    return (regionLength - windowLength) / stride + 1;
  }

  /**
   * Copies of the windows {@link #windowStarts} describes, taken from {@code x}.
   *
   * @param x the signal
   * @param regionStart first sample of the region (inclusive)
   * @param regionEnd end of the region (exclusive), at most x.length
   * @param windowLength samples per window
   * @param stride samples between window starts
   * @return one copied window per start
   * @throws IllegalArgumentException additionally if regionEnd exceeds x.length
   */
  public static double[][] windows(double[] x, int regionStart, int regionEnd, int windowLength, int stride) {
    Checks.requireNonNull("x", x);
    if (regionEnd > x.length) {
      throw new IllegalArgumentException("regionEnd " + regionEnd + " exceeds the signal length " + x.length);
    }
    int[] starts = windowStarts(regionStart, regionEnd, windowLength, stride);
    double[][] out = new double[starts.length][];
    for (int i = 0; i < starts.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(x, starts[i], starts[i] + windowLength);
    }
    return out;
  }
}
