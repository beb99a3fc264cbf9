package io.github.drsn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.onnx.impl.NetworkGraph;
import io.github.drsn.runtime.LeanDiagnoser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exported graph of a calibrated bundle against the runtime's inference path ({@link LeanDiagnoser#predict}, what
 * {@code predict}, {@code score} and a service answer): its probabilities are softmax(z / T), not the bare network's
 * at T = 1. Every bundle {@code drsn train} writes is calibrated, so this is the usual case. And what the file says
 * of the runtime's "unknown" decision: its metadata carry the calibration, say that the decision is not in the graph,
 * and for the scores computed from the logits alone the graph's outputs reproduce it.
 */
class OnnxCalibrationParityTest {

  @Test
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

  @Test
  void theMetadataCarryTheCalibrationAndSayTheUnknownDecisionIsNotInTheGraph() throws Exception {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    Bundle plain = OnnxExporterTest.bundle(layout, 11);
    Calibration calibration = RandomBundles.calibration(layout, 2); // MAHALANOBIS, threshold 3.5, rate 0.05
    try (OrtSession session = OrtParity.session(OnnxExporter.export(plain.withCalibration(calibration), null)
        .toByteArray())) {
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      meta.entrySet().stream()
          .filter(e -> e.getKey().startsWith("drsn.calibration.") || e.getKey().equals("drsn.outputs"))
          .forEach(e -> System.out.println("ONNX metadata " + e.getKey() + " = " + e.getValue()));
      assertEquals("true", meta.get("drsn.calibration.calibrated"));
      assertEquals("1.5", meta.get("drsn.calibration.temperature"));
      assertEquals("MAHALANOBIS", meta.get("drsn.calibration.ood_method"));
      assertEquals("3.5", meta.get("drsn.calibration.ood_threshold"));
      assertEquals("0.05", meta.get("drsn.calibration.false_alarm_rate"));
      assertEquals("300", meta.get("drsn.calibration.windows"));
      String thresholds = meta.get("drsn.calibration.ood_thresholds");
      assertTrue(thresholds.contains("\"ENERGY\"") && thresholds.contains("-1.25"), thresholds);
      assertEquals("false", meta.get("drsn.calibration.unknown_in_graph"));
      assertEquals("false", meta.get("drsn.calibration.unknown_reproducible"));
      String unknown = meta.get("drsn.calibration.unknown");
      assertTrue(unknown.contains("NOT reproducible from this file") && unknown.contains("Mahalanobis statistics"),
          unknown);
      assertEquals(List.of(NetworkGraph.OUTPUT, NetworkGraph.LOGITS), List.copyOf(session.getOutputNames()));
    }
    try (OrtSession session = OrtParity.session(OnnxExporter.export(plain, null).toByteArray())) {
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      assertEquals("false", meta.get("drsn.calibration.calibrated"));
      assertEquals("1.0", meta.get("drsn.calibration.temperature"));
      assertFalse(meta.containsKey("drsn.calibration.ood_method"));
      String unknown = meta.get("drsn.calibration.unknown");
      assertTrue(unknown.contains("never answers unknown"), unknown);
    }
    onnx.Onnx.GraphProto graph = OnnxExporter.export(plain.withCalibration(calibration), null).getGraph();
    String probabilities = graph.getOutput(0).getDocString();
    String logits = graph.getOutput(1).getDocString();
    assertTrue(probabilities.contains("softmax(logits / T), T = 1.5"), probabilities);
    assertTrue(logits.contains("before the temperature"), logits);
  }

  /**
   * For the scores the file says it reproduces, the consumer's recipe on the graph's outputs and the metadata gives the
   * runtime's score and its unknown decision, window by window.
   */
  @ParameterizedTest(name = "{0}: the graph's outputs and the metadata reproduce the runtime's unknown decision")
  @EnumSource(value = OodMethod.class, names = {"MAX_SOFTMAX", "ENERGY"})
  void scoresOfTheLogitsAloneAreReproducibleFromTheOutputs(OodMethod method) throws Exception {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    Calibration base = RandomBundles.calibration(layout, 2).withMethod(method);
    List<float[]> raw = OnnxExporterTest.randomInputs(layout, 16, 5);
    // The threshold in the widest gap between the middle scores of these windows, so that both decisions occur and
    // float32 rounding in the graph cannot move a score across it (the random network's scores lie close together).
    Bundle probe = OnnxExporterTest.bundle(layout, 11).withCalibration(base);
    LeanDiagnoser probeRuntime = LeanDiagnoser.of(probe);
    float[] p = new float[layout.classes()];
    double[] scores = raw.stream().mapToDouble(x -> probeRuntime.predictScored(x, p)).sorted().toArray();
    int gap = 4;
    for (int i = 5; i < 12; i++) {
      gap = scores[i + 1] - scores[i] > scores[gap + 1] - scores[gap] ? i : gap;
    }
    Map<OodMethod, Double> thresholds = new java.util.EnumMap<>(base.thresholds());
    thresholds.put(method, (scores[gap] + scores[gap + 1]) / 2);
    Calibration calibration = new Calibration(base.temperature(), method, thresholds, base.falseAlarmRate(),
        base.data(), base.windows(), base.eceBefore(), base.eceAfter(), base.nllBefore(), base.nllAfter(),
        base.mahalanobis(), base.layers(), base.background(), base.neighbours());
    Bundle bundle = OnnxExporterTest.bundle(layout, 11).withCalibration(calibration);
    LeanDiagnoser runtime = LeanDiagnoser.of(bundle);
    List<float[]> features = OrtParity.features(bundle, raw);
    float[][] probabilities;
    float[][] logits;
    Map<String, String> meta;
    try (OrtSession session = OrtParity.session(OnnxExporter.export(bundle, null).toByteArray())) {
      probabilities = OrtParity.run(session, features, layout.inputChannels(), layout.inputLength(), 4);
      logits = OrtParity.run(session, features, layout.inputChannels(), layout.inputLength(), 4, NetworkGraph.LOGITS);
      meta = session.getMetadata().getCustomMetadata();
    }
    assertEquals("true", meta.get("drsn.calibration.unknown_reproducible"));
    assertEquals(method.name(), meta.get("drsn.calibration.ood_method"));
    double t = Double.parseDouble(meta.get("drsn.calibration.temperature"));
    double threshold = Double.parseDouble(meta.get("drsn.calibration.ood_threshold"));
    int unknowns = 0;
    for (int w = 0; w < raw.size(); w++) {
      double s;
      if (method == OodMethod.MAX_SOFTMAX) {
        double max = 0;
        for (float v : probabilities[w]) {
          max = Math.max(max, v);
        }
        s = -max;
      } else {
        double sum = 0;
        for (float z : logits[w]) {
          sum += Math.exp(z / t);
        }
        s = -t * Math.log(sum);
      }
      double expected = runtime.predictScored(raw.get(w), p);
      assertEquals(expected, s, 1e-4 * Math.max(1, Math.abs(expected)), method + " score of window " + w);
      boolean unknown = Calibration.flags(s, threshold);
      assertEquals(runtime.classify(raw.get(w)).outcome() == io.github.drsn.runtime.Diagnosis.Outcome.UNKNOWN, unknown,
          method + " decision of window " + w + " (score " + s + ", runtime " + expected + ", threshold " + threshold
          + ")");
      unknowns += unknown ? 1 : 0;
    }
    assertTrue(unknowns > 0 && unknowns < raw.size(), "both decisions occur: " + unknowns + " unknown");
  }
}
