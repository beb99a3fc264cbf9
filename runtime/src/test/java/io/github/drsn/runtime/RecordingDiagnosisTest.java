package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.runtime.explain.Explanation;
import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.Resampling;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingDiagnosisTest {

  @TempDir Path dir;
  private LeanDiagnoser diagnoser;

  @BeforeEach
  void load() throws Exception {
    diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
  }

  private static double[] signal(int n, long seed) {
    return TestBundles.doubles(TestBundles.signal(n, 12_000, seed));
  }

  @Test
  void everyWindowIsTheDiagnosersAnswerForThatWindowAndTheFileIsTheirMean() {
    double[] x = signal(512 * 4 + 100, 3);
    RecordingDiagnosis r = diagnoser.diagnose(new double[][] {x}, 12_000,
        new RecordingDiagnosis.Options(256, 0, 0));
    assertEquals(7, r.windows().size(), "(2148 - 512) / 256 + 1 windows");
    assertFalse(r.resampled());
    float[] sum = new float[TestBundles.CLASSES.size()];
    for (RecordingDiagnosis.Window w : r.windows()) {
      float[] window = new float[512];
      for (int i = 0; i < 512; i++) {
        window[i] = (float) x[w.start() + i];
      }
      assertEquals(diagnoser.classify(window), w.diagnosis(), "window at " + w.start());
      assertEquals(w.start() / 12_000.0, w.startSeconds());
      for (int k = 0; k < sum.length; k++) {
        sum[k] += w.diagnosis().probabilities()[k] / 7;
      }
    }
    assertArrayEquals(sum, r.meanProbabilities(), 1e-6f);
    assertEquals(Diagnosis.Outcome.CLASSIFIED, r.outcome(), "no threshold: always classified");
    assertEquals(TestBundles.CLASSES.get(r.candidate()), r.label());
    assertEquals(7, java.util.Arrays.stream(r.votes()).sum());
    assertTrue(r.health().isEmpty());
  }

  @Test
  void anAllZeroRecordingIsADeadSensorNotAClass() {
    RecordingDiagnosis r = diagnoser.diagnose(new double[512 * 3], 12_000);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome());
    assertEquals("unhealthy input", r.label());
    assertEquals(-1, r.candidate());
    assertEquals(Map.of(HealthIssue.DEAD_SENSOR, 3), r.health());
    assertTrue(r.healthDetail().get(HealthIssue.DEAD_SENSOR).contains("all 512 samples are 0.0 (a constant window"),
        r.healthDetail().toString());
    assertTrue(Double.isNaN(r.confidence()));
  }

  @Test
  void aRecordingThatDiesHalfwayIsUnhealthyButItsHealthyWindowsAreStillShown() {
    double[] x = signal(512 * 4, 5);
    java.util.Arrays.fill(x, 1024, x.length, 0.0);
    RecordingDiagnosis r = diagnoser.diagnose(x, 12_000);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome());
    assertEquals(Map.of(HealthIssue.DEAD_SENSOR, 2), r.health());
    assertTrue(r.candidate() >= 0, "the two healthy windows still have a mean");
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.windows().get(3).diagnosis().outcome());
  }

  /** Four windows of 2 classes: three say class a with 0.9, the last says b with 0.9 (mean 0.7 / 0.3, 3 of 4 agree). */
  private static RecordingDiagnosis judged(double minConfidence, double minAgreement) {
    io.github.drsn.contract.InputSpec spec = new io.github.drsn.contract.InputSpec(100, 10, 1,
        io.github.drsn.signals.Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME);
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Function<float[][], Diagnosis[]> stub = batch -> {
      Diagnosis[] out = new Diagnosis[batch.length];
      for (int i = 0; i < batch.length; i++) {
        float[] p = seen.getAndIncrement() < 3 ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};
        out[i] = Diagnosis.of(p, java.util.List.of("a", "b"), 0);
      }
      return out;
    };
    double[] x = new double[40];
    return RecordingDiagnosis.of(spec, HealthCheck.DEFAULT, java.util.List.of("a", "b"), stub, window -> {
      throw new AssertionError("a recording at the model's rate is classified by classifyBatch alone");
    }, new double[][] {x}, 100, Double.NaN, new RecordingDiagnosis.Options(0, minConfidence, minAgreement));
  }

  @Test
  void theFileIsUncertainBelowTheMeanConfidenceOrTheAgreementItIsGiven() {
    RecordingDiagnosis sure = judged(0.65, 0.7);
    assertEquals(Diagnosis.Outcome.CLASSIFIED, sure.outcome());
    assertEquals("a", sure.label());
    assertEquals(0.7, sure.confidence(), 1e-6);
    assertEquals(0.75, sure.agreement(), 1e-12);
    assertArrayEquals(new int[] {3, 1}, sure.votes());

    RecordingDiagnosis doubtful = judged(0.75, 0.7);
    assertEquals(Diagnosis.Outcome.UNCERTAIN, doubtful.outcome(), "mean probability 0.7 < 0.75");
    assertEquals("uncertain", doubtful.label());
    assertEquals(0, doubtful.candidate(), "an uncertain file still names what it leant to");

    assertEquals(Diagnosis.Outcome.UNCERTAIN, judged(0.65, 0.8).outcome(), "3 of 4 windows agree, 0.8 asked");
  }

  @Test
  void aNanSampleAtAnotherRateMakesItsWindowUnhealthyNotTheFileAnError() {
    double[] x = Resampling.resample(signal(512 * 4, 12), 12_000, 24_000);
    x[2500] = Double.NaN; // inside the third window: samples 1024-1535 at 12 kHz are 2048-3071 at 24 kHz
    RecordingDiagnosis r = diagnoser.diagnose(x, 24_000);
    assertTrue(r.resampled());
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.windows().get(2).diagnosis().outcome());
    assertTrue(r.windows().get(2).diagnosis().health().issues().contains(HealthIssue.NON_FINITE));
    assertEquals(Diagnosis.Outcome.CLASSIFIED, r.windows().get(0).diagnosis().outcome());
    assertEquals(Map.of(HealthIssue.NON_FINITE, 1), r.health());
  }

  @Test
  void aRateThatWouldBlowTheRecordingUpIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> diagnoser.diagnose(new double[2_000_000], 12)); // a rate typed in kHz: 1000 times too many samples
    assertTrue(e.getMessage().contains("is the sampling rate right"), e.getMessage());
  }

  @Test
  void anotherRateIsResampledAndSaidSoASlowerSensorIsAlsoFlagged() {
    double[] x = signal(48_000 / 4, 9);
    double[] at48k = Resampling.resample(x, 12_000, 48_000);
    RecordingDiagnosis fast = diagnoser.diagnose(at48k, 48_000);
    assertTrue(fast.resampled());
    assertEquals(48_000, fast.samplingRate());
    assertEquals(12_000, fast.modelRate());
    assertTrue(fast.health().isEmpty());
    RecordingDiagnosis slow = diagnoser.diagnose(Resampling.resample(x, 12_000, 8_000), 8_000);
    assertEquals(1, slow.health().get(HealthIssue.SAMPLING_RATE));
    assertTrue(slow.outcome() != Diagnosis.Outcome.CLASSIFIED, "the model's upper band is missing");
  }

  @Test
  void anOrderDomainModelResamplesToSamplesPerRevolutionOfTheGivenSpeedAndRefusesWithoutOne() throws Exception {
    Path file = dir.resolve("orders.drsn");
    io.github.drsn.contract.RandomBundles.write(file, io.github.drsn.contract.Bundle.read(TestBundles.small(dir,
        "plain.drsn", 21)).layout(), TestBundles.CLASSES, new io.github.drsn.contract.InputSpec(12_000, 512, 1,
        io.github.drsn.signals.Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME, 128), 21);
    LeanDiagnoser orders = LeanDiagnoser.load(file);
    double[] x = signal(12_000, 5); // 1 s at 12 kHz; at 1500 rpm (25 Hz) and S = 128: 3,200 samples per second
    RecordingDiagnosis r = orders.diagnose(new double[][] {x}, 12_000, 25, RecordingDiagnosis.Options.DEFAULT);
    assertTrue(r.resampled());
    assertEquals(3_200, r.modelRate());
    assertEquals(6, r.windows().size(), "(3200 - 512) / 512 + 1 windows of 4 revolutions");
    assertTrue(r.health().isEmpty(), "a 12 kHz sensor for a model trained at 12 kHz: " + r.health());
    double[] resampled = io.github.drsn.signals.OrderDomain.resample(x, 12_000, 25, 128);
    for (RecordingDiagnosis.Window w : r.windows()) {
      float[] window = new float[512];
      for (int i = 0; i < 512; i++) {
        window[i] = (float) resampled[w.start() + i];
      }
      assertEquals(orders.classify(window), w.diagnosis(), "window at " + w.start());
      assertEquals(w.start() / 3_200.0, w.startSeconds());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> orders.diagnose(x, 12_000));
    assertTrue(e.getMessage().contains("order domain (128.0 samples per shaft revolution) and needs the recording's"
        + " shaft speed; none is known"), e.getMessage());
    // the model that is not order domain ignores a speed
    assertEquals(diagnoser.diagnose(x, 12_000).meanProbabilities()[0],
        diagnoser.diagnose(new double[][] {x}, 12_000, 25, RecordingDiagnosis.Options.DEFAULT).meanProbabilities()[0]);
  }

  @Test
  void recordingsThatDoNotFitAreClearErrors() {
    IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
        () -> diagnoser.diagnose(new double[100], 12_000));
    assertTrue(shortOne.getMessage().contains("100 samples") && shortOne.getMessage().contains("512"),
        shortOne.getMessage());
    assertThrows(IllegalArgumentException.class, () -> diagnoser.diagnose(new double[][] {new double[600],
        new double[600]}, 12_000, RecordingDiagnosis.Options.DEFAULT));
    assertThrows(IllegalArgumentException.class, () -> diagnoser.diagnose(new double[600], Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new RecordingDiagnosis.Options(-1, 0.5, 0.5));
  }

  // A resampled recording's health is judged on its own samples under each window: the filter turns a clipped
  // plateau into ripple and a stuck sensor's constant into a wobble that z-scoring blows up (adversarial review).
  /** A vibration-like signal at {@code rate}, clipped at ±0.05 (the signal's rms is ~0.3: most samples are flat). */
  private static float[] clipped(int n, double rate) {
    float[] x = TestBundles.signal(n, rate, 9);
    for (int i = 0; i < n; i++) {
      x[i] = Math.max(-0.05f, Math.min(0.05f, x[i]));
    }
    return x;
  }

  @Test
  void aClippedRecordingAtTheModelsRateIsUnhealthy() {
    RecordingDiagnosis r = diagnoser.diagnose(TestBundles.doubles(clipped(512 * 6, 12_000)), 12_000);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "the control: held up at the model's rate");
  }

  @Test
  void aClippedRecordingAt48kHzIsUnhealthyNotClassified() {
    RecordingDiagnosis r = diagnoser.diagnose(TestBundles.doubles(clipped(512 * 4 * 6, 48_000)), 48_000);
    assertTrue(r.resampled());
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "a recording of 6 windows, ~75 % of its samples"
        + " flat at ±0.05, was " + r.outcome() + " '" + r.label() + "' with health " + r.health());
    assertTrue(r.health().containsKey(HealthIssue.CLIPPED), r.health().toString());
  }

  /**
   * A stuck sensor (an IEPE channel that lost its sensor reads its constant bias) at 44.1 kHz: the polyphase filter's
   * phases do not have exactly unit DC gain, so the constant 0.5 comes out as 0.5 ± ~3e-6 of periodic ripple, whose
   * standard deviation is above {@link HealthCheck#DEFAULT}'s 1e-6; the z-score then blows the ripple up to unit
   * variance and the network classifies it (uncalibrated model: no OOD guard). At the model's own rate and at 24 or
   * 48 kHz (ratios 1/2, 1/4) the same recording is a dead sensor.
   */
  @Test
  void aStuckSensorAt44100HzIsADeadSensorNotAClass() {
    double[] stuck = new double[22_050];
    java.util.Arrays.fill(stuck, 0.5);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, diagnoser.diagnose(stuck, 12_000).outcome(), "control");
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, diagnoser.diagnose(stuck, 48_000).outcome(), "control");
    RecordingDiagnosis r = diagnoser.diagnose(stuck, 44_100);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, r.outcome(), "half a second of a constant 0.5 at 44.1 kHz was "
        + r.outcome() + " '" + r.label() + "' with health " + r.health());
    assertTrue(r.health().containsKey(HealthIssue.DEAD_SENSOR), r.health().toString());
  }

  @Test
  void theStreamAndTheRecordingPathAgreeOnAClippedSignalAt24kHz() {
    float[] x = clipped(24_000, 24_000);
    StreamingDiagnoser stream = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(24_000, 512, 1, 0));
    List<StreamingDiagnoser.Result> live = stream.feed(x);
    assertTrue(live.stream().allMatch(w -> w.diagnosis().outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT),
        "control: the stream checks the raw samples and flags every window");
    RecordingDiagnosis file = diagnoser.diagnose(TestBundles.doubles(x), 24_000);
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, file.outcome(), "the same samples as a file: " + file.label());
  }

  // Not resampled (within the rate tolerance), a window's time counts at the recording's own rate.
  @Test
  void aWindowsTimeIsCountedAtTheRecordingsOwnRateWhenItIsNotResampled() throws Exception {
    double rate = 12_060; // 0.5 % above the model's 12 kHz: taken as its rate
    RecordingDiagnosis r = diagnoser.diagnose(TestBundles.doubles(TestBundles.signal(512 * 11, rate, 3)), rate);
    assertFalse(r.resampled(), "control: within the tolerance, the samples are used as they are");
    RecordingDiagnosis.Window tenth = r.windows().get(10);
    assertEquals(5_120, tenth.start(), "control: window 10 starts at sample 5120 of the recording");
    assertEquals(5_120 / rate, tenth.startSeconds(), 1e-9, "sample 5120 of a 12060 Hz recording is at 0.42454 s");
  }

  /**
   * An adversarial review found that a recording far shorter than a window at the model's rate was resampled before
   * its length was checked: with a rate typed as 1e15 Hz (or an order-domain model given --rpm 1e-9) the band-limited
   * interpolation's kernel spans ~10^12 input samples per output and predict hung instead of refusing the length.
   */
  @Test
  void aRateTypedAsTeraHertzIsRefusedAtOnce() {
    double[] x = signal(24_000, 3);
    IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(IllegalArgumentException.class, () -> diagnoser.diagnose(x, 1e15)),
        "2 s of samples at 1e15 Hz: 2.4e-8 s of recording, refused only after the resampling");
    assertTrue(e.getMessage().contains("24000 samples"), e.getMessage());
  }

  @Test
  void anOrderDomainSpeedNearZeroIsRefusedAtOnce() throws Exception {
    Path file = dir.resolve("orders.drsn");
    RandomBundles.write(file, new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD), TestBundles.CLASSES,
        new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME, 64), 3);
    LeanDiagnoser orders = LeanDiagnoser.load(file);
    double[] x = signal(24_000, 3);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class,
        () -> orders.diagnose(new double[][] {x}, 12_000, 1e-9 / 60, RecordingDiagnosis.Options.DEFAULT)),
        "--rpm 1e-9: 64 samples per revolution is 1e-9 Hz; 2 s is 2e-9 of a window");
  }

  /**
   * A sensor dropout (one NaN sample) is one NON_FINITE window to diagnose; the physics cross-check, which a
   * monitoring service runs on every recording, threw on it before a review found it.
   */
  @Test
  void aRecordingWithOneNanSampleIsCrossCheckedAsDiagnoseDiagnosesIt() {
    double[] x = signal(24_000, 3);
    x[5_000] = Double.NaN;
    RecordingDiagnosis plain = diagnoser.diagnose(x, 12_000);
    assertEquals(1, plain.health().get(HealthIssue.NON_FINITE), "control: diagnose reports the one window");
    Explainer.Request request = Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(1797, "given");
    Explanation e = assertDoesNotThrow(() -> new Explainer(diagnoser).crossCheck(x, 12_000, request));
    assertEquals(plain.outcome(), e.diagnosis().outcome());
    assertTrue(e.diagnosis().health().containsKey(HealthIssue.NON_FINITE));
  }

  /**
   * classifyBatch sees every window of a resampled recording, in order, unhealthy ones included (the adaptation's
   * window keeper in drsn-model indexes what it is given by window), and a window that passes the resampled-window rule
   * but not the diagnoser's own check is classified from predictScored.
   */
  @Test
  void aResampledRecordingHandsEveryWindowToClassifyBatchInOrder() {
    java.util.List<float[]> seen = new java.util.ArrayList<>();
    Diagnoser counting = new Diagnoser() {
      @Override
      public java.util.List<String> classes() {
        return diagnoser.classes();
      }

      @Override
      public io.github.drsn.contract.InputSpec inputSpec() {
        return diagnoser.inputSpec();
      }

      @Override
      public HealthCheck healthCheck() {
        return diagnoser.healthCheck();
      }

      @Override
      public int predict(float[] window, float[] probabilities) {
        return diagnoser.predict(window, probabilities);
      }

      @Override
      public Diagnosis[] classifyBatch(float[][] windows) {
        seen.addAll(java.util.List.of(windows));
        return Diagnoser.super.classifyBatch(windows);
      }
    };
    double[] x = new double[48_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i < 24_000 ? Math.sin(2 * Math.PI * 10_000 * i / 48_000.0) : Math.sin(2 * Math.PI * 500 * i / 48_000.0);
    }
    RecordingDiagnosis r = counting.diagnose(x, 48_000);
    assertTrue(r.resampled());
    assertEquals(r.windows().size(), seen.size());
    assertTrue(r.health().containsKey(HealthIssue.DEAD_SENSOR), "the 10 kHz half has nothing in the band: "
        + r.health());
    for (int w = 0; w < seen.size(); w++) {
      assertEquals(r.windows().get(w).start(), w * 512);
      assertEquals(w * 512 / 12_000.0, r.windows().get(w).startSeconds(), 1e-12);
    }
    assertTrue(r.windows().stream().anyMatch(w -> w.diagnosis().outcome() != Diagnosis.Outcome.UNHEALTHY_INPUT),
        "the 500 Hz half is classified");
  }
}
