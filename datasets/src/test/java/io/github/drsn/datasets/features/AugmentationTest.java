package io.github.drsn.datasets.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.signals.Noise;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.Normalization;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  private static final double FS = 12_000;
  private static final int N = 4096;

  private static double[] tone(double hz) {
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = Math.sin(2 * Math.PI * hz * i / FS);
    }
    return x;
  }

  /** The frequency of the strongest DFT bin near f (1.5 Hz resolution by zero-free direct evaluation). */
  private static double peakHz(double[] x, double from, double to) {
    double best = 0;
    double bestHz = from;
    for (double f = from; f <= to; f += 0.5) {
      double re = 0;
      double im = 0;
      for (int i = 0; i < x.length; i++) {
        re += x[i] * Math.cos(2 * Math.PI * f * i / FS);
        im += x[i] * Math.sin(2 * Math.PI * f * i / FS);
      }
      double p = re * re + im * im;
      if (p > best) {
        best = p;
        bestHz = f;
      }
    }
    return bestHz;
  }

  @Test
  void rateJitterMovesEveryFrequencyByOneFactorWithinItsBound() {
    Augmentation jitter = new Augmentation(0.1, 0, false, 1);
    SplittableRandom random = new SplittableRandom(3);
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (int draw = 0; draw < 6; draw++) {
      double[][] window = {tone(500)};
      jitter.apply(window, FS, random);
      double hz = peakHz(window[0], 430, 570);
      assertTrue(hz >= 450 - 1 && hz <= 550 + 1, "500 Hz moved to " + hz);
      lowest = Math.min(lowest, hz);
      highest = Math.max(highest, hz);
    }
    assertTrue(lowest < 495 && highest > 505, "draws went one way only: " + lowest + ".." + highest);
  }

  @Test
  void bothChannelsOfAWindowMoveTogether() {
    Augmentation jitter = new Augmentation(0.2, 0, false, 1);
    double[][] window = {tone(400), tone(800)};
    jitter.apply(window, FS, new SplittableRandom(11));
    double a = peakHz(window[0], 300, 500);
    double b = peakHz(window[1], 600, 1000);
    assertEquals(2 * a, b, 1.5, "the two channels' speeds differ: " + a + " and " + b);
  }

  @Test
  void polarityFlipsAboutHalfTheChannelsAndChangesNothingElse() {
    Augmentation polarity = new Augmentation(0, 0, true, 1);
    SplittableRandom random = new SplittableRandom(5);
    int flipped = 0;
    double[] x = tone(300);
    for (int draw = 0; draw < 400; draw++) {
      double[][] window = {x.clone()};
      polarity.apply(window, FS, random);
      if (window[0][1] == -x[1]) {
        flipped++;
        for (int i = 0; i < N; i++) {
          assertEquals(-x[i], window[0][i]);
        }
      } else {
        assertArrayEquals(x, window[0]);
      }
    }
    assertTrue(flipped > 160 && flipped < 240, flipped + " of 400 flipped");
  }

  @Test
  void resonanceAndAmplitudeStayWithinTheirBounds() {
    Augmentation both = new Augmentation(0, 6, false, 2);
    SplittableRandom random = new SplittableRandom(9);
    for (int draw = 0; draw < 20; draw++) {
      double[][] window = {tone(1000)};
      both.apply(window, FS, random);
      double ratio = rms(window[0]) / rms(tone(1000));
      // A tone passes a bell of at most +-6 dB and a scale within [1/2, 2]: within [-12, 12] dB overall.
      double db = 20 * Math.log10(ratio);
      assertTrue(Math.abs(db) <= 12 + 1e-9, db + " dB");
    }
  }

  private static double rms(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return Math.sqrt(s / x.length);
  }

  private static Recording recording() {
    return new Recording("r", "normal", FS, List.of("a"), new double[][] {tone(700)}, OperatingCondition.UNKNOWN,
        null, Map.of());
  }

  /** Without augmentation and at one SNR the pipeline draws exactly what it always drew: results stay reproducible. */
  @Test
  void noAugmentationAndOneSnrDrawTheSameNoiseAsBefore() {
    WindowPipeline pipeline = WindowPipeline.noisy(new NoiseSpec(NoiseType.GAUSSIAN, -4));
    Window window = new Window(0, "r", Region.TRAIN, 100, 2048, 0);
    double[] expected = Noise.addAtSnr(java.util.Arrays.copyOfRange(tone(700), 100, 2148), NoiseType.GAUSSIAN, -4,
        new SplittableRandom(42));
    assertArrayEquals(expected, pipeline.noisy(recording(), window, new SplittableRandom(42))[0]);
  }

  @Test
  void aRangeOfSnrsDrawsEachWindowsLevelWithinIt() {
    NoiseSpec range = new NoiseSpec(NoiseType.GAUSSIAN, -10, 10);
    SplittableRandom random = new SplittableRandom(2);
    double lowest = Double.MAX_VALUE;
    double highest = -Double.MAX_VALUE;
    double[] clean = tone(700);
    for (int draw = 0; draw < 200; draw++) {
      double snr = Noise.snrDb(clean, range.addTo(clean, random));
      assertTrue(snr >= -10 - 1e-6 && snr <= 10 + 1e-6, snr + " dB");
      lowest = Math.min(lowest, snr);
      highest = Math.max(highest, snr);
    }
    assertTrue(lowest < -9 && highest > 9, "draws cover " + lowest + ".." + highest + " dB only");
    assertThrows(IllegalArgumentException.class, () -> new NoiseSpec(NoiseType.GAUSSIAN, -4, -8));
    assertEquals("gaussian@-10.0..10.0dB", range.toString());
  }

  @Test
  void evaluationPipelinesDropTheAugmentation() {
    Augmentation a = new Augmentation(0.05, 6, true, 1);
    WindowPipeline training = new WindowPipeline(null, Normalization.Z_SCORE, Representation.TIME, a);
    assertEquals(Augmentation.NONE, training.withoutAugmentation().augmentation());
    assertEquals(WindowPipeline.clean(), training.withoutAugmentation());
  }

  @Test
  void theCommandLineAndJsonFormsParseAndNameTheirMistakes() throws Exception {
    assertEquals(new Augmentation(0.05, 6, true, 1), Augmentation.parse("rate=0.05, resonance=6,polarity"));
    assertEquals(Augmentation.NONE, Augmentation.parse("none"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("rate=0.5"));
    assertTrue(e.getMessage().contains("rate jitter must be in [0, 0.3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("wobble=2"));
    assertTrue(e.getMessage().contains("'wobble=2'") && e.getMessage().contains("expected rate=J"), e.getMessage());
    ObjectMapper json = new ObjectMapper();
    Augmentation a = new Augmentation(0.05, 6, true, 2);
    assertEquals(a, json.readValue(json.writeValueAsString(a), Augmentation.class));
    assertEquals(new Augmentation(0, 0, true, 1), json.readValue("{\"polarity\": true}", Augmentation.class));
  }
}
