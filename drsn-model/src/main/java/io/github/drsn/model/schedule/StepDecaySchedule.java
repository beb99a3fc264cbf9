package io.github.drsn.model.schedule;

import java.util.Arrays;
import java.util.StringJoiner;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Piecewise-constant ("step decay") learning rate: {@code lr(t) = values[k]} for
 * {@code segmentStarts[k] <= t < segmentStarts[k+1]}, and {@code values[last]} from the last start on,
 * where {@code t} is the zero-based epoch or iteration ({@link #getScheduleType()}).
 *
 * <p>The DRSN paper (Zhao et al., IEEE TII 2020, Sec. III-B) trains with lr 0.1 for 40 epochs, 0.01 for
 * 40 and 0.001 for 20: {@link #paper()}. {@link #reference()} is the halved schedule used by this
 * project's reference runs. Immutable; equal schedules are {@link #equals(Object) equal} so that DL4J
 * groups layers into the same updater block before and after a model is saved and restored.
 */
public final class StepDecaySchedule implements ISchedule {

  private static final long serialVersionUID = 1L;

  /** Epochs the paper trains for with {@link #paper()}. */
  public static final int PAPER_EPOCHS = 100;
  /** Epochs of the shorter reference run with {@link #reference()}. */
  public static final int REFERENCE_EPOCHS = 50;

  private final ScheduleType scheduleType;
  private final int[] segmentStarts;
  private final double[] values;

  /**
   * A piecewise-constant schedule from its segments.
   *
   * @param scheduleType whether {@code segmentStarts} count epochs or iterations
   * @param segmentStarts zero-based first epoch/iteration of each segment: starts at 0, strictly
   *     increasing
   * @param values learning rate of each segment, finite and {@code >= 0}, as many as segments
   * @throws IllegalArgumentException if the arrays are empty, of different lengths, or violate the above
   */
  @JsonCreator
  public StepDecaySchedule(
      @JsonProperty("scheduleType") ScheduleType scheduleType,
      @JsonProperty("segmentStarts") int[] segmentStarts,
      @JsonProperty("values") double[] values) {
    this.scheduleType = Checks.scheduleType(scheduleType);
    if (segmentStarts == null || values == null || segmentStarts.length == 0) {
      throw new IllegalArgumentException("segmentStarts and values must be non-empty, got "
          + Arrays.toString(segmentStarts) + " and " + Arrays.toString(values));
    }
    if (segmentStarts.length != values.length) {
      throw new IllegalArgumentException("segmentStarts and values must have the same length, got "
          + segmentStarts.length + " starts and " + values.length + " values");
    }
    if (segmentStarts[0] != 0) {
      throw new IllegalArgumentException(
          "the first segment must start at 0, got segmentStarts " + Arrays.toString(segmentStarts));
    }
    for (int k = 1; k < segmentStarts.length; k++) {
      if (segmentStarts[k] <= segmentStarts[k - 1]) {
        throw new IllegalArgumentException(
            "segmentStarts must be strictly increasing, got " + Arrays.toString(segmentStarts));
      }
    }
    for (int k = 0; k < values.length; k++) {
      Checks.finiteNonNegative("values[" + k + "]", values[k]);
    }
    this.segmentStarts = segmentStarts.clone();
    this.values = values.clone();
  }

  /**
   * The paper's steps over a run of {@code epochs} epochs, by epoch: 0.1, then 0.01 from 40 % of the epochs, then
   * 0.001 from 80 % (each rounded to the nearest epoch; the second step at least at epoch 1 and the third at least
   * one epoch after it). This is the one definition of "the paper's schedule" for any length: {@code drsn train}
   * and experiment grids use it when no schedule is given, {@link #paper()} is it over 100 epochs (Zhao et al.,
   * Sec. III-B) and {@link #reference()} over 50.
   *
   * @throws IllegalArgumentException if {@code epochs < 1}
   */
  public static StepDecaySchedule paperSteps(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    int second = Math.max(1, Math.round(epochs * 0.4f));
    int third = Math.max(second + 1, Math.round(epochs * 0.8f));
    return new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0, second, third}, new double[] {0.1, 0.01, 0.001});
  }

  /** The paper's schedule, by epoch: 0.1 for epochs 0-39, 0.01 for 40-79, 0.001 from 80 ({@code paperSteps(100)}). */
  public static StepDecaySchedule paper() {
    return paperSteps(PAPER_EPOCHS);
  }

  /**
   * The reference runs' schedule, by epoch: 0.1 for epochs 0-19, 0.01 for 20-39, 0.001 from 40
   * ({@code paperSteps(50)}).
   */
  public static StepDecaySchedule reference() {
    return paperSteps(REFERENCE_EPOCHS);
  }

  /**
   * The text form without the unit, for an epoch schedule: {@code step:0.1@0,0.01@40,0.001@80}, as experiment
   * cells and run settings record it (epochs are {@link Schedules#parse(String)}'s default unit).
   *
   * @throws IllegalStateException for an iteration schedule, whose text needs its unit
   */
  public String epochStepText() {
    if (scheduleType != ScheduleType.EPOCH) {
      throw new IllegalStateException("an iteration schedule's text needs its unit: " + this);
    }
    return steps().toString();
  }

  private StringJoiner steps() {
    StringJoiner text = new StringJoiner(",", "step:", "");
    for (int k = 0; k < values.length; k++) {
      text.add(values[k] + "@" + segmentStarts[k]);
    }
    return text;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    int t = Checks.counter(scheduleType, iteration, epoch);
    int found = Arrays.binarySearch(segmentStarts, t);
    // Not found: -(insertion point) - 1; the segment holding t starts just before the insertion point.
    int segment = found >= 0 ? found : -found - 2;
    return values[segment];
  }

  @Override
  public ISchedule clone() {
    return new StepDecaySchedule(scheduleType, segmentStarts, values);
  }

  /** Whether the segment starts count epochs or iterations. */
  public ScheduleType getScheduleType() {
    return scheduleType;
  }

  /** A copy of the segments' first epochs/iterations. */
  public int[] getSegmentStarts() {
    return segmentStarts.clone();
  }

  /** A copy of the segments' learning rates. */
  public double[] getValues() {
    return values.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StepDecaySchedule that
        && scheduleType == that.scheduleType
        && Arrays.equals(segmentStarts, that.segmentStarts)
        && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * scheduleType.hashCode() + Arrays.hashCode(segmentStarts)) + Arrays.hashCode(values);
  }

  /**
   * The text form accepted by {@link Schedules#parse(String)}, e.g.
   * {@code step:0.1@0,0.01@40,unit=epoch}.
   */
  @Override
  public String toString() {
    return steps().add("unit=" + Checks.unitName(scheduleType)).toString();
  }
}
