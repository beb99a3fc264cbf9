package io.github.drsn.datasets.cwru;

/**
 * Health state of the CWRU test bearing. Outer-race faults were made at three positions relative to the
 * load zone (clock positions seen from the shaft end: 6 o'clock is centred in the load zone, 3 is
 * orthogonal, 12 is opposite).
 */
public enum FaultType {
  /** No seeded fault. */
  NORMAL("Normal"),
  /** Inner-race fault. */
  INNER_RACE("IR"),
  /** Ball (rolling element) fault. */
  BALL("B"),
  /** Outer-race fault at 3 o'clock (orthogonal to the load zone). */
  OUTER_RACE_AT_3("OR@3"),
  /** Outer-race fault at 6 o'clock (centred in the load zone). */
  OUTER_RACE_AT_6("OR@6"),
  /** Outer-race fault at 12 o'clock (opposite the load zone). */
  OUTER_RACE_AT_12("OR@12");

  private final String code;

  FaultType(String code) {
    this.code = code;
  }

  /** @return the code used by the Bearing Data Center tables, e.g. {@code "OR@6"} */
  public String code() {
    return code;
  }

  /** @return whether this is an outer-race fault at any position */
  public boolean isOuterRace() {
    return this == OUTER_RACE_AT_3 || this == OUTER_RACE_AT_6 || this == OUTER_RACE_AT_12;
  }
}
