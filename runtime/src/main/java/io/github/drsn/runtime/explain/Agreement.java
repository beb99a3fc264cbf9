package io.github.drsn.runtime.explain;

import java.util.Locale;

/**
 * Whether the network's fault family matches the physics verdict. {@link #INCONCLUSIVE} when the physics has no
 * verdict (absence of envelope evidence is not evidence of health: ball faults rarely show), the model's class
 * has no known {@link FaultFamily}, or the input was not diagnosed.
 */
public enum Agreement {
  /** Same family. */
  AGREE,
  /** Different families (including a network that says normal against a physics verdict). */
  DISAGREE,
  /** Nothing to compare. */
  INCONCLUSIVE;

  /** The agreement of a network family with a physics family (null: no verdict). */
  public static Agreement of(FaultFamily network, FaultFamily physics) {
    if (physics == null || network == null || network == FaultFamily.UNKNOWN) {
      return INCONCLUSIVE;
    }
    return network == physics ? AGREE : DISAGREE;
  }

  /** Lower-case name for JSON and reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
