package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WelchTest {

  @Test
  void whiteNoiseReadsTwiceItsVarianceOverFs() {
    double fs = 1000;
    double sigma = 2;
    SplittableRandom rng = new SplittableRandom(3);
    double[] x = new double[1 << 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = sigma * rng.nextGaussian();
    }
    Spectrum psd = Welch.psd(x, fs, 512, 256, Window.HANN);
    double mean = 0;
    for (int k = 1; k < psd.size() - 1; k++) {
      mean += psd.value(k);
    }
    mean /= psd.size() - 2;
    assertEquals(2 * sigma * sigma / fs, mean, 0.02 * 2 * sigma * sigma / fs);
    assertEquals(fs / 512, psd.binWidth(), 1e-12);
  }

  @Test
  void integralOfPsdIsTheSinePower() {
    double fs = 8192;
    double[] x = TestSignals.sine(1 << 15, fs, 1000, 3, 0.2);
    for (Window w : Window.values()) {
      Spectrum psd = Welch.psd(x, fs, 1024, 512, w);
      double integral = 0;
      for (double v : psd.values()) {
        integral += v * psd.binWidth();
      }
      assertEquals(4.5, integral, 1e-6 * 4.5, w.name());
      assertEquals(1000.0, psd.peakFrequency(0, fs / 2), 1e-9, w.name());
    }
  }

  @Test
  void badSegmentationIsRejected() {
    double[] x = new double[100];
    assertMessage(() -> Welch.psd(x, 1, 101, 0, Window.HANN), "segmentLength 101 is longer than the signal");
    assertMessage(() -> Welch.psd(x, 1, 50, 50, Window.HANN), "overlap");
    assertMessage(() -> Welch.psd(x, 1, 50, -1, Window.HANN), "overlap");
    assertMessage(() -> Welch.psd(x, 0, 50, 0, Window.HANN), "sampling rate");
    assertMessage(() -> Welch.psd(x, 1, 50, 0, null), "window");
  }
}
