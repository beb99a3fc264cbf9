package io.github.drsn.datasets;

import java.util.Locale;

/**
 * The operating condition a recording was made at: a load and a shaft speed.
 *
 * <p>The load is expressed in the data set's own unit (motor horsepower for CWRU, fraction of rated
 * torque for the synthetic drivetrain); {@link Double#NaN} means "not stated". Conditions are compared
 * by value, so they can key cross-condition splits (train on loads 0-2 hp, test on 3 hp).
 *
 * @param load load in the data set's unit, or NaN when unknown
 * @param rpm shaft speed in revolutions per minute, or NaN when unknown
 */
public record OperatingCondition(double load, double rpm) {

  /** A condition with neither load nor speed stated. */
  public static final OperatingCondition UNKNOWN = new OperatingCondition(Double.NaN, Double.NaN);

  /**
   * @throws IllegalArgumentException if a stated value is infinite or negative
   */
  public OperatingCondition {
    if (Double.isInfinite(load) || load < 0) {
      throw new IllegalArgumentException("load must be finite and >= 0 (or NaN for unknown), got " + load);
    }
    if (Double.isInfinite(rpm) || rpm < 0) {
      throw new IllegalArgumentException("rpm must be finite and >= 0 (or NaN for unknown), got " + rpm);
    }
  }

  /** @return the shaft rotation frequency f_r = rpm / 60 in Hz (NaN when the speed is unknown) */
  public double shaftHz() {
    return rpm / 60.0;
  }

  /** @return whether a load is stated */
  public boolean hasLoad() {
    return !Double.isNaN(load);
  }

  /** @return whether a speed is stated */
  public boolean hasRpm() {
    return !Double.isNaN(rpm);
  }

  /** @return a short stable key such as {@code "load=2 rpm=1750"}, for grouping and printing */
  public String key() {
    return "load=" + format(load) + " rpm=" + format(rpm);
  }

  private static String format(double value) {
    if (Double.isNaN(value)) {
      return "?";
    }
    if (value == Math.rint(value)) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.4g", value);
  }

  @Override
  public String toString() {
    return key();
  }
}
