package io.github.drsn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.BundleFormatException;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported graph, run by ONNX Runtime, gives the lean runtime's probabilities (max |Δp| ≤ 1e-4, same top
 * class on every window) for every architecture, norm kind and shortcut, on random bundles and random inputs, both
 * uncalibrated and calibrated (the runtime's softmax(z / T); {@link OnnxCalibrationParityTest} pins the temperature
 * more sharply).
 */
class OnnxExporterTest {

  static final double TOLERANCE = 1e-4;

  static List<String> classes(int n) {
    return IntStream.range(0, n).mapToObj(i -> "class" + i).toList();
  }

  static Bundle bundle(ModelLayout layout, long seed) {
    InputSpec input = new InputSpec(12_000, layout.inputLength(), layout.inputChannels(), Normalization.Z_SCORE,
        Representation.TIME);
    return RandomBundles.random(layout, classes(layout.classes()), input, seed);
  }

  static List<float[]> randomInputs(ModelLayout layout, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> inputs = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      float[] x = new float[layout.inputChannels() * layout.inputLength()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      inputs.add(x);
    }
    return inputs;
  }

  @ParameterizedTest(name = "{0} with {1}: ONNX Runtime gives the lean runtime's probabilities")
  @CsvSource({"DRSN_CW, BATCH_NORM", "RESNET, BATCH_NORM", "DRSN_CS, BATCH_NORM", "CONVNET, BATCH_NORM",
      "DRSN_CW, GROUP_NORM", "RESNET, GROUP_NORM", "DRSN_CS, GROUP_NORM", "CONVNET, GROUP_NORM"})
  void thePapersNetworkAgreesWithTheLeanRuntime(Architecture architecture, NormKind norm) throws Exception {
    ModelLayout paper = RandomBundles.paperLayout(architecture);
    ModelLayout layout = new ModelLayout(architecture, paper.inputLength(), paper.inputChannels(),
        paper.stageChannels(), paper.unitsPerStage(), paper.kernelSize(), paper.stemStride(), paper.classes(), norm,
        4, paper.shortcut());
    assertAgrees(layout, 40);
  }

  @ParameterizedTest(name = "{0}, {1}, {2}, {3}x{4}, kernel {5}: ONNX Runtime gives the lean runtime's probabilities")
  @CsvSource({"DRSN_CW, BATCH_NORM, PROJECTION, 2, 1000, 5", "DRSN_CS, GROUP_NORM, PROJECTION, 3, 777, 4",
      "RESNET, GROUP_NORM, ZERO_PAD, 2, 513, 7", "DRSN_CW, GROUP_NORM, ZERO_PAD, 1, 301, 3",
      "CONVNET, BATCH_NORM, ZERO_PAD, 2, 999, 6"})
  void otherShapesAgreeWithTheLeanRuntime(Architecture architecture, NormKind norm, Shortcut shortcut, int channels,
      int length, int kernel) throws Exception {
    ModelLayout layout = new ModelLayout(architecture, length, channels, new int[] {4, 6, 12}, 2, kernel, 2, 5, norm,
        3, shortcut);
    assertAgrees(layout, 20);
  }

