package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.calibration.ReferenceThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
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
}
