package io.github.drsn.runtime.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationMathTest {

  @Test
  void temperatureFittingRecoversTheTemperatureTheLabelsWereDrawnWith() {
    // Labels drawn from softmax(z / T0) for fixed logits z: the NLL minimiser is T0 in the limit of many windows.
    for (double t0 : new double[] {0.5, 2.5}) {
      SplittableRandom random = new SplittableRandom(7);
      int n = 20_000;
      double[][] z = new double[n][4];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        double[] p = new double[4];
        double sum = 0;
        for (int k = 0; k < 4; k++) {
          z[i][k] = 3 * random.nextGaussian();
          p[k] = Math.exp(z[i][k] / t0);
          sum += p[k];
        }
        double u = random.nextDouble() * sum;
        int k = 0;
        while (k < 3 && (u -= p[k]) > 0) {
          k++;
        }
        y[i] = k;
      }
      double t = TemperatureScaling.fit(z, y);
      assertEquals(t0, t, 0.05 * t0, "fitted T for labels drawn at T0 = " + t0);
      assertTrue(TemperatureScaling.nll(z, y, t) <= TemperatureScaling.nll(z, y, 1.0));
    }
  }

  @Test
  void perfectlySeparatedWindowsKeepTheNetworksOwnTemperature() {
    // Every arg-max right: NLL(T) decreases all the way to T -> 0, so the search would end at its bound (0.01).
    double[][] z = {{3, 0, 1}, {0, 2, 1.5}, {-1, 0, 0.2}};
    int[] y = {0, 1, 2};
    assertTrue(TemperatureScaling.nll(z, y, 0.02) < TemperatureScaling.nll(z, y, 0.1));
    assertEquals(1.0, TemperatureScaling.fit(z, y), 0.0);
    // One window wrong (a tie counts as wrong): the minimum is inside the range again.
    int[] oneWrong = {0, 1, 1};
    double t = TemperatureScaling.fit(z, oneWrong);
    assertTrue(t > TemperatureScaling.MIN_T * 1.01 && t < TemperatureScaling.MAX_T / 1.01, "T = " + t);
    assertTrue(TemperatureScaling.nll(z, oneWrong, t) < TemperatureScaling.nll(z, oneWrong, t * 1.01)
        && TemperatureScaling.nll(z, oneWrong, t) < TemperatureScaling.nll(z, oneWrong, t / 1.01));
  }

  @Test
  void nllOfAHandCase() {
    // z = (0, ln 3): p(class 1) = 3/4 at T = 1, so NLL = −ln(3/4) for label 1 and −ln(1/4) for label 0.
    double[][] z = {{0, Math.log(3)}, {0, Math.log(3)}};
    assertEquals((-Math.log(0.75) - Math.log(0.25)) / 2, TemperatureScaling.nll(z, new int[] {1, 0}, 1), 1e-12);
  }

  @Test
  void eceOfAHandExampleWithFifteenBins() {
    // 0.95 x2 -> bin 15 (acc 1/2): 2/4 * 0.45; 0.55 -> bin 9 (acc 1): 1/4 * 0.45; 0.25 -> bin 4 (acc 0): 1/4 * 0.25.
    double ece = CalibrationError.ece(new double[] {0.95, 0.95, 0.55, 0.25}, new boolean[] {true, false, true, false},
        15);
    assertEquals(0.225 + 0.1125 + 0.0625, ece, 1e-12);
    assertEquals(0, CalibrationError.ece(new double[] {1, 1}, new boolean[] {true, true}, 15), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CalibrationError.ece(new double[] {1.5}, new boolean[] {true}, 15));
    assertTrue(e.getMessage().contains("confidence 0 is 1.5, expected a probability in [0, 1]"), e.getMessage());
  }

  @Test
  void energyAndMaxSoftmaxOfHandBuiltLogits() {
    double[] z = {0, Math.log(3)};
    assertEquals(-Math.log(4), OodScores.energy(z, 2, 1), 1e-12);
    assertEquals(-2 * Math.log(1 + Math.sqrt(3)), OodScores.energy(z, 2, 2), 1e-12);
    assertEquals(-0.75, OodScores.maxSoftmax(z, 2, 1), 1e-12);
    assertEquals(-Math.sqrt(3) / (1 + Math.sqrt(3)), OodScores.maxSoftmax(z, 2, 2), 1e-12);
    // Large logits do not overflow.
    assertEquals(-1000 - Math.log(2), OodScores.energy(new double[] {1000, 1000}, 2, 1), 1e-9);
  }

  @Test
  void mahalanobisIsTheDistanceToTheNearestClassMean() {
    Calibration.Mahalanobis stats = new Calibration.Mahalanobis(new double[][] {{0, 0}, {4, 0}},
        new double[] {1, 0, 0, 0.25});
    double[] work = new double[2];
    // f = (1, 2): class 0: 1 + 0.25*4 = 2; class 1: 9 + 1 = 10.
    assertEquals(2, OodScores.mahalanobis(new double[] {1, 2}, stats, work), 1e-12);
    assertEquals(1.25, OodScores.mahalanobis(new double[] {3, 1}, stats, work), 1e-12);
  }

  @Test
  void tiedGaussianFitsClassMeansAndTheInverseOfTheSharedCovariance() {
    double[][] f = {{-1, 0}, {1, 0}, {3, 2}, {5, -2}};
    Calibration.Mahalanobis stats = TiedGaussian.fit(f, new int[] {0, 0, 1, 1}, 2);
    assertArrayEquals(new double[] {0, 0}, stats.classMeans()[0], 1e-12);
    assertArrayEquals(new double[] {4, 0}, stats.classMeans()[1], 1e-12);
    // Σ = [[1, -1], [-1, 2]] (biased, pooled over classes), shrunk by λ = 1e-3 * trace / d = 0.0015.
    double a = 1.0015;
    double b = -1;
    double c = 2.0015;
    double det = a * c - b * b;
    assertArrayEquals(new double[] {c / det, -b / det, -b / det, a / det}, stats.precision(), 1e-9);
  }

  @Test
  void aurocCountsTiesAsOneHalf() {
    // Pairs (pos, neg): (3,2) (3,1) (2,1) (2,1) win, (2,2) (2,2) tie: (4 + 2 * 0.5) / 6.
    assertEquals(5.0 / 6, Auroc.of(new double[] {3, 2, 2}, new double[] {2, 1}), 1e-12);
    assertEquals(1, Auroc.of(new double[] {5, 6}, new double[] {1, 2, 3}), 1e-12);
    assertEquals(0, Auroc.of(new double[] {0}, new double[] {1, 2, 3}), 1e-12);
    assertEquals(0.5, Auroc.of(new double[] {1, 1}, new double[] {1}), 1e-12);
  }

  @Test
  void theThresholdFlagsAtMostTheStatedFractionOfInDistributionWindows() {
    double[] scores = new double[100];
    for (int i = 0; i < 100; i++) {
      scores[i] = 100 - i; // 100 .. 1, unsorted on purpose
    }
    double t = FalseAlarmThreshold.of(scores, 0.05);
    assertEquals(95, t);
    assertEquals(0.05, FalseAlarmThreshold.flagRate(scores, t), 1e-12);
    assertEquals(1.0 / 3, FalseAlarmThreshold.flagRate(new double[] {1, 2, 3}, 2), 1e-12);
  }

  @Test
  void theCalibratorRecordsEceAndNllBeforeAndAfterAndAThresholdPerMethod() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 2000;
    double[][] z = new double[n][3];
    double[][] f = new double[n][2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int k = 0; k < 3; k++) {
        z[i][k] = random.nextGaussian();
      }
      z[i][y[i]] += 6; // over-confident: the truth leads by 6 but random labels are flipped below
      if (random.nextDouble() < 0.2) {
        y[i] = (y[i] + 1) % 3;
      }
      f[i][0] = y[i] + random.nextGaussian();
      f[i][1] = random.nextGaussian();
    }
    Calibrator.Outputs outputs = new Calibrator.Outputs(z, f, y);
    Calibration c = Calibrator.fit(outputs, outputs, 0.05, OodMethod.ENERGY, "hand");
    assertTrue(c.temperature() > 1.5, "an over-confident network is softened: T = " + c.temperature());
    assertTrue(c.nllAfter() < c.nllBefore());
    // One temperature cannot make a 20 %-label-noise model perfectly calibrated at every margin, but it halves ECE.
    assertTrue(c.eceBefore() > 0.15 && c.eceAfter() < c.eceBefore() / 2, "ECE " + c.eceBefore() + " -> " + c.eceAfter());
    assertEquals(5, c.thresholds().size());
    for (OodMethod m : new Calibrator.Outputs(z, f, y).methods()) {
      double rate = FalseAlarmThreshold.flagRate(new Calibrator.Outputs(z, f, y).scores(m, c), c.thresholds().get(m));
      assertTrue(rate <= 0.05 && rate > 0.04, m + " flags " + rate);
    }
  }

  @Test
  void theGaussiansComeFromTheTrainingWindowsAndTheThresholdsFromTheHeldOutOnes() {
    // Training features: class k around (2k, 0), deviations (±1, ±1) with opposite correlations in the two classes.
    double[][] trainZ = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
    double[][] trainF = {{-1, -1}, {1, 1}, {1, 1}, {3, -1}};
    int[] trainY = {0, 0, 1, 1};
    // Held-out features lie elsewhere: had the means been fitted on them, class 0's mean would be (10, 10).
    int n = 100;
    double[][] z = new double[n][];
    double[][] f = new double[n][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      z[i] = y[i] == 0 ? new double[] {2, 0} : new double[] {0, 2};
      f[i] = new double[] {10 + 2 * y[i], 10 + i / 50.0};
    }
    Calibrator.Outputs training = new Calibrator.Outputs(trainZ, trainF, trainY);
    Calibrator.Outputs heldOut = new Calibrator.Outputs(z, f, y);
    Calibration c = Calibrator.fit(training, heldOut, 0.05, OodMethod.MAHALANOBIS, "hand");
    assertArrayEquals(new double[] {0, 0}, c.mahalanobis().classMeans()[0], 1e-12);
    assertArrayEquals(new double[] {2, 0}, c.mahalanobis().classMeans()[1], 1e-12);
    // Within-class covariance of the training rows: deviations (±1, ±1) → Σ = I, shrunk by 1e-3 · trace/d = 1e-3.
    assertArrayEquals(new double[] {1 / 1.001, 0, 0, 1 / 1.001}, c.mahalanobis().precision(), 1e-12);
    // The threshold flags 5 of the 100 held-out windows (and the windows recorded are the held-out ones).
    double rate = FalseAlarmThreshold.flagRate(heldOut.scores(OodMethod.MAHALANOBIS, c),
        c.thresholds().get(OodMethod.MAHALANOBIS));
    assertEquals(0.05, rate, 1e-12);
    assertEquals(n, c.windows());
    // The temperature is fitted on the held-out logits, not the training ones (which are all right at margin 1).
    assertEquals(TemperatureScaling.fit(z, y), c.temperature(), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Calibrator.fit(new Calibrator.Outputs(new double[0][],
        new double[0][], new int[0]), heldOut, 0.05, OodMethod.MAHALANOBIS, "no training windows"));
  }

  @Test
  void thresholdsChosenAgainOnReferenceWindowsKeepTheTemperatureAndTheStatistics() {
    double[][] trainZ = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
    double[][] trainF = {{-1, -1}, {1, 1}, {1, 1}, {3, -1}};
    int[] trainY = {0, 0, 1, 1};
    Calibrator.Outputs training = new Calibrator.Outputs(trainZ, trainF, trainY);
    Calibration fitted = Calibrator.fit(training, training, 0.05, OodMethod.MAHALANOBIS, "validation");
    // 40 unlabelled reference windows from another machine: class 0's features shifted along x by 3 + i/10.
    int n = 40;
    double[][] z = new double[n][];
    double[][] f = new double[n][];
    int[] unknown = new int[n];
    for (int i = 0; i < n; i++) {
      z[i] = new double[] {2, 0};
      f[i] = new double[] {3 + i / 10.0, 0};
      unknown[i] = -1;
    }
    Calibrator.Outputs reference = new Calibrator.Outputs(z, f, unknown);
    Calibration again = Calibrator.rethreshold(fitted, reference, 0.05, OodMethod.MAHALANOBIS, "pump");
    // Nearest mean (2, 0), precision I/1.001: distances (1 + i/10)^2/1.001; floor(0.05 * 40) = 2 windows above.
    assertEquals(Math.pow(1 + 37 / 10.0, 2) / 1.001, again.thresholds().get(OodMethod.MAHALANOBIS), 1e-9);
    assertEquals(0.05, FalseAlarmThreshold.flagRate(reference.scores(OodMethod.MAHALANOBIS, again),
        again.threshold()), 1e-12);
    assertEquals(fitted.temperature(), again.temperature(), 0.0);
    assertEquals(fitted.mahalanobis(), again.mahalanobis());
    assertEquals(fitted.eceAfter(), again.eceAfter(), 0.0);
    assertEquals(fitted.thresholds().keySet(), again.thresholds().keySet(), "every method gets a threshold again");
    assertEquals("pump", again.data());
    assertEquals(fitted.windows(), again.windows(), "the held-out count T and ECE were measured on");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Calibrator.rethreshold(fitted,
        new Calibrator.Outputs(new double[0][], new double[0][], new int[0]), 0.05, OodMethod.MAHALANOBIS, "none"));
    assertTrue(none.getMessage().contains("no reference windows"), none.getMessage());
    IllegalArgumentException ensemble = assertThrows(IllegalArgumentException.class,
        () -> Calibrator.rethreshold(fitted, reference, 0.05, OodMethod.ENSEMBLE_DISAGREEMENT, "one network"));
    assertTrue(ensemble.getMessage().contains("ENSEMBLE_DISAGREEMENT"), ensemble.getMessage());
  }

  @Test
  void theRelativeMahalanobisDistanceSubtractsTheDistanceToOneGaussianOfAllTrainingFeatures() {
    // Class 0 at (-1, 0) and class 1 at (1, 0), each with deviations (±1, ±1): the tied Σ is I, shrunk by
    // 1e-3 · trace/d = 1e-3 to 1.001 I. All eight windows together: mean μ_0 = (0, 0), Σ_0 = diag(2, 1) (x spreads
    // over -2, 0, 0, 2, y over ±1, no correlation), shrunk by 1e-3 · 3/2 = 1.5e-3 to diag(2.0015, 1.0015).
    double[][] f = {{-2, 1}, {-2, -1}, {0, 1}, {0, -1}, {0, 1}, {0, -1}, {2, 1}, {2, -1}};
    int[] y = {0, 0, 0, 0, 1, 1, 1, 1};
    double[][] z = new double[8][];
    for (int i = 0; i < 8; i++) {
      z[i] = y[i] == 0 ? new double[] {1, 0} : new double[] {0, 1};
    }
    Calibrator.Outputs training = new Calibrator.Outputs(z, f, y);
    Calibration.Mahalanobis background = Calibrator.background(training);
    assertEquals(1, background.classCount());
    assertArrayEquals(new double[] {0, 0}, background.classMeans()[0], 1e-12);
    assertArrayEquals(new double[] {1 / 2.0015, 0, 0, 1 / 1.0015}, background.precision(), 1e-12);
    // Held out: (3, 0) beyond class 1 along the axis the classes spread on, (1, 2) off that axis, (0, 0) between them.
    // MD (nearest class): 4/1.001, 4/1.001, 1/1.001; MD_0: 9/2.0015, 1/2.0015 + 4/1.0015, 0.
    Calibrator.Outputs heldOut = new Calibrator.Outputs(new double[][] {{0, 1}, {0, 1}, {1, 0}},
        new double[][] {{3, 0}, {1, 2}, {0, 0}}, new int[] {1, 1, 0});
    double[] expected = {4 / 1.001 - 9 / 2.0015, 4 / 1.001 - 1 / 2.0015 - 4 / 1.0015, 1 / 1.001};
    Calibration c = Calibrator.fit(training, heldOut, 0.05, OodMethod.RELATIVE_MAHALANOBIS, "hand");
    assertEquals(OodMethod.RELATIVE_MAHALANOBIS, c.method());
    assertEquals(background, c.background());
    assertArrayEquals(new double[] {1 / 1.001, 0, 0, 1 / 1.001}, c.mahalanobis().precision(), 1e-12);
    assertArrayEquals(expected, heldOut.scores(OodMethod.RELATIVE_MAHALANOBIS, c), 1e-12);
    assertEquals(expected[1], OodScores.relativeMahalanobis(new double[] {1, 2}, c.mahalanobis(), background,
        new double[2]), 1e-12);
    // MAHALANOBIS cannot tell the first two apart; relative to the data's own spread, (3, 0) lies along it and scores
    // least, and the window between the classes, near no class mean but at the data's centre, scores most.
    assertEquals(heldOut.scores(OodMethod.MAHALANOBIS, c)[0], heldOut.scores(OodMethod.MAHALANOBIS, c)[1], 1e-12);
    // Of three held-out windows at 5 %, none may be flagged: the threshold is the largest score.
    assertEquals(1 / 1.001, c.threshold(), 1e-12);
    // A calibration from before the method gets the same Gaussian and threshold, its own thresholds kept.
    Map<OodMethod, Double> older = new java.util.EnumMap<>(c.thresholds());
    older.remove(OodMethod.RELATIVE_MAHALANOBIS);
    older.remove(OodMethod.KNN);
    older.put(OodMethod.ENERGY, 123.0);
    Calibration before = new Calibration(c.temperature(), OodMethod.ENERGY, older, c.falseAlarmRate(), c.data(),
        c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis(), null, null, null);
    Calibration completed = Calibrator.complete(before, training, heldOut);
    assertEquals(background, completed.background());
    assertEquals(c.threshold(), completed.thresholds().get(OodMethod.RELATIVE_MAHALANOBIS), 0.0);
    assertEquals(123.0, completed.thresholds().get(OodMethod.ENERGY), 0.0);
    assertEquals(OodMethod.ENERGY, completed.method());
    assertEquals(completed, Calibrator.complete(completed, training, heldOut));
  }

  @Test
  void theNearestNeighbourScoreIsTheDistanceToTheKthNearestNormalisedTrainingFeature() {
    // Five training windows whose features point along (1, 0), (0, 1), the diagonal, (-1, 0) and (0, -1), at lengths
    // 2, 3, √2, 4 and 0.5: normalised, they are those unit vectors, whatever their lengths.
    double[][] f = {{2, 0}, {0, 3}, {1, 1}, {-4, 0}, {0, -0.5}};
    double[][] z = {{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}};
    Calibrator.Outputs training = new Calibrator.Outputs(z, f, new int[] {0, 1, 0, 1, 0});
    Calibration.Neighbours two = Calibrator.neighbours(training, 2);
    assertEquals(5, two.count());
    float r = (float) Math.sqrt(0.5);
    assertArrayEquals(new float[] {1, 0, 0, 1, r, r, -1, 0, 0, -1}, two.values(), 0f);
    // (3, 4) normalised is (0.6, 0.8); squared distances 2 − 2 cos: to the diagonal 2 − 2.8 r, to (0, 1) 0.4, to
    // (1, 0) 0.8, to (-1, 0) 3.2, to (0, -1) 3.6. The second nearest is (0, 1): s = √0.4. A longer (30, 40), same.
    double[] work = new double[5];
    assertEquals(Math.sqrt(0.4), OodScores.knn(new double[] {3, 4}, two, work), 1e-12);
    assertEquals(Math.sqrt(0.4), OodScores.knn(new double[] {30, 40}, two, work), 1e-12);
    // k = 1 is the diagonal as stored (r rounded to float32), k = 5 the farthest, (0, -1).
    assertEquals(Math.hypot(0.6 - r, 0.8 - r), OodScores.knn(new double[] {3, 4}, Calibrator.neighbours(training, 1),
        work), 1e-12);
    assertEquals(Math.sqrt(3.6), OodScores.knn(new double[] {3, 4}, Calibrator.neighbours(training, 5), work), 1e-12);
    // Without normalisation the second nearest of (3, 4) would be (0, 3) at √10, not √0.4.
    // All-zero features have no direction: the zero vector, at distance 1 from every unit row.
    assertEquals(1.0, OodScores.knn(new double[] {0, 0}, two, work), 0.0);
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> Calibrator.neighbours(training, 6));
    assertEquals("5 training windows with non-zero pooled features, the nearest-neighbour distance needs at least"
        + " k = 6", few.getMessage());

    // Fitted: k = 5 here (every window; 50 with the thousands of a real model), threshold by the false-alarm rule
    // of every method. Held out: (3, 4), (1, 0), (0, 2): farthest neighbours (0, -1), (-1, 0), (0, -1), so the scores
    // are √3.6, 2, 2; of three at 5 % none may be flagged: the threshold is the largest, 2.
    Calibrator.Outputs heldOut = new Calibrator.Outputs(new double[][] {{1, 0}, {1, 0}, {0, 1}},
        new double[][] {{3, 4}, {1, 0}, {0, 2}}, new int[] {0, 0, 1});
    Calibration c = Calibrator.fit(training, heldOut, 0.05, OodMethod.KNN, "hand");
    assertEquals(Calibrator.neighbours(training, 5), c.neighbours());
    assertArrayEquals(new double[] {Math.sqrt(3.6), 2, 2}, heldOut.scores(OodMethod.KNN, c), 1e-7);
    assertEquals(2, c.threshold(), 1e-7);
    // At 40 % of 5 held-out windows, two may be flagged: the threshold is the third largest score, as for the others.
    Calibrator.Outputs five = new Calibrator.Outputs(new double[][] {{1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 0}},
        new double[][] {{3, 4}, {1, 0}, {0, 2}, {1, 1}, {-1, 1}}, new int[] {0, 0, 1, 0, 1});
    Calibration forty = Calibrator.fit(training, five, 0.4, OodMethod.KNN, "hand");
    double[] scores = five.scores(OodMethod.KNN, forty);
    assertEquals(FalseAlarmThreshold.of(scores, 0.4), forty.threshold(), 0.0);
    assertEquals(0.4, FalseAlarmThreshold.flagRate(scores, forty.threshold()), 0.0);
    // A calibration from before the method gets the same features and threshold, its own thresholds kept.
    Map<OodMethod, Double> older = new java.util.EnumMap<>(c.thresholds());
    older.remove(OodMethod.KNN);
    Calibration before = new Calibration(c.temperature(), OodMethod.MAHALANOBIS, older, c.falseAlarmRate(), c.data(),
        c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis(), null, c.background(),
        null);
    Calibration completed = Calibrator.complete(before, training, heldOut);
    assertEquals(c.withMethod(OodMethod.MAHALANOBIS), completed);
    assertEquals(completed, Calibrator.complete(completed, training, heldOut));
  }

  @Test
  void theSelectionFindsTheKthSmallestAsASortWould() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + random.nextInt(60);
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = random.nextInt(trial % 2 == 0 ? 5 : 1000); // many ties in half the trials
      }
      double[] sorted = a.clone();
      java.util.Arrays.sort(sorted);
      int k = 1 + random.nextInt(n);
      assertEquals(sorted[k - 1], OodScores.kthSmallest(a.clone(), n, k), 0.0, "n " + n + " k " + k);
    }
  }

  @Test
  void theLayerEnsembleStandardisesEachLayersDistanceOnTheTrainingWindowsAndSumsThem() {
    // Two layers of one feature, two classes, four training windows.
    // Layer A: class 0 at -1, 1 (mean 0), class 1 at 3, 5 (mean 4): Σ = 1, shrunk to 1.001. Every window is 1 from
    // its mean: all four distances are 1/1.001, so m_A = 1/1.001 and s_A = 1 (nothing to standardise by).
    // Layer B (also the "pooled" features): class 0 at 0, 2 (mean 1), class 1 at 10, 16 (mean 13): deviations ±1, ±3,
    // Σ = (1 + 1 + 9 + 9)/4 = 5, shrunk by 1e-3·5 to 5.005. Distances 1, 1, 9, 9 (/5.005):
    // m_B = 5/5.005, s_B = 4/5.005.
    double[][] z = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
    double[][][] layers = {{{-1}, {0}}, {{1}, {2}}, {{3}, {10}}, {{5}, {16}}};
    double[][] pooled = {{0}, {2}, {10}, {16}};
    int[] y = {0, 0, 1, 1};
    Calibrator.Outputs training = new Calibrator.Outputs(z, pooled, y, null, layers);
    Calibration.LayerEnsemble e = Calibrator.layerEnsemble(training, 2);
    assertEquals(2, e.count());
    assertEquals(0, e.layer(0).mean(0, 0), 1e-12);
    assertEquals(4, e.layer(0).mean(1, 0), 1e-12);
    assertEquals(13, e.layer(1).mean(1, 0), 1e-12);
    assertArrayEquals(new double[] {1 / 1.001}, e.layer(0).precision(), 1e-12);
    assertArrayEquals(new double[] {1 / 5.005}, e.layer(1).precision(), 1e-12);
    assertEquals(1 / 1.001, e.distanceMean(0), 1e-12);
    assertEquals(1.0, e.distanceSd(0), 0.0);
    assertEquals(5 / 5.005, e.distanceMean(1), 1e-12);
    assertEquals(4 / 5.005, e.distanceSd(1), 1e-12);
    // A window at A = 2, B = 7 is halfway between the means in both layers: d_A = 4/1.001, d_B = 36/5.005, so
    // s = (4 − 1)/1.001 / 1 + (36 − 5)/5.005 / (4/5.005) = 3/1.001 + 31/4.
    double expected = 3 / 1.001 + 31 / 4.0;
    assertEquals(expected, OodScores.mahalanobisLayers(new double[][] {{2}, {7}}, e, new double[1]), 1e-12);
    // Fitted through the calibrator: the same statistics, a threshold for the method, the window scored alike.
    Calibrator.Outputs heldOut = new Calibrator.Outputs(new double[][] {{1, 0}, {0, 1}}, new double[][] {{7}, {1}},
        new int[] {0, 1}, null, new double[][][] {{{2}, {7}}, {{0}, {1}}});
    Calibration c = Calibrator.fit(training, heldOut, 0.05, OodMethod.MAHALANOBIS_LAYERS, "hand");
    assertEquals(e, c.layers());
    assertEquals(expected, heldOut.scores(OodMethod.MAHALANOBIS_LAYERS, c)[0], 1e-12);
    // Of two held-out windows at 5 %, none may be flagged: the threshold is the larger score, this one.
    assertEquals(expected, c.thresholds().get(OodMethod.MAHALANOBIS_LAYERS), 1e-12);
    assertEquals(List.of(OodMethod.MAX_SOFTMAX, OodMethod.ENERGY, OodMethod.MAHALANOBIS, OodMethod.MAHALANOBIS_LAYERS,
        OodMethod.RELATIVE_MAHALANOBIS, OodMethod.KNN), heldOut.methods());
    // Completing a calibration without the ensemble needs held-out windows for its threshold, and says so.
    Calibrator.Outputs none = new Calibrator.Outputs(new double[0][], new double[0][], new int[0], null,
        new double[0][][]);
    Map<OodMethod, Double> withoutLayers = new java.util.EnumMap<>(c.thresholds());
    withoutLayers.remove(OodMethod.MAHALANOBIS_LAYERS);
    Calibration older = new Calibration(c.temperature(), OodMethod.MAHALANOBIS, withoutLayers, c.falseAlarmRate(),
        c.data(), c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis(), null,
        c.background(), c.neighbours());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> Calibrator.complete(older, training, none));
    assertEquals("no held-out windows to choose the MAHALANOBIS_LAYERS threshold on", empty.getMessage());
  }

  @Test
  void withoutLayerFeaturesTheLayerEnsembleIsNotOffered() {
    double[][] z = {{1, 0}, {0, 1}};
    double[][] f = {{0}, {1}};
    int[] y = {0, 1};
    Calibrator.Outputs plain = new Calibrator.Outputs(z, f, y);
    assertEquals(List.of(OodMethod.MAX_SOFTMAX, OodMethod.ENERGY, OodMethod.MAHALANOBIS,
        OodMethod.RELATIVE_MAHALANOBIS, OodMethod.KNN), plain.methods());
    Calibration c = Calibrator.fit(plain, plain, 0.05, OodMethod.MAHALANOBIS, "hand");
    assertEquals(null, c.layers());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Calibrator.fit(plain, plain, 0.05, OodMethod.MAHALANOBIS_LAYERS, "hand"));
    assertTrue(e.getMessage().startsWith("OOD method MAHALANOBIS_LAYERS needs every residual unit's features of a"
        + " single network"), e.getMessage());
    Calibrator.Outputs layered = new Calibrator.Outputs(z, f, y, null, new double[][][] {{{0}, {0}}, {{1}, {1}}});
    assertThrows(IllegalArgumentException.class, () -> Calibrator.fit(plain, layered, 0.05, OodMethod.MAHALANOBIS,
        "training without layers, held out with"));
  }

  @Test
  void theLayerEnsembleFlagsWindowsThatDifferOnlyBeforeTheHead() {
    // Two classes; an early layer and the head, 2 features each, class k around (3k, 0) with unit noise in both.
    // The "unknown" windows look like the known ones at the head but are shifted by 5 across the classes' axis in the
    // early layer: what the head's Mahalanobis distance cannot see and the layer ensemble can.
    SplittableRandom random = new SplittableRandom(11);
    Calibrator.Outputs training = synthetic(random, 400, 0);
    Calibrator.Outputs heldOut = synthetic(random, 200, 0);
    Calibration c = Calibrator.fit(training, heldOut, 0.05, OodMethod.MAHALANOBIS_LAYERS, "synthetic");
    Calibrator.Outputs known = synthetic(random, 200, 0);
    Calibrator.Outputs unknown = synthetic(random, 200, 5);
    double head = Auroc.of(unknown.scores(OodMethod.MAHALANOBIS, c), known.scores(OodMethod.MAHALANOBIS, c));
    double layers = Auroc.of(unknown.scores(OodMethod.MAHALANOBIS_LAYERS, c),
        known.scores(OodMethod.MAHALANOBIS_LAYERS, c));
    assertTrue(head > 0.4 && head < 0.6, "the head alone cannot tell them apart: AUROC " + head);
    assertTrue(layers > 0.99, "the layer ensemble can: AUROC " + layers);
    double flagged = FalseAlarmThreshold.flagRate(unknown.scores(OodMethod.MAHALANOBIS_LAYERS, c),
        c.thresholds().get(OodMethod.MAHALANOBIS_LAYERS));
    assertTrue(flagged > 0.95, "flagged at the 5 % threshold: " + flagged);
  }

  /** n windows of classes 0, 1 alternating (see above), the early layer's second feature shifted by {@code shift}. */
  private static Calibrator.Outputs synthetic(SplittableRandom random, int n, double shift) {
    double[][] z = new double[n][];
    double[][] f = new double[n][];
    double[][][] layers = new double[n][][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      z[i] = y[i] == 0 ? new double[] {1, 0} : new double[] {0, 1};
      double[] early = {3 * y[i] + random.nextGaussian(), shift + random.nextGaussian()};
      f[i] = new double[] {3 * y[i] + random.nextGaussian(), random.nextGaussian()};
      layers[i] = new double[][] {early, f[i]};
    }
    return new Calibrator.Outputs(z, f, y, null, layers);
  }
}
