package io.github.drsn.model.layers.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The soft threshold the residual units run, and its gradient, against hand-computed values. */
class SoftThresholdKernelTest {

  // Two rows of four: τ = 1.0 for row 0 and 0.5 for row 1 (x = ±τ exactly sits on the kink).
  private static final double[] X = {2.5, -0.4, -3.0, 1.0, 0.2, -0.7, 0.5, 4.0};
  private static final double[] TAU = {1.0, 0.5};

  @Test
  void valuesMatchHandComputation() {
    double[] y = new double[X.length];
    for (int r = 0; r < 2; r++) {
      Kernels.softThresholdAdd(X, 4 * r, 4, TAU[r], y);
    }
    assertArrayEquals(new double[] {1.5, 0.0, -2.0, 0.0, 0.0, -0.2, 0.0, 3.5}, y, 1e-12);

    double[] shortcut = {1, 1, 1, 1, 1, 1, 1, 1};
    Kernels.softThresholdAdd(X, 0, 8, 1.0, shortcut);
    assertArrayEquals(new double[] {2.5, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 4.0}, shortcut, 1e-12, "adds to out");
  }

  @Test
  void gradientsMatchHandComputation() {
    double[] g = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    double[] gradX = new double[X.length];
    double[] signs = new double[X.length];
    double[] gradTau = new double[2];
    for (int r = 0; r < 2; r++) {
      gradTau[r] = Kernels.softThresholdBackward(X, g, 4 * r, 4, TAU[r], gradX, signs);
    }
    // dy/dx = 1 where |x| > τ, else 0.
    assertArrayEquals(new double[] {0.1, 0.0, 0.3, 0.0, 0.0, 0.6, 0.0, 0.8}, gradX, 1e-12);
    assertArrayEquals(new double[] {1, -1, -1, 1, 1, -1, 1, 1}, signs, 0);
    // dL/dτ = −Σ g·sign(x) over the elements beyond the threshold: row 0: −(0.1 − 0.3); row 1: −(−0.6 + 0.8).
    assertArrayEquals(new double[] {0.2, -0.2}, gradTau, 1e-12);
  }

  @Test
  void signIsExactAndBranchFree() {
    assertEquals(0.0, Kernels.sign(0.0));
    assertEquals(1.0, Kernels.sign(Double.MIN_VALUE));
    assertEquals(-1.0, Kernels.sign(-Double.MIN_VALUE));
    assertEquals(1.0, Kernels.sign(1e300));
    assertEquals(-1.0, Kernels.sign(-3.5));
  }
}
