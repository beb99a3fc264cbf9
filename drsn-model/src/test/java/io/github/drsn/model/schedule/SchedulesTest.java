package io.github.drsn.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

class SchedulesTest {

  static Stream<Arguments> textAndSchedule() {
    return Stream.of(
        Arguments.of("step:0.1@0,0.01@40,0.001@80", StepDecaySchedule.paper()),
        Arguments.of("paper", StepDecaySchedule.paper()),
        Arguments.of(" Reference ", StepDecaySchedule.reference()),
        Arguments.of("step: 0.5@0 , 0.05@1000 ,unit=iteration",
            new StepDecaySchedule(ScheduleType.ITERATION, new int[] {0, 1000}, new double[] {0.5, 0.05})),
        Arguments.of("triangular:base=0.001,max=0.1,step=500", Schedules.triangular(0.001, 0.1, 500)),
        Arguments.of("TRIANGULAR2:step=500,max=1E-1,base=1e-3", Schedules.triangular2(0.001, 0.1, 500)),
        Arguments.of("triangular:base=0,max=0.4,step=4,unit=epoch",
            new CyclicalSchedule(ScheduleType.EPOCH, CyclicalMode.TRIANGULAR, 0, 0.4, 4, 1)),
        Arguments.of("exp_range:base=0.001,max=0.1,step=500,gamma=0.99994",
            Schedules.expRange(0.001, 0.1, 500, 0.99994)),
        Arguments.of("sgdr:max=0.1,min=1e-4,t0=10,mult=2",
            new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 1e-4, 10, 2)),
        Arguments.of("sgdr:max=0.1,min=0,t0=2000,unit=iteration", Schedules.sgdr(0.1, 0, 2000, 1)),
        Arguments.of("warmup(iters=200):sgdr:max=0.1,min=1e-4,t0=10,mult=2",
            Schedules.warmup(200, 0, new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.1, 1e-4, 10, 2))),
        Arguments.of("warmup( epochs=2, start=0.01 ) : paper",
            new WarmupSchedule(ScheduleType.EPOCH, 2, 0.01, StepDecaySchedule.paper())));
  }

  @ParameterizedTest
  @MethodSource("textAndSchedule")
  void parsesTheDocumentedForms(String text, ISchedule expected) {
    assertEquals(expected, Schedules.parse(text));
  }

  @ParameterizedTest
  @MethodSource("textAndSchedule")
  void toStringParsesBackToAnEqualSchedule(String text, ISchedule schedule) {
    assertEquals(schedule, Schedules.parse(schedule.toString()), schedule.toString());
  }

  @Test
  void toStringIsReadable() {
    assertEquals("step:0.1@0,0.01@40,0.001@80,unit=epoch", StepDecaySchedule.paper().toString());
    assertEquals("warmup(iters=200,start=0.0):triangular:base=0.001,max=0.1,step=500,unit=iteration",
        Schedules.warmup(200, 0, Schedules.triangular(0.001, 0.1, 500)).toString());
  }

  static List<List<String>> invalidTextAndProblem() {
    return List.of(
        List.of("", "empty schedule"),
        List.of("cosine:max=0.1", "unknown schedule 'cosine'"),
        List.of("triangular", "expected '<name>:<parameters>'"),
        List.of("step:", "empty item"),
        List.of("step:unit=epoch", "at least one value@start"),
        List.of("step:0.1@0,,0.01@40", "empty item"),
        List.of("step:0.1@5,0.01@40", "the first segment must start at 0"),
        List.of("step:0.1@0,0.01@x", "step start must be an integer, got 'x'"),
        List.of("step:0.1@0,0.01@40,unit=batch", "unit must be 'iteration' or 'epoch', got 'batch'"),
        List.of("triangular:base=0.001,max=0.1", "missing 'step='"),
        List.of("triangular:base=0.1,max=0.01,step=5", "maxLr must be >= baseLr"),
        List.of("triangular:base=abc,max=0.1,step=5", "base must be a number, got 'abc'"),
        List.of("triangular:base=0.001,max=0.1,step=5,gamma=0.9", "unknown key 'gamma'"),
        List.of("triangular:base=0.001,max=0.1,step=5,step=6", "key 'step' given twice"),
        List.of("triangular:base=0.001,max=0.1,step 5", "expected key=value, got 'step 5'"),
        List.of("exp_range:base=0.001,max=0.1,step=500", "missing 'gamma='"),
        List.of("sgdr:max=NaN,min=0,t0=10", "max must be a number, got 'nan'"),
        List.of("sgdr:max=1e999,min=0,t0=10", "max must be a finite number, got '1e999'"),
        List.of("sgdr:max=0.1,min=0,t0=2.5", "t0 must be an integer, got '2.5'"),
        List.of("warmup(iters=10)paper", "expected ':' and a schedule"),
        List.of("warmup(iters=10,epochs=2):paper", "exactly one of 'iters=' and 'epochs='"),
        List.of("warmup iters=10:paper", "expected 'warmup(iters=W[,start=S]):'"),
        List.of("warmup(iters=10):warmup(iters=5):paper", "unknown schedule 'warmup(iters=5)'"),
        List.of("warmup(iters=0):paper", "warmupLength must be >= 1"));
  }

  @ParameterizedTest
  @MethodSource("invalidTextAndProblem")
  void invalidTextIsRejectedWithTheProblemAndTheGrammar(List<String> textAndProblem) {
    String text = textAndProblem.get(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(textAndProblem.get(1)), e.getMessage());
    assertTrue(e.getMessage().endsWith(Schedules.GRAMMAR), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {" ", "\t"})
  void blankTextIsRejected(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse(text));
    assertTrue(e.getMessage().contains("empty schedule"), e.getMessage());
  }

  @Test
  void nullTextIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.parse(null));
    assertTrue(e.getMessage().contains("empty schedule"), e.getMessage());
  }
}
