package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.signals.Window.Symmetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WindowTest {

  @Test
  void symmetricCoefficientsMatchTextbookValues() {
    // Hand-computed from the cosine sums (also what scipy.signal.get_window(name, 5, fftbins=False) gives).
    assertArrayEquals(new double[] {0, 0.5, 1, 0.5, 0}, Window.HANN.coefficients(5, Symmetry.SYMMETRIC), 1e-15);
    assertArrayEquals(new double[] {0.08, 0.54, 1, 0.54, 0.08},
        Window.HAMMING.coefficients(5, Symmetry.SYMMETRIC), 1e-15);
    assertArrayEquals(new double[] {0, 0.34, 1, 0.34, 0}, Window.BLACKMAN.coefficients(5, Symmetry.SYMMETRIC), 1e-15);
    assertArrayEquals(new double[] {1, 1, 1}, Window.RECTANGULAR.coefficients(3, Symmetry.SYMMETRIC), 0);
  }

  @Test
  void periodicCoefficientsMatchTextbookValues() {
    assertArrayEquals(new double[] {0, 0.5, 1, 0.5}, Window.HANN.coefficients(4, Symmetry.PERIODIC), 1e-15);
    assertArrayEquals(new double[] {0.08, 0.54, 1, 0.54}, Window.HAMMING.coefficients(4, Symmetry.PERIODIC), 1e-15);
    assertArrayEquals(new double[] {0, 0.34, 1, 0.34}, Window.BLACKMAN.coefficients(4, Symmetry.PERIODIC), 1e-15);
  }

  @ParameterizedTest
  @EnumSource(Window.class)
  void periodicIsSymmetricOfOneMoreWithoutTheLastPoint(Window window) {
    for (int n : new int[] {2, 7, 64, 2048}) {
      double[] periodic = window.coefficients(n, Symmetry.PERIODIC);
      double[] longer = window.coefficients(n + 1, Symmetry.SYMMETRIC);
      for (int k = 0; k < n; k++) {
        assertEquals(longer[k], periodic[k], 1e-15, window + " n=" + n + " k=" + k);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Window.class)
  void symmetricWindowsAreMirrorImagesAndPeakAtOne(Window window) {
    for (int n : new int[] {1, 2, 9, 10, 513}) {
      double[] w = window.coefficients(n, Symmetry.SYMMETRIC);
      for (int k = 0; k < n; k++) {
        assertEquals(w[k], w[n - 1 - k], 1e-15, window + " n=" + n);
      }
      if (n % 2 == 1) {
        assertEquals(1.0, w[n / 2], 1e-15);
      }
    }
  }

  @Test
  void periodicAndSymmetricDiffer() {
    double[] periodic = Window.HANN.coefficients(8, Symmetry.PERIODIC);
    double[] symmetric = Window.HANN.coefficients(8, Symmetry.SYMMETRIC);
    assertEquals(0.0, symmetric[7], 1e-15);
    assertEquals(Math.sin(Math.PI / 8) * Math.sin(Math.PI / 8), periodic[7], 1e-15);
  }

  @Test
  void badLengthOrSymmetryIsRejected() {
    assertMessage(() -> Window.HANN.coefficients(0, Symmetry.PERIODIC), "window length n must be positive");
    assertMessage(() -> Window.HANN.coefficients(4, null), "symmetry");
  }
}
