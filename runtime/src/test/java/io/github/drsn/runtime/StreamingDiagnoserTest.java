package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.signals.Resampling;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingDiagnoserTest {

  @TempDir Path dir;
  private LeanDiagnoser diagnoser;

  @BeforeEach
  void load() throws Exception {
    diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
  }

  private static List<StreamingDiagnoser.Result> feedInRandomChunks(StreamingDiagnoser s, float[] x, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<StreamingDiagnoser.Result> out = new ArrayList<>();
    int at = 0;
    while (at < x.length) {
      int n = Math.min(x.length - at, random.nextInt(4) == 0 ? random.nextInt(3) : 1 + random.nextInt(3000));
      out.addAll(s.feed(x, at, n));
      at += n;
    }
    return out;
  }

  @ParameterizedTest(name = "sensor at {0} Hz")
  @ValueSource(doubles = {48_000, 12_000, 12_800, 25_600})
  void randomChunksGiveTheSameDiagnosesAsTheWholeRecording(double rate) {
    float[] x = TestBundles.signal((int) rate * 2, rate, 3);
    StreamingDiagnoser.Config config = new StreamingDiagnoser.Config(rate, 200, 3, 0.6);
    List<StreamingDiagnoser.Result> whole = new StreamingDiagnoser(diagnoser, config).feed(x);
    // 2 s at 12 kHz: windows of 512 every 200 samples, less those that wait for the filter's look-ahead.
    assertTrue(whole.size() >= (24_000 - 512 - 100) / 200 - 1, "results: " + whole.size());
    for (long seed = 0; seed < 3; seed++) {
      List<StreamingDiagnoser.Result> chunked = feedInRandomChunks(new StreamingDiagnoser(diagnoser, config), x, seed);
      assertEquals(whole, chunked, "chunk seed " + seed);
    }
    for (int i = 0; i < whole.size(); i++) {
      assertEquals(i, whole.get(i).window());
      assertEquals(i * 200 / 12_000.0, whole.get(i).startSeconds(), 1e-12);
    }
  }

  @Test
  void windowsAreTheWholeRecordingResampled() {
    float[] x = TestBundles.signal(96_000, 48_000, 4);
    List<StreamingDiagnoser.Result> results =
        new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(48_000, 512, 1, 0)).feed(x);
    double[] whole = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      whole[i] = x[i];
    }
    double[] resampled = Resampling.resample(whole, 48_000.0, 12_000.0);
    float[] p = new float[4];
    for (StreamingDiagnoser.Result r : results.subList(1, results.size())) {
      float[] window = new float[512];
      for (int i = 0; i < 512; i++) {
        window[i] = (float) resampled[(int) r.window() * 512 + i];
      }
      diagnoser.predict(window, p);
      assertArrayEquals(p, r.diagnosis().probabilities(), 1e-5f, "window " + r.window());
    }
  }

  @Test
  void smoothingAveragesTheLastNWindowsAndLowConfidenceIsUncertain() {
    float[] x = TestBundles.signal(24_000, 12_000, 5);
    List<StreamingDiagnoser.Result> single =
        new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(12_000, 256, 1, 0)).feed(x);
    List<StreamingDiagnoser.Result> smooth =
        new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(12_000, 256, 4, 0)).feed(x);
    assertEquals(single.size(), smooth.size());
    for (int i = 0; i < smooth.size(); i++) {
      int n = Math.min(4, i + 1);
      for (int k = 0; k < 4; k++) {
        double mean = 0;
        for (int j = i - n + 1; j <= i; j++) {
          mean += single.get(j).diagnosis().probabilities()[k];
        }
        assertEquals(mean / n, smooth.get(i).diagnosis().probabilities()[k], 1e-6);
      }
    }
    List<StreamingDiagnoser.Result> strict =
        new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(12_000, 256, 1, 1.0)).feed(x);
    for (int i = 0; i < strict.size(); i++) {
      Diagnosis d = strict.get(i).diagnosis();
      assertEquals(Diagnosis.Outcome.UNCERTAIN, d.outcome());
      assertEquals("uncertain", d.label());
      assertEquals(single.get(i).diagnosis().labelIndex(), d.labelIndex());
    }
  }

  @Test
  void aCalibratedModelsStreamCarriesTheOodScoreAndIsUnknownWhenHalfTheSmoothedWindowsAre() throws Exception {
    Bundle plain = diagnoser.bundle();
    Calibration c = RandomBundles.calibration(plain.layout(), 7);
    float[] x = TestBundles.signal(24_000, 12_000, 6);
    StreamingDiagnoser.Config single = new StreamingDiagnoser.Config(12_000, 256, 1, 0);
    LeanDiagnoser never = LeanDiagnoser.of(plain.withCalibration(
        CalibratedDiagnoserTest.withThreshold(c, OodMethod.ENERGY, 1e9)));
    List<StreamingDiagnoser.Result> scored = new StreamingDiagnoser(never, single).feed(x);
    double[] scores = scored.stream().mapToDouble(r -> r.diagnosis().oodScore()).toArray();
    assertTrue(scores.length > 30, "windows: " + scores.length);
    for (int i = 0; i < scores.length; i++) {
      float[] window = new float[512];
      System.arraycopy(x, i * 256, window, 0, 512);
      assertEquals(never.classify(window).oodScore(), scores[i], 1e-9, "window " + i + " scored as classify does");
      assertEquals(Diagnosis.Outcome.CLASSIFIED, scored.get(i).diagnosis().outcome());
    }
    // A threshold between the scores makes some windows unknown; with smoothing 3 a result is unknown when at
    // least half of the last (up to) 3 windows are, else the mean of all their probabilities (unknown ones too),
    // uncertain when fewer than half of them name its class: a file's rule (RecordingDiagnosis).
    double threshold = Arrays.stream(scores).sorted().toArray()[scores.length * 2 / 3];
    LeanDiagnoser some = LeanDiagnoser.of(plain.withCalibration(
        CalibratedDiagnoserTest.withThreshold(c, OodMethod.ENERGY, threshold)));
    List<StreamingDiagnoser.Result> smooth =
        new StreamingDiagnoser(some, new StreamingDiagnoser.Config(12_000, 256, 3, 0)).feed(x);
    assertEquals(scores.length, smooth.size());
    int unknownResults = 0;
    for (int i = 0; i < smooth.size(); i++) {
      Diagnosis d = smooth.get(i).diagnosis();
      assertEquals(scores[i], d.oodScore(), 1e-9, "the newest window's score");
      int n = Math.min(3, i + 1);
      int unknown = 0;
      float[] mean = new float[4];
      int[] votes = new int[4];
      for (int j = i - n + 1; j <= i; j++) {
        float[] p = scored.get(j).diagnosis().probabilities();
        if (scores[j] > threshold) {
          unknown++;
        } else {
          votes[Diagnosis.argMax(p)]++;
        }
        for (int k = 0; k < 4; k++) {
          mean[k] += p[k];
        }
      }
      for (int k = 0; k < 4; k++) {
        assertEquals(mean[k] / n, d.probabilities()[k], 1e-6, "result " + i + " class " + k);
      }
      if (2 * unknown >= n) {
        unknownResults++;
        assertEquals(Diagnosis.Outcome.UNKNOWN, d.outcome(), "result " + i);
        assertEquals("unknown", d.label());
      } else {
        int candidate = Diagnosis.argMax(d.probabilities());
        assertEquals(2 * votes[candidate] >= n ? Diagnosis.Outcome.CLASSIFIED : Diagnosis.Outcome.UNCERTAIN,
            d.outcome(), "result " + i);
      }
    }
    assertTrue(unknownResults > 0 && unknownResults < smooth.size(), "unknown results: " + unknownResults);
  }

  /** An order-domain copy of the test model: 512-sample windows at 128 samples per revolution. */
  private LeanDiagnoser orders() throws Exception {
    Path file = dir.resolve("orders.drsn");
    RandomBundles.write(file, diagnoser.bundle().layout(), TestBundles.CLASSES, new io.github.drsn.contract.InputSpec(
        12_000, 512, 1, io.github.drsn.signals.Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME, 128),
        21);
    return LeanDiagnoser.load(file);
  }

  private static double[] doubles(float[] x, int from, int to) {
    double[] d = new double[to - from];
    for (int i = from; i < to; i++) {
      d[i - from] = x[i];
    }
    return d;
  }

  @Test
  void anOrderDomainStreamAtOneSpeedGivesTheWindowsOfDiagnoseBitForBitInAnyChunks() throws Exception {
    LeanDiagnoser orders = orders();
    float[] x = TestBundles.signal(24_000, 12_000, 8);
    StreamingDiagnoser.Config config = new StreamingDiagnoser.Config(12_000, 200, 1, 0);
    StreamingDiagnoser stream = new StreamingDiagnoser(orders, config);
    stream.setShaftHz(25); // 1500 rpm: 3,200 order-domain samples per second, 4/15 of the sensor's rate
    List<StreamingDiagnoser.Result> whole = stream.feed(x);
    RecordingDiagnosis batch = orders.diagnose(new double[][] {doubles(x, 0, x.length)}, 12_000, 25,
        new RecordingDiagnosis.Options(200, 0, 0));
    // 2 s are 6,400 order samples: (6400 - 512) / 200 + 1 = 30 windows; the stream waits for the filter's reach.
    assertEquals(30, batch.windows().size());
    assertTrue(whole.size() >= 28 && whole.size() <= 30, "results: " + whole.size());
    for (int i = 0; i < whole.size(); i++) {
      Diagnosis d = batch.windows().get(i).diagnosis();
      assertArrayEquals(d.probabilities(), whole.get(i).diagnosis().probabilities(), 0f, "window " + i);
      assertEquals(i * 200 / 3_200.0, whole.get(i).startSeconds(), 1e-12);
    }
    for (long seed = 0; seed < 3; seed++) {
      StreamingDiagnoser chunked = new StreamingDiagnoser(orders, config);
      chunked.setShaftHz(25);
      assertEquals(whole, feedInRandomChunks(chunked, x, seed), "chunk seed " + seed);
    }
  }

  @Test
  void aStatedSpeedChangeMovesTheOrderDomainGridFromTheNextWindowOn() throws Exception {
    LeanDiagnoser orders = orders();
    float[] x = TestBundles.signal(36_000, 12_000, 9);
    StreamingDiagnoser stream = new StreamingDiagnoser(orders, new StreamingDiagnoser.Config(12_000, 200, 1, 0));
    stream.setShaftHz(25);
    List<StreamingDiagnoser.Result> before = stream.feed(x, 0, 18_000);
    long next = before.size();
    // The next window would start at next * 200 order samples of 3.75 raw samples each: there the 30 Hz grid begins.
    long anchor = next * 750;
    stream.setShaftHz(30); // 3,840 Hz, 8/25 of the sensor's rate
    assertEquals(30, stream.shaftHz());
    List<StreamingDiagnoser.Result> after = stream.feed(x, 18_000, 18_000);
    RecordingDiagnosis batch = orders.diagnose(new double[][] {doubles(x, (int) anchor, x.length)}, 12_000, 30,
        new RecordingDiagnosis.Options(200, 0, 0));
    int reach = Resampling.reachInputSamples(12_000, 3_840);
    int compared = 0;
    for (int j = 0; j < after.size(); j++) {
      StreamingDiagnoser.Result r = after.get(j);
      assertEquals(next + j, r.window());
      assertEquals((anchor + j * 200 * 12_000 / 3_840.0) / 12_000, r.startSeconds(), 1e-12);
      if (j * 200 * 12_000 / 3_840.0 >= reach) { // beyond the batch recording's own start edge
        assertArrayEquals(batch.windows().get(j).diagnosis().probabilities(), r.diagnosis().probabilities(), 0f,
            "window " + j + " after the change");
        compared++;
      }
    }
    assertTrue(compared > 20, "compared " + compared + " of " + after.size());
  }

  @Test
  void anOrderDomainStreamWithoutASpeedIsRefusedNamingWhatIsMissing() throws Exception {
    StreamingDiagnoser stream = new StreamingDiagnoser(orders(), new StreamingDiagnoser.Config(12_000, 256, 1, 0));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> stream.feed(new float[100]));
    assertTrue(e.getMessage().contains("order domain (128.0 samples per shaft revolution) and needs the shaft speed")
        && e.getMessage().contains("setShaftHz"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> stream.setShaftHz(0));
    assertTrue(bad.getMessage().contains("shaft speed"), bad.getMessage());
    assertTrue(Double.isNaN(stream.shaftHz()));
  }

  /** A model whose score is the window's first sample and whose own health check and classify must not run. */
  private static final class ScoredOnly implements Diagnoser {
    private final LeanDiagnoser model;
    private final Calibration calibration;
    private final boolean defaultScoring;
    int calls;

    ScoredOnly(LeanDiagnoser model, Calibration calibration, boolean defaultScoring) {
      this.model = model;
      this.calibration = calibration;
      this.defaultScoring = defaultScoring;
    }

    @Override
    public List<String> classes() {
      return model.classes();
    }

    @Override
    public io.github.drsn.contract.InputSpec inputSpec() {
      return model.inputSpec();
    }

    @Override
    public HealthCheck healthCheck() {
      return model.healthCheck();
    }

    @Override
    public Calibration calibration() {
      return calibration;
    }

    @Override
    public int predict(float[] window, float[] probabilities) {
      return model.predict(window, probabilities);
    }

    @Override
    public double predictScored(float[] window, float[] probabilities) {
      calls++;
      if (defaultScoring) {
        return Diagnoser.super.predictScored(window, probabilities);
      }
      predict(window, probabilities);
      return window[0];
    }

    @Override
    public InputHealth health(float[] window) {
      throw new AssertionError("the stream checked the raw samples; the window must not be checked again");
    }

    @Override
    public Diagnosis classify(float[] window) {
      throw new AssertionError("the stream must take predictScored, not classify");
    }
  }

  @Test
  void theStreamScoresEachWindowOnceWithoutASecondHealthCheck() {
    float[] x = TestBundles.signal(12_000, 12_000, 10);
    Calibration c = CalibratedDiagnoserTest.withThreshold(RandomBundles.calibration(diagnoser.bundle().layout(), 7),
        OodMethod.ENERGY, 0.0);
    ScoredOnly scored = new ScoredOnly(diagnoser, c, false);
    List<StreamingDiagnoser.Result> results =
        new StreamingDiagnoser(scored, new StreamingDiagnoser.Config(12_000, 512, 1, 0)).feed(x);
    assertEquals(results.size(), scored.calls);
    assertTrue(results.size() >= 20, "results " + results.size());
    int unknown = 0;
    for (StreamingDiagnoser.Result r : results) {
      double first = x[(int) r.window() * 512];
      assertEquals(first, r.diagnosis().oodScore(), 0.0);
      assertEquals(first > 0 ? Diagnosis.Outcome.UNKNOWN : Diagnosis.Outcome.CLASSIFIED, r.diagnosis().outcome());
      unknown += first > 0 ? 1 : 0;
    }
    assertTrue(unknown > 0 && unknown < results.size(), "unknown windows: " + unknown);
    // Uncalibrated: the default predictScored is predict and NaN, still without classify.
    List<StreamingDiagnoser.Result> plain = new StreamingDiagnoser(new ScoredOnly(diagnoser, null, true),
        new StreamingDiagnoser.Config(12_000, 512, 1, 0)).feed(x);
    assertEquals(results.size(), plain.size());
    for (int i = 0; i < plain.size(); i++) {
      assertTrue(Double.isNaN(plain.get(i).diagnosis().oodScore()));
      assertArrayEquals(results.get(i).diagnosis().probabilities(), plain.get(i).diagnosis().probabilities(), 0f);
    }
  }

  @Test
  void invalidSettingsAreClearErrors() {
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(0, 256, 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(12_000, 0, 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(12_000, 256, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(12_000, 256, 1, 1.5));
  }

  /**
   * A sensor rate that is no ratio of the model's with small factors (12,000·π Hz) is resampled window by window by
   * band-limited interpolation: the windows start where diagnose's do, within half a model-rate sample, and their
   * probabilities come out close to those of the whole recording interpolated on one grid.
   */
  @Test
  void aRateWithNoSmallRatioStreamsWindowByWindowAsTheRecordingPathDiagnosesIt() {
    double rate = 12_000 * Math.PI;
    float[] x = TestBundles.signal((int) (rate * 0.5), rate, 5);
    List<StreamingDiagnoser.Result> live = new ArrayList<>();
    StreamingDiagnoser stream = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(rate, 256, 1, 0));
    for (int from = 0; from < x.length; from += 1_000) {
      live.addAll(stream.feed(x, from, Math.min(1_000, x.length - from)));
    }
    RecordingDiagnosis file = diagnoser.diagnose(new double[][] {TestBundles.doubles(x)}, rate,
        new RecordingDiagnosis.Options(256, 0, 0));
    assertTrue(file.resampled());
    assertTrue(live.size() >= file.windows().size() - 2 && live.size() <= file.windows().size(),
        live.size() + " stream windows, " + file.windows().size() + " in the file");
    double worst = 0;
    for (int i = 0; i < live.size(); i++) {
      RecordingDiagnosis.Window w = file.windows().get(i);
      assertEquals(w.startSeconds(), live.get(i).startSeconds(), 0.5 / 12_000, "window " + i);
      float[] a = live.get(i).diagnosis().probabilities();
      float[] b = w.diagnosis().probabilities();
      for (int k = 0; k < a.length; k++) {
        worst = Math.max(worst, Math.abs(a[k] - b[k]));
      }
    }
    assertTrue(worst < 0.02, "largest probability difference " + worst);
  }

  /**
   * A rate within the health check's tolerance of the model's is the model's rate to diagnose (no resampling), and DAQ
   * hardware coerces rates to such values (12.8 MHz / 1062 = 12052.7 Hz); the stream refused it until a review found
   * that the file and the live path of one sensor disagreed.
   */
  @Test
  void aSensorWithinTheRateToleranceStreamsAsTheRecordingPathDiagnosesIt() {
    float[] x = TestBundles.signal(512 * 4, 12_010, 3);
    RecordingDiagnosis file = diagnoser.diagnose(TestBundles.doubles(x), 12_010);
    assertFalse(file.resampled(), "control: 12010 Hz is within 0.5 % of 12 kHz, taken as the model's rate");
    assertEquals(Diagnosis.Outcome.CLASSIFIED, file.outcome(), "control");
    assertDoesNotThrow(() -> new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(12_010, 512, 1, 0)),
        "the stream refuses the rate the file path accepts");
  }

  @Test
  void aRateTheRecordingPathResamplesByInterpolationCanBeStreamed() {
    float[] x = TestBundles.signal(6_104, 6_104, 3);
    RecordingDiagnosis file = diagnoser.diagnose(TestBundles.doubles(x), 6_104);
    assertEquals(6_104, file.samplingRate(), "control: diagnose takes 6104 Hz");
    assertDoesNotThrow(() -> new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(6_104, 512, 1, 0)));
  }

  /**
   * A rate typed as 1e15 Hz: a window would span ~1.7e14 raw samples, so the stream buffered everything it was fed
   * until an int overflowed or the heap ran out; diagnose refuses the same rate at once. The constructor refuses it.
   */
  @Test
  void aSensorRateTypedAsTeraHertzIsRefusedByTheStream() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class, () -> {
      StreamingDiagnoser stream = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(1e15, 512, 1, 0));
      float[] chunk = TestBundles.signal(1 << 16, 12_000, 3);
      for (int i = 0; i < 64; i++) {
        stream.feed(chunk); // 4 M samples: never a window, all kept
      }
    }));
  }
}
