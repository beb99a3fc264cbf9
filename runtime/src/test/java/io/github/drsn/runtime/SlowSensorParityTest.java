package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sensor slower than the model's rate (the 12 kHz test model fed 1.5-11 kHz tones plus noise), diagnosed as a whole
 * recording ({@link Diagnoser#diagnose}) and as a stream ({@link StreamingDiagnoser}) of the same samples: the two paths
 * must give each window the same health and outcome, and the recording the same decision. They did not: the file
 * answered {@link Diagnosis.Outcome#UNCERTAIN} (the rate finding counted once, the windows classified) while the stream
 * marked every window {@link Diagnosis.Outcome#UNHEALTHY_INPUT} with {@link HealthIssue#SAMPLING_RATE} (the finding
 * joined to each window's health), so the same sensor was "not diagnosable" live and "uncertain" from its file.
 */
class SlowSensorParityTest {

  private static final int HOP = 512;
  private static final RecordingDiagnosis.Options OPTIONS = new RecordingDiagnosis.Options(HOP, 0.6, 0.5);

  @TempDir Path dir;
  private LeanDiagnoser diagnoser;

  @BeforeEach
  void load() throws Exception {
    diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
  }

  /** The stream's results over the recording: one per window (smoothing 1), or smoothed over all of them. */
  private static List<StreamingDiagnoser.Result> stream(Diagnoser d, float[] x, double rate, int smoothing) {
    return new StreamingDiagnoser(d, new StreamingDiagnoser.Config(rate, HOP, smoothing, OPTIONS.minConfidence(),
        OPTIONS.minAgreement())).feed(x);
  }

  private static void assertSameWindows(RecordingDiagnosis file, List<StreamingDiagnoser.Result> live) {
    assertTrue(live.size() >= file.windows().size() - 2 && live.size() <= file.windows().size(),
        live.size() + " stream windows, " + file.windows().size() + " in the file");
    for (int i = 0; i < live.size(); i++) {
      Diagnosis f = file.windows().get(i).diagnosis();
      Diagnosis s = live.get(i).diagnosis();
      assertEquals(f.health().issues(), s.health().issues(), "window " + i + " health: file " + f + ", stream " + s);
      assertEquals(f.outcome(), s.outcome(), "window " + i + ": file " + f + ", stream " + s);
      assertEquals(f.probabilities().length, s.probabilities().length, "window " + i);
      for (int k = 0; k < f.probabilities().length; k++) {
        assertEquals(f.probabilities()[k], s.probabilities()[k], 0.02, "window " + i + " class " + k);
      }
    }
  }

  /**
   * 8 and 6 kHz (ratios 3/2 and 2/1: the stream resamples on the whole recording's grid), 6,104 Hz (no small ratio:
   * window by window by interpolation) and 1.5 kHz (8 times slower): every window of a healthy slow sensor is
   * classified by the model and reported with the rate finding, never called classified, alike in a file and a stream.
   */
  @ParameterizedTest(name = "sensor at {0} Hz, model at 12 kHz")
  @ValueSource(doubles = {8_000, 6_000, 6_104, 1_500, 11_000})
  void aSlowSensorsWindowsAndDecisionAreTheSameInAFileAndAStream(double rate) {
    float[] x = TestBundles.signal((int) (rate * 2), rate, 11);
    RecordingDiagnosis file = diagnoser.diagnose(new double[][] {TestBundles.doubles(x)}, rate, OPTIONS);
    assertTrue(file.resampled());
    assertEquals(1, file.health().get(HealthIssue.SAMPLING_RATE), "the rate finding, once: " + file.health());
    List<StreamingDiagnoser.Result> live = stream(diagnoser, x, rate, 1);
    assertSameWindows(file, live);
    for (StreamingDiagnoser.Result r : live) {
      Diagnosis d = r.diagnosis();
      assertTrue(d.health().issues().contains(HealthIssue.SAMPLING_RATE), "window " + r.window() + ": " + d);
      assertNotEquals(Diagnosis.Outcome.CLASSIFIED, d.outcome(), "window " + r.window());
      assertNotEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, d.outcome(),
          "window " + r.window() + ": the sensor's samples are healthy, " + d.health().detail());
      assertTrue(d.labelIndex() >= 0, "what the model leant towards is kept: " + d);
    }
    List<StreamingDiagnoser.Result> smoothed = stream(diagnoser, x, rate, 10_000);
    Diagnosis last = smoothed.get(smoothed.size() - 1).diagnosis();
    assertEquals(Diagnosis.Outcome.UNCERTAIN, file.outcome(), "file: " + file.health());
    assertEquals(file.outcome(), last.outcome(), "the decision over all windows: file vs stream " + last);
    assertEquals(file.candidate(), last.labelIndex(), "the class the model leant towards");
  }

  /**
   * A calibrated model whose threshold calls every window out of distribution: the shift a slow sensor brings is the
   * out-of-distribution check's to report, {@link Diagnosis.Outcome#UNKNOWN} in a file and in a stream alike.
   */
  @Test
  void aSlowSensorWhoseWindowsAreOutOfDistributionIsUnknownInAFileAndAStream() {
    Bundle plain = diagnoser.bundle();
    Calibration c = RandomBundles.calibration(plain.layout(), 7);
    LeanDiagnoser strict = LeanDiagnoser.of(plain.withCalibration(
        CalibratedDiagnoserTest.withThreshold(c, OodMethod.ENERGY, -1e9)));
    double rate = 8_000;
    float[] x = TestBundles.signal(16_000, rate, 12);
    RecordingDiagnosis file = strict.diagnose(new double[][] {TestBundles.doubles(x)}, rate, OPTIONS);
    assertEquals(Diagnosis.Outcome.UNKNOWN, file.outcome(), "file: " + file.health());
    assertSameWindows(file, stream(strict, x, rate, 1));
    List<StreamingDiagnoser.Result> smoothed = stream(strict, x, rate, 10_000);
    assertEquals(file.outcome(), smoothed.get(smoothed.size() - 1).diagnosis().outcome());
  }
}
