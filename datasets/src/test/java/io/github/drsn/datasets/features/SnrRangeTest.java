package io.github.drsn.datasets.features;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.signals.NoiseType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Review finding: an SNR is checked to be finite, not to be usable. {@code ./drsn evaluate --snrs -1000} exits 1 with
 * "data[0] is Infinity; samples must be finite (no NaN or Inf)", a message about samples the user never gave: at
 * −1000 dB the noise's rms is 10^50 times the signal's, beyond float (the network's input type, max 3.4e38). The
 * SNR should be refused where it is given, naming it and the range that works.
 */
class ReviewSnrRangeTest {

  @Test
  void anSnrWhoseNoiseOverflowsIsRefusedWhenGivenNamingIt() {
    double[] clean = new double[2048];
    for (int i = 0; i < clean.length; i++) {
      clean[i] = Math.sin(2 * Math.PI * 157 * i / 12_000.0);
    }
    double[] noisy = new NoiseSpec(NoiseType.GAUSSIAN, -1000).addTo(clean, new SplittableRandom(1));
    float first = (float) noisy[0];
    assertTrue(Float.isInfinite(first) || Double.isInfinite(noisy[0]),
        "control: the noisy window is not representable as float: " + noisy[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NoiseSpec(NoiseType.GAUSSIAN, -1000), "-1000 dB is accepted and fails later on the samples");
    assertTrue(e.getMessage().contains("-1000"), e.getMessage());
  }
}
