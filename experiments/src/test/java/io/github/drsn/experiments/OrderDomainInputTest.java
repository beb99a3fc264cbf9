package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Training (input settings' view of the data set, then the window pipeline) and the runtime (a recording diagnosed
 * with its shaft speed) give an order-domain model the same features.
 */
class OrderDomainInputTest {

  private static final double FS = 12_800;
  private static final double RPM = 1730;
  private static final int L = 2048;

  /** Shaft harmonics, a mesh line at order 23, impacts ringing at 3.2 kHz every 1/5.4 revolution, and noise. */
  private static double[] vibration(int n) {
    SplittableRandom random = new SplittableRandom(11);
    double fr = RPM / 60;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double t = i / FS;
      double sinceImpact = t % (1 / (5.4 * fr));
      x[i] = Math.sin(2 * Math.PI * fr * t) + 0.5 * Math.sin(2 * Math.PI * 23 * fr * t)
          + 2 * Math.exp(-800 * sinceImpact) * Math.sin(2 * Math.PI * 3200 * sinceImpact) + 0.2 * random.nextGaussian();
    }
    return x;
  }

  /** A diagnoser that keeps the features the model's preprocessing gives each window it is asked about. */
  private static final class Recorder implements Diagnoser {
    final InputSpec spec;
    final Preprocessor preprocessor;
    final List<float[]> features = new ArrayList<>();

    Recorder(InputSpec spec) {
      this.spec = spec;
      this.preprocessor = new Preprocessor(spec);
    }

    @Override
    public List<String> classes() {
      return List.of("a", "b");
    }

    @Override
    public InputSpec inputSpec() {
      return spec;
    }

    @Override
    public HealthCheck healthCheck() {
      return HealthCheck.DEFAULT;
    }

    @Override
    public int predict(float[] window, float[] probabilities) {
      float[] f = new float[spec.channels() * spec.featureLength()];
      preprocessor.apply(window, f);
      features.add(f);
      probabilities[0] = 1;
      return 0;
    }
  }

  @Test
  void trainingAndTheRuntimePreprocessAnOrderDomainRecordingIdentically() {
    double[] x = vibration((int) (3 * FS));
    Dataset dataset = new Dataset("one", List.of("a", "b"),
        List.of(Recording.of("r", "a", FS, x, new OperatingCondition(0.5, RPM))), List.of());
    for (Representation representation : Representation.values()) {
      InputSettings settings = new InputSettings(InputSettings.Noise.none, 0, null, Normalization.Z_SCORE,
          representation, null, 512.0);
      Recording orders = settings.view(dataset).recordings().get(0);
      // 3 s at 1730 rpm = 86.5 revolutions of 512 samples: round(38,400 · 28.833 · 512 / 12,800) = 44,288
      assertEquals(44_288, orders.length());
      assertEquals(512, orders.samplingRate(), 0, "an order-domain recording counts samples per revolution");
      Recorder runtime = new Recorder(new InputSpec(FS, L, 1, Normalization.Z_SCORE, representation, 512));
      RecordingDiagnosis r = runtime.diagnose(new double[][] {x}, FS, RPM / 60, RecordingDiagnosis.Options.DEFAULT);
      assertEquals(21, r.windows().size(), "(44,288 - 2048) / 2048 + 1 windows of 4 revolutions");
      assertEquals(21, runtime.features.size());
      double worst = 0;
      for (int w = 0; w < r.windows().size(); w++) {
        int start = r.windows().get(w).start();
        double[] trained = settings.pipeline().apply(orders, new Window(0, "r", Region.TRAIN, start, L, 0),
            new SplittableRandom(1))[0];
        float[] served = runtime.features.get(w);
        assertEquals(trained.length, served.length);
        for (int i = 0; i < trained.length; i++) {
          // float32 input and output: the runtime can be no closer than one float rounding of each value
          worst = Math.max(worst, Math.abs(trained[i] - served[i]) / Math.max(1, Math.abs(trained[i])));
        }
      }
      assertTrue(worst <= 1e-6, representation + ": largest relative difference " + worst);
    }
  }

  /** The order (of the shaft) with the largest DFT magnitude among orders 4 to 12 of a window at 64 per revolution. */
  private static double peakOrder(double[] x) {
    double best = -1;
    int bestBin = -1;
    for (int k = 4 * x.length / 64; k <= 12 * x.length / 64; k++) {
      double re = 0;
      double im = 0;
      for (int n = 0; n < x.length; n++) {
        re += x[n] * Math.cos(2 * Math.PI * k * n / x.length);
        im -= x[n] * Math.sin(2 * Math.PI * k * n / x.length);
      }
      if (re * re + im * im > best) {
        best = re * re + im * im;
        bestBin = k;
      }
    }
    return bestBin * 64.0 / x.length;
  }

  @Test
  void rateJitterOnAnOrderDomainModelsTrainingWindowsStretchesShaftOrders() {
    double fr = RPM / 60;
    double[] x = new double[(int) (3 * FS)];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(2 * Math.PI * 8 * fr * i / FS); // order 8
    }
    Dataset dataset = new Dataset("one", List.of("a"),
        List.of(Recording.of("r", "a", FS, x, new OperatingCondition(0.5, RPM))), List.of());
    InputSettings plain = new InputSettings(InputSettings.Noise.none, 0, null, Normalization.NONE,
        Representation.TIME, null, 64.0);
    InputSettings jittered = new InputSettings(InputSettings.Noise.none, 0, null, Normalization.NONE,
        Representation.TIME, new io.github.drsn.datasets.features.Augmentation(0.2, 0, false, 1), 64.0);
    Recording orders = plain.view(dataset).recordings().get(0);
    Window window = new Window(0, "r", Region.TRAIN, 512, 1024, 0); // 16 revolutions: bins of 1/16 order
    assertEquals(8.0, peakOrder(plain.pipeline().noisy(orders, window, new SplittableRandom(1))[0]));
    java.util.Set<Double> peaks = new java.util.TreeSet<>();
    for (long seed = 1; seed <= 8; seed++) {
      double peak = peakOrder(jittered.pipeline().noisy(orders, window, new SplittableRandom(seed))[0]);
      // a speed error f in [0.8, 1.2] moves order 8 to 8f, within half a bin
      assertTrue(peak >= 8 * 0.8 - 1 / 32.0 && peak <= 8 * 1.2 + 1 / 32.0, "seed " + seed + ": order " + peak);
      peaks.add(peak);
    }
    assertTrue(peaks.size() >= 4, "the jitter moves the order from window to window: " + peaks);
  }

  @Test
  void aRecordingWithoutASpeedCannotBeTurnedIntoOrders() {
    Dataset dataset = new Dataset("one", List.of("a"),
        List.of(Recording.of("nospeed", "a", FS, new double[4096], OperatingCondition.UNKNOWN)), List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Resampler.toOrders(dataset, 512));
    assertTrue(e.getMessage().contains("recording nospeed") && e.getMessage().contains("speed"), e.getMessage());
  }

  @Test
  void samplesPerRevolutionIsAnInputSettingThatSurvivesTheRunFile() throws Exception {
    InputSettings settings = new InputSettings(InputSettings.Noise.gaussian, -4, null, Normalization.Z_SCORE,
        Representation.ENVELOPE_SPECTRUM, null, 512.0);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    String text = json.writeValueAsString(settings);
    assertTrue(text.contains("\"samples_per_rev\":512.0"), text);
    assertEquals(settings, json.readValue(text, InputSettings.class));
    assertTrue(!json.writeValueAsString(InputSettings.DEFAULTS).contains("samples_per_rev"),
        "settings that are not order domain are written as before");
    assertTrue(settings.describe().endsWith("order domain 512 samples/rev"), settings.describe());
    assertThrows(IllegalArgumentException.class, () -> new InputSettings(InputSettings.Noise.none, 0, null,
        Normalization.Z_SCORE, Representation.TIME, null, 2.0));
  }
}
