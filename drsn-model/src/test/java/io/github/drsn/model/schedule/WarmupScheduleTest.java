package io.github.drsn.model.schedule;

import static io.github.drsn.model.schedule.StepDecayScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class WarmupScheduleTest {

  private static final double TOLERANCE = 1e-15;

  @Test
  void rampsLinearlyThenFollowsTheShiftedSchedule() {
    WarmupSchedule warmup = Schedules.warmup(4, 0.02, Schedules.sgdr(0.1, 0.0, 10, 1));
    assertEquals(0.02, warmup.valueAt(0, 0), TOLERANCE);
    assertEquals(0.04, warmup.valueAt(1, 0), TOLERANCE); // 0.02 + (0.1 - 0.02) / 4
    assertEquals(0.06, warmup.valueAt(2, 0), TOLERANCE);
    assertEquals(0.08, warmup.valueAt(3, 0), TOLERANCE);
    assertEquals(0.1, warmup.valueAt(4, 0), TOLERANCE);  // sgdr(0): joins continuously
    assertEquals(0.05, warmup.valueAt(9, 0), TOLERANCE); // sgdr(5)
    assertEquals(0.1, warmup.valueAt(14, 0), TOLERANCE); // sgdr(10): its restart, 4 iterations late
  }

  @Test
  void iterationWarmupLeavesAnEpochScheduleUnshifted() {
    WarmupSchedule warmup = Schedules.warmup(100, 0.0, StepDecaySchedule.paper());
    assertEquals(0.05, warmup.valueAt(50, 0), TOLERANCE);    // half way to paper(epoch 0) = 0.1
    assertEquals(0.1, warmup.valueAt(100, 0), TOLERANCE);
    assertEquals(0.01, warmup.valueAt(5000, 40), TOLERANCE); // epoch 40 is still epoch 40
  }

  @Test
  void epochWarmupShiftsTheEpochs() {
    WarmupSchedule warmup = new WarmupSchedule(ScheduleType.EPOCH, 2, 0.0, StepDecaySchedule.paper());
    assertEquals(0.0, warmup.valueAt(7, 0), TOLERANCE);
    assertEquals(0.05, warmup.valueAt(7, 1), TOLERANCE);
    assertEquals(0.1, warmup.valueAt(7, 2), TOLERANCE);
    assertEquals(0.1, warmup.valueAt(7, 41), TOLERANCE);  // paper(39)
    assertEquals(0.01, warmup.valueAt(7, 42), TOLERANCE); // paper(40)
  }

  @Test
  void copiesAMutableWrappedSchedule() {
    Map<Integer, Double> values = new HashMap<>(Map.of(0, 0.5, 10, 0.25));
    MapSchedule builtIn = new MapSchedule(ScheduleType.ITERATION, values);
    WarmupSchedule warmup = Schedules.warmup(2, 0.0, builtIn);
    builtIn.setValues(new HashMap<>(Map.of(0, 9.0)));
    assertEquals(0.25, warmup.valueAt(1, 0), TOLERANCE); // half way to 0.5
    assertEquals(0.25, warmup.valueAt(12, 0), TOLERANCE);
  }

  @Test
  void equalityIsByValueIncludingTheWrappedSchedule() {
    WarmupSchedule a = Schedules.warmup(200, 0.0, Schedules.triangular(0.001, 0.1, 500));
    assertEquals(Schedules.warmup(200, 0.0, Schedules.triangular(0.001, 0.1, 500)), a);
    assertEquals(a.hashCode(), a.clone().hashCode());
    assertNotEquals(Schedules.warmup(201, 0.0, Schedules.triangular(0.001, 0.1, 500)), a);
    assertNotEquals(Schedules.warmup(200, 0.01, Schedules.triangular(0.001, 0.1, 500)), a);
    assertNotEquals(Schedules.warmup(200, 0.0, Schedules.triangular(0.001, 0.1, 501)), a);
    assertNotEquals(
        new WarmupSchedule(ScheduleType.EPOCH, 200, 0.0, Schedules.triangular(0.001, 0.1, 500)), a);
  }

  @Test
  void rejectsOutOfRangeArguments() {
    assertMessage("warmupLength", () -> Schedules.warmup(0, 0.0, StepDecaySchedule.paper()));
    assertMessage("startValue", () -> Schedules.warmup(10, -1, StepDecaySchedule.paper()));
    assertMessage("must not be null", () -> Schedules.warmup(10, 0, null));
  }
}
