package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an adversarial review and fixed; what it did before the fix: a recording far shorter than one window at the model's rate is resampled before its length is
 * checked, and when the rate change is no small ratio the band-limited interpolation computes max(1, n·fsOut/fsIn)
 * outputs with a kernel 2·HALF_WIDTH·fsIn/fsOut input samples wide: for 2 s at a rate typed as 1e15 Hz (or an
 * order-domain model given --rpm 1e-9) that is ~10^12 multiply-adds for one sample, and
 * {@code ./drsn predict} hangs (jstack: Resampling.interpolate under RecordingDiagnosis.of) instead of answering
 * "the recording has 24000 samples at ... but the model needs windows of ...", the check that follows it.
 */
class AbsurdRateTest {

  @TempDir Path dir;

  private static double[] recording() {
    return TestBundles.doubles(TestBundles.signal(24_000, 12_000, 3));
  }

  @Test
  void aRateTypedAsTeraHertzIsRefusedAtOnce() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    double[] x = recording();
    IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(IllegalArgumentException.class, () -> d.diagnose(x, 1e15)),
        "2 s of samples at 1e15 Hz: 2.4e-8 s of recording, refused only after the resampling");
    assertTrue(e.getMessage().contains("24000 samples"), e.getMessage());
  }

  @Test
  void anOrderDomainSpeedNearZeroIsRefusedAtOnce() throws Exception {
    Path file = dir.resolve("orders.drsn");
    RandomBundles.write(file, new io.github.drsn.contract.ModelLayout(io.github.drsn.contract.Architecture.DRSN_CW,
        512, 1, new int[] {4, 8, 16}, 2, 3, 2, 4, io.github.drsn.contract.NormKind.BATCH_NORM, 4,
        io.github.drsn.contract.Shortcut.ZERO_PAD), TestBundles.CLASSES,
        new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME, 64), 3);
    LeanDiagnoser d = LeanDiagnoser.load(file);
    double[] x = recording();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class,
        () -> d.diagnose(new double[][] {x}, 12_000, 1e-9 / 60, RecordingDiagnosis.Options.DEFAULT)),
        "--rpm 1e-9: 64 samples per revolution is 1e-9 Hz; 2 s is 2e-9 of a window");
  }
}
