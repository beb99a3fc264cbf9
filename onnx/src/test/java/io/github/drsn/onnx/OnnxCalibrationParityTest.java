package io.github.drsn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.runtime.LeanDiagnoser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The exported graph of a calibrated bundle against the runtime's inference path ({@link LeanDiagnoser#predict}, what
 * {@code predict}, {@code score} and a service answer), not against the bare network at T = 1 that
 * {@link OrtParity} compares with. Every bundle {@code drsn train} writes is calibrated, so this is the usual case.
 */
class OnnxCalibrationParityTest {

  @Test
  @Disabled("defect: ONNX export drops the bundle's temperature; its probabilities are softmax(z), the runtime's softmax(z/T)")
  void aCalibratedBundlesGraphGivesTheRuntimesProbabilities() throws Exception {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    Bundle plain = OnnxExporterTest.bundle(layout, 11);
    Bundle calibrated = plain.withCalibration(RandomBundles.calibration(layout, 2)); // T = 1.5
    assertEquals(1.5, calibrated.temperature(), 1e-12);
    byte[] model = OnnxExporter.export(calibrated, null).toByteArray();
    LeanDiagnoser runtime = LeanDiagnoser.of(calibrated);
    Preprocessor preprocessor = new Preprocessor(calibrated.input());
    List<float[]> raw = OnnxExporterTest.randomInputs(layout, 8, 5);
    List<float[]> features = new ArrayList<>();
    for (float[] x : raw) {
      float[] f = new float[x.length];
      preprocessor.apply(x, f);
      features.add(f);
    }
    float[][] ort;
    try (OrtSession session = OrtParity.session(model)) {
      ort = OrtParity.run(session, features, layout.inputChannels(), layout.inputLength(), 4);
    }
    // Compared as log-odds against class 0, ln(p_k / p_0) = (z_k - z_0) / T, which the random network keeps small: the
    // probabilities of a random network are near uniform, so |dp| alone hides a factor of T.
    double maxDp = 0;
    double maxLogOdds = 0;
    float[] p = new float[layout.classes()];
    for (int w = 0; w < raw.size(); w++) {
      runtime.predict(raw.get(w), p);
      for (int k = 0; k < p.length; k++) {
        maxDp = Math.max(maxDp, Math.abs(p[k] - ort[w][k]));
        double runtimeOdds = Math.log(p[k]) - Math.log(p[0]);
        double onnxOdds = Math.log(ort[w][k]) - Math.log(ort[w][0]);
        maxLogOdds = Math.max(maxLogOdds, Math.abs(onnxOdds - runtimeOdds) / (1e-3 + Math.abs(runtimeOdds)));
      }
    }
    assertTrue(maxLogOdds <= 1e-2 && maxDp <= OnnxExporterTest.TOLERANCE, String.format(java.util.Locale.ROOT,
        "for a bundle calibrated at T = %s: max |p_onnx - p_runtime| = %.3g, max relative log-odds difference = %.3g"
        + " (T - 1 = %.3g would mean the graph applies no temperature)", calibrated.temperature(), maxDp, maxLogOdds,
        calibrated.temperature() - 1));
  }
}
