package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.signals.Resampling;
import java.nio.file.Path;
import java.util.ArrayList;
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
  void invalidSettingsAreClearErrors() {
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(0, 256, 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(12_000, 0, 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(12_000, 256, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new StreamingDiagnoser.Config(12_000, 256, 1, 1.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(12_000 * Math.PI, 256, 1, 0.5)));
    assertTrue(e.getMessage().contains("ratio"), e.getMessage());
  }
}
