package io.github.drsn.model.schedule;

import static io.github.drsn.model.schedule.StepDecayScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ScheduleType;

/** Values against SGDR (ICLR 2017, Eq. 5): lr = min + (max - min)(1 + cos(pi T_cur / T_i)) / 2. */
class CosineWarmRestartsScheduleTest {

  private static final double TOLERANCE = 1e-15;

  @Test
  void periodsGrowByTheMultiplierAndRestartAtMax() {
    // T_0 = 10, T_mult = 2: runs [0, 10), [10, 30), [30, 70), [70, 150)
    CosineWarmRestartsSchedule sgdr = Schedules.sgdr(0.1, 0.0, 10, 2);
    assertEquals(0.1, sgdr.valueAt(0, 0), TOLERANCE);
    assertEquals(0.05, sgdr.valueAt(5, 0), TOLERANCE);    // cos(pi/2) = 0
    assertEquals(0.1, sgdr.valueAt(10, 0), TOLERANCE);    // first restart
    assertEquals(0.05, sgdr.valueAt(20, 0), TOLERANCE);   // 10 of 20
    // 19 of 20: 0.1 (1 + cos(0.95 pi)) / 2, cos(0.95 pi) = -0.98768834...
    assertEquals(0.0006155829702431171, sgdr.valueAt(29, 0), 1e-16);
    assertEquals(0.1, sgdr.valueAt(30, 0), TOLERANCE);    // second restart
    assertEquals(0.05, sgdr.valueAt(50, 0), TOLERANCE);   // 20 of 40
    assertEquals(0.1, sgdr.valueAt(70, 0), TOLERANCE);
    assertEquals(0.1, sgdr.valueAt(150, 0), TOLERANCE);
    assertEquals(0.05, sgdr.valueAt(150 + 80, 0), TOLERANCE); // run of 160 starting at 150
  }

  @Test
  void constantPeriodWithMultiplierOne() {
    CosineWarmRestartsSchedule sgdr = Schedules.sgdr(0.1, 0.0, 3, 1);
    assertEquals(0.075, sgdr.valueAt(1, 0), TOLERANCE);   // cos(pi/3) = 1/2: 0.1 * 1.5 / 2
    assertEquals(0.025, sgdr.valueAt(2, 0), TOLERANCE);   // cos(2pi/3) = -1/2
    assertEquals(0.1, sgdr.valueAt(3, 0), TOLERANCE);
    assertEquals(0.075, sgdr.valueAt(3_000_001, 0), 1e-14); // 3,000,001 mod 3 = 1
  }

  @Test
  void minimumIsTheFloor() {
    CosineWarmRestartsSchedule sgdr = Schedules.sgdr(0.1, 1e-4, 20, 1);
    assertEquals(0.05005, sgdr.valueAt(10, 0), TOLERANCE);   // 1e-4 + (0.1 - 1e-4) / 2
    // 1e-4 + (0.1 - 1e-4) (1 + cos(3 pi / 20)) / 2, cos(0.15 pi) = 0.89100652...
    assertEquals(0.09455577588320897, sgdr.valueAt(3, 0), 1e-16);
  }

  @Test
  void epochScheduleCountsEpochs() {
    CosineWarmRestartsSchedule byEpoch = new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 0.0, 10, 2);
    assertEquals(0.05, byEpoch.valueAt(99_999, 5), TOLERANCE);
    assertEquals(0.1, byEpoch.valueAt(0, 10), TOLERANCE);
    assertEquals(0.05, byEpoch.valueAt(0, 20), TOLERANCE);
  }

  @Test
  void largestIterationDoesNotOverflow() {
    CosineWarmRestartsSchedule sgdr = Schedules.sgdr(0.1, 0.0, 1, 2);
    // Runs of 1, 2, 4, ... start at 2^k - 1; 2^31 - 1 = Integer.MAX_VALUE starts a run.
    assertEquals(0.1, sgdr.valueAt(Integer.MAX_VALUE, 0), TOLERANCE);
    assertEquals(0.1, sgdr.valueAt((1 << 30) - 1, 0), TOLERANCE);
    assertEquals(0.05, sgdr.valueAt((1 << 30) - 1 + (1 << 29), 0), TOLERANCE);
  }

  @Test
  void lengthOfRunsEndsAtTheRestarts() {
    CosineWarmRestartsSchedule sgdr = Schedules.sgdr(0.1, 0.0, 10, 2);
    assertEquals(10, sgdr.lengthOfRuns(1));
    assertEquals(30, sgdr.lengthOfRuns(2));
    assertEquals(70, sgdr.lengthOfRuns(3));
    assertEquals(150, sgdr.lengthOfRuns(4));
    assertEquals(0.1, sgdr.valueAt((int) sgdr.lengthOfRuns(3), 0), TOLERANCE);
    assertEquals(50, Schedules.sgdr(0.1, 0.0, 10, 1).lengthOfRuns(5));
    assertEquals(10L * ((1L << 59) - 1), sgdr.lengthOfRuns(59)); // 5.8e18 < Long.MAX_VALUE = 9.2e18
    assertMessage("runs", () -> sgdr.lengthOfRuns(0));
    assertMessage("longer than Long.MAX_VALUE", () -> sgdr.lengthOfRuns(60));
  }

  @Test
  void equalityIsByValue() {
    CosineWarmRestartsSchedule a = Schedules.sgdr(0.1, 1e-4, 10, 2);
    assertEquals(new CosineWarmRestartsSchedule(ScheduleType.ITERATION, 0.1, 1e-4, 10, 2), a);
    assertEquals(a.hashCode(), a.clone().hashCode());
    assertNotEquals(Schedules.sgdr(0.2, 1e-4, 10, 2), a);
    assertNotEquals(Schedules.sgdr(0.1, 0, 10, 2), a);
    assertNotEquals(Schedules.sgdr(0.1, 1e-4, 11, 2), a);
    assertNotEquals(Schedules.sgdr(0.1, 1e-4, 10, 1), a);
    assertNotEquals(new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 1e-4, 10, 2), a);
  }

  @Test
  void rejectsOutOfRangeArguments() {
    assertMessage("maxLr must be >= minLr", () -> Schedules.sgdr(0.01, 0.1, 10, 1));
    assertMessage("firstPeriod", () -> Schedules.sgdr(0.1, 0, 0, 1));
    assertMessage("periodMultiplier", () -> Schedules.sgdr(0.1, 0, 10, 0));
    assertMessage("minLr", () -> Schedules.sgdr(0.1, Double.NaN, 10, 1));
    assertMessage("iteration", () -> Schedules.sgdr(0.1, 0, 10, 1).valueAt(-1, 0));
  }
}
