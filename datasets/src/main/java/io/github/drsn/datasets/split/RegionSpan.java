package io.github.drsn.datasets.split;

/**
 * A contiguous sample range of one recording assigned to one region.
 *
 * @param recordingIndex index into the data set's recordings
 * @param region the region
 * @param start first sample index
 * @param end one past the last sample index
 */
public record RegionSpan(int recordingIndex, Region region, int start, int end) {

  /** @throws IllegalArgumentException if the range is negative or reversed */
  public RegionSpan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("region span must satisfy 0 <= start <= end, got [" + start + ", " + end
          + ")");
    }
  }

  /** @return number of samples */
  public int length() {
    return end - start;
  }
}
