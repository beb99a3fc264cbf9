package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.calibration.ReferenceThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fewer than ceil(1 / alpha) healthy reference windows give no score ranked alpha from the top, and the "threshold"
 * would be the largest score, flagging none of them. The command line refused them before the library did; the
 * library call that a service makes "with the windows it has" refuses them itself.
 */
class ReferenceWindowCountTest {

  @TempDir Path dir;

  @Test
  void tooFewReferenceWindowsForTheFalseAlarmRateAreRefusedByTheLibrary() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 31));
    Bundle calibrated = plain.withCalibration(RandomBundles.calibration(plain.layout(), 2));
    List<float[]> windows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      windows.add(TestBundles.signal(512, 12_000, 500 + i));
    }
    // alpha = 0.05 needs 20 windows (the command line's rule); 5 give the largest score as the threshold.
    assertThrows(IllegalArgumentException.class,
        () -> ReferenceThresholds.choose(calibrated, windows, "5 windows", 0.05, OodMethod.MAHALANOBIS));
  }
}
