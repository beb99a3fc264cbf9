package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 24/7 stream fed what a broken or mis-decoded sensor sends must report it and keep diagnosing. */
class StreamingDiagnoserHostileInputTest {

  @TempDir Path dir;

  /**
   * Finite samples near Float.MAX_VALUE (what a float32 decoder makes of mis-framed bytes) pass the raw health check,
   * but the resampling filter's overshoot makes the model-rate window infinite; the window goes to
   * {@link Diagnoser#predictScored}, whose normalisation threw: feed() threw IllegalArgumentException ("data[120] is
   * Infinity") and, since the window index was not advanced, every later feed() threw the same: the stream was wedged
   * for good, even on a healthy signal. Such a window is now reported NON_FINITE ("the resampled window overflowed").
   */
  @Test
  void finiteSamplesThatOverflowWhenResampledAreReportedAndTheStreamKeepsDiagnosing() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    StreamingDiagnoser stream = new StreamingDiagnoser(d, new StreamingDiagnoser.Config(48_000, 512, 1, 0));
    float[] garbage = new float[48_000];
    for (int i = 0; i < garbage.length; i++) {
      // A sawtooth of distinct values (no flat runs, so not "clipped") spanning the float range.
      garbage[i] = (float) (Float.MAX_VALUE * 0.999 * (2 * ((i % 487) / 487.0) - 1));
    }
    RuntimeException thrown = null;
    List<StreamingDiagnoser.Result> reported = List.of();
    try {
      reported = stream.feed(garbage);
    } catch (RuntimeException e) {
      thrown = e;
    }
    float[] healthy = TestBundles.signal(48_000 * 2, 48_000, 3);
    List<StreamingDiagnoser.Result> after = assertDoesNotThrow(() -> stream.feed(healthy),
        "the stream is wedged: a healthy signal after the garbage still throws (the garbage threw " + thrown + ")");
    assertTrue(after.stream().anyMatch(r -> r.diagnosis().outcome() != Diagnosis.Outcome.UNHEALTHY_INPUT),
        "the stream never recovered: " + after.size() + " results, all unhealthy");
    assertNull(thrown, "the stream must report the garbage windows (unhealthy input), not throw");
    assertTrue(reported.stream().anyMatch(r -> r.diagnosis().health().issues().contains(HealthIssue.NON_FINITE)
        && r.diagnosis().health().detail().contains("overflowed")), "no window reported overflowed: " + reported);
    for (StreamingDiagnoser.Result r : reported) {
      assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.diagnosis().outcome(), "garbage window " + r.window() + ": "
          + r.diagnosis());
    }
  }

  /** The file path judges such a recording by the same rule: its windows are reported, the call does not throw. */
  @Test
  void finiteSamplesThatOverflowWhenResampledAreReportedByTheRecordingPath() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    double[] garbage = new double[48_000];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (float) (Float.MAX_VALUE * 0.999 * (2 * ((i % 487) / 487.0) - 1));
    }
    RecordingDiagnosis r = assertDoesNotThrow(() -> d.diagnose(garbage, 48_000));
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "health " + r.health());
    assertTrue(r.health().containsKey(HealthIssue.NON_FINITE), "health " + r.health());
    assertTrue(r.healthDetail().get(HealthIssue.NON_FINITE).contains("overflowed"), r.healthDetail().toString());
  }

  /**
   * The constructor refuses a sensor rate typed a million times too high ("is the rate right?", see
   * StreamingDiagnoserTest#aSensorRateTypedAsTeraHertzIsRefusedByTheStream) and took one typed far too low. Every
   * window was then marked SAMPLING_RATE anyway, yet each was first upsampled on its own by band-limited interpolation
   * (diagnosePerWindow resamples before judge() looks at the rate finding): at a stated 1 Hz every raw sample yielded
   * 23 windows, each interpolated to ~12,000 times its raw span; 35 samples took 20 s, a 1000-sample chunk would have
   * taken about ten minutes, and at 0.001 Hz a single window allocated a 2.7 GB array. A rate more than
   * {@link StreamingDiagnoser#MAX_UPSAMPLING} times below the model's is now refused, naming both rates.
   */
  @Test
  void aSensorRateTypedFarTooLowIsRefusedByTheStream() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    float[] chunk = TestBundles.signal(1000, 48_000, 3);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      StreamingDiagnoser stream;
      try {
        stream = new StreamingDiagnoser(d, new StreamingDiagnoser.Config(1, 512, 1, 0));
      } catch (IllegalArgumentException refused) {
        assertTrue(refused.getMessage().contains(" 1 Hz") && refused.getMessage().contains("12000 Hz")
            && refused.getMessage().contains("in Hz"), refused.getMessage());
        return;
      }
      for (StreamingDiagnoser.Result r : stream.feed(chunk)) {
        assertTrue(r.diagnosis().health().issues().contains(HealthIssue.SAMPLING_RATE), "window " + r.window());
      }
      throw new AssertionError("a sensor stated at 1 Hz for a 12 kHz model was accepted");
    }, "a 1000-sample chunk at a stated 1 Hz");
    assertThrows(IllegalArgumentException.class,
        () -> new StreamingDiagnoser(d, new StreamingDiagnoser.Config(48, 512, 1, 0)), "48 typed for 48000");
  }

  /** At the limit, 16 times below the model's rate, a slow sensor still streams, every window reported. */
  @Test
  void aSensorSixteenTimesSlowerThanTheModelStillStreamsAndIsReported() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    StreamingDiagnoser stream = new StreamingDiagnoser(d, new StreamingDiagnoser.Config(750, 512, 1, 0));
    List<StreamingDiagnoser.Result> results = stream.feed(TestBundles.signal(750, 750, 3));
    assertTrue(results.size() > 5, "results: " + results.size());
    for (StreamingDiagnoser.Result r : results) {
      assertTrue(r.diagnosis().health().issues().contains(HealthIssue.SAMPLING_RATE), "window " + r.window());
    }
  }
}
