package io.github.drsn.model.schedule;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing with warm restarts, SGDR (Loshchilov and Hutter, "SGDR: Stochastic Gradient Descent
 * with Warm Restarts", ICLR 2017, Eq. 5):
 *
 * <pre>
 *   lr(t) = minLr + (maxLr - minLr) * (1 + cos(pi * T_cur / T_i)) / 2
 * </pre>
 *
 * where run {@code i} (from 0) lasts {@code T_i = firstPeriod * periodMultiplier^i} steps, {@code T_cur}
 * counts the steps since the last restart, and a step is an iteration or an epoch
 * ({@link #getScheduleType()}). The rate starts each run at {@code maxLr}, approaches {@code minLr} at
 * its last step, and jumps back to {@code maxLr} at the restart. Restarts fall at
 * {@code firstPeriod * (1 + m + ... + m^(i-1))}: with period 10 and multiplier 2, at 10, 30, 70, 150.
 *
 * <p>The paper updates {@code T_cur} after every batch: use {@link ScheduleType#ITERATION} with
 * {@code firstPeriod = epochs * iterationsPerEpoch} for that; {@link ScheduleType#EPOCH} keeps the rate
 * constant within an epoch. Immutable, with value equality (DL4J groups updater blocks by it).
 */
public final class CosineWarmRestartsSchedule implements RestartingSchedule {

  private static final long serialVersionUID = 1L;

  private final ScheduleType scheduleType;
  private final double maxLr;
  private final double minLr;
  private final int firstPeriod;
  private final int periodMultiplier;

  /**
   * An SGDR schedule.
   *
   * @param scheduleType whether steps are iterations or epochs
   * @param maxLr rate at the start of every run ({@code eta_max}), finite and {@code >= minLr}
   * @param minLr rate approached at the end of every run ({@code eta_min}), finite and {@code >= 0}
   * @param firstPeriod length of the first run ({@code T_0}), {@code >= 1}
   * @param periodMultiplier factor by which each run is longer than the previous ({@code T_mult}),
   *     {@code >= 1}
   * @throws IllegalArgumentException if an argument is out of range
   */
  @JsonCreator
  public CosineWarmRestartsSchedule(
      @JsonProperty("scheduleType") ScheduleType scheduleType,
      @JsonProperty("maxLr") double maxLr,
      @JsonProperty("minLr") double minLr,
      @JsonProperty("firstPeriod") int firstPeriod,
      @JsonProperty("periodMultiplier") int periodMultiplier) {
    this.scheduleType = Checks.scheduleType(scheduleType);
    this.maxLr = Checks.finiteNonNegative("maxLr", maxLr);
    this.minLr = Checks.finiteNonNegative("minLr", minLr);
    if (maxLr < minLr) {
      throw new IllegalArgumentException(
          "maxLr must be >= minLr, got maxLr " + maxLr + " < minLr " + minLr);
    }
    this.firstPeriod = Checks.positive("firstPeriod", firstPeriod);
    this.periodMultiplier = Checks.positive("periodMultiplier", periodMultiplier);
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    long t = Checks.counter(scheduleType, iteration, epoch);
    long runStart;
    long period = firstPeriod;
    if (periodMultiplier == 1) {
      runStart = t - t % period;
    } else {
      // At most log2(Integer.MAX_VALUE) = 31 runs before t, as periods at least double.
      runStart = 0;
      while (t >= runStart + period) {
        runStart += period;
        period *= periodMultiplier;
      }
    }
    double progress = (double) (t - runStart) / period;
    return minLr + (maxLr - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
  }

  /**
   * The number of steps in the first {@code runs} runs, {@code T_0 (1 + m + ... + m^(runs-1))}: train
   * for this many iterations (or epochs) to stop at the end of a cosine run, where the rate is lowest,
   * as SGDR does when it takes its snapshots. With {@code T_0 = 10, T_mult = 2}: 10, 30, 70, 150.
   *
   * @throws IllegalArgumentException if {@code runs < 1} or the length exceeds {@link Long#MAX_VALUE}
   */
  public long lengthOfRuns(int runs) {
    Checks.positive("runs", runs);
    try {
      long total = 0;
      long period = firstPeriod;
      for (int run = 0; run < runs; run++) {
        total = Math.addExact(total, period);
        if (run + 1 < runs) {
          period = Math.multiplyExact(period, periodMultiplier);
        }
      }
      return total;
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(runs + " runs are longer than Long.MAX_VALUE steps", e);
    }
  }

  /** The run i (from 0) of step t: each ends just before a restart, at its lowest rate. */
  @Override
  public int cycle(int iteration, int epoch) {
    long t = Checks.counter(scheduleType, iteration, epoch);
    if (periodMultiplier == 1) {
      return Math.toIntExact(t / firstPeriod);
    }
    long runStart = 0;
    long period = firstPeriod;
    int run = 0;
    while (t >= runStart + period) {
      runStart += period;
      period *= periodMultiplier;
      run++;
    }
    return run;
  }

  @Override
  public ISchedule clone() {
    return new CosineWarmRestartsSchedule(scheduleType, maxLr, minLr, firstPeriod, periodMultiplier);
  }

  /** Whether steps are iterations or epochs. */
  public ScheduleType getScheduleType() {
    return scheduleType;
  }

  /** The rate at the start of every run, {@code eta_max}. */
  public double getMaxLr() {
    return maxLr;
  }

  /** The rate approached at the end of every run, {@code eta_min}. */
  public double getMinLr() {
    return minLr;
  }

  /** {@code T_0}, in iterations or epochs. */
  public int getFirstPeriod() {
    return firstPeriod;
  }

  /** {@code T_mult}. */
  public int getPeriodMultiplier() {
    return periodMultiplier;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CosineWarmRestartsSchedule that
        && scheduleType == that.scheduleType
        && Double.compare(maxLr, that.maxLr) == 0
        && Double.compare(minLr, that.minLr) == 0
        && firstPeriod == that.firstPeriod
        && periodMultiplier == that.periodMultiplier;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleType, maxLr, minLr, firstPeriod, periodMultiplier);
  }

  /**
   * The text form accepted by {@link Schedules#parse(String)}, e.g.
   * {@code sgdr:max=0.1,min=1.0E-4,t0=10,mult=2,unit=epoch}.
   */
  @Override
  public String toString() {
    return "sgdr:max=" + maxLr + ",min=" + minLr + ",t0=" + firstPeriod + ",mult=" + periodMultiplier
        + ",unit=" + Checks.unitName(scheduleType);
  }
}
