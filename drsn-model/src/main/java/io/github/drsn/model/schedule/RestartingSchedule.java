package io.github.drsn.model.schedule;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * A learning-rate schedule made of cycles that each end at a low rate and restart: Smith's cyclical rates
 * ({@link CyclicalSchedule}), SGDR ({@link CosineWarmRestartsSchedule}), or either after a warm-up
 * ({@link WarmupSchedule}). The end of a cycle is where snapshot ensembles keep the weights (Huang et al., "Snapshot
 * Ensembles: Train 1, get M for free", ICLR 2017): each restart ends at another minimum of the loss.
 */
public interface RestartingSchedule extends ISchedule {

  /**
   * The zero-based cycle that the step at ({@code iteration}, {@code epoch}) belongs to, counted in the schedule's own
   * unit; -1 before the first cycle (during a warm-up). A cycle ends after the last step whose successor has a larger
   * cycle number.
   */
  int cycle(int iteration, int epoch);

  /** Whether the schedule counts iterations or epochs. */
  org.nd4j.linalg.schedule.ScheduleType getScheduleType();

  /** Whether the schedule has cycles at all (a warm-up before a schedule without restarts has none). */
  default boolean restarts() {
    return true;
  }

  /**
   * The steps (in the schedule's unit, zero-based) after which a cycle ends, among the first {@code steps} steps
   * of a schedule counted in that unit, in order: the snapshot points of a run of that length.
   */
  default java.util.List<Integer> cycleEnds(int steps, boolean byIteration) {
    java.util.List<Integer> ends = new java.util.ArrayList<>();
    for (int t = 0; t < steps; t++) {
      int now = byIteration ? cycle(t, 0) : cycle(0, t);
      int next = byIteration ? cycle(t + 1, 0) : cycle(0, t + 1);
      if (now >= 0 && next > now) {
        ends.add(t);
      }
    }
    return ends;
  }
}
