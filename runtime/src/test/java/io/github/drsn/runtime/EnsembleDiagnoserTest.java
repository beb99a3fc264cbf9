package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.runtime.calibration.Calibrator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleDiagnoserTest {

  @TempDir Path dir;

  private List<Bundle> parts() throws Exception {
    List<Bundle> parts = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      parts.add(Bundle.read(TestBundles.small(dir, "m" + m + ".drsn", 40 + m)));
    }
    return parts;
  }

  private static Bundle ensemble(List<Bundle> parts) {
    return Bundle.ensembleOf(parts, "test", Instant.parse("2026-01-01T00:00:00Z"), Map.of(), Map.of(), Map.of());
  }

  @Test
  void theEnsembleAnswersTheMeanOfItsMembersProbabilitiesAndTheirDisagreement() throws Exception {
    List<Bundle> parts = parts();
    LeanDiagnoser e = LeanDiagnoser.of(ensemble(parts));
    assertEquals(3, e.memberCount());
    assertEquals(3 * 16, e.pooledFeatures());
    List<LeanDiagnoser> alone = parts.stream().map(LeanDiagnoser::of).toList();
    int classes = TestBundles.CLASSES.size();
    boolean someDisagreement = false;
    for (int n = 0; n < 6; n++) {
      float[] window = TestBundles.signal(512, 12_000, 300 + n);
      double[][] member = new double[3][classes];
      float[] p = new float[classes];
      for (int m = 0; m < 3; m++) {
        alone.get(m).predict(window, p);
        for (int k = 0; k < classes; k++) {
          member[m][k] = p[k];
        }
      }
      float[] ensemble = new float[classes];
      int label = e.predict(window, ensemble);
      double kl = 0;
      int best = 0;
      for (int k = 0; k < classes; k++) {
        double mean = (member[0][k] + member[1][k] + member[2][k]) / 3;
        // The mean of the members' float probabilities, rounded once to float: exact, not within a tolerance.
        assertEquals((float) mean, ensemble[k], 0.0f, "window " + n + " class " + k);
        best = mean > (member[0][best] + member[1][best] + member[2][best]) / 3 ? k : best;
        for (int m = 0; m < 3; m++) {
          kl += member[m][k] * Math.log(member[m][k] / mean) / 3;
        }
      }
      assertEquals(best, label);
      assertEquals(kl, e.disagreement(window), 1e-12);
      someDisagreement |= kl > 1e-3;
      assertTrue(kl <= Math.log(3) + 1e-12);
    }
    assertTrue(someDisagreement, "random members should disagree somewhere");
  }

  @Test
  void identicalMembersAreTheNetworkItselfWithNoDisagreement() throws Exception {
    Bundle one = parts().get(0);
    LeanDiagnoser e = LeanDiagnoser.of(ensemble(List.of(one, one)));
    LeanDiagnoser alone = LeanDiagnoser.of(one);
    float[] window = TestBundles.signal(512, 12_000, 9);
    float[] a = new float[4];
    float[] b = new float[4];
    alone.predict(window, a);
    e.predict(window, b);
    assertArrayEquals(a, b);
    assertEquals(0.0, e.disagreement(window), 0.0);
    assertEquals(0.0, alone.disagreement(window), 0.0);
  }

  @Test
  void aSavedAndReloadedEnsembleGivesIdenticalOutputs() throws Exception {
    Bundle e = ensemble(parts());
    Path file = dir.resolve("e.drsn");
    e.write(file);
    LeanDiagnoser before = LeanDiagnoser.of(e);
    LeanDiagnoser after = LeanDiagnoser.load(file);
    for (int n = 0; n < 4; n++) {
      float[] window = TestBundles.signal(512, 12_000, 500 + n);
      assertEquals(before.classify(window), after.classify(window));
      double[] z1 = new double[4];
      double[] z2 = new double[4];
      double[] f1 = new double[48];
      double[] f2 = new double[48];
      assertEquals(before.rawOutputs(window, z1, f1), after.rawOutputs(window, z2, f2), 0.0);
      assertArrayEquals(z1, z2, 0.0);
      assertArrayEquals(f1, f2, 0.0);
    }
  }

  @Test
  void calibrationScalesThePooledPredictionAndCanFlagDisagreement() throws Exception {
    Bundle e = ensemble(parts());
    LeanDiagnoser plain = LeanDiagnoser.of(e);
    List<double[]> logits = new ArrayList<>();
    List<double[]> features = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<Double> disagreement = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      float[] window = TestBundles.signal(512, 12_000, 700 + n);
      double[] z = new double[4];
      double[] f = new double[48];
      disagreement.add(plain.rawOutputs(window, z, f));
      logits.add(z);
      features.add(f);
      labels.add(n % 4);
    }
    Calibrator.Outputs outputs = new Calibrator.Outputs(logits.toArray(double[][]::new),
        features.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
        disagreement.stream().mapToDouble(Double::doubleValue).toArray(), null);
    var calibration = Calibrator.fit(outputs, outputs, 0.1, OodMethod.ENSEMBLE_DISAGREEMENT, "test");
    assertTrue(calibration.thresholds().containsKey(OodMethod.ENSEMBLE_DISAGREEMENT));
    Bundle calibrated = e.withCalibration(calibration);
    Path file = dir.resolve("calibrated.drsn");
    calibrated.write(file);
    LeanDiagnoser c = LeanDiagnoser.load(file);
    double t = calibration.temperature();
    int flagged = 0;
    for (int n = 0; n < 40; n++) {
      float[] window = TestBundles.signal(512, 12_000, 700 + n);
      double[] mean = new double[4];
      float[] p = new float[4];
      plain.predict(window, p);
      double sum = 0;
      for (int k = 0; k < 4; k++) {
        mean[k] = Math.exp(Math.log(p[k]) / t);
        sum += mean[k];
      }
      Diagnosis d = c.classify(window);
      for (int k = 0; k < 4; k++) {
        // softmax(log p̄ / T) = p̄^(1/T) / Σ p̄^(1/T)
        assertEquals(mean[k] / sum, d.probabilities()[k], 2e-6, "window " + n);
      }
      assertEquals(disagreement.get(n), d.oodScore(), 1e-12);
      flagged += d.outcome() == Diagnosis.Outcome.UNKNOWN ? 1 : 0;
    }
    assertEquals(4, flagged, "10 % of the 40 windows the threshold was fitted on");
    // One network has no disagreement to threshold.
    Calibrator.Outputs single = new Calibrator.Outputs(outputs.logits(), outputs.features(), outputs.labels());
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
        () -> Calibrator.fit(single, single, 0.1, OodMethod.ENSEMBLE_DISAGREEMENT, "test"));
    assertTrue(e1.getMessage().contains("needs an ensemble bundle"), e1.getMessage());
  }
}
