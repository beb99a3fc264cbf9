package io.github.drsn.datasets.split;

/**
 * One window: samples {@code [start, start + length)} of one recording, in one region. Windows hold no
 * samples, only where to find them, so that noisy copies are made per batch and never stored.
 *
 * @param recordingIndex index into the data set's recordings
 * @param recordingId the recording's stable id
 * @param region the region the window lies in
 * @param start first sample index in the recording
 * @param length number of samples
 * @param classIndex label index in the data set's class list
 */
public record Window(int recordingIndex, String recordingId, Region region, int start, int length, int classIndex) {

  /** @return one past the last sample index */
  public int end() {
    return start + length;
  }

  /** @return a stable identity, {@code "<recordingId>@<start>"}, independent of list order */
  public String key() {
    return recordingId + "@" + start;
  }
}
