package io.github.drsn.datasets.features;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.signals.NoiseType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Found by an adversarial review and fixed; what it did before the fix: an SNR is checked to be finite, not to be usable. {@code ./drsn evaluate --snrs -1000} exits 1 with
 * "data[0] is Infinity; samples must be finite (no NaN or Inf)", a message about samples the user never gave: at
 * −1000 dB the noise's rms is 10^50 times the signal's, beyond float (the network's input type, max 3.4e38). The
 * SNR should be refused where it is given, naming it and the range that works.
 */
class SnrRangeTest {

  @Test
  void anSnrWhoseNoiseOverflowsIsRefusedWhenGivenNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NoiseSpec(NoiseType.GAUSSIAN, -1000), "-1000 dB is accepted and fails later on the samples");
    assertTrue(e.getMessage().contains("-1000") && e.getMessage().contains("[-200, 200]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NoiseSpec(NoiseType.GAUSSIAN, -10, 1000));
  }

  @Test
  void theEndsOfTheAcceptedRangeGiveSamplesAFloatHolds() {
    double[] clean = new double[2048];
    for (int i = 0; i < clean.length; i++) {
      clean[i] = Math.sin(2 * Math.PI * 157 * i / 12_000.0);
    }
    for (double snr : new double[] {-200, 200}) {
      double[] noisy = new NoiseSpec(NoiseType.GAUSSIAN, snr).addTo(clean, new SplittableRandom(1));
      for (double v : noisy) {
        assertTrue(Float.isFinite((float) v), snr + " dB gave " + v);
      }
    }
  }
}
