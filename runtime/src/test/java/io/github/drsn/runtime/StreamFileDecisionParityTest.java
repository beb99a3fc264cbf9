package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same windows, judged as a whole recording ({@link Diagnoser#diagnose}, {@link RecordingDiagnosis}) and as a
 * stream whose smoothing spans the whole recording ({@link StreamingDiagnoser}, smoothing = window count, hop = window
 * length, sensor at the model's rate): two implementations of "decide from several windows" that should answer alike.
 * A stub diagnoser gives each window fixed probabilities (and OOD score), so only the decision rules are compared.
 */
class StreamFileDecisionParityTest {

  private static final int L = 64;
  private static final double RATE = 1000;
  private static final List<String> CLASSES = List.of("a", "b", "c");

  /** Window w of the recording: noise, and a marker 1000 + w in its first sample that the stub reads back. */
  private static double[] recording(int windows) {
    SplittableRandom random = new SplittableRandom(3);
    double[] x = new double[windows * L];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian();
    }
    for (int w = 0; w < windows; w++) {
      x[w * L] = 1000 + w;
    }
    return x;
  }

  /** A diagnoser whose window w answers {@code p[w]} with OOD score {@code score[w]}. */
  private static Diagnoser stub(float[][] p, double[] score, Calibration calibration) {
    InputSpec spec = new InputSpec(RATE, L, 1, Normalization.Z_SCORE, Representation.TIME);
    return new Diagnoser() {
      private int index(float[] window) {
        return Math.round(window[0]) - 1000;
      }

      @Override
      public List<String> classes() {
        return CLASSES;
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
      public Calibration calibration() {
        return calibration;
      }

      @Override
      public int predict(float[] window, float[] probabilities) {
        System.arraycopy(p[index(window)], 0, probabilities, 0, probabilities.length);
        return Diagnosis.argMax(probabilities);
      }

      @Override
      public double predictScored(float[] window, float[] probabilities) {
        predict(window, probabilities);
        return calibration == null ? Double.NaN : score[index(window)];
      }

      @Override
      public Diagnosis classify(float[] window) {
        InputHealth health = health(window);
        if (!health.healthy()) {
          return Diagnosis.unhealthy(health);
        }
        float[] out = p[index(window)].clone();
        if (calibration == null) {
          return Diagnosis.of(out, CLASSES, 0);
        }
        double s = score[index(window)];
        return Diagnosis.of(out, CLASSES, 0, s, calibration.unknown(s));
      }
    };
  }

  private static Diagnosis.Outcome stream(Diagnoser d, double[] x, int windows, double minConfidence) {
    List<StreamingDiagnoser.Result> results =
        new StreamingDiagnoser(d, new StreamingDiagnoser.Config(RATE, L, windows, minConfidence)).feed(x);
    assertEquals(windows, results.size());
    return results.get(windows - 1).diagnosis().outcome();
  }

  private static Diagnosis.Outcome file(Diagnoser d, double[] x, double minConfidence) {
    return d.diagnose(new double[][] {x}, RATE, new RecordingDiagnosis.Options(0, minConfidence, 0.5)).outcome();
  }

  @Test
  void windowsThatDisagreeAreUncertainInAFileAndInAStreamAlike() {
    // Mean [0.633, 0.183, 0.183]: above 0.6, but only 1 of 3 windows names "a" (agreement 1/3 < 0.5).
    float[][] p = {{1f, 0f, 0f}, {0.45f, 0.55f, 0f}, {0.45f, 0f, 0.55f}};
    Diagnoser d = stub(p, new double[3], null);
    double[] x = recording(3);
    assertEquals(Diagnosis.Outcome.UNCERTAIN, file(d, x, 0.6));
    assertEquals(file(d, x, 0.6), stream(d, x, 3, 0.6), "stream vs file on the same three windows");
  }

  @Test
  void aMinorityOfUnknownWindowsMovesTheMeanInAFileAndInAStreamAlike() {
    // Window 0 is unknown (score above the threshold) and leans to "b"; windows 1-3 are known and say "a" at 0.7.
    float[][] p = {{0f, 1f, 0f}, {0.7f, 0.3f, 0f}, {0.7f, 0.3f, 0f}, {0.7f, 0.3f, 0f}};
    double[] score = {5, 0, 0, 0};
    Calibration calibration = new Calibration(1.0, OodMethod.MAX_SOFTMAX, Map.of(OodMethod.MAX_SOFTMAX, 1.0), 0.05,
        "stub", 4, 0, 0, 0, 0, null, null, null, null);
    Diagnoser d = stub(p, score, calibration);
    double[] x = recording(4);
    // File: mean over the 4 healthy windows [0.525, 0.475, 0] < 0.6, so uncertain; stream: mean over the 3 known
    // windows [0.7, 0.3, 0], so classified "a".
    assertEquals(file(d, x, 0.6), stream(d, x, 4, 0.6), "stream vs file on the same four windows");
  }
}
