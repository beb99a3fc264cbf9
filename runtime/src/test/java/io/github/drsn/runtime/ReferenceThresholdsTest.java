package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.calibration.ReferenceThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thresholds chosen on a machine's own windows are the ones the runtime then applies to those windows. */
class ReferenceThresholdsTest {

  @TempDir Path dir;

  @Test
  void theRuntimeFlagsTheStatedFractionOfTheReferenceWindowsAndKeepsEverythingElse() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 31));
    Bundle calibrated = plain.withCalibration(RandomBundles.calibration(plain.layout(), 2));
    List<float[]> windows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      windows.add(TestBundles.signal(512, 12_000, 500 + i));
    }
    ReferenceThresholds chosen = ReferenceThresholds.choose(calibrated, windows, "40 test windows", 0.05,
        OodMethod.MAHALANOBIS);
    Bundle result = chosen.bundle();
    assertEquals(calibrated.calibration().temperature(), result.calibration().temperature(), 0.0);
    assertEquals(calibrated.calibration().mahalanobis(), result.calibration().mahalanobis());
    assertEquals(calibrated.calibration().windows(), result.calibration().windows(), "the count T and ECE were measured on");
    assertTrue(ReferenceThresholds.chosenOnReference(result.calibration()));
    assertTrue(!ReferenceThresholds.chosenOnReference(calibrated.calibration()));
    assertTrue(result.calibration().data().startsWith("thresholds on 40 test windows; temperature and ECE as before: "),
        result.calibration().data());
    assertEquals(0.05, chosen.flaggedAfter().get(OodMethod.MAHALANOBIS), 1e-12);
    LeanDiagnoser runtime = LeanDiagnoser.of(result);
    int unknown = 0;
    for (float[] w : windows) {
      unknown += runtime.classify(w).outcome() == Diagnosis.Outcome.UNKNOWN ? 1 : 0;
    }
    assertEquals(2, unknown, "floor(0.05 * 40) windows score above the threshold");
    double shares = chosen.classShares().values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(1.0, shares, 1e-9);
    assertEquals(calibrated.classes(), List.copyOf(chosen.classShares().keySet()));
    assertTrue(result.metrics().get("calibration") instanceof Map<?, ?> m && m.get("reference") instanceof Map<?, ?>);

    IllegalArgumentException uncalibrated = assertThrows(IllegalArgumentException.class,
        () -> ReferenceThresholds.choose(plain, windows, "x", 0.05, OodMethod.MAHALANOBIS));
    assertTrue(uncalibrated.getMessage().contains("not calibrated"), uncalibrated.getMessage());
  }

  @Test
  void theTestSplitsUnknownFractionMeasuredAtThePreviousThresholdsIsNotKeptBesideTheNewOnes() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 31));
    Bundle calibrated = plain.withCalibration(RandomBundles.calibration(plain.layout(), 2));
    // As Calibrations.calibrate writes it: the calibrated model measured on the test split at its thresholds.
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("ood_method", "MAHALANOBIS");
    summary.put("threshold", calibrated.calibration().threshold());
    summary.put("test", Map.of("windows", 100, "unknown_fraction", 0.04, "answered_accuracy", 0.97));
    Map<String, Object> metrics = new LinkedHashMap<>(calibrated.metrics());
    metrics.put("calibration", summary);
    calibrated = calibrated.withMetrics(metrics);
    List<float[]> windows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      windows.add(TestBundles.signal(512, 12_000, 500 + i));
    }
    ReferenceThresholds chosen = ReferenceThresholds.choose(calibrated, windows, "40 windows", 0.05,
        OodMethod.MAHALANOBIS);
    // The threshold moved (540.9 from 3.5 here), so "4 % of the test windows unknown" no longer describes the bundle.
    Map<?, ?> after = assertInstanceOf(Map.class, chosen.bundle().metrics().get("calibration"));
    assertFalse(after.containsKey("test"), "metrics.calibration.test describes thresholds the bundle no longer has: "
        + after.get("test") + " beside threshold " + after.get("threshold"));
  }
}
