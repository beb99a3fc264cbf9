package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final double FS = 12_000;

  /** (1 + m cos(2 pi fm t)) cos(2 pi fc t). */
  private static double[] amCarrier(int n, double carrierHz, double modulationHz, double depth, double amplitude) {
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      double time = t / FS;
      x[t] = amplitude * (1 + depth * Math.cos(2 * Math.PI * modulationHz * time))
          * Math.cos(2 * Math.PI * carrierHz * time);
    }
    return x;
  }

  @Test
  void hilbertOfCosineIsSineForOddAndEvenLengths() {
    for (int n : new int[] {1200, 1201}) {
      double[] x = new double[n];
      double[] expected = new double[n];
      double hz = 50 * FS / 1200;
      for (int t = 0; t < n; t++) {
        x[t] = Math.cos(2 * Math.PI * hz * t / FS);
        expected[t] = Math.sin(2 * Math.PI * hz * t / FS);
      }
      double[] h = Envelope.hilbert(x);
      // Exact for a whole number of cycles (n = 1200); the odd length only leaks slightly at the ends.
      double tolerance = n == 1200 ? 1e-10 : 0.05;
      assertTrue(TestSignals.maxAbsDifference(expected, h, n / 4, 3 * n / 4) < tolerance, "n=" + n);
    }
  }

  @Test
  void envelopeOfAmSignalIsTheModulatingFunction() {
    int n = 12_000;
    double[] x = amCarrier(n, 3000, 37, 0.5, 2);
    double[] e = Envelope.envelope(x);
    double worst = 0;
    for (int t = 0; t < n; t++) {
      double expected = 2 * (1 + 0.5 * Math.cos(2 * Math.PI * 37 * t / FS));
      worst = Math.max(worst, Math.abs(e[t] - expected));
    }
    assertTrue(worst < 1e-9, "envelope error " + worst);
  }

  @Test
  void envelopeSpectrumPeaksAtTheModulationFrequency() {
    int n = 12_000;
    double[] x = amCarrier(n, 3000, 37, 0.5, 2);
    Spectrum s = Envelope.spectrum(x, FS);
    assertEquals(37.0, s.peakFrequency(1, 1000), 1e-9);
    assertEquals(1.0, s.value(s.nearestIndex(37)), 1e-6, "modulation amplitude 2 * 0.5");
    assertEquals(0.0, s.value(0), 1e-9, "mean removed");
    // The plain amplitude spectrum has nothing at 37 Hz: the information is only in the envelope.
    assertTrue(Fft.amplitudeSpectrum(x, FS).value(37) < 1e-9);
  }

  @Test
  void bandPassSelectsTheResonanceBeforeDemodulation() {
    int n = 24_000;
    // A strong component modulated at 13 Hz near 500 Hz masks a weak one modulated at 37 Hz near 3 kHz.
    double[] x = TestSignals.add(amCarrier(n, 500, 13, 0.8, 5), amCarrier(n, 3000, 37, 0.8, 0.5));
    assertEquals(13.0, Envelope.spectrum(x, FS).peakFrequency(1, 200), 1e-9);
    Spectrum banded = Envelope.spectrum(x, FS, 2500, 3500);
    assertEquals(37.0, banded.peakFrequency(1, 200), 1e-9);
    assertTrue(banded.value(banded.nearestIndex(13)) < 0.01 * banded.value(banded.nearestIndex(37)));
    Spectrum custom = Envelope.spectrum(x, FS, Butterworth.bandPass(6, 2700, 3300, FS));
    assertEquals(37.0, custom.peakFrequency(1, 200), 1e-9);
  }

  @Test
  void badInputIsRejected() {
    assertMessage(() -> Envelope.envelope(new double[0]), "x must not be empty");
    assertMessage(() -> Envelope.spectrum(new double[] {1, 2, 3}, -1), "sampling rate");
    assertMessage(() -> Envelope.spectrum(new double[] {1, Double.NaN}, 1), "x[1] is NaN");
    assertMessage(() -> Envelope.spectrum(new double[100], 1000, 300, 200), "lowHz < highHz");
    assertMessage(() -> Envelope.spectrum(new double[100], 1000, Butterworth.lowPass(2, 100, 2000)),
        "filter was designed for fs = 2000.0 Hz but the signal is sampled at 1000.0 Hz");
  }
}
