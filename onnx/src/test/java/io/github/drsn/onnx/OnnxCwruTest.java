package io.github.drsn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.cwru.CwruTasks;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.LeanDiagnoser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parity of the exported graph in ONNX Runtime with the lean runtime on every test window of the CWRU ten-class
 * task (split by time, benchmark windows of 2048 samples), preprocessed by the model's {@link Preprocessor}: a
 * trained DRSN-CW (drsn-model's format-1 fixture) and random bundles of every architecture and norm kind. Skipped
 * with a message when ../shared/data/cwru is absent.
 */
@Tag("cwru")
class OnnxCwruTest {

  private static List<float[]> rawWindows;

  @BeforeAll
  static void readTestWindows() throws Exception {
    Path data = cwruDir();
    Assumptions.assumeTrue(data != null, "CWRU data not found at ../shared/data/cwru (or -Dshared.dir); skipping");
    Dataset cwru = CwruTasks.tenClass(data);
    WindowedDataset cut = WindowedDataset.cut(cwru, SplitPlan.byTime(), WindowSpec.benchmark());
    rawWindows = new ArrayList<>();
    for (Window w : cut.windows(Region.TEST)) {
      double[] x = cwru.recordings().get(w.recordingIndex()).channel(0);
      float[] window = new float[w.length()];
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) x[w.start() + l];
      }
      rawWindows.add(window);
    }
    assertTrue(rawWindows.size() > 300, "CWRU test windows: " + rawWindows.size());
  }

  private static List<float[]> features(InputSpec input) {
    Preprocessor preprocessor = new Preprocessor(input);
    List<float[]> features = new ArrayList<>();
    for (float[] w : rawWindows) {
      float[] f = new float[input.channels() * input.featureLength()];
      preprocessor.apply(w, f);
      features.add(f);
    }
    return features;
  }

  @ParameterizedTest(name = "random {0} with {1} on the CWRU test windows")
  @CsvSource({"DRSN_CW, BATCH_NORM", "RESNET, BATCH_NORM", "DRSN_CS, BATCH_NORM", "CONVNET, BATCH_NORM",
      "DRSN_CW, GROUP_NORM", "RESNET, GROUP_NORM", "DRSN_CS, GROUP_NORM", "CONVNET, GROUP_NORM"})
  void randomBundlesAgreeOnRealWindows(Architecture architecture, NormKind norm) throws Exception {
    ModelLayout layout = new ModelLayout(architecture, 2048, 1, new int[] {4, 8, 16}, 4, 3, 2, 10, norm, 4,
        Shortcut.ZERO_PAD);
    Bundle bundle = OnnxExporterTest.bundle(layout, 23);
    OrtParity.Result r = OrtParity.compare(bundle, OnnxExporter.export(bundle, null).toByteArray(), rawWindows, 32);
    System.out.printf("ONNX parity on CWRU, random %s %s: max |dp| %.3g over %d windows, label mismatches %d%n",
        architecture, norm, r.maxAbsDiff(), r.windows(), r.labelMismatches());
    assertTrue(r.maxAbsDiff() <= OnnxExporterTest.TOLERANCE, "max |dp| " + r.maxAbsDiff());
    assertEquals(0, r.labelMismatches());
  }

  @Test
  void theTrainedFormat1BundleAgreesOnEveryWindowFromRawSamples() throws Exception {
    Path fixture = Path.of("..", "drsn-model", "src", "test", "resources", "fixtures", "cwru-drsn-cw-format1.drsn");
    Assumptions.assumeTrue(Files.exists(fixture), "trained fixture " + fixture + " not found; skipping");
    Bundle bundle = Bundle.read(fixture);
    byte[] model = OnnxExporter.export(bundle, OnnxExporter.sha256(Files.readAllBytes(fixture))).toByteArray();
    List<float[]> features = features(bundle.input());
    OrtParity.Result r = OrtParity.compare(bundle, model, rawWindows, 32);
    // End to end as a service would: the lean diagnoser on the raw window, ONNX Runtime on Preprocessor's output.
    LeanDiagnoser lean = LeanDiagnoser.of(bundle);
    float[][] ort;
    try (OrtSession session = OrtParity.session(model)) {
      ort = OrtParity.run(session, features, 1, 2048, 32);
    }
    double worst = 0;
    for (int n = 0; n < rawWindows.size(); n++) {
      Diagnosis d = lean.classify(rawWindows.get(n));
      for (int k = 0; k < ort[n].length; k++) {
        worst = Math.max(worst, Math.abs(d.probabilities()[k] - ort[n][k]));
      }
      assertEquals(d.labelIndex(), OrtParity.argmax(ort[n]), "window " + n);
    }
    // With the z-score in the graph: ONNX Runtime on the raw windows themselves.
    OrtParity.Result raw = OrtParity.compare(bundle, OnnxExporter.export(bundle, null, true).toByteArray(), rawWindows,
        32);
    System.out.printf("ONNX parity on CWRU, trained DRSN-CW fixture: max |dp| %.3g on features, %.3g from raw"
        + " windows, %.3g with the z-score in the graph, over %d windows, label mismatches %d, %d%n", r.maxAbsDiff(),
        worst, raw.maxAbsDiff(), r.windows(), r.labelMismatches(), raw.labelMismatches());
    assertTrue(raw.maxAbsDiff() <= OnnxExporterTest.TOLERANCE, "max |dp| z-score in graph " + raw.maxAbsDiff());
    assertEquals(0, raw.labelMismatches());
    assertTrue(r.maxAbsDiff() <= OnnxExporterTest.TOLERANCE, "max |dp| " + r.maxAbsDiff());
    assertTrue(worst <= OnnxExporterTest.TOLERANCE, "max |dp| from raw windows " + worst);
    assertEquals(0, r.labelMismatches());
  }

  /**
   * The trained fixture calibrated at T = 1.5 (statistics from {@code RandomBundles}; only the temperature reaches
   * the graph): its confident probabilities move far from T = 1, so a graph without the temperature would miss by
   * far more than the tolerance.
   */
  @Test
  void theTrainedBundleCalibratedGivesTheRuntimesCalibratedProbabilities() throws Exception {
    Path fixture = Path.of("..", "drsn-model", "src", "test", "resources", "fixtures", "cwru-drsn-cw-format1.drsn");
    Assumptions.assumeTrue(Files.exists(fixture), "trained fixture " + fixture + " not found; skipping");
    Bundle plain = Bundle.read(fixture);
    Bundle bundle = plain.withCalibration(RandomBundles.calibration(plain.layout(), 2));
    assertEquals(1.5, bundle.temperature(), 1e-12);
    OrtParity.Result r = OrtParity.compare(bundle, OnnxExporter.export(bundle, null).toByteArray(), rawWindows, 32);
    OrtParity.Result inGraph = OrtParity.compare(bundle, OnnxExporter.export(bundle, null, true).toByteArray(),
        rawWindows, 32);
    // How far the runtime's calibrated answer is from the uncalibrated network's: what ignoring T would cost.
    OrtParity.Result uncalibrated = OrtParity.compare(bundle, OnnxExporter.export(plain, null).toByteArray(),
        rawWindows, 32);
    System.out.printf("ONNX parity on CWRU, trained DRSN-CW fixture at T = 1.5: max |dp| %.3g on features, %.3g with"
        + " the z-score in the graph, over %d windows; the T = 1 graph is %.3g away%n", r.maxAbsDiff(),
        inGraph.maxAbsDiff(), r.windows(), uncalibrated.maxAbsDiff());
    assertTrue(r.maxAbsDiff() <= OnnxExporterTest.TOLERANCE, "max |dp| " + r.maxAbsDiff());
    assertTrue(inGraph.maxAbsDiff() <= OnnxExporterTest.TOLERANCE, "max |dp| z-score in graph " + inGraph.maxAbsDiff());
    assertEquals(0, r.labelMismatches());
    assertEquals(0, inGraph.labelMismatches());
    assertTrue(uncalibrated.maxAbsDiff() > 100 * OnnxExporterTest.TOLERANCE,
        "the temperature should matter on this model: " + uncalibrated.maxAbsDiff());
  }

  static Path cwruDir() {
    List<Path> candidates = new ArrayList<>();
    String shared = System.getProperty("shared.dir");
    if (shared != null && !shared.isBlank()) {
      candidates.add(Path.of(shared, "data", "cwru"));
    }
    candidates.add(Path.of("..", "shared", "data", "cwru"));
    candidates.add(Path.of("..", "..", "shared", "data", "cwru"));
    for (Path p : candidates) {
      if (Files.isDirectory(p.resolve("12k_drive_end")) && Files.isDirectory(p.resolve("normal"))) {
        return p;
      }
    }
    return null;
  }
}
