package io.github.drsn.datasets;

import java.util.Objects;

/**
 * A recording a loader did not include, and why. Loaders never drop input silently: whatever they
 * skip is listed in {@link Dataset#skipped()}.
 *
 * @param source the file (or manifest entry) that was skipped
 * @param reason what was wrong, naming what was expected
 */
public record SkippedRecording(String source, String reason) {

  /** @throws NullPointerException if an argument is null */
  public SkippedRecording {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return source + ": " + reason;
  }
}
