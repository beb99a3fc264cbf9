package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Found by an adversarial review and fixed; what it did before the fix: the calibration's precision matrix Σ⁻¹ is checked for a positive diagonal and symmetry, not for
 * being positive definite, and bundle.json (where it lives) is covered by no checksum. An indefinite "precision"
 * makes the Mahalanobis distance (f − μ)ᵀ Σ⁻¹ (f − μ) negative along some directions, so a window far from every
 * class scores below any threshold ≥ 0 and is classified instead of flagged unknown: the OOD guard fails open.
 */
class PrecisionMatrixTest {

  /** [[1, 2], [2, 1]]: positive diagonal, symmetric, eigenvalues 3 and −1. */
  private static final double[] INDEFINITE = {1, 2, 2, 1};

  @Test
  void anIndefinitePrecisionGivesNegativeDistancesByHand() {
    // f − μ = (10, −10): 1·100 + 2·2·(10·−10) + 1·100 = −200, a "distance" below every threshold.
    double[] f = {10, -10};
    double q = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        q += f[i] * INDEFINITE[i * 2 + j] * f[j];
      }
    }
    assertTrue(q == -200, "control: the arithmetic the runtime does (OodScores.mahalanobis)");
  }

  @Test
  void aPrecisionMatrixThatIsNotPositiveDefiniteIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Calibration.Mahalanobis.of(new double[][] {{0, 0}}, INDEFINITE, "calibration.mahalanobis"),
        "an indefinite precision matrix is accepted; the bundle then never flags windows along (1, -1) unknown");
    assertTrue(e.getMessage().contains("calibration.mahalanobis.precision"), e.getMessage());
  }
}
