package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an adversarial review and fixed; what it did before the fix: {@link Diagnoser#diagnose} checks the health of the windows after resampling, and the resampling
 * filter turns flat-topped (clipped) runs into ripple, so a recording clipped at the ADC's full scale is classified
 * whenever its rate is not the model's (48 kHz CWRU files, the README's own example). {@link StreamingDiagnoser}
 * checks the raw samples and does flag the same signal: the two paths a service may take disagree.
 */
class RecordingHealthAtAnotherRateTest {

  @TempDir Path dir;
  private LeanDiagnoser diagnoser;

  @BeforeEach
  void load() throws Exception {
    diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
  }

  /** A vibration-like signal at {@code rate}, clipped at ±0.05 (the signal's rms is ~0.3: most samples are flat). */
  private static float[] clipped(int n, double rate) {
    float[] x = TestBundles.signal(n, rate, 9);
    for (int i = 0; i < n; i++) {
      x[i] = Math.max(-0.05f, Math.min(0.05f, x[i]));
    }
    return x;
  }

  @Test
  void aClippedRecordingAtTheModelsRateIsUnhealthy() {
    RecordingDiagnosis r = diagnoser.diagnose(TestBundles.doubles(clipped(512 * 6, 12_000)), 12_000);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "the control: held up at the model's rate");
  }

  @Test
  void aClippedRecordingAt48kHzIsUnhealthyNotClassified() {
    RecordingDiagnosis r = diagnoser.diagnose(TestBundles.doubles(clipped(512 * 4 * 6, 48_000)), 48_000);
    assertTrue(r.resampled());
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "a recording of 6 windows, ~75 % of its samples"
        + " flat at ±0.05, was " + r.outcome() + " '" + r.label() + "' with health " + r.health());
    assertTrue(r.health().containsKey(HealthIssue.CLIPPED), r.health().toString());
  }

  /**
   * A stuck sensor (an IEPE channel that lost its sensor reads its constant bias) at 44.1 kHz: the polyphase filter's
   * phases do not have exactly unit DC gain, so the constant 0.5 comes out as 0.5 ± ~3e-6 of periodic ripple, whose
   * standard deviation is above {@link HealthCheck#DEFAULT}'s 1e-6; the z-score then blows the ripple up to unit
   * variance and the network classifies it (uncalibrated model: no OOD guard). At the model's own rate and at 24 or
   * 48 kHz (ratios 1/2, 1/4) the same recording is a dead sensor.
   */
  @Test
  void aStuckSensorAt44100HzIsADeadSensorNotAClass() {
    double[] stuck = new double[22_050];
    java.util.Arrays.fill(stuck, 0.5);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, diagnoser.diagnose(stuck, 12_000).outcome(), "control");
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, diagnoser.diagnose(stuck, 48_000).outcome(), "control");
    RecordingDiagnosis r = diagnoser.diagnose(stuck, 44_100);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "half a second of a constant 0.5 at 44.1 kHz was "
        + r.outcome() + " '" + r.label() + "' with health " + r.health());
    assertTrue(r.health().containsKey(HealthIssue.DEAD_SENSOR), r.health().toString());
  }

  @Test
  void theStreamAndTheRecordingPathAgreeOnAClippedSignalAt24kHz() {
    float[] x = clipped(24_000, 24_000);
    StreamingDiagnoser stream = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(24_000, 512, 1, 0));
    List<StreamingDiagnoser.Result> live = stream.feed(x);
    assertTrue(live.stream().allMatch(w -> w.diagnosis().outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT),
        "control: the stream checks the raw samples and flags every window");
    RecordingDiagnosis file = diagnoser.diagnose(TestBundles.doubles(x), 24_000);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, file.outcome(), "the same samples as a file: " + file.label());
  }
}
