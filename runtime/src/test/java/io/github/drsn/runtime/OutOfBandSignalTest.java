package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 48 kHz sensor whose signal lies entirely above the 12 kHz model's band (a clean 10 kHz tone, amplitude 1): every
 * raw window is healthy, and resampling to 12 kHz leaves only the anti-alias filter's residue (rms ~3e-6, -111 dB),
 * which the per-window z-score blows up to unit variance. Both paths judge a resampled window by one rule
 * ({@link HealthCheck#assessResampledWindow}): such a window is DEAD_SENSOR, "no signal in the model's band".
 */
class OutOfBandSignalTest {

  @TempDir Path dir;
  private LeanDiagnoser model;
  private float[] tone;

  @BeforeEach
  void load() throws Exception {
    model = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    tone = new float[48_000 * 2];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = (float) Math.sin(2 * Math.PI * 10_000 * i / 48_000.0);
    }
  }

  /**
   * README: "NaN/Inf, clipping, a dead sensor ... are reported as such, not classified, judged on the sensor's own
   * samples under each window, before any resampling", and RecordingDiagnosis says it judges each window "as
   * StreamingDiagnoser does". The file path also kept what the health check found in the resampled window (the filter
   * residue's repeating extremes: "CLIPPED, 340 of 512 samples flat at [-3.25e-06, 3.25e-06]") while the stream, which
   * judged the raw samples only, classified the same windows: one sensor, two answers.
   */
  @Test
  void theRecordingPathAndTheStreamFindTheSameWindowsUnhealthy() {
    RecordingDiagnosis file = model.diagnose(new double[][] {TestBundles.doubles(tone)}, 48_000,
        new RecordingDiagnosis.Options(512, 0, 0));
    List<StreamingDiagnoser.Result> live = new StreamingDiagnoser(model, new StreamingDiagnoser.Config(48_000, 512, 1,
        0)).feed(tone);
    assertTrue(live.size() >= file.windows().size() - 2, "control: " + live.size() + " stream windows, "
        + file.windows().size() + " in the file");
    for (int i = 0; i < live.size(); i++) {
      assertEquals(file.windows().get(i).startSeconds(), live.get(i).startSeconds(), 1e-12, "control: window " + i);
      boolean fileUnhealthy = file.windows().get(i).diagnosis().outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT;
      boolean liveUnhealthy = live.get(i).diagnosis().outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT;
      assertEquals(fileUnhealthy, liveUnhealthy, "window " + i + ": file " + file.windows().get(i).diagnosis()
          + ", stream " + live.get(i).diagnosis());
      assertEquals(file.windows().get(i).diagnosis().health().issues(), live.get(i).diagnosis().health().issues(),
          "window " + i);
    }
    assertFalse(file.health().containsKey(HealthIssue.CLIPPED), "the filter residue's extremes are not the sensor's: "
        + file.healthDetail());
  }

  /**
   * The model sees nothing of the sensor's signal, only numerical residue amplified ~3e5 times, yet the file was
   * CLASSIFIED ("outer", p = 0.9996) and every stream window "outer (p=1.000)": a confident class for garbage. The
   * runtime knew this failure for a stuck sensor (RecordingDiagnosis: "a stuck sensor's constant into a tiny periodic
   * wobble that z-scoring blows up to unit variance") but not for a live sensor with nothing in the band. Such a window
   * is now DEAD_SENSOR on both paths, with a detail that says why.
   */
  @Test
  void aSignalWithNoEnergyInTheModelsBandIsNotConfidentlyClassified() {
    RecordingDiagnosis file = model.diagnose(TestBundles.doubles(tone), 48_000);
    assertNotEquals(Diagnosis.Outcome.CLASSIFIED, file.outcome(), "file: " + file.label() + " p=" + file.confidence()
        + ", health " + file.health());
    List<StreamingDiagnoser.Result> live = new StreamingDiagnoser(model, new StreamingDiagnoser.Config(48_000, 512, 1,
        0.6)).feed(tone);
    long classified = live.stream().filter(r -> r.diagnosis().outcome() == Diagnosis.Outcome.CLASSIFIED).count();
    assertEquals(0, classified, classified + " of " + live.size() + " stream windows classified, e.g. "
        + live.get(0).diagnosis());
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, file.outcome());
    assertEquals(java.util.Set.of(HealthIssue.DEAD_SENSOR), file.health().keySet());
    assertTrue(file.healthDetail().get(HealthIssue.DEAD_SENSOR).startsWith("no signal in the model's band 0-6000 Hz"),
        file.healthDetail().toString());
    for (StreamingDiagnoser.Result r : live) {
      assertEquals(java.util.Set.of(HealthIssue.DEAD_SENSOR), r.diagnosis().health().issues(), "window " + r.window());
    }
  }

  /**
   * The converse: a resampled window that the diagnoser's own check of the model-rate samples would call dead (its
   * in-band level, 0.05, is below a dead-sensor threshold of 0.2 set for the sensor's full signal) but whose sensor
   * samples are alive and carry signal in the band (-23 dB, above the -60 dB limit) is classified by both paths alike,
   * not reported by the file path alone.
   */
  @Test
  void aResampledWindowIsNotJudgedByTheModelRateSamplesOwnLevel() {
    LeanDiagnoser strict = model.withHealthCheck(new HealthCheck(0.2, 0.01, HealthCheck.DEFAULT.rateTolerance()));
    float[] mixed = new float[tone.length];
    float[] inBand = TestBundles.signal(tone.length, 48_000, 9);
    for (int i = 0; i < mixed.length; i++) {
      mixed[i] = tone[i] + 0.1f * inBand[i];
    }
    float[] control = new float[512];
    for (int i = 0; i < control.length; i++) {
      control[i] = 0.1f * TestBundles.signal(512, 12_000, 9)[i];
    }
    assertTrue(strict.health(control).issues().contains(HealthIssue.DEAD_SENSOR),
        "control: the diagnoser's own check calls the in-band part dead: " + strict.health(control));
    RecordingDiagnosis file = strict.diagnose(new double[][] {TestBundles.doubles(mixed)}, 48_000,
        new RecordingDiagnosis.Options(512, 0, 0));
    List<StreamingDiagnoser.Result> live = new StreamingDiagnoser(strict, new StreamingDiagnoser.Config(48_000, 512, 1,
        0)).feed(mixed);
    assertTrue(file.health().isEmpty(), "file: " + file.healthDetail());
    assertTrue(live.size() >= file.windows().size() - 2, live.size() + " stream windows");
    for (int i = 0; i < live.size(); i++) {
      Diagnosis f = file.windows().get(i).diagnosis();
      Diagnosis l = live.get(i).diagnosis();
      assertEquals(Diagnosis.Outcome.CLASSIFIED, f.outcome(), "window " + i + ": " + f);
      assertEquals(f.outcome(), l.outcome(), "window " + i);
      assertArrayEquals(f.probabilities(), l.probabilities(), 1e-6f, "window " + i);
    }
  }
}
