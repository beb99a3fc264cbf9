package io.github.drsn.runtime.calibration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Limits of the KNN calibration, found by a review of its merge (at 774a09f the size and dead-feature tests failed):
 * {@link Calibrator#fit} stored every training window's normalised features for KNN, whatever method the runtime
 * thresholds, and {@link Calibration.Neighbours} refuses more than 2^24 values, so a model pooling d features could not
 * be calibrated on more than 2^24 / d training windows (1,048,576 for the default network); now the KNN features are
 * subsampled to fit, and a network without usable features is calibrated without KNN.
 */
class KnnCalibrationLimitsTest {

  @Test
  void kthSmallestMatchesASortWithTiesAndEveryK() {
    Random random = new Random(7);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + random.nextInt(40);
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(trial % 3 == 0 ? 3 : 1000); // many ties every third trial
      }
      double[] sorted = a.clone();
      Arrays.sort(sorted);
      for (int k = 1; k <= n; k++) {
        assertEquals(sorted[k - 1], OodScores.kthSmallest(a.clone(), n, k), "n " + n + ", k " + k + ", "
            + Arrays.toString(a));
      }
    }
  }

  @Test
  void aMahalanobisCalibrationOfTheDefaultNetworkOnAMillionTrainingWindowsSucceeds() {
    int d = 16; // the default network's last stage: its pooled features
    int n = (1 << 20) + 1; // 1,048,577 windows: 24 h of one 12 kHz sensor cut every 512 samples
    Random random = new Random(3);
    double[][] features = new double[n][d];
    double[][] logits = new double[n][2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (int j = 0; j < d; j++) {
        features[i][j] = Math.abs(random.nextGaussian()) + labels[i];
      }
      logits[i][labels[i]] = 2;
    }
    int h = 200;
    double[][] heldFeatures = Arrays.copyOf(features, h);
    double[][] heldLogits = new double[h][];
    for (int i = 0; i < h; i++) {
      heldLogits[i] = new double[] {random.nextGaussian(), random.nextGaussian()};
    }
    Calibrator.Outputs training = new Calibrator.Outputs(logits, features, labels);
    Calibrator.Outputs heldOut = new Calibrator.Outputs(heldLogits, heldFeatures, Arrays.copyOf(labels, h));
    Calibration c = assertDoesNotThrow(() -> Calibrator.fit(training, heldOut, 0.05, OodMethod.MAHALANOBIS,
        "review"), "a Mahalanobis calibration fails because the KNN features it also stores exceed 2^24 values");
    // Every second window: the smallest stride that fits 2^24 values of 16 features.
    assertEquals((n + 1) / 2, c.neighbours().count());
  }

  /**
   * A network whose pooled ReLU features are all 0 on every training window (a collapsed run: dead ReLUs) was
   * calibrated before the merge (TiedGaussian shrinks a zero covariance by 1e-12); defaultK then gave k = 1 for 0 usable
   * windows and neighbours() threw, so the run ended in an exception before its bundle and report were written.
   */
  @Test
  void aNetworkWithDeadPooledFeaturesIsStillCalibratedForMahalanobis() {
    int n = 100;
    double[][] features = new double[n][8];
    double[][] logits = new double[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      logits[i] = new double[] {0.3, -0.2};
    }
    Calibrator.Outputs training = new Calibrator.Outputs(logits, features, labels);
    Calibration c = assertDoesNotThrow(() -> Calibrator.fit(training, training, 0.05, OodMethod.MAHALANOBIS,
        "review"), "all-zero pooled features: KNN has no training direction, and the whole calibration fails with it");
    assertNull(c.neighbours());
    assertFalse(c.thresholds().containsKey(OodMethod.KNN));
    assertTrue(c.thresholds().containsKey(OodMethod.MAHALANOBIS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Calibrator.fit(training, training, 0.05, OodMethod.KNN, "review"));
    assertTrue(e.getMessage().contains("KNN needs training windows"), e.getMessage());
  }
}
