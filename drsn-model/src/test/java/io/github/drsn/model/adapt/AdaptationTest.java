package io.github.drsn.model.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Representation;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.diagnoser.Dl4jDiagnoser;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdaBN ({@link NormStatistics}), pseudo-labels and the guard ({@link Adaptation}) on a small DRSN-CW (input 64,
 * stages 3/4 channels × 1 unit, 3 classes) trained on class-dependent tones. Tests that train are tagged slow.
 */
class AdaptationTest {

  private static final int LENGTH = 64;
  private static final List<String> CLASSES = List.of("low", "mid", "high");

  @TempDir Path dir;

  /** A window of class k: a tone of frequency 0.15·(k + 1) rad/sample in Gaussian noise, scaled and shifted. */
  private static float[] window(int k, SplittableRandom random, double scale, double offset) {
    float[] w = new float[LENGTH];
    double phase = random.nextDouble() * 2 * Math.PI;
    for (int l = 0; l < LENGTH; l++) {
      w[l] = (float) (offset + scale * (Math.sin(0.15 * (k + 1) * l + phase) + 0.3 * random.nextGaussian()));
    }
    return w;
  }

  private static List<float[]> windows(int perClass, long seed, double scale, double offset) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < perClass; i++) {
      for (int k = 0; k < CLASSES.size(); k++) {
        out.add(window(k, random, scale, offset));
      }
    }
    return out;
  }

  /** A bundle of the small network, fitted for {@code steps} minibatches of 30 source windows. */
  private static ModelBundle trained(NormKind norm, DataType dataType, int steps) {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    ModelSpec spec = ModelSpec.builder().inputLength(LENGTH).stageChannels(3, 4).unitsPerStage(1).classes(3)
        .normalization(norm).groups(2).seed(7).dataType(dataType).build();
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CW, spec);
    InputSpec input = new InputSpec(1000, LENGTH, 1, Normalization.Z_SCORE, Representation.TIME);
    for (int step = 0; step < steps; step++) {
      List<float[]> batch = windows(10, 100 + step, 1, 0);
      INDArray x = Dl4jDiagnoser.features(new io.github.drsn.contract.Preprocessor(input), batch.toArray(float[][]::new),
          dataType);
      INDArray y = Nd4j.zeros(dataType, batch.size(), 3);
      for (int n = 0; n < batch.size(); n++) {
        y.putScalar(n, n % 3, 1.0);
      }
      net.fit(x, y);
    }
    return new ModelBundle(net, Architecture.DRSN_CW, spec, CLASSES, input, null, null, null, "test",
        Instant.parse("2026-12-06T12:00:00Z"));
  }

  private static double[] channelMean(INDArray x) {
    return x.mean(0, 2, 3).toDoubleVector();
  }

  /** Biased variance over samples and positions, per channel, two-pass. */
  private static double[] channelVariance(INDArray x) {
    double[] mean = channelMean(x);
    double[] var = new double[mean.length];
    long n = x.size(0);
    long length = x.size(3);
    for (int c = 0; c < mean.length; c++) {
      double sum = 0;
      for (long s = 0; s < n; s++) {
        for (long l = 0; l < length; l++) {
          double d = x.getDouble(s, c, 0, l) - mean[c];
          sum += d * d;
        }
      }
      var[c] = sum / (n * length);
    }
    return var;
  }

  @Test
  void aGuardBoundOutOfRangeIsNamedWithItsOption() {
    IllegalArgumentException share = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new Adaptation.Guard(0.5, 2.0, 0.2));
    assertEquals("the guard's largest class share (--max-class-share) is a fraction in [0, 1], got 2.0",
        share.getMessage());
    IllegalArgumentException agreement = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new Adaptation.Guard(Double.NaN, 0.5, 0.2));
    assertTrue(agreement.getMessage().contains("--min-agreement"), agreement.getMessage());
  }

  @Test
  @Tag("slow")
  void adaBnGivesEveryBatchNormTheStatisticsOfItsInputThroughTheAdaptedLayersBeforeIt() {
    ModelBundle bundle = trained(NormKind.BATCH_NORM, DataType.DOUBLE, 5);
    MultiLayerNetwork net = ModelBundle.of(bundle.bundle()).network();
    // Target: another scale and offset, fed without per-window normalisation so that the shift reaches the norms.
    SplittableRandom random = new SplittableRandom(3);
    INDArray x = Nd4j.zeros(DataType.DOUBLE, 300, 1, 1, LENGTH);
    for (int n = 0; n < 300; n++) {
      float[] w = window(n % 3, random, 2.5, 1.5);
      for (int l = 0; l < LENGTH; l++) {
        x.putScalar(new long[] {n, 0, 0, l}, w[l]);
      }
    }
    double[] before = net.getLayer(1).getParam("n1Mean").toDoubleVector();
    NormStatistics.Result result = NormStatistics.reestimate(net, x);
    // stem (no norm) | unit1a: n1, n2, tn | unit2a: n1, n2, tn | head: n
    assertEquals(7, result.estimates().size());
    assertEquals(0, result.groupNormBlocks());
    List<INDArray> activations = net.feedForwardToLayer(3, x, false); // [input, stem, unit1a, unit2a, head]
    // The first norm (unit1a n1) sees the stem's output, which no norm affects: its statistics by hand.
    INDArray stem = activations.get(1);
    assertArrayEquals(channelMean(stem), net.getLayer(1).getParam("n1Mean").toDoubleVector(), 1e-6);
    assertArrayEquals(channelVariance(stem), net.getLayer(1).getParam("n1Var").toDoubleVector(), 1e-6);
    assertFalse(java.util.Arrays.equals(before, net.getLayer(1).getParam("n1Mean").toDoubleVector()));
    // Later norms see outputs computed through the adapted earlier layers.
    INDArray unit1 = activations.get(2);
    assertArrayEquals(channelMean(unit1), net.getLayer(2).getParam("n1Mean").toDoubleVector(), 1e-6);
    assertArrayEquals(channelVariance(unit1), net.getLayer(2).getParam("n1Var").toDoubleVector(), 1e-6);
    INDArray unit2 = activations.get(3);
    assertArrayEquals(channelMean(unit2), net.getLayer(3).getParam("nMean").toDoubleVector(), 1e-6);
    assertArrayEquals(channelVariance(unit2), net.getLayer(3).getParam("nVar").toDoubleVector(), 1e-6);
    // Every norm inside the units too: inference now equals a training-mode pass with all 300 windows as one
    // batch, which normalises each layer by the batch statistics of its input.
    INDArray inference = net.output(x, false);
    INDArray oneBatch = net.output(x, true);
    assertTrue(inference.equalsWithEps(oneBatch, 1e-9), "inference " + inference.getRow(0) + " vs " + oneBatch.getRow(0));
  }

  @Test
  @Tag("slow")
  void adaBnIsANoOpForGroupNorm() {
    ModelBundle bundle = trained(NormKind.GROUP_NORM, DataType.FLOAT, 2);
    Adaptation.Result result = Adaptation.adapt(bundle, windows(5, 9, 3, 1), Adaptation.Options.DEFAULT);
    assertTrue(result.report().adaBn().noOp());
    assertEquals(7, result.report().adaBn().groupNormBlocks());
    assertEquals(bundle.network().params(), result.network().params());
    assertEquals(1.0, result.report().adapted().agreement());
  }

  @Test
  @Tag("slow")
  void adaptingOnTheSourceDataItselfKeepsThePredictions() {
    ModelBundle bundle = trained(NormKind.BATCH_NORM, DataType.FLOAT, 60);
    List<float[]> source = windows(100, 55, 1, 0);
    Adaptation.Result result = Adaptation.adapt(bundle, source, Adaptation.Options.DEFAULT);
    Adaptation.Stage adapted = result.report().adapted();
    assertTrue(adapted.agreement() >= 0.99, "agreement " + adapted.agreement());
    assertFalse(result.report().refused());
    assertEquals(result.report().source().meanMaxProbability(), adapted.meanMaxProbability(), 0.02);
  }

  @Test
  void pseudoLabelSelectionKeepsConfidentWindowsAndBalancesClasses() {
    float[][] p = {
        {0.95f, 0.03f, 0.02f}, {0.99f, 0.005f, 0.005f}, {0.92f, 0.04f, 0.04f}, {0.97f, 0.02f, 0.01f},
        {0.05f, 0.91f, 0.04f}, {0.5f, 0.4f, 0.1f}};
    PseudoLabels.Selection all = PseudoLabels.select(p, 0.9, false);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, all.windows());
    assertArrayEquals(new int[] {4, 1, 0}, all.perClass());
    // Balanced: at most ceil(6 / 3) = 2 per class, the most confident (windows 1 and 3).
    PseudoLabels.Selection balanced = PseudoLabels.select(p, 0.9, true);
    assertArrayEquals(new int[] {1, 3, 4}, balanced.windows());
    assertArrayEquals(new int[] {0, 0, 1}, balanced.labels());
    assertArrayEquals(new int[] {4, 1, 0}, balanced.confident());
  }

  @Test
  @Tag("slow")
  void pseudoLabelsFineTuneAndTheGuardPassesAShiftedTarget() {
    ModelBundle bundle = trained(NormKind.BATCH_NORM, DataType.FLOAT, 60);
    List<float[]> target = windows(40, 77, 1, 0);
    Adaptation.Result result = Adaptation.adapt(bundle, target,
        new Adaptation.Options(true, new PseudoLabels.Options(0.9, true, 2, 1e-3, 16, 4), null));
    Adaptation.Report report = result.report();
    assertEquals(List.of("source", "adabn", "pseudo_labels"), report.stages().stream().map(Adaptation.Stage::name)
        .toList());
    assertTrue(report.selection().size() > 0);
    assertEquals(2, report.fineTuneLosses().length);
    assertFalse(report.refused(), report.refusals().toString());
  }

  @Test
  @Tag("slow")
  void theGuardRefusesACollapseAndSaysWhy() {
    ModelBundle bundle = trained(NormKind.BATCH_NORM, DataType.FLOAT, 60);
    // A learning rate 10^5 times too large wrecks the network: its predictions collapse.
    Adaptation.Result result = Adaptation.adapt(bundle, windows(40, 78, 1, 0),
        new Adaptation.Options(true, new PseudoLabels.Options(0.5, false, 5, 100, 8, 4), null));
    Adaptation.Report report = result.report();
    assertTrue(report.refused());
    String all = String.join("; ", report.refusals());
    assertTrue(all.contains("one class swallows the predictions") || all.contains("agreement collapsed"), all);
  }

  @Test
  void theGuardRulesOnConstructedPredictions() {
    Adaptation.Stage source = new Adaptation.Stage("source", new int[] {40, 30, 30}, 0.9, 0.3, 1.0);
    Adaptation.Stage swallowed = new Adaptation.Stage("adabn", new int[] {95, 5, 0}, 0.99, 0.05, 0.45);
    List<String> refusals = Adaptation.check(Adaptation.Guard.DEFAULT, CLASSES, source, swallowed, 100);
    assertEquals(2, refusals.size());
    assertTrue(refusals.get(0).startsWith("agreement collapsed: the adapted model predicts what the source model"
        + " predicts on 0.450 of the 100 target windows, below the bound 0.50"), refusals.get(0));
    assertTrue(refusals.get(1).contains("predicts low for 0.950 of the target windows (the source model for 0.400)"),
        refusals.get(1));
    // A target that the source model already sees as mostly one class is no collapse.
    Adaptation.Stage mostlyOne = new Adaptation.Stage("source", new int[] {85, 10, 5}, 0.9, 0.3, 1.0);
    Adaptation.Stage adapted = new Adaptation.Stage("adabn", new int[] {95, 5, 0}, 0.99, 0.05, 0.9);
    assertEquals(List.of(), Adaptation.check(Adaptation.Guard.DEFAULT, CLASSES, mostlyOne, adapted, 100));
  }

  @Test
  @Tag("slow")
  void theAdaptedBundleRecordsWhatWasDoneAndRunsInTheLeanRuntime() throws Exception {
    ModelBundle bundle = trained(NormKind.BATCH_NORM, DataType.FLOAT, 30);
    List<float[]> target = windows(30, 79, 2, 0.5);
    Adaptation.Result result = Adaptation.adapt(bundle, target, Adaptation.Options.DEFAULT);
    Path file = dir.resolve("adapted.drsn");
    Adaptation.bundle(bundle, result, Map.of("files", List.of(Map.of("path", "x.csv", "sha256", "abc"))), false)
        .write(file);
    ModelBundle read = ModelBundle.read(file);
    var record = read.training().get(Adaptation.RECORD_KEY);
    assertEquals("adabn", record.get("method").asText());
    assertEquals(90, record.get("windows").asInt());
    assertEquals("abc", record.get("target").get("files").get(0).get("sha256").asText());
    assertEquals(7, record.get("adabn").get("batch_norm_blocks").asInt());
    LeanDiagnoser lean = LeanDiagnoser.load(file);
    Dl4jDiagnoser reference = Dl4jDiagnoser.load(file);
    for (float[] w : target) {
      float[] expected = new float[3];
      float[] actual = new float[3];
      assertEquals(reference.predict(w, expected), lean.predict(w, actual));
      assertArrayEquals(expected, actual, 1e-4f);
    }
    // and the adapted network in the file is the one adapted in memory
    float[][] p = result.probabilities();
    float[] fromFile = new float[3];
    reference.predict(target.get(0), fromFile);
    assertArrayEquals(p[0], fromFile, 1e-6f);
    // Adapted again, it keeps the first record.
    ModelBundle twice = Adaptation.bundle(read, Adaptation.adapt(read, target, Adaptation.Options.DEFAULT), Map.of(),
        false);
    assertEquals(90, twice.training().get(Adaptation.RECORD_KEY).get("previous").get("windows").asInt());
    assertTrue(twice.training().get(Adaptation.RECORD_KEY).get("previous").get("previous") == null);
  }
}
