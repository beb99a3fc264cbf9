package io.github.drsn.model.schedule;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cyclical learning rate of Smith, "Cyclical Learning Rates for Training Neural Networks" (WACV 2017,
 * Sec. 3.1): the rate goes linearly from {@code baseLr} up to {@code maxLr} over {@code stepSize}
 * iterations (a half-cycle), back down over the next {@code stepSize}, and repeats. With {@code t} the
 * zero-based iteration (or epoch, per {@link #getScheduleType()}):
 *
 * <pre>
 *   cycle = floor(1 + t / (2 * stepSize))
 *   x     = |t / stepSize - 2 * cycle + 1|
 *   lr(t) = baseLr + (maxLr - baseLr) * max(0, 1 - x) * scale
 * </pre>
 *
 * where {@code scale} is 1 for {@link CyclicalMode#TRIANGULAR}, {@code 1 / 2^(cycle - 1)} for
 * {@link CyclicalMode#TRIANGULAR2} and {@code gamma^t} for {@link CyclicalMode#EXP_RANGE}. Smith suggests a
 * {@code stepSize} of 2-10 epochs' worth of iterations. Immutable, with value equality (DL4J groups
 * updater blocks by it).
 */
public final class CyclicalSchedule implements RestartingSchedule {

  private static final long serialVersionUID = 1L;

  private final ScheduleType scheduleType;
  private final CyclicalMode mode;
  private final double baseLr;
  private final double maxLr;
  private final int stepSize;
  private final double gamma;

  /**
   * A cyclical schedule; {@link Schedules} has shorter factories for the iteration-counted ones.
   *
   * @param scheduleType whether {@code t} and {@code stepSize} count iterations (Smith's choice) or epochs
   * @param mode amplitude policy
   * @param baseLr lower bound, finite and {@code >= 0}
   * @param maxLr upper bound of the first cycle, finite and {@code >= baseLr}
   * @param stepSize half-cycle length, {@code >= 1}
   * @param gamma per-step decay of {@link CyclicalMode#EXP_RANGE}, in (0, 1]; must be 1 for the other
   *     modes
   * @throws IllegalArgumentException if an argument is out of range
   */
  @JsonCreator
  public CyclicalSchedule(
      @JsonProperty("scheduleType") ScheduleType scheduleType,
      @JsonProperty("mode") CyclicalMode mode,
      @JsonProperty("baseLr") double baseLr,
      @JsonProperty("maxLr") double maxLr,
      @JsonProperty("stepSize") int stepSize,
      @JsonProperty("gamma") double gamma) {
    this.scheduleType = Checks.scheduleType(scheduleType);
    if (mode == null) {
      throw new IllegalArgumentException("mode must be TRIANGULAR, TRIANGULAR2 or EXP_RANGE, got null");
    }
    this.mode = mode;
    this.baseLr = Checks.finiteNonNegative("baseLr", baseLr);
    this.maxLr = Checks.finiteNonNegative("maxLr", maxLr);
    if (maxLr < baseLr) {
      throw new IllegalArgumentException(
          "maxLr must be >= baseLr, got maxLr " + maxLr + " < baseLr " + baseLr);
    }
    this.stepSize = Checks.positive("stepSize", stepSize);
    if (mode == CyclicalMode.EXP_RANGE) {
      if (!(gamma > 0 && gamma <= 1)) {
        throw new IllegalArgumentException("gamma must be in (0, 1] for EXP_RANGE, got " + gamma);
      }
    } else if (gamma != 1) {
      throw new IllegalArgumentException(
          "gamma applies only to EXP_RANGE and must be 1 for " + mode + ", got " + gamma);
    }
    this.gamma = gamma;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    int t = Checks.counter(scheduleType, iteration, epoch);
    double cycle = Math.floor(1 + t / (2.0 * stepSize));
    double x = Math.abs((double) t / stepSize - 2 * cycle + 1);
    double scale = switch (mode) {
      case TRIANGULAR -> 1;
      case TRIANGULAR2 -> Math.pow(0.5, cycle - 1);
      case EXP_RANGE -> Math.pow(gamma, t);
    };
    return baseLr + (maxLr - baseLr) * Math.max(0, 1 - x) * scale;
  }

  /** Cycle ⌊t / (2·stepSize)⌋: each ends at {@code baseLr}, where the next one starts climbing. */
  @Override
  public int cycle(int iteration, int epoch) {
    return Checks.counter(scheduleType, iteration, epoch) / (2 * stepSize);
  }

  @Override
  public ISchedule clone() {
    return new CyclicalSchedule(scheduleType, mode, baseLr, maxLr, stepSize, gamma);
  }

  /** Whether {@code t} and the step size count iterations or epochs. */
  public ScheduleType getScheduleType() {
    return scheduleType;
  }

  /** The amplitude policy. */
  public CyclicalMode getMode() {
    return mode;
  }

  /** The lower bound of every cycle. */
  public double getBaseLr() {
    return baseLr;
  }

  /** The upper bound of the first cycle (later ones too for {@link CyclicalMode#TRIANGULAR}). */
  public double getMaxLr() {
    return maxLr;
  }

  /** Half-cycle length in iterations or epochs. */
  public int getStepSize() {
    return stepSize;
  }

  /** Per-step amplitude decay of {@link CyclicalMode#EXP_RANGE}; 1 for the other modes. */
  public double getGamma() {
    return gamma;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CyclicalSchedule that
        && scheduleType == that.scheduleType
        && mode == that.mode
        && Double.compare(baseLr, that.baseLr) == 0
        && Double.compare(maxLr, that.maxLr) == 0
        && stepSize == that.stepSize
        && Double.compare(gamma, that.gamma) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheduleType, mode, baseLr, maxLr, stepSize, gamma);
  }

  /**
   * The text form accepted by {@link Schedules#parse(String)}, e.g.
   * {@code triangular:base=0.001,max=0.1,step=500,unit=iteration}.
   */
  @Override
  public String toString() {
    return mode.policyName() + ":base=" + baseLr + ",max=" + maxLr + ",step=" + stepSize
        + (mode == CyclicalMode.EXP_RANGE ? ",gamma=" + gamma : "")
        + ",unit=" + Checks.unitName(scheduleType);
  }
}
