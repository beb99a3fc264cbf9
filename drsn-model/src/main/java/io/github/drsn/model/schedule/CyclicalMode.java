package io.github.drsn.model.schedule;

/**
 * How a {@link CyclicalSchedule}'s amplitude changes from cycle to cycle (Smith, "Cyclical Learning Rates
 * for Training Neural Networks", WACV 2017, Sec. 3.1). The text names are Smith's policy names.
 */
public enum CyclicalMode {
  /** Constant amplitude: {@code scale = 1}. */
  TRIANGULAR("triangular"),
  /** Amplitude halved every cycle: {@code scale = 1 / 2^(cycle - 1)}. */
  TRIANGULAR2("triangular2"),
  /** Amplitude decays every iteration: {@code scale = gamma^t}. */
  EXP_RANGE("exp_range");

  private final String policyName;

  CyclicalMode(String policyName) {
    this.policyName = policyName;
  }

  /** Smith's name for the policy, as used in the text grammar of {@link Schedules#parse(String)}. */
  public String policyName() {
    return policyName;
  }
}
