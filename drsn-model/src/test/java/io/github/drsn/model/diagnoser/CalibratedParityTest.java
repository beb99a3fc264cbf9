package io.github.drsn.model.diagnoser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.runtime.calibration.Calibrator;
import io.github.drsn.runtime.calibration.NetworkOutputs;
import io.github.drsn.contract.Representation;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.Normalization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two {@link Diagnoser} implementations on one calibrated bundle (every bundle {@code drsn train} writes is
 * calibrated): the interface says services "choose by dependency", so both give one answer per window: the same
 * outcome (unknown included), calibrated probabilities within 1e-4 and the same out-of-distribution score, for every
 * method a single network is calibrated for. {@link LeanParityTest} compares them on uncalibrated bundles.
 */
class CalibratedParityTest {

  private static final int L = 256;

  /** The network of both tests: one stage, one unit, three tones in noise, fitted for a few steps. */
  private static MultiLayerNetwork network(ModelSpec spec) {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CW, spec);
    Nd4j.getRandom().setSeed(5);
    for (int i = 0; i < 4; i++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, 30, 1, 1, L);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 30, 3);
      for (int n = 0; n < 30; n++) {
        y.putScalar(n, n % 3, 1.0);
        for (int l = 0; l < L; l++) {
          x.putScalar(new long[] {n, 0, 0, l}, x.getFloat(n, 0, 0, l) + 2 * Math.sin(0.05 * (n % 3 + 1) * l));
        }
      }
      net.fit(x, y);
    }
    return net;
  }

  private static Bundle bundle() {
    ModelSpec spec = ModelSpec.builder().inputLength(L).stageChannels(4).unitsPerStage(1).classes(3).seed(3)
        .build();
    return new ModelBundle(network(spec), Architecture.DRSN_CW, spec, List.of("a", "b", "c"),
        new InputSpec(12_000, L, 1, Normalization.Z_SCORE, Representation.TIME), null, null, null, "test",
        Instant.parse("2026-12-07T12:00:00Z")).bundle();
  }

  /** A window of class {@code k}'s tone in unit noise ({@code k} = 3: a tone the model was not trained on). */
  private static float[] window(int k, double amplitude, SplittableRandom random) {
    float[] window = new float[L];
    double frequency = k < 3 ? 0.05 * (k + 1) : 0.9;
    for (int l = 0; l < L; l++) {
      window[l] = (float) (random.nextGaussian() + amplitude * Math.sin(frequency * l));
    }
    return window;
  }

  /** Same outcome, probabilities within 1e-4, same score (relative 1e-3); the lean runtime is the reference. */
  private static void assertSame(Diagnosis a, Diagnosis b, String what) {
    assertEquals(a.outcome(), b.outcome(), what + ": lean " + a + ", dl4j " + b);
    assertEquals(a.label(), b.label(), what);
    for (int k = 0; k < a.probabilities().length; k++) {
      assertEquals(a.probabilities()[k], b.probabilities()[k], 1e-4, what + " class " + k);
    }
    assertEquals(Double.isNaN(a.oodScore()), Double.isNaN(b.oodScore()), what + ": scores " + a.oodScore() + ", "
        + b.oodScore());
    assertEquals(a.oodScore(), b.oodScore(), 1e-3 * Math.max(1, Math.abs(a.oodScore())), what + " score");
  }

  @Test
  void bothDiagnosersGiveOneAnswerForACalibratedBundle() {
    Bundle plain = bundle();
    // T = 2, and a max-softmax threshold that calls unknown any window whose top probability is below 0.99.
    Calibration calibration = new Calibration(2.0, OodMethod.MAX_SOFTMAX, Map.of(OodMethod.MAX_SOFTMAX, -0.99), 0.05,
        "test", 30, 0, 0, 0, 0, null, null, null, null);
    Bundle calibrated = plain.withCalibration(calibration);
    Diagnoser lean = LeanDiagnoser.of(calibrated);
    Diagnoser dl4j = Dl4jDiagnoser.of(ModelBundle.of(calibrated), HealthCheck.DEFAULT);
    assertEquals(calibration, dl4j.calibration());
    SplittableRandom random = new SplittableRandom(7);
    int unknown = 0;
    for (int w = 0; w < 5; w++) {
      float[] window = window(w % 3, 2, random);
      Diagnosis a = lean.classify(window);
      Diagnosis b = dl4j.classify(window);
      assertSame(a, b, "window " + w);
      unknown += a.outcome() == Diagnosis.Outcome.UNKNOWN ? 1 : 0;
      // The other paths: predict gives the calibrated probabilities too, predictScored the score.
      float[] pa = new float[3];
      float[] pb = new float[3];
      assertEquals(lean.predict(window, pa), dl4j.predict(window, pb), "window " + w);
      double sa = lean.predictScored(window, pa);
      double sb = dl4j.predictScored(window, pb);
      assertEquals(sa, sb, 1e-4, "window " + w + " predictScored");
      for (int k = 0; k < 3; k++) {
        assertEquals(pa[k], pb[k], 1e-4, "window " + w + " class " + k);
        assertEquals(b.probabilities()[k], pb[k], 1e-6, "window " + w + ": predictScored's probabilities");
      }
    }
    assertTrue(unknown > 0, "the threshold flags some of the windows (else the test shows nothing)");
    Diagnosis[] batch = dl4j.classifyBatch(new float[][] {window(0, 2, random), new float[L], window(1, 2, random)});
    assertEquals(Diagnosis.Outcome.UNHEALTHY_INPUT, batch[1].outcome(), "a dead sensor is not classified");
  }

  /**
   * Calibrated as {@code drsn train} calibrates (the runtime's {@link Calibrator} on the lean runtime's outputs), then
   * served with each method in turn: DL4J gives the score the same inputs, pooled and per-layer features included.
   */
  @Test
  void everyMethodScoresAlikeOnBothDiagnosers() {
    Bundle plain = bundle();
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(plain);
    SplittableRandom random = new SplittableRandom(11);
    NetworkOutputs fit = new NetworkOutputs(uncalibrated);
    NetworkOutputs heldOut = new NetworkOutputs(uncalibrated);
    for (int n = 0; n < 90; n++) {
      fit.add(window(n % 3, 2, random), n % 3);
    }
    for (int n = 0; n < 45; n++) {
      heldOut.add(window(n % 3, 2, random), n % 3);
    }
    Calibration calibration = Calibrator.fit(fit.outputs(), heldOut.outputs(), 0.2, OodMethod.MAHALANOBIS, "test");
    List<float[]> windows = new ArrayList<>();
    for (int n = 0; n < 12; n++) {
      windows.add(window(n % 4, n < 8 ? 2 : 4, random));
    }
    List<OodMethod> methods = new ArrayList<>(calibration.thresholds().keySet());
    assertTrue(methods.containsAll(List.of(OodMethod.MAX_SOFTMAX, OodMethod.ENERGY, OodMethod.MAHALANOBIS,
        OodMethod.RELATIVE_MAHALANOBIS, OodMethod.MAHALANOBIS_LAYERS, OodMethod.KNN)), methods.toString());
    int unknown = 0;
    int known = 0;
    for (OodMethod method : methods) {
      Bundle calibrated = plain.withCalibration(calibration.withMethod(method));
      Diagnoser lean = LeanDiagnoser.of(calibrated);
      Diagnoser dl4j = Dl4jDiagnoser.of(ModelBundle.of(calibrated), HealthCheck.DEFAULT);
      Diagnosis[] batch = dl4j.classifyBatch(windows.toArray(float[][]::new));
      for (int w = 0; w < windows.size(); w++) {
        Diagnosis a = lean.classify(windows.get(w));
        assertSame(a, dl4j.classify(windows.get(w)), method + " window " + w);
        assertSame(a, batch[w], method + " window " + w + " (batch)");
        unknown += a.outcome() == Diagnosis.Outcome.UNKNOWN ? 1 : 0;
        known += a.outcome() == Diagnosis.Outcome.CLASSIFIED ? 1 : 0;
      }
    }
    assertTrue(unknown > 0 && known > 0, unknown + " unknown, " + known + " classified: both outcomes are compared");
  }

  /**
   * A resampled recording whose windows pass the one rule for resampled windows but whose resampled samples alone would
   * look dead (a 48 kHz sensor at about 1e-6 units: raw standard deviation above the dead-sensor threshold, resampled
   * below it): both diagnosers classify them without that second check, so they answer alike (DL4J through its own
   * predictScored; Diagnoser's default would answer NaN, i.e. unknown).
   */
  @Test
  void aResampledRecordingIsDiagnosedAlikeByBothDiagnosers() {
    Bundle plain = bundle();
    Calibration calibration = new Calibration(2.0, OodMethod.MAX_SOFTMAX, Map.of(OodMethod.MAX_SOFTMAX, 1e300), 0.05,
        "test", 30, 0, 0, 0, 0, null, null, null, null);
    Bundle calibrated = plain.withCalibration(calibration);
    Diagnoser lean = LeanDiagnoser.of(calibrated);
    Diagnoser dl4j = Dl4jDiagnoser.of(ModelBundle.of(calibrated), HealthCheck.DEFAULT);
    double[] x = new double[48_000];
    for (int i = 0; i < x.length; i++) {
      double t = i / 48_000.0;
      x[i] = 1.1e-6 * Math.sin(2 * Math.PI * 300 * t) + 1.3e-6 * Math.sin(2 * Math.PI * 10_000 * t);
    }
    var a = lean.diagnose(new double[][] {x}, 48_000, io.github.drsn.runtime.RecordingDiagnosis.Options.DEFAULT);
    var b = dl4j.diagnose(new double[][] {x}, 48_000, io.github.drsn.runtime.RecordingDiagnosis.Options.DEFAULT);
    assertEquals(a.windows().size(), b.windows().size());
    for (int w = 0; w < a.windows().size(); w++) {
      Diagnosis da = a.windows().get(w).diagnosis();
      assertTrue(da.outcome() != Diagnosis.Outcome.UNHEALTHY_INPUT && !Double.isNaN(da.oodScore()),
          "control: window " + w + " is scored by the lean runtime: " + da);
      assertSame(da, b.windows().get(w).diagnosis(), "window " + w);
    }
  }
}
