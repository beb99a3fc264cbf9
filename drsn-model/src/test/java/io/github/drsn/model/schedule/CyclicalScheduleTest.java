package io.github.drsn.model.schedule;

import static io.github.drsn.model.schedule.StepDecayScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Values against Smith (WACV 2017): cycle = floor(1 + t/(2s)), x = |t/s - 2 cycle + 1|,
 * lr = base + (max - base) max(0, 1 - x) scale. With base 0.001, max 0.1, s 500 the amplitude is 0.099.
 */
class CyclicalScheduleTest {

  private static final double TOLERANCE = 1e-15;

  @Test
  void triangularRisesForStepSizeIterationsAndFallsBack() {
    CyclicalSchedule triangular = Schedules.triangular(0.001, 0.1, 500);
    assertEquals(0.001, triangular.valueAt(0, 0), TOLERANCE);    // cycle 1, x = 1
    assertEquals(0.0505, triangular.valueAt(250, 0), TOLERANCE); // x = 0.5: base + 0.099 / 2
    assertEquals(0.1, triangular.valueAt(500, 0), TOLERANCE);    // x = 0: peak
    assertEquals(0.0505, triangular.valueAt(750, 0), TOLERANCE);
    assertEquals(0.001, triangular.valueAt(1000, 0), TOLERANCE); // cycle 2, x = 1
    assertEquals(0.0505, triangular.valueAt(1250, 0), TOLERANCE);
    assertEquals(0.1, triangular.valueAt(1500, 7), TOLERANCE);   // full amplitude again, epoch ignored
    assertEquals(0.001 + 0.099 * 0.002, triangular.valueAt(1, 0), TOLERANCE); // x = 0.998
  }

  @Test
  void triangular2HalvesTheAmplitudeEachCycle() {
    CyclicalSchedule triangular2 = Schedules.triangular2(0.001, 0.1, 500);
    assertEquals(0.1, triangular2.valueAt(500, 0), TOLERANCE);      // cycle 1: scale 1
    assertEquals(0.0505, triangular2.valueAt(250, 0), TOLERANCE);
    assertEquals(0.0505, triangular2.valueAt(1500, 0), TOLERANCE);  // cycle 2 peak: base + 0.099 / 2
    assertEquals(0.02575, triangular2.valueAt(1250, 0), TOLERANCE); // cycle 2, x = 0.5: base + 0.099 / 4
    assertEquals(0.02575, triangular2.valueAt(2500, 0), TOLERANCE); // cycle 3 peak: base + 0.099 / 4
    assertEquals(0.001, triangular2.valueAt(2000, 0), TOLERANCE);
  }

  @Test
  void expRangeScalesByGammaToTheIteration() {
    CyclicalSchedule halving = Schedules.expRange(0.1, 1.1, 2, 0.5);
    assertEquals(0.1, halving.valueAt(0, 0), TOLERANCE);
    assertEquals(0.35, halving.valueAt(1, 0), TOLERANCE);           // x = 0.5, scale 1/2: 0.1 + 1 * 0.5 * 0.5
    assertEquals(0.35, halving.valueAt(2, 0), TOLERANCE);           // x = 0, scale 1/4
    assertEquals(0.1 + 1.0 / 64, halving.valueAt(6, 0), TOLERANCE); // cycle 2 peak, scale 1/2^6

    CyclicalSchedule smith = Schedules.expRange(0.001, 0.1, 500, 0.999);
    // 0.001 + 0.099 * 0.999^500, 0.999^500 = exp(500 ln 0.999) = 0.6063789...
    assertEquals(0.06103151554125729, smith.valueAt(500, 0), 1e-14);
    // cycle 2 peak: 0.001 + 0.099 * 0.999^1500
    assertEquals(0.02307331360658731, smith.valueAt(1500, 0), 1e-14);
  }

  @Test
  void epochScheduleCountsEpochs() {
    CyclicalSchedule byEpoch =
        new CyclicalSchedule(ScheduleType.EPOCH, CyclicalMode.TRIANGULAR, 0.0, 0.4, 4, 1);
    assertEquals(0.0, byEpoch.valueAt(1000, 0), TOLERANCE);
    assertEquals(0.1, byEpoch.valueAt(2000, 1), TOLERANCE);
    assertEquals(0.4, byEpoch.valueAt(3000, 4), TOLERANCE);
    assertEquals(0.3, byEpoch.valueAt(4000, 5), TOLERANCE);
  }

  @Test
  void equalityIsByValue() {
    CyclicalSchedule a = Schedules.triangular(0.001, 0.1, 500);
    assertEquals(
        new CyclicalSchedule(ScheduleType.ITERATION, CyclicalMode.TRIANGULAR, 0.001, 0.1, 500, 1), a);
    assertEquals(a.hashCode(), a.clone().hashCode());
    assertEquals(a, a.clone());
    assertNotEquals(Schedules.triangular2(0.001, 0.1, 500), a);
    assertNotEquals(Schedules.triangular(0.002, 0.1, 500), a);
    assertNotEquals(Schedules.triangular(0.001, 0.2, 500), a);
    assertNotEquals(Schedules.triangular(0.001, 0.1, 501), a);
    assertNotEquals(new CyclicalSchedule(ScheduleType.EPOCH, CyclicalMode.TRIANGULAR, 0.001, 0.1, 500, 1), a);
    assertNotEquals(Schedules.expRange(0.001, 0.1, 500, 0.99), Schedules.expRange(0.001, 0.1, 500, 0.999));
  }

  @Test
  void rejectsOutOfRangeArguments() {
    assertMessage("maxLr must be >= baseLr", () -> Schedules.triangular(0.1, 0.01, 10));
    assertMessage("stepSize", () -> Schedules.triangular(0.01, 0.1, 0));
    assertMessage("baseLr", () -> Schedules.triangular(-0.01, 0.1, 10));
    assertMessage("maxLr", () -> Schedules.triangular(0.01, Double.POSITIVE_INFINITY, 10));
    assertMessage("gamma", () -> Schedules.expRange(0.01, 0.1, 10, 1.5));
    assertMessage("gamma", () -> Schedules.expRange(0.01, 0.1, 10, 0));
    assertMessage("gamma applies only to EXP_RANGE",
        () -> new CyclicalSchedule(ScheduleType.ITERATION, CyclicalMode.TRIANGULAR, 0.01, 0.1, 10, 0.9));
    assertMessage("mode", () -> new CyclicalSchedule(ScheduleType.ITERATION, null, 0.01, 0.1, 10, 1));
  }
}
