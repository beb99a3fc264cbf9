package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.calibration.ReferenceThresholds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drsn calibrate --reference} refuses fewer than ceil(1 / alpha) healthy windows (CalibrateCommand): below that
 * no score ranks alpha from the top, and the "threshold" is the largest score, flagging none of them. The library
 * call that command wraps, and that a service calls "with the windows it has", should refuse them too.
 */
class ReferenceWindowCountTest {

  @TempDir Path dir;

  @Test
  @Disabled("defect: the minimum reference-window count lives in CalibrateCommand; ReferenceThresholds.choose accepts 5")
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
