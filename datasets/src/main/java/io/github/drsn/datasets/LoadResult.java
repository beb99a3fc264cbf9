package io.github.drsn.datasets;

import java.util.List;

/**
 * Recordings read from a folder, possibly at different sampling rates (so not yet a {@link Dataset}),
 * with every file that was skipped and why.
 *
 * @param recordings the recordings that loaded
 * @param skipped the files that did not, with reasons
 */
public record LoadResult(List<Recording> recordings, List<SkippedRecording> skipped) {

  /** Copies both lists. */
  public LoadResult {
    recordings = List.copyOf(recordings);
    skipped = List.copyOf(skipped);
  }
}
