package io.github.drsn.model.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/** Argument checks shared by the schedules; each failure names the argument and what was expected. */
final class Checks {

  private Checks() {
  }

  static double finiteNonNegative(String name, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
    return value;
  }

  static ScheduleType scheduleType(ScheduleType type) {
    if (type == null) {
      throw new IllegalArgumentException("scheduleType must be ITERATION or EPOCH, got null");
    }
    return type;
  }

  /** The counter a schedule of {@code type} reads: DL4J passes both, zero-based. */
  static int counter(ScheduleType type, int iteration, int epoch) {
    if (iteration < 0 || epoch < 0) {
      throw new IllegalArgumentException(
          "iteration and epoch must be >= 0, got iteration " + iteration + ", epoch " + epoch);
    }
    return type == ScheduleType.ITERATION ? iteration : epoch;
  }

  /** The unit's name in the text grammar of {@link Schedules#parse(String)}. */
  static String unitName(ScheduleType type) {
    return type == ScheduleType.ITERATION ? "iteration" : "epoch";
  }
}
