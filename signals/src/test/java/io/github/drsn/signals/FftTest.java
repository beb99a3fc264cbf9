package io.github.drsn.signals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FftTest {

  /** Direct O(n²) DFT, the reference the packed-layout unpacking is checked against. */
  private static double[] naiveHalf(double[] x) {
    int n = x.length;
    double[] half = new double[2 * (n / 2 + 1)];
    for (int k = 0; k <= n / 2; k++) {
      double re = 0;
      double im = 0;
      for (int t = 0; t < n; t++) {
        double angle = -2 * Math.PI * ((long) k * t % n) / n;
        re += x[t] * Math.cos(angle);
        im += x[t] * Math.sin(angle);
      }
      half[2 * k] = re;
      half[2 * k + 1] = im;
    }
    return half;
  }

  private static double[] randomSignal(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextDouble(-1, 1);
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 100, 101, 127, 128, 1000, 1001})
  void halfSpectrumMatchesDirectDftForOddAndEvenLengths(int n) {
    double[] x = randomSignal(n, n);
    double[] expected = naiveHalf(x);
    double[] actual = RealFft.forwardHalf(x);
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-9 * n, "n=" + n + " index " + i);
    }
    assertArrayEquals(x, RealFft.inverseHalf(actual, n), 1e-12, "round trip n=" + n);
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 2047, 1000, 999})
  void sineLandsInRoundedBinWithItsAmplitude(int n) {
    double fs = 12_000;
    double amplitude = 3.7;
    int bin = 157;
    double f = bin * fs / n;
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = amplitude * Math.sin(2 * Math.PI * f * t / fs + 0.3);
    }
    Spectrum s = Fft.amplitudeSpectrum(x, fs);
    assertEquals(n / 2 + 1, s.size());
    assertEquals(fs / n, s.binWidth(), 1e-12);
    assertEquals(Math.round(f * n / fs), s.peakIndex(0, fs / 2));
    assertEquals(bin, Fft.binIndex(f, n, fs));
    assertEquals(amplitude, s.value(bin), 1e-6 * amplitude);
    assertEquals(f, s.peakFrequency(0, fs / 2), 1e-9);
    for (int k = 0; k < s.size(); k++) {
      if (k != bin) {
        assertTrue(s.value(k) < 1e-9, "leakage at bin " + k + ": " + s.value(k));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 2047, 1000, 999})
  void offBinSinePeaksInTheRoundedBin(int n) {
    double fs = 12_000;
    for (double f : new double[] {1000, 1234.5, 2999.9, 57.3}) {
      Spectrum s = Fft.amplitudeSpectrum(TestSignals.sine(n, fs, f, 1, 0.7), fs);
      assertEquals(Math.round(f * n / fs), s.peakIndex(0, fs / 2), "f=" + f + " n=" + n);
      assertEquals(Math.round(f * n / fs), Fft.binIndex(f, n, fs));
      // Rectangular-window scalloping loss is at most 3.92 dB (half a bin off).
      assertTrue(s.value(s.peakIndex(0, fs / 2)) > 0.63, "f=" + f + " n=" + n);
    }
  }

  @Test
  void dcAndNyquistAreNotDoubled() {
    int n = 64;
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = 0.5 + 2.0 * (t % 2 == 0 ? 1 : -1);
    }
    Spectrum s = Fft.amplitudeSpectrum(x, 1000);
    assertEquals(0.5, s.value(0), 1e-12);
    assertEquals(2.0, s.value(n / 2), 1e-12);
    assertEquals(500.0, s.frequency(n / 2), 1e-12);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 511, 512, 2047, 2048})
  void parsevalHoldsForPowerSpectrum(int n) {
    double[] x = randomSignal(n, 7 + n);
    double total = 0;
    for (double p : Fft.powerSpectrum(x, 100).values()) {
      total += p;
    }
    assertEquals(Fft.meanPower(x), total, 1e-12 * Math.max(1, total));
  }

  @Test
  void windowedSpectrumCorrectsCoherentGain() {
    int n = 1024;
    double fs = 1024;
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = 1.5 * Math.cos(2 * Math.PI * 100 * t / fs);
    }
    for (Window w : Window.values()) {
      assertEquals(1.5, Fft.amplitudeSpectrum(x, fs, w).value(100), 1e-9, w.name());
    }
  }

  @Test
  void badInputIsRejectedWithNamedProblem() {
    assertMessage(() -> Fft.amplitudeSpectrum(new double[0], 1), "empty");
    assertMessage(() -> Fft.amplitudeSpectrum(null, 1), "null");
    assertMessage(() -> Fft.amplitudeSpectrum(new double[] {1, Double.NaN}, 1), "x[1] is NaN");
    assertMessage(() -> Fft.amplitudeSpectrum(new double[] {Double.POSITIVE_INFINITY}, 1), "Infinity");
    assertMessage(() -> Fft.amplitudeSpectrum(new double[] {1, 2}, 0), "sampling rate");
    assertMessage(() -> Fft.amplitudeSpectrum(new double[] {1, 2}, -5), "sampling rate");
    assertMessage(() -> Fft.amplitudeSpectrum(new double[] {1, 2}, Double.NaN), "sampling rate");
    assertMessage(() -> Fft.powerSpectrum(new double[] {1, 2}, Double.POSITIVE_INFINITY), "sampling rate");
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }
}
