package io.github.drsn.signals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OrderDomainTest {

  private static final double S = 256;
  private static final int L = 1024; // 4 revolutions; bins of S / L = 0.25 orders

  /** A tone at order k, i.e. k·f_r Hz, for two seconds at fs. */
  private static double[] tone(double order, double rpm, double fs) {
    double[] x = new double[(int) (2 * fs)];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(2 * Math.PI * order * rpm / 60 * i / fs);
    }
    return x;
  }

  private static Spectrum middleWindow(double[] orders) {
    int start = orders.length / 2 - L / 2;
    return Fft.amplitudeSpectrum(Arrays.copyOfRange(orders, start, start + L), S);
  }

  private static int peak(Spectrum s) {
    int best = 1;
    for (int k = 1; k < s.size(); k++) {
      if (s.value(k) > s.value(best)) {
        best = k;
      }
    }
    return best;
  }

  @Test
  void aToneAtOrderTenLandsInBinFortyAtTwoSpeedsAndTwoRates() {
    // order 10 at S/L = 0.25 orders per bin: bin 40, 10.0 orders, for 1200 rpm (200 Hz) and 1730 rpm (288.3 Hz)
    for (double rpm : new double[] {1200, 1730}) {
      for (double fs : new double[] {12_000, 48_000}) {
        double[] orders = OrderDomain.resample(tone(10, rpm, fs), fs, rpm / 60, S);
        Spectrum s = middleWindow(orders);
        String at = rpm + " rpm, " + fs + " Hz";
        assertEquals(40, peak(s), at);
        assertEquals(10.0, s.frequency(40), 1e-12, at);
        // the tone sits on a bin: its full amplitude, and (almost) nothing in the neighbours
        assertEquals(1.0, s.value(40), 2e-3, at);
        assertTrue(s.value(39) < 5e-3 && s.value(41) < 5e-3, at + ": " + s.value(39) + ", " + s.value(41));
      }
    }
    // in Hz, the same tone moves: 200 Hz and 288.3 Hz are bins 17 and 25 of a 1024-sample window at 12 kHz
    assertNotEquals(peak(Fft.amplitudeSpectrum(Arrays.copyOf(tone(10, 1200, 12_000), L), 12_000)),
        peak(Fft.amplitudeSpectrum(Arrays.copyOf(tone(10, 1730, 12_000), L), 12_000)));
  }

  @Test
  void theLengthIsRoundOfNTimesShaftRateTimesSOverFs() {
    // 24,000 samples at 12 kHz, 1730 rpm = 28.8333 Hz: 24000 · 28.8333 · 256 / 12000 = 14,762.67 -> 14,763
    assertEquals(14_763, OrderDomain.length(24_000, 12_000, 1730 / 60.0, 256));
    assertEquals(14_763, OrderDomain.resample(new double[24_000], 12_000, 1730 / 60.0, 256).length);
    // a rational ratio (1200 rpm, 12.8 kHz, S = 512: 10,240 Hz = 4/5 of 12,800) where ceil and round agree
    assertEquals(104_858, OrderDomain.resample(new double[131_072], 12_800, 20, 512).length); // 104,857.6
    assertEquals(10_240.0, OrderDomain.rate(20, 512), 0);
  }

  @Test
  void aRecordingAlreadyAtTheOrderRateIsCopiedUnchanged() {
    double[] x = tone(3, 1500, 12_800);
    double[] y = OrderDomain.resample(x, 12_800, 25, 512); // 25 Hz · 512 = 12,800 Hz
    assertArrayEquals(x, y, 0);
    assertNotEquals(System.identityHashCode(x), System.identityHashCode(y));
  }

  @Test
  void anUnknownSpeedIsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OrderDomain.resample(new double[100], 12_000, Double.NaN, 512));
    assertTrue(e.getMessage().contains("shaft speed"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OrderDomain.rate(25, 0));
  }
}
