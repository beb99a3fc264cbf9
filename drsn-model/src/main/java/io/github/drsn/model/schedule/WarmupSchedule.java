package io.github.drsn.model.schedule;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warm-up before another schedule (the "gradual warmup" of Goyal et al., "Accurate, Large
 * Minibatch SGD: Training ImageNet in 1 Hour", 2017, Sec. 2.2). With {@code t} the zero-based
 * iteration (or epoch, per {@link #getScheduleType()}), {@code W} the warm-up length and {@code s} the
 * wrapped schedule:
 *
 * <pre>
 *   t &lt; W:  lr = startValue + (s(0) - startValue) * t / W
 *   t &gt;= W: lr = s(t - W)
 * </pre>
 *
 * <p><b>The wrapped schedule is shifted</b>: it sees its own step 0 when the warm-up ends, so a cyclical
 * or SGDR schedule begins its first cycle after the warm-up, and the ramp joins it continuously
 * ({@code lr(W) = s(0)}). Only the counter of the warm-up's own unit is shifted; the other is passed
 * through unchanged. So an iteration warm-up before an epoch-counted schedule (e.g. the paper's step
 * decay) does not delay the schedule's epochs; the ramp then aims at the schedule's value for the
 * current epoch.
 *
 * <p>Immutable (the wrapped schedule is copied with {@link ISchedule#clone()}), with value equality
 * (DL4J groups updater blocks by it; the wrapped schedule must implement equals/hashCode too).
 */
public final class WarmupSchedule implements RestartingSchedule {

  private static final long serialVersionUID = 1L;

  private final ScheduleType scheduleType;
  private final int warmupLength;
  private final double startValue;
  private final ISchedule schedule;

  /**
   * A linear warm-up from {@code startValue} into {@code schedule}.
   *
   * @param scheduleType whether {@code warmupLength} counts iterations or epochs
   * @param warmupLength {@code W}, {@code >= 1}
   * @param startValue rate at step 0, finite and {@code >= 0}
   * @param schedule schedule followed after the warm-up, shifted by {@code W} steps; not null
   * @throws IllegalArgumentException if an argument is out of range
   */
  @JsonCreator
  public WarmupSchedule(
      @JsonProperty("scheduleType") ScheduleType scheduleType,
      @JsonProperty("warmupLength") int warmupLength,
      @JsonProperty("startValue") double startValue,
      @JsonProperty("schedule") ISchedule schedule) {
    this.scheduleType = Checks.scheduleType(scheduleType);
    this.warmupLength = Checks.positive("warmupLength", warmupLength);
    this.startValue = Checks.finiteNonNegative("startValue", startValue);
    if (schedule == null) {
      throw new IllegalArgumentException("schedule (to follow the warm-up) must not be null");
    }
    this.schedule = schedule.clone();
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    int t = Checks.counter(scheduleType, iteration, epoch);
    boolean byIteration = scheduleType == ScheduleType.ITERATION;
    if (t >= warmupLength) {
      return byIteration
          ? schedule.valueAt(iteration - warmupLength, epoch)
          : schedule.valueAt(iteration, epoch - warmupLength);
    }
    double target = byIteration ? schedule.valueAt(0, epoch) : schedule.valueAt(iteration, 0);
    return startValue + (target - startValue) * t / warmupLength;
  }

  /** -1 during the warm-up, then the wrapped schedule's cycle of its shifted step (-1 if it has no cycles). */
  @Override
  public int cycle(int iteration, int epoch) {
    int t = Checks.counter(scheduleType, iteration, epoch);
    if (t < warmupLength || !(schedule instanceof RestartingSchedule r)) {
      return -1;
    }
    return scheduleType == ScheduleType.ITERATION
        ? r.cycle(iteration - warmupLength, epoch)
        : r.cycle(iteration, epoch - warmupLength);
  }

  @Override
  public boolean restarts() {
    return schedule instanceof RestartingSchedule r && r.restarts();
  }

  @Override
  public ISchedule clone() {
    return new WarmupSchedule(scheduleType, warmupLength, startValue, schedule);
  }

  /** Whether the warm-up counts iterations or epochs. */
  public ScheduleType getScheduleType() {
    return scheduleType;
  }

  /** {@code W}, in iterations or epochs. */
  public int getWarmupLength() {
    return warmupLength;
  }

  /** The rate at step 0. */
  public double getStartValue() {
    return startValue;
  }

  /** A copy of the schedule that follows the warm-up. */
  public ISchedule getSchedule() {
    return schedule.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WarmupSchedule that
        && scheduleType == that.scheduleType
        && warmupLength == that.warmupLength
        && Double.compare(startValue, that.startValue) == 0
        && schedule.equals(that.schedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleType, warmupLength, startValue, schedule);
  }

  /**
   * The text form accepted by {@link Schedules#parse(String)} when the wrapped schedule is one of this
   * package's, e.g. {@code warmup(iters=200,start=0.0):sgdr:max=0.1,min=0.0,t0=10,mult=2,unit=epoch}.
   */
  @Override
  public String toString() {
    return "warmup(" + (scheduleType == ScheduleType.ITERATION ? "iters=" : "epochs=") + warmupLength
        + ",start=" + startValue + "):" + schedule;
  }
}
