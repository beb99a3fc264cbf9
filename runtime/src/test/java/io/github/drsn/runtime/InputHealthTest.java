package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each input-health case is reported as such, never silently classified. */
class InputHealthTest {

  @TempDir Path dir;
  private LeanDiagnoser diagnoser;

  @BeforeEach
  void load() throws Exception {
    diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 11));
  }

  private void assertUnhealthy(Diagnosis d, HealthIssue issue) {
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, d.outcome(), d.toString());
    assertEquals(Set.of(issue), d.health().issues(), d.health().detail());
    assertEquals(-1, d.labelIndex());
    assertEquals(0, d.probabilities().length);
    assertTrue(!d.health().detail().isEmpty());
  }

  @Test
  void healthyVibrationIsClassified() {
    Diagnosis d = diagnoser.classify(TestBundles.signal(512, 12_000, 1));
    assertEquals(Diagnosis.Outcome.CLASSIFIED, d.outcome());
    assertTrue(d.health().healthy());
  }

  @Test
  void nanAndInfinityAreNonFinite() {
    float[] w = TestBundles.signal(512, 12_000, 2);
    w[100] = Float.NaN;
    assertUnhealthy(diagnoser.classify(w), HealthIssue.NON_FINITE);
    w[100] = 0;
    w[7] = Float.NEGATIVE_INFINITY;
    Diagnosis d = diagnoser.classify(w);
    assertUnhealthy(d, HealthIssue.NON_FINITE);
    assertTrue(d.health().detail().startsWith("1 of 512"), d.health().detail());
  }

  @Test
  void flatToppedSamplesAreClipping() {
    float[] w = TestBundles.signal(512, 12_000, 3);
    float[] clipped = w.clone();
    for (int i = 0; i < clipped.length; i++) {
      clipped[i] = Math.max(-0.35f, Math.min(0.35f, clipped[i]));
    }
    assertUnhealthy(diagnoser.classify(clipped), HealthIssue.CLIPPED);
    // A single sample at the extreme, or two equal samples, is not clipping.
    float[] peak = w.clone();
    peak[50] = 3f;
    peak[300] = -3f;
    peak[301] = -3f;
    assertEquals(Diagnosis.Outcome.CLASSIFIED, diagnoser.classify(peak).outcome());
  }

  @Test
  void constantOrNearZeroVarianceIsADeadSensor() {
    assertUnhealthy(diagnoser.classify(new float[512]), HealthIssue.DEAD_SENSOR);
    float[] offset = new float[512];
    java.util.Arrays.fill(offset, 2.5f);
    assertUnhealthy(diagnoser.classify(offset), HealthIssue.DEAD_SENSOR);
    float[] whisper = TestBundles.signal(512, 12_000, 4);
    for (int i = 0; i < whisper.length; i++) {
      whisper[i] = 1f + whisper[i] * 1e-7f;
    }
    assertUnhealthy(diagnoser.classify(whisper), HealthIssue.DEAD_SENSOR);
    // A stricter threshold still classifies quiet but live signals.
    LeanDiagnoser lenient = diagnoser.withHealthCheck(new HealthCheck(0, 0.01, 0.005));
    assertEquals(Diagnosis.Outcome.CLASSIFIED, lenient.classify(whisper).outcome());
  }

  @Test
  void wrongSamplingRateIsReported() {
    float[] w = TestBundles.signal(512, 12_000, 5);
    assertUnhealthy(diagnoser.classify(w, 48_000), HealthIssue.SAMPLING_RATE);
    assertUnhealthy(diagnoser.classify(w, 12_800), HealthIssue.SAMPLING_RATE);
    assertEquals(Diagnosis.Outcome.CLASSIFIED, diagnoser.classify(w, 12_000).outcome());
    assertEquals(Diagnosis.Outcome.CLASSIFIED, diagnoser.classify(w, 12_001).outcome());
  }

  /**
   * A slow sensor's finding is the sensor's, reported on every window and keeping each from being classified; its
   * windows are healthy and scored (they were marked unhealthy here, while a recording of the same sensor had its
   * windows classified and the file uncertain: SlowSensorParityTest).
   */
  @Test
  void aSensorSlowerThanTheModelIsReportedOnEveryWindow() {
    StreamingDiagnoser s = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(8_000, 256, 1, 0));
    List<StreamingDiagnoser.Result> results = s.feed(TestBundles.signal(8_000, 8_000, 6));
    assertTrue(results.size() > 10, "results: " + results.size());
    for (StreamingDiagnoser.Result r : results) {
      Diagnosis d = r.diagnosis();
      assertEquals(Set.of(HealthIssue.SAMPLING_RATE), d.health().issues(), d.health().detail());
      assertTrue(d.health().detail().contains("8000.0 Hz is below the model's 12000.0 Hz"), d.health().detail());
      assertEquals(Diagnosis.Outcome.UNCERTAIN, d.outcome(), "never classified, even at a minimum confidence of 0");
      assertEquals("uncertain", d.label());
      assertTrue(d.labelIndex() >= 0 && d.probabilities().length == 4, d.toString());
    }
  }

  /** The rule for a window resampled to the model's rate: the sensor's samples, then what they cannot show. */
  @Test
  void aResampledWindowIsJudgedOnTheSensorsSamplesAndOnlyForOverflowAndBandLevelOnItsOwn() {
    HealthCheck check = HealthCheck.DEFAULT;
    float[] raw = TestBundles.signal(2048, 48_000, 3);
    float[] window = TestBundles.signal(512, 12_000, 3);
    assertTrue(check.assessResampledWindow(raw, 0, raw.length, window, 0, 512, 12_000).healthy());
    // Flat extremes in the resampled window are the filter's, not the sensor's: not judged.
    float[] flat = window.clone();
    java.util.Arrays.fill(flat, 0, 100, 5f);
    assertTrue(check.assess(flat, 0, 512).issues().contains(HealthIssue.CLIPPED), "control");
    assertTrue(check.assessResampledWindow(raw, 0, raw.length, flat, 0, 512, 12_000).healthy());
    // The sensor's own clipping is.
    float[] clipped = raw.clone();
    java.util.Arrays.fill(clipped, 0, 200, 5f);
    assertEquals(Set.of(HealthIssue.CLIPPED),
        check.assessResampledWindow(clipped, 0, clipped.length, window, 0, 512, 12_000).issues());
    // An overflow to infinity in the resampled window.
    float[] overflow = window.clone();
    overflow[7] = Float.POSITIVE_INFINITY;
    InputHealth h = check.assessResampledWindow(raw, 0, raw.length, overflow, 0, 512, 12_000);
    assertEquals(Set.of(HealthIssue.NON_FINITE), h.issues());
    assertTrue(h.detail().contains("overflowed"), h.detail());
    // Nothing of the signal in the band: -80 dB.
    float[] residue = window.clone();
    for (int i = 0; i < residue.length; i++) {
      residue[i] *= 1e-4f;
    }
    h = check.assessResampledWindow(raw, 0, raw.length, residue, 0, 512, 12_000);
    assertEquals(Set.of(HealthIssue.DEAD_SENSOR), h.issues());
    assertTrue(h.detail().startsWith("no signal in the model's band 0-6000 Hz: the resampled window is -80 dB"),
        h.detail());
    // -40 dB is weak but in the band: healthy.
    for (int i = 0; i < residue.length; i++) {
      residue[i] *= 100;
    }
    assertTrue(check.assessResampledWindow(raw, 0, raw.length, residue, 0, 512, 12_000).healthy());
    // A non-finite sensor sample is the sensor's finding alone (the filter saw 0 for it).
    float[] nan = raw.clone();
    nan[3] = Float.NaN;
    assertEquals(Set.of(HealthIssue.NON_FINITE),
        check.assessResampledWindow(nan, 0, nan.length, new float[512], 0, 512, 12_000).issues());
  }

  @Test
  void aNanBurstInAStreamMarksOnlyTheWindowsThatContainIt() {
    StreamingDiagnoser s = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(48_000, 512, 1, 0));
    float[] x = TestBundles.signal(48_000, 48_000, 7);
    int burst = 20_000;
    for (int i = burst; i < burst + 10; i++) {
      x[i] = Float.NaN;
    }
    List<StreamingDiagnoser.Result> results = s.feed(x);
    int bad = 0;
    for (StreamingDiagnoser.Result r : results) {
      double startRaw = r.startSeconds() * 48_000;
      boolean covers = startRaw <= burst + 10 && startRaw + 512 * 4 > burst;
      if (covers) {
        assertUnhealthy(r.diagnosis(), HealthIssue.NON_FINITE);
        bad++;
      } else {
        assertTrue(r.diagnosis().outcome() != Diagnosis.Outcome.UNHEALTHY_INPUT, "window " + r.window());
      }
    }
    assertEquals(1, bad);
  }
}
