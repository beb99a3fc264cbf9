package io.github.drsn.model.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ScheduleType;

class StepDecayScheduleTest {

  @Test
  void paperScheduleIsPointOneThenPointZeroOneThenPointZeroZeroOneByEpoch() {
    StepDecaySchedule paper = StepDecaySchedule.paper();
    assertEquals(0.1, paper.valueAt(0, 0));
    assertEquals(0.1, paper.valueAt(123_456, 39), "the iteration must not matter for an epoch schedule");
    assertEquals(0.01, paper.valueAt(0, 40));
    assertEquals(0.01, paper.valueAt(0, 79));
    assertEquals(0.001, paper.valueAt(0, 80));
    assertEquals(0.001, paper.valueAt(0, StepDecaySchedule.PAPER_EPOCHS - 1));
    assertEquals(0.001, paper.valueAt(0, 500), "the last value holds beyond the planned epochs");
  }

  @Test
  void referenceScheduleHalvesThePaperSegments() {
    StepDecaySchedule reference = StepDecaySchedule.reference();
    assertEquals(0.1, reference.valueAt(0, 19));
    assertEquals(0.01, reference.valueAt(0, 20));
    assertEquals(0.01, reference.valueAt(0, 39));
    assertEquals(0.001, reference.valueAt(0, 40));
    assertEquals(0.001, reference.valueAt(0, StepDecaySchedule.REFERENCE_EPOCHS - 1));
  }

  @Test
  void paperStepsPutTheDropsAtFortyAndEightyPercentOfAnyRun() {
    // 12 epochs: 4.8 -> 5 and 9.6 -> 10; 50 and 100 are the reference and paper runs; 1 and 2 still have 3 steps.
    assertArrayEquals(new int[] {0, 5, 10}, StepDecaySchedule.paperSteps(12).getSegmentStarts());
    assertArrayEquals(new int[] {0, 1, 2}, StepDecaySchedule.paperSteps(1).getSegmentStarts());
    assertArrayEquals(new int[] {0, 1, 2}, StepDecaySchedule.paperSteps(2).getSegmentStarts());
    assertArrayEquals(new double[] {0.1, 0.01, 0.001}, StepDecaySchedule.paperSteps(12).getValues());
    assertEquals(StepDecaySchedule.paper(), StepDecaySchedule.paperSteps(100));
    assertEquals(StepDecaySchedule.reference(), StepDecaySchedule.paperSteps(50));
    assertThrows(IllegalArgumentException.class, () -> StepDecaySchedule.paperSteps(0));
  }

  @Test
  void epochStepTextIsWhatRunSettingsRecordAndParsesBack() {
    StepDecaySchedule steps = StepDecaySchedule.paperSteps(12);
    assertEquals("step:0.1@0,0.01@5,0.001@10", steps.epochStepText());
    assertEquals(steps, Schedules.parse(steps.epochStepText()));
    StepDecaySchedule byIteration = new StepDecaySchedule(ScheduleType.ITERATION, new int[] {0, 3}, new double[] {1, 2});
    assertThrows(IllegalStateException.class, byIteration::epochStepText);
  }

  @Test
  void iterationScheduleReadsTheIteration() {
    StepDecaySchedule byIteration = new StepDecaySchedule(
        ScheduleType.ITERATION, new int[] {0, 3, 7}, new double[] {0.5, 0.25, 0.125});
    double[] expected = {0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125};
    for (int iteration = 0; iteration < expected.length; iteration++) {
      assertEquals(expected[iteration], byIteration.valueAt(iteration, 99), "iteration " + iteration);
    }
  }

  @Test
  void arraysAreCopiedInAndOut() {
    int[] starts = {0, 10};
    double[] values = {0.1, 0.01};
    StepDecaySchedule schedule = new StepDecaySchedule(ScheduleType.EPOCH, starts, values);
    starts[1] = 1;
    values[0] = 5;
    schedule.getValues()[0] = 7;
    schedule.getSegmentStarts()[1] = 2;
    assertArrayEquals(new int[] {0, 10}, schedule.getSegmentStarts());
    assertArrayEquals(new double[] {0.1, 0.01}, schedule.getValues());
    assertEquals(0.1, schedule.valueAt(0, 9));
  }

  @Test
  void equalityIsByValue() {
    StepDecaySchedule a = new StepDecaySchedule(
        ScheduleType.EPOCH, new int[] {0, 40, 80}, new double[] {0.1, 0.01, 0.001});
    assertEquals(StepDecaySchedule.paper(), a);
    assertEquals(StepDecaySchedule.paper().hashCode(), a.hashCode());
    assertEquals(a, a.clone());
    assertNotEquals(StepDecaySchedule.reference(), a);
    assertNotEquals(new StepDecaySchedule(ScheduleType.ITERATION, new int[] {0, 40, 80},
        new double[] {0.1, 0.01, 0.001}), a);
    assertNotEquals(new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0, 40, 80},
        new double[] {0.1, 0.01, 0.002}), a);
  }

  @Test
  void rejectsMalformedSegments() {
    assertMessage("non-empty", () -> new StepDecaySchedule(ScheduleType.EPOCH, new int[0], new double[0]));
    assertMessage("same length",
        () -> new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0, 1}, new double[] {1}));
    assertMessage("start at 0",
        () -> new StepDecaySchedule(ScheduleType.EPOCH, new int[] {5}, new double[] {1}));
    assertMessage("strictly increasing",
        () -> new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0, 4, 4}, new double[] {1, 2, 3}));
    assertMessage("values[1]",
        () -> new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0, 4}, new double[] {1, Double.NaN}));
    assertMessage("values[0]",
        () -> new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0}, new double[] {-0.1}));
    assertMessage("scheduleType", () -> new StepDecaySchedule(null, new int[] {0}, new double[] {1}));
    assertMessage("epoch", () -> StepDecaySchedule.paper().valueAt(0, -1));
  }

  static void assertMessage(String expectedFragment, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedFragment),
        () -> "message should contain '" + expectedFragment + "': " + e.getMessage());
  }
}