  @ParameterizedTest(name = "{0} trunk, {1} in the threshold sub-networks: ONNX Runtime gives the lean runtime's"
      + " probabilities")
  @CsvSource({"GROUP_NORM, BATCH_NORM", "BATCH_NORM, GROUP_NORM", "GROUP_NORM, NONE", "BATCH_NORM, NONE"})
  void aThresholdNormOtherThanTheTrunksAgreesWithTheLeanRuntime(NormKind trunk, NormKind threshold) throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 513, 1, new int[] {4, 6, 12}, 2, 3, 2, 5, trunk, 2,
        Shortcut.ZERO_PAD, threshold);
    assertAgrees(layout, 20);
  }

  private static void assertAgrees(ModelLayout layout, int windows) throws Exception {
    Bundle plain = bundle(layout, 11);
    // The same network calibrated (T = 1.5): the runtime answers softmax(z / T), and so must the graph.
    for (Bundle bundle : List.of(plain, plain.withCalibration(RandomBundles.calibration(layout, 2)))) {
      byte[] model = OnnxExporter.export(bundle, null).toByteArray();
      List<float[]> inputs = randomInputs(layout, windows, 5);
      OrtParity.Result batched = OrtParity.compare(bundle, model, inputs, 8);
      OrtParity.Result single = OrtParity.compare(bundle, model, inputs.subList(0, 4), 1);
      System.out.printf("ONNX parity %s at T = %s: max |dp| %.3g over %d windows (batch 8), %.3g (batch 1), label"
          + " mismatches %d%n", layout, bundle.temperature(), batched.maxAbsDiff(), batched.windows(),
          single.maxAbsDiff(), batched.labelMismatches());
      String what = layout + " at T = " + bundle.temperature();
      assertTrue(batched.maxAbsDiff() <= TOLERANCE, what + ": max |dp| " + batched.maxAbsDiff());
      assertTrue(single.maxAbsDiff() <= TOLERANCE, what + ": max |dp| at batch 1 " + single.maxAbsDiff());
      assertEquals(0, batched.labelMismatches(), what + ": windows whose label differs");
    }
  }

  @ParameterizedTest(name = "{0} in the graph: ONNX Runtime on raw windows gives the lean runtime's probabilities")
  @CsvSource({"Z_SCORE, DRSN_CW", "MIN_MAX, RESNET", "PLUS_MINUS_ONE, DRSN_CS", "NONE, CONVNET"})
  void theNormalisationInTheGraphIsTheLeanRuntimes(Normalization normalization, Architecture architecture)
      throws Exception {
    ModelLayout layout = new ModelLayout(architecture, 1024, 2, new int[] {4, 8}, 2, 3, 2, 6, NormKind.BATCH_NORM, 2,
        Shortcut.ZERO_PAD);
    InputSpec input = new InputSpec(12_000, 1024, 2, normalization, Representation.TIME);
    Bundle bundle = RandomBundles.random(layout, classes(6), input, 7);
    byte[] model = OnnxExporter.export(bundle, null, true).toByteArray();
    SplittableRandom random = new SplittableRandom(9);
    List<float[]> raw = new ArrayList<>();
    for (int w = 0; w < 30; w++) {
      float[] x = new float[2 * 1024];
      double scale = Math.exp(random.nextDouble(-4, 3));
      double offset = random.nextDouble(-1, 1) * scale;
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (offset + scale * random.nextGaussian());
      }
      if (w == 0) {
        Arrays.fill(x, 0, 1024, 0.25f); // a dead first channel: zeros after any normalisation
      }
      raw.add(x);
    }
    OrtParity.Result r = OrtParity.compare(bundle, model, raw, 8);
    System.out.printf("ONNX parity, %s in the graph, %s: max |dp| %.3g over %d raw windows, label mismatches %d%n",
        normalization, architecture, r.maxAbsDiff(), r.windows(), r.labelMismatches());
    assertTrue(r.maxAbsDiff() <= TOLERANCE, "max |dp| " + r.maxAbsDiff());
    assertEquals(0, r.labelMismatches());
    try (OrtSession session = OrtParity.session(model)) {
      assertEquals(java.util.Set.of("window"), session.getInputNames());
      assertEquals("true", session.getMetadata().getCustomMetadata().get("drsn.input.normalization_in_graph"));
    }
  }

  @Test
  void aSpectralModelCannotHaveItsPreprocessingInTheGraph() {
    ModelLayout layout = new ModelLayout(Architecture.RESNET, 1025, 1, new int[] {4}, 1, 3, 2, 3, NormKind.BATCH_NORM,
        2, Shortcut.ZERO_PAD);
    Bundle bundle = RandomBundles.random(layout, classes(3),
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.FFT_AMPLITUDE), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExporter.export(bundle, null, true));
    assertTrue(e.getMessage().contains("FFT_AMPLITUDE"), e.getMessage());
    assertTrue(OnnxExporter.export(bundle, null, false).getGraph().getNodeCount() > 0);
  }

  @Test
  void theModelDeclaresItsInputOutputOpsetAndPreprocessing(@TempDir Path dir) throws Exception {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    Path file = dir.resolve("m.drsn");
    Bundle bundle = bundle(layout, 3);
    bundle.write(file);
    Path out = dir.resolve("m.onnx");
    OnnxExporter.export(file, out);
    byte[] model = Files.readAllBytes(out);
    try (OrtSession session = OrtParity.session(model)) {
      NodeInfo input = session.getInputInfo().get("features");
      NodeInfo output = session.getOutputInfo().get("probabilities");
      assertEquals("[-1, 1, 2048]", Arrays.toString(((TensorInfo) input.getInfo()).getShape()));
      assertEquals("[-1, 10]", Arrays.toString(((TensorInfo) output.getInfo()).getShape()));
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      assertEquals("12000.0", meta.get("drsn.input.sampling_rate_hz"));
      assertEquals("2048", meta.get("drsn.input.window_length"));
      assertEquals("1", meta.get("drsn.input.channels"));
      assertEquals("Z_SCORE", meta.get("drsn.input.normalization"));
      assertEquals("TIME", meta.get("drsn.input.representation"));
      assertEquals("false", meta.get("drsn.input.normalization_in_graph"));
      assertTrue(!meta.containsKey("drsn.input.channel_names"), "no names recorded, none stated");
      assertEquals("[\"class0\",\"class1\",\"class2\",\"class3\",\"class4\",\"class5\",\"class6\",\"class7\",\"class8\","
          + "\"class9\"]", meta.get("drsn.classes"));
      assertEquals(OnnxExporter.sha256(Files.readAllBytes(file)), meta.get("drsn.bundle.sha256"));
      assertTrue(meta.containsKey("drsn.version"));
      assertEquals("drsn", session.getMetadata().getProducerName());
    }
    onnx.Onnx.ModelProto proto = onnx.Onnx.ModelProto.parseFrom(model);
    assertEquals(OnnxExporter.OPSET, proto.getOpsetImport(0).getVersion());
    assertEquals(13, OnnxExporter.OPSET);
  }

  @Test
  void theTrainingChannelsNamesAreStatedWhenTheBundleRecordsThem() {
    ModelLayout layout = RandomBundles.paperLayout(Architecture.DRSN_CW);
    Bundle plain = bundle(layout, 3);
    Bundle named = new Bundle(plain.layout(), plain.classes(), plain.input().withChannelNames(List.of("DE")),
        plain.precision(), plain.parameters(), "test", plain.createdUtc(), null, null, null);
    assertEquals("[\"DE\"]", OnnxExporter.metadata(named, null, false).get("drsn.input.channel_names"));
  }

  @Test
  void aMissingOrCorruptBundleIsABundleFormatErrorAndWritesNothing(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("m.onnx");
    assertThrows(BundleFormatException.class, () -> OnnxExporter.export(dir.resolve("absent.drsn"), out));
    Path corrupt = dir.resolve("corrupt.drsn");
    Files.writeString(corrupt, "not a zip");
    assertThrows(BundleFormatException.class, () -> OnnxExporter.export(corrupt, out));
    assertFalse(Files.exists(out));
  }
}
