package io.github.drsn.datasets;

/** What a loader does when one recording of several cannot be read. */
public enum ErrorPolicy {
  /** Throw a {@link RecordingLoadException} at the first unreadable recording. */
  FAIL_FAST,
  /** Leave the recording out and list it, with the reason, in {@link Dataset#skipped()}. */
  SKIP_AND_REPORT
}
