package io.github.drsn.runtime;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The health of one window of input: the issues found (empty when healthy) and a human-readable detail
 * with the figures behind them.
 *
 * @param issues the issues (an unmodifiable copy is kept)
 * @param detail what was measured, or "" when healthy
 */
public record InputHealth(Set<HealthIssue> issues, String detail) {

  /** A healthy window. */
  public static final InputHealth OK = new InputHealth(EnumSet.noneOf(HealthIssue.class), "");

  /** Copies the issues. */
  public InputHealth {
    issues = issues.isEmpty() ? Set.of() : Set.copyOf(issues);
    Objects.requireNonNull(detail, "detail");
  }

  /** Whether no issue was found. */
  public boolean healthy() {
    return issues.isEmpty();
  }

  /** The union of this and {@code other}'s issues, details joined. */
  public InputHealth and(InputHealth other) {
    if (other.healthy()) {
      return this;
    }
    if (healthy()) {
      return other;
    }
    EnumSet<HealthIssue> all = EnumSet.copyOf(issues);
    all.addAll(other.issues);
    return new InputHealth(all, detail + "; " + other.detail);
  }
}
