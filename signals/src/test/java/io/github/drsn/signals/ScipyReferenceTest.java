package io.github.drsn.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Outputs pinned to scipy 1.17.1 for x_t = sin(0.37 t) + 0.3 cos(0.011 t²) + 0.001 t, t = 0..1000 (n = 1001,
 * odd). Generated with {@code signal.welch(x, fs=500, window='hamming', nperseg=256, noverlap=100)},
 * {@code signal.welch(x, fs=500, window='blackman', nperseg=255, noverlap=0)} and
 * {@code np.imag(signal.hilbert(x))}. (Butterworth references live in ButterworthTest.)
 */
class ScipyReferenceTest {

  private static final double[] X = new double[1001];

  static {
    for (int t = 0; t < X.length; t++) {
      X[t] = Math.sin(0.37 * t) + 0.3 * Math.cos(0.011 * t * t) + 0.001 * t;
    }
  }

  private static void assertRelative(double[] expected, double[] actual, int[] at) {
    for (int i = 0; i < at.length; i++) {
      assertEquals(expected[i], actual[at[i]], 1e-12 * Math.abs(expected[i]), "index " + at[i]);
    }
  }

  @Test
  void welchMatchesScipyForEvenSegmentsWithOverlap() {
    Spectrum psd = Welch.psd(X, 500, 256, 100, Window.HAMMING);
    assertEquals(129, psd.size());
    assertRelative(new double[] {3.6215155968335216e-05, 0.0007744865695817943, 0.000253228987232623,
        0.00020793721721840895, 0.00017174979266045836, 0.00012946642174677006},
        psd.values(), new int[] {0, 1, 29, 30, 64, 128});
  }

  @Test
  void welchMatchesScipyForOddSegments() {
    Spectrum psd = Welch.psd(X, 500, 255, 0, Window.BLACKMAN);
    assertEquals(128, psd.size());
    assertRelative(new double[] {1.7843188687858966e-05, 0.00035043014010720334, 7.886241192485946e-05,
        8.52863636100711e-05, 0.00022035050720934117, 0.00034652144733272097},
        psd.values(), new int[] {0, 1, 29, 30, 64, 127});
  }

  @Test
  void hilbertMatchesScipyForOddLength() {
    double[] h = Envelope.hilbert(X);
    int[] at = {0, 1, 500, 999, 1000};
    double[] expected = {0.5298618969731593, 0.3605292929490142, 0.9503083509683978, 0.7588171407710412,
        0.7461631603510683};
    for (int i = 0; i < at.length; i++) {
      assertEquals(expected[i], h[at[i]], 1e-12, "index " + at[i]);
    }
  }
}
