package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.calibration.Calibrator;
import io.github.drsn.runtime.calibration.OodScores;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratedDiagnoserTest {

  @TempDir Path dir;

  /** {@code c} with {@code method} chosen and its threshold set to {@code threshold}. */
  static Calibration withThreshold(Calibration c, OodMethod method, double threshold) {
    Map<OodMethod, Double> t = new EnumMap<>(c.thresholds());
    t.put(method, threshold);
    return new Calibration(c.temperature(), method, t, c.falseAlarmRate(), c.data(), c.windows(), c.eceBefore(),
        c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis(), c.layers(), c.background(), c.neighbours());
  }

  @Test
  void aCalibratedBundleGivesSoftmaxOfLogitsOverTAndTheSameAnswersAfterARoundTrip() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 31));
    Bundle calibrated = plain.withCalibration(RandomBundles.calibration(plain.layout(), 2));
    Path file = dir.resolve("calibrated.drsn");
    calibrated.write(file);
    LeanDiagnoser before = LeanDiagnoser.of(calibrated);
    LeanDiagnoser after = LeanDiagnoser.load(file);
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    double[] logits = new double[4];
    double[] pooled = new double[after.pooledFeatures()];
    assertEquals(16, pooled.length);
    for (int n = 0; n < 5; n++) {
      float[] window = TestBundles.signal(512, 12_000, 100 + n);
      Diagnosis a = before.classify(window);
      Diagnosis b = after.classify(window);
      assertEquals(a, b, "window " + n);
      after.rawOutputs(window, logits, pooled);
      double lse = OodScores.logSumExp(logits, 4, 1.5);
      for (int k = 0; k < 4; k++) {
        assertEquals(Math.exp(logits[k] / 1.5 - lse), b.probabilities()[k], 1e-6);
      }
      double[] work = new double[16];
      assertEquals(OodScores.mahalanobis(pooled, calibrated.calibration().mahalanobis(), work), b.oodScore(), 1e-3);
      // The stream's per-hop call: the same probabilities and score, without the health check.
      float[] scored = new float[4];
      assertEquals(b.oodScore(), after.predictScored(window, scored), 0.0);
      assertArrayEquals(b.probabilities(), scored, 0f);
      Diagnosis plainAnswer = uncalibrated.classify(window);
      assertTrue(Double.isNaN(plainAnswer.oodScore()));
      assertTrue(Double.isNaN(uncalibrated.predictScored(window, scored)));
      assertEquals(Math.exp(logits[plainAnswer.labelIndex()] - OodScores.logSumExp(logits, 4, 1)),
          plainAnswer.confidence(), 1e-6);
    }
  }

  @Test
  void aWindowBeyondTheThresholdIsUnknownAndSoIsAFileOfThem() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 32));
    Calibration c = RandomBundles.calibration(plain.layout(), 3);
    LeanDiagnoser everything = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, -1e9)));
    LeanDiagnoser nothing = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, 1e9)));
    float[] window = TestBundles.signal(512, 12_000, 5);
    Diagnosis unknown = everything.classify(window);
    assertEquals(Diagnosis.Outcome.UNKNOWN, unknown.outcome());
    assertEquals("unknown", unknown.label());
    Diagnosis known = nothing.classify(window);
    assertEquals(Diagnosis.Outcome.CLASSIFIED, known.outcome());
    assertEquals(unknown.oodScore(), known.oodScore());
    assertArrayEquals(unknown.probabilities(), known.probabilities());

    double[] recording = new double[512 * 6];
    float[] f = TestBundles.signal(recording.length, 12_000, 9);
    for (int i = 0; i < f.length; i++) {
      recording[i] = f[i];
    }
    RecordingDiagnosis file = everything.diagnose(recording, 12_000);
    assertEquals(Diagnosis.Outcome.UNKNOWN, file.outcome());
    assertEquals("unknown", file.label());
    assertEquals(6, file.unknownWindows());
    assertEquals(0, java.util.Arrays.stream(file.votes()).sum(), "unknown windows name no class");
    RecordingDiagnosis same = nothing.diagnose(recording, 12_000);
    assertEquals(0, same.unknownWindows());
    assertEquals(file.medianOodScore(), same.medianOodScore());
    assertTrue(Double.isFinite(same.medianOodScore()));
  }

  @Test
  void aWindowWhoseScoreIsNanIsUnknownNotClassified() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 34));
    Calibration c = RandomBundles.calibration(plain.layout(), 3);
    // Statistics that load (finite, symmetric, positive definite) but whose distance is NaN for any ordinary window:
    // with w = f - mu ~ (1e200, -1e200, 0...) and Sigma^-1 the identity but for the leading block
    // 1e300 * [[1, 0.5], [0.5, 1]], (Sigma^-1 w)_0 = 1e300 * 1e200 - 0.5e300 * 1e200 = inf - inf.
    double[][] means = new double[4][16];
    for (double[] mu : means) {
      mu[0] = -1e200;
      mu[1] = 1e200;
    }
    double[] precision = new double[16 * 16];
    for (int i = 0; i < 16; i++) {
      precision[i * 16 + i] = i < 2 ? 1e300 : 1;
    }
    precision[1] = 0.5e300;
    precision[16] = 0.5e300;
    Calibration overflowing = new Calibration(c.temperature(), OodMethod.MAHALANOBIS, c.thresholds(),
        c.falseAlarmRate(), c.data(), c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(), c.nllAfter(),
        new Calibration.Mahalanobis(means, precision), c.layers(), c.background(), c.neighbours());
    LeanDiagnoser d = LeanDiagnoser.of(plain.withCalibration(overflowing));
    float[] window = TestBundles.signal(512, 12_000, 5);
    Diagnosis answer = d.classify(window);
    assertTrue(Double.isNaN(answer.oodScore()), "score " + answer.oodScore());
    assertEquals(Diagnosis.Outcome.UNKNOWN, answer.outcome(), "a NaN score is not below the threshold");
    float[] x = TestBundles.signal(512 * 4, 12_000, 6);
    List<StreamingDiagnoser.Result> stream = new StreamingDiagnoser(d, new StreamingDiagnoser.Config(12_000, 512, 1,
        0)).feed(x);
    assertEquals(4, stream.size());
    for (StreamingDiagnoser.Result r : stream) {
      assertEquals(Diagnosis.Outcome.UNKNOWN, r.diagnosis().outcome(), "stream window " + r.window());
    }
  }

  @Test
  void aFileWithSomeUnknownWindowsAbstainsWhenTooFewWindowsAgree() throws Exception {
    // Threshold at the median window's score: half the windows... at most half unknown, so the file is not unknown,
    // but the unknown windows do not vote and the agreement falls below 0.5 + something.
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 33));
    Calibration c = RandomBundles.calibration(plain.layout(), 3);
    double[] recording = new double[512 * 8];
    float[] f = TestBundles.signal(recording.length, 12_000, 11);
    for (int i = 0; i < f.length; i++) {
      recording[i] = f[i];
    }
    RecordingDiagnosis probe = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, 1e9)))
        .diagnose(recording, 12_000);
    double[] scores = probe.windows().stream().mapToDouble(w -> w.diagnosis().oodScore()).sorted().toArray();
    double threshold = scores[4]; // the 3 largest of 8 windows are above it
    RecordingDiagnosis r = LeanDiagnoser.of(plain.withCalibration(withThreshold(c, OodMethod.ENERGY, threshold)))
        .diagnose(new double[][] {recording}, 12_000, new RecordingDiagnosis.Options(0, 0, 0.7));
    assertEquals(3, r.unknownWindows());
    assertEquals(Diagnosis.Outcome.UNCERTAIN, r.outcome(), "at most 5 of 8 windows can agree, below 0.7");
  }

  /** The raw outputs of {@code n} windows with their layer features, labels cycling through the 4 classes. */
  private static Calibrator.Outputs layered(LeanDiagnoser d, int n, long seed) {
    double[][] z = new double[n][4];
    double[][] f = new double[n][d.pooledFeatures()];
    double[][][] layers = new double[n][][];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int[] widths = d.layerWidths();
      layers[i] = new double[widths.length][];
      for (int l = 0; l < widths.length; l++) {
        layers[i][l] = new double[widths[l]];
      }
      d.rawOutputs(TestBundles.signal(512, 12_000, seed + i), z[i], f[i], layers[i]);
      y[i] = i % 4;
    }
    return new Calibrator.Outputs(z, f, y, null, layers);
  }

  @Test
  void aLayerEnsembleBundleScoresEveryUnitAndGivesBitIdenticalScoresAfterARoundTrip() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 34));
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    // Units of 4, 4, 8, 8, 16, 16 channels, then the 16 pooled features.
    assertArrayEquals(new int[] {4, 4, 8, 8, 16, 16, 16}, uncalibrated.layerWidths());
    Calibrator.Outputs training = layered(uncalibrated, 60, 1000);
    // The last layer is the pooled features themselves.
    for (int i = 0; i < training.size(); i++) {
      assertArrayEquals(training.features()[i], training.layers()[i][6], 0.0);
    }
    Calibration c = Calibrator.fit(training, layered(uncalibrated, 40, 2000), 0.1, OodMethod.MAHALANOBIS_LAYERS,
        "test");
    assertEquals(7, c.layers().count());
    // Standardised on the windows the Gaussians were fitted on: the score's mean there is 0 (a sum of z-scores).
    double[] fitted = training.scores(OodMethod.MAHALANOBIS_LAYERS, c);
    assertEquals(0, java.util.Arrays.stream(fitted).average().orElseThrow(), 1e-9);
    Bundle calibrated = plain.withCalibration(c);
    LeanDiagnoser before = LeanDiagnoser.of(calibrated);
    LeanDiagnoser after = reloaded(calibrated, "layers.drsn");
    Calibrator.Outputs test = layered(uncalibrated, 6, 3000);
    double[] expected = test.scores(OodMethod.MAHALANOBIS_LAYERS, c);
    for (int n = 0; n < 6; n++) {
      float[] window = TestBundles.signal(512, 12_000, 3000 + n);
      Diagnosis a = before.classify(window);
      Diagnosis b = after.classify(window);
      assertEquals(a, b, "window " + n);
      assertEquals(Double.doubleToLongBits(a.oodScore()), Double.doubleToLongBits(b.oodScore()), "window " + n);
      // The classify path computes the unit means as rawOutputs does: the same score exactly.
      assertEquals(expected[n], b.oodScore(), 0.0, "window " + n);
      assertEquals(b.oodScore() > c.threshold(), b.outcome() == Diagnosis.Outcome.UNKNOWN);
      float[] scored = new float[4];
      assertEquals(b.oodScore(), after.predictScored(window, scored), 0.0);
    }
    // The same calibration thresholding Mahalanobis scores the pooled features only, as before the layer ensemble.
    LeanDiagnoser pooledOnly = LeanDiagnoser.of(plain.withCalibration(c.withMethod(OodMethod.MAHALANOBIS)));
    assertEquals(test.scores(OodMethod.MAHALANOBIS, c)[0],
        pooledOnly.classify(TestBundles.signal(512, 12_000, 3000)).oodScore(), 0.0);
  }

  /** {@code calibrated} written to {@code name} and loaded back, its calibration checked equal (bit for bit). */
  private LeanDiagnoser reloaded(Bundle calibrated, String name) throws Exception {
    Path file = dir.resolve(name);
    calibrated.write(file);
    LeanDiagnoser loaded = LeanDiagnoser.load(file);
    assertEquals(calibrated.calibration(), loaded.calibration());
    return loaded;
  }

  /**
   * The calibration of {@code method} fitted on a two-network ensemble's ({@code plain} and a small network of
   * {@code seed}) outputs on {@code n} test signals, the concatenated pooled features of one more signal, and the score
   * the ensemble's bundle gives that signal after a write and a reload.
   */
  private record EnsembleRoundTrip(Calibration calibration, double[] features, double score) {}

  private EnsembleRoundTrip ensembleRoundTrip(Bundle plain, long seed, int n, OodMethod method) throws Exception {
    Bundle other = Bundle.read(TestBundles.small(dir, "n" + seed + ".drsn", seed));
    Bundle pair = Bundle.ensembleOf(List.of(plain, other), "test", java.time.Instant.parse("2026-01-01T00:00:00Z"),
        Map.of(), Map.of(), Map.of());
    LeanDiagnoser ensemble = LeanDiagnoser.of(pair);
    Calibrator.Outputs outputs = ensembleOutputs(ensemble, n);
    Calibration c = Calibrator.fit(outputs, outputs, 0.1, method, "test");
    Path file = dir.resolve("pair-" + method + ".drsn");
    pair.withCalibration(c).write(file);
    float[] window = TestBundles.signal(512, 12_000, 9000);
    double[] concatenated = new double[32];
    ensemble.rawOutputs(window, new double[4], concatenated, null);
    return new EnsembleRoundTrip(c, concatenated, LeanDiagnoser.load(file).classify(window).oodScore());
  }

  /** A two-network ensemble's outputs on {@code n} test signals (32 concatenated pooled features, 4 classes). */
  private static Calibrator.Outputs ensembleOutputs(LeanDiagnoser ensemble, int n) {
    double[][] z = new double[n][4];
    double[][] f = new double[n][32];
    double[] disagreement = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      disagreement[i] = ensemble.rawOutputs(TestBundles.signal(512, 12_000, 8000 + i), z[i], f[i], null);
      y[i] = i % 4;
    }
    return new Calibrator.Outputs(z, f, y, disagreement, null);
  }

  /** (f − μ)ᵀ P (f − μ) for the mean of row {@code k} of {@code g}, written out apart from OodScores. */
  private static double distance(double[] f, Calibration.Mahalanobis g, int k) {
    double[][] mu = g.classMeans();
    double[] p = g.precision();
    int d = f.length;
    double q = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        q += (f[i] - mu[k][i]) * p[i * d + j] * (f[j] - mu[k][j]);
      }
    }
    return q;
  }

  /** min_k MD_k(f) − MD_0(f), the relative Mahalanobis distance, from the calibration's statistics. */
  private static double relative(double[] f, Calibration c) {
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < c.mahalanobis().classCount(); k++) {
      best = Math.min(best, distance(f, c.mahalanobis(), k));
    }
    return best - distance(f, c.background(), 0);
  }

  @Test
  void aRelativeMahalanobisBundleScoresTheFormulaOnThePooledFeaturesAndBitIdenticallyAfterARoundTrip()
      throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 38));
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    Calibration c = Calibrator.fit(layered(uncalibrated, 60, 5000), layered(uncalibrated, 40, 6000), 0.1,
        OodMethod.RELATIVE_MAHALANOBIS, "test");
    assertEquals(16, c.background().features());
    Bundle calibrated = plain.withCalibration(c);
    LeanDiagnoser before = LeanDiagnoser.of(calibrated);
    LeanDiagnoser after = reloaded(calibrated, "relative.drsn");
    double[] logits = new double[4];
    double[] pooled = new double[16];
    float[] x = TestBundles.signal(512 * 6, 12_000, 7000);
    List<StreamingDiagnoser.Result> stream = new StreamingDiagnoser(after, new StreamingDiagnoser.Config(12_000, 512,
        1, 0)).feed(x);
    assertEquals(6, stream.size());
    for (int n = 0; n < 6; n++) {
      float[] window = java.util.Arrays.copyOfRange(x, 512 * n, 512 * (n + 1));
      Diagnosis a = before.classify(window);
      Diagnosis b = after.classify(window);
      assertEquals(Double.doubleToLongBits(a.oodScore()), Double.doubleToLongBits(b.oodScore()), "window " + n);
      // The reference: the pass's pooled features (VectorForwardTest checks them against the unfolded network),
      // scored by the formula written out above.
      uncalibrated.rawOutputs(window, logits, pooled);
      assertEquals(relative(pooled, c), b.oodScore(), 1e-9 * Math.max(1, Math.abs(b.oodScore())), "window " + n);
      assertEquals(c.unknown(b.oodScore()), b.outcome() == Diagnosis.Outcome.UNKNOWN);
      assertEquals(b.outcome() == Diagnosis.Outcome.UNKNOWN, stream.get(n).diagnosis().outcome()
          == Diagnosis.Outcome.UNKNOWN, "stream window " + n);
    }
    // An ensemble's background Gaussian covers its members' pooled features concatenated, as its class Gaussians do.
    EnsembleRoundTrip pair = ensembleRoundTrip(plain, 39, 40, OodMethod.RELATIVE_MAHALANOBIS);
    Calibration e = pair.calibration();
    assertEquals(32, e.background().features());
    double[] concatenated = pair.features();
    assertEquals(relative(concatenated, e), pair.score(), 1e-9 * Math.max(1, Math.abs(relative(concatenated, e))));
  }

  /** The distance to the k-th nearest of the calibration's normalised training rows, by sorting all of them. */
  private static double kthNearest(double[] f, Calibration.Neighbours training) {
    double norm = 0;
    for (double v : f) {
      norm += v * v;
    }
    double[] d = new double[training.count()];
    float[] rows = training.values();
    for (int i = 0; i < d.length; i++) {
      for (int j = 0; j < f.length; j++) {
        double diff = f[j] / Math.sqrt(norm) - rows[i * f.length + j];
        d[i] += diff * diff;
      }
    }
    java.util.Arrays.sort(d);
    return Math.sqrt(d[training.k() - 1]);
  }

  @Test
  void aKnnBundleScoresAsTheCalibratorDidAndBitIdenticallyAfterARoundTripAndInAStream() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 40));
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    Calibrator.Outputs training = layered(uncalibrated, 120, 5000);
    Calibration c = Calibrator.fit(training, layered(uncalibrated, 40, 6000), 0.1, OodMethod.KNN, "test");
    assertEquals(50, c.neighbours().k(), "k = 50 once there are 50 training windows");
    assertEquals(120, c.neighbours().count());
    Path file = dir.resolve("knn.drsn");
    plain.withCalibration(c).write(file);
    LeanDiagnoser before = LeanDiagnoser.of(plain.withCalibration(c));
    LeanDiagnoser after = LeanDiagnoser.load(file);
    assertEquals(c, after.calibration());
    float[] x = TestBundles.signal(512 * 6, 12_000, 7000);
    List<StreamingDiagnoser.Result> stream = new StreamingDiagnoser(after, new StreamingDiagnoser.Config(12_000, 512,
        1, 0)).feed(x);
    assertEquals(6, stream.size());
    double[][] z = new double[6][4];
    double[][] f = new double[6][16];
    for (int n = 0; n < 6; n++) {
      float[] window = java.util.Arrays.copyOfRange(x, 512 * n, 512 * (n + 1));
      uncalibrated.rawOutputs(window, z[n], f[n]);
    }
    // The model side's scores (what chose the threshold and what the open-set rows measure) on the same windows.
    double[] modelSide = new Calibrator.Outputs(z, f, new int[6]).scores(OodMethod.KNN, c);
    for (int n = 0; n < 6; n++) {
      float[] window = java.util.Arrays.copyOfRange(x, 512 * n, 512 * (n + 1));
      Diagnosis a = before.classify(window);
      Diagnosis b = after.classify(window);
      assertEquals(Double.doubleToLongBits(modelSide[n]), Double.doubleToLongBits(b.oodScore()), "window " + n);
      assertEquals(Double.doubleToLongBits(a.oodScore()), Double.doubleToLongBits(b.oodScore()), "window " + n);
      assertEquals(kthNearest(f[n], c.neighbours()), b.oodScore(), 1e-9, "window " + n);
      assertEquals(c.unknown(b.oodScore()), b.outcome() == Diagnosis.Outcome.UNKNOWN);
      assertEquals(Double.doubleToLongBits(b.oodScore()), Double.doubleToLongBits(stream.get(n).diagnosis()
          .oodScore()), "stream window " + n);
    }
    // A calibration without the features cannot be asked for the score; the message says what is missing.
    Calibration none = Calibrator.fit(training, layered(uncalibrated, 40, 6000), 0.1, OodMethod.MAHALANOBIS, "test");
    Map<OodMethod, Double> t = new java.util.EnumMap<>(none.thresholds());
    t.remove(OodMethod.KNN);
    Calibration older = new Calibration(none.temperature(), OodMethod.MAHALANOBIS, t, none.falseAlarmRate(),
        none.data(), none.windows(), none.eceBefore(), none.eceAfter(), none.nllBefore(), none.nllAfter(),
        none.mahalanobis(), none.layers(), none.background(), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OodScores.score(OodMethod.KNN, z[0], 4, older, f[0], null,
            new double[16]));
    assertEquals("the nearest-neighbour score needs the normalised training features (the calibration has no"
        + " knn-features.npy: recalibrate the bundle)", e.getMessage());

    // An ensemble's neighbours are its members' pooled features concatenated (16 + 16), normalised together.
    EnsembleRoundTrip pair = ensembleRoundTrip(plain, 41, 60, OodMethod.KNN);
    assertEquals(32, pair.calibration().neighbours().features());
    assertEquals(50, pair.calibration().neighbours().k());
    assertEquals(kthNearest(pair.features(), pair.calibration().neighbours()), pair.score(), 1e-9);
  }

  @Test
  void theLayerEnsemblesClassifyPathAllocatesNothingInSteadyState() throws Exception {
    Bundle plain = Bundle.read(TestBundles.small(dir, "m.drsn", 35));
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    Calibrator.Outputs outputs = layered(uncalibrated, 40, 4000);
    LeanDiagnoser d = LeanDiagnoser.of(plain.withCalibration(Calibrator.fit(outputs, outputs, 0.1,
        OodMethod.MAHALANOBIS_LAYERS, "test")));
    float[] window = TestBundles.signal(512, 12_000, 4);
    float[] p = new float[4];
    double sum = 0;
    for (int i = 0; i < 20_000; i++) {
      sum += d.predictScored(window, p);
    }
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(id);
    for (int i = 0; i < 1000; i++) {
      sum += d.predictScored(window, p);
    }
    long perWindow = (bean.getThreadAllocatedBytes(id) - before) / 1000;
    assertTrue(perWindow < 16, "bytes allocated per window: " + perWindow);
    assertTrue(Double.isFinite(sum));
  }

  @Test
  void anEnsembleHasNoLayerFeatures() throws Exception {
    Bundle a = Bundle.read(TestBundles.small(dir, "a.drsn", 36));
    Bundle b = Bundle.read(TestBundles.small(dir, "b.drsn", 37));
    LeanDiagnoser ensemble = LeanDiagnoser.of(Bundle.ensembleOf(List.of(a, b), "test",
        java.time.Instant.parse("2026-01-01T00:00:00Z"), Map.of(), Map.of(), Map.of()));
    assertEquals(null, ensemble.layerWidths());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ensemble.rawOutputs(
        TestBundles.signal(512, 12_000, 1), new double[4], new double[32], new double[7][16]));
    assertEquals("layer features are those of one network; this model is an ensemble of 2", e.getMessage());
  }
}
