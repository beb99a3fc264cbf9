package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an adversarial review and fixed; what it did before the fix: a sensor whose rate is within {@link HealthCheck#rateTolerance()} of the model's, which
 * {@link Diagnoser#diagnose} treats as the model's own rate (no resampling), is refused by {@link StreamingDiagnoser}'s
 * constructor ("the rate change 12010.0 Hz -> 12000.0 Hz is not a ratio up/down with up, down <= 1000"). DAQ
 * hardware coerces a requested rate to a divisor of its time base (12.8 MHz / 1062 = 12052.7 Hz), so such rates are
 * what a service is given. diagnose also takes any other rate (band-limited interpolation); the stream refuses
 * 6104 Hz as well. The file and the live path of one sensor should not disagree on whether it can be diagnosed.
 */
class StreamRateTest {

  @TempDir Path dir;
  private LeanDiagnoser diagnoser;

  @BeforeEach
  void load() throws Exception {
    diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
  }

  @Test
  void aSensorWithinTheRateToleranceStreamsAsTheRecordingPathDiagnosesIt() {
    float[] x = TestBundles.signal(512 * 4, 12_010, 3);
    RecordingDiagnosis file = diagnoser.diagnose(TestBundles.doubles(x), 12_010);
    assertFalse(file.resampled(), "control: 12010 Hz is within 0.5 % of 12 kHz, taken as the model's rate");
    assertEquals(Diagnosis.Outcome.CLASSIFIED, file.outcome(), "control");
    assertDoesNotThrow(() -> new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(12_010, 512, 1, 0)),
        "the stream refuses the rate the file path accepts");
  }

  @Test
  void aRateTheRecordingPathResamplesByInterpolationCanBeStreamed() {
    float[] x = TestBundles.signal(6_104, 6_104, 3);
    RecordingDiagnosis file = diagnoser.diagnose(TestBundles.doubles(x), 6_104);
    assertEquals(6_104, file.samplingRate(), "control: diagnose takes 6104 Hz");
    assertDoesNotThrow(() -> new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(6_104, 512, 1, 0)));
  }
}
