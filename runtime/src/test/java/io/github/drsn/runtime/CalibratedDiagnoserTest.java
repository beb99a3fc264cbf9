package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.calibration.OodScores;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratedDiagnoserTest {

  @TempDir Path dir;

  /** {@code c} with {@code method} chosen and its threshold set to {@code threshold}. */
  static Calibration withThreshold(Calibration c, OodMethod method, double threshold) {
    Map<OodMethod, Double> t = new EnumMap<>(c.thresholds());
    t.put(method, threshold);
    return new Calibration(c.temperature(), method, t, c.falseAlarmRate(), c.data(), c.windows(), c.eceBefore(),
        c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis());
  }

  @Test
  void aCalibratedBundleGivesSoftmaxOfLogitsOverTAndTheSameAnswersAfterARoundTrip() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 31));
    Bundle calibrated = plain.withCalibration(RandomBundles.calibration(plain.layout(), 2));
    Path file = dir.resolve("calibrated.drsn");
    calibrated.write(file);
    LeanDiagnoser before = LeanDiagnoser.of(calibrated);
    LeanDiagnoser after = LeanDiagnoser.load(file);
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    double[] logits = new double[4];
    double[] pooled = new double[after.pooledFeatures()];
    assertEquals(16, pooled.length);
    for (int n = 0; n < 5; n++) {
      float[] window = TestBundles.signal(512, 12_000, 100 + n);
      Diagnosis a = before.classify(window);
      Diagnosis b = after.classify(window);
      assertEquals(a, b, "window " + n);
      after.rawOutputs(window, logits, pooled);
      double lse = OodScores.logSumExp(logits, 4, 1.5);
      for (int k = 0; k < 4; k++) {
        assertEquals(Math.exp(logits[k] / 1.5 - lse), b.probabilities()[k], 1e-6);
      }
      double[] work = new double[16];
      assertEquals(OodScores.mahalanobis(pooled, calibrated.calibration().mahalanobis(), work), b.oodScore(), 1e-3);
      // The stream's per-hop call: the same probabilities and score, without the health check.
      float[] scored = new float[4];
      assertEquals(b.oodScore(), after.predictScored(window, scored), 0.0);
      assertArrayEquals(b.probabilities(), scored, 0f);
      Diagnosis plainAnswer = uncalibrated.classify(window);
      assertTrue(Double.isNaN(plainAnswer.oodScore()));
      assertTrue(Double.isNaN(uncalibrated.predictScored(window, scored)));
      assertEquals(Math.exp(logits[plainAnswer.labelIndex()] - OodScores.logSumExp(logits, 4, 1)),
          plainAnswer.confidence(), 1e-6);
    }
  }

  @Test
  void aWindowBeyondTheThresholdIsUnknownAndSoIsAFileOfThem() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 32));
    Calibration c = RandomBundles.calibration(plain.layout(), 3);
    LeanDiagnoser everything = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, -1e9)));
    LeanDiagnoser nothing = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, 1e9)));
    float[] window = TestBundles.signal(512, 12_000, 5);
    Diagnosis unknown = everything.classify(window);
    assertEquals(Diagnosis.Outcome.UNKNOWN, unknown.outcome());
    assertEquals("unknown", unknown.label());
    Diagnosis known = nothing.classify(window);
    assertEquals(Diagnosis.Outcome.CLASSIFIED, known.outcome());
    assertEquals(unknown.oodScore(), known.oodScore());
    assertArrayEquals(unknown.probabilities(), known.probabilities());

    double[] recording = new double[512 * 6];
    float[] f = TestBundles.signal(recording.length, 12_000, 9);
    for (int i = 0; i < f.length; i++) {
      recording[i] = f[i];
    }
    RecordingDiagnosis file = everything.diagnose(recording, 12_000);
    assertEquals(Diagnosis.Outcome.UNKNOWN, file.outcome());
    assertEquals("unknown", file.label());
    assertEquals(6, file.unknownWindows());
    assertEquals(0, java.util.Arrays.stream(file.votes()).sum(), "unknown windows name no class");
    RecordingDiagnosis same = nothing.diagnose(recording, 12_000);
    assertEquals(0, same.unknownWindows());
    assertEquals(file.medianOodScore(), same.medianOodScore());
    assertTrue(Double.isFinite(same.medianOodScore()));
  }

  @Test
  void aFileWithSomeUnknownWindowsAbstainsWhenTooFewWindowsAgree() throws Exception {
    // Threshold at the median window's score: half the windows... at most half unknown, so the file is not unknown,
    // but the unknown windows do not vote and the agreement falls below 0.5 + something.
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 33));
    Calibration c = RandomBundles.calibration(plain.layout(), 3);
    double[] recording = new double[512 * 8];
    float[] f = TestBundles.signal(recording.length, 12_000, 11);
    for (int i = 0; i < f.length; i++) {
      recording[i] = f[i];
    }
    RecordingDiagnosis probe = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, 1e9)))
        .diagnose(recording, 12_000);
    double[] scores = probe.windows().stream().mapToDouble(w -> w.diagnosis().oodScore()).sorted().toArray();
    double threshold = scores[4]; // the 3 largest of 8 windows are above it
    RecordingDiagnosis r = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, threshold)))
        .diagnose(new double[][] {recording}, 12_000, new RecordingDiagnosis.Options(0, 0, 0.7));
    assertEquals(3, r.unknownWindows());
    assertEquals(Diagnosis.Outcome.UNCERTAIN, r.outcome(), "at most 5 of 8 windows can agree, below 0.7");
  }
}
