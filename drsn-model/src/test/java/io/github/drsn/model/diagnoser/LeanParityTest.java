package io.github.drsn.model.diagnoser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.cwru.CwruTasks;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.train.TrainingRecipe;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.LeanDiagnoser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The lean runtime ({@link LeanDiagnoser}, plain Java) against the DL4J reference ({@link Dl4jDiagnoser}) on the
 * same bundle file: the paper's Table II networks (input 2048, stages 4/8/16 × 4 units, 10 classes), trained
 * for a few steps so that weights and batch-norm running statistics are far from their initial values.
 * Probabilities agree within 1e-4 (absolute) and labels on every window, on synthetic drivetrain windows
 * (always) and on the CWRU ten-class test windows (when the data is present).
 */
class LeanParityTest {

  private static final double TOLERANCE = 1e-4;

  @TempDir Path dir;

  private Path bundle(Architecture arch, NormKind norm, Shortcut shortcut) throws Exception {
    return bundle(arch, norm, shortcut, Representation.TIME);
  }

  private Path bundle(Architecture arch, NormKind norm, Shortcut shortcut, Representation representation)
      throws Exception {
    return bundle(arch, norm, shortcut, representation, null);
  }

  /** As above; with {@code training} (features, one-hot labels), fitted on those batches instead of random tones. */
  private Path bundle(Architecture arch, NormKind norm, Shortcut shortcut, Representation representation,
      List<org.nd4j.linalg.dataset.DataSet> training) throws Exception {
    return bundle(arch, norm, shortcut, representation, training, DataType.FLOAT);
  }

  private Path bundle(Architecture arch, NormKind norm, Shortcut shortcut, Representation representation,
      List<org.nd4j.linalg.dataset.DataSet> training, DataType dataType) throws Exception {
    return bundle(arch, norm, shortcut, representation, training, dataType, TrainingRecipe.BASELINE);
  }

  private Path bundle(Architecture arch, NormKind norm, Shortcut shortcut, Representation representation,
      List<org.nd4j.linalg.dataset.DataSet> training, DataType dataType, TrainingRecipe recipe) throws Exception {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    int length = representation.featureLength(2048);
    ModelSpec spec = ModelSpec.builder().inputLength(length).stageChannels(4, 8, 16).unitsPerStage(4).classes(10)
        .normalization(norm).shortcut(shortcut).groups(4).seed(11).dataType(dataType).recipe(recipe).build();
    MultiLayerNetwork net = DrsnModels.network(arch, spec);
    Nd4j.getRandom().setSeed(5);
    for (org.nd4j.linalg.dataset.DataSet batch : training == null ? List.<org.nd4j.linalg.dataset.DataSet>of()
        : training) {
      net.fit(batch);
    }
    for (int i = 0; i < (training == null ? 4 : 0); i++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, 32, 1, 1, length);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
      for (int n = 0; n < 32; n++) {
        y.putScalar(n, n % 10, 1.0);
        // A class-dependent tone, so the network learns something and its outputs are far from uniform.
        for (int l = 0; l < length; l++) {
          x.putScalar(new long[] {n, 0, 0, l}, x.getFloat(n, 0, 0, l) + 2 * Math.sin(0.01 * (n % 10 + 1) * l));
        }
      }
      net.fit(x, y);
    }
    List<String> classes = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      classes.add("class" + k);
    }
    ModelBundle b = new ModelBundle(net, arch, spec, classes,
        new InputSpec(12_000, 2048, 1, io.github.drsn.signals.Normalization.Z_SCORE, representation),
        null, null, null, "test", Instant.parse("2026-11-26T12:00:00Z"));
    Path file = dir.resolve(arch + "-" + norm + "-" + representation + "-" + dataType + ".drsn");
    b.write(file);
    return file;
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "DRSN_CW, BATCH_NORM, ZERO_PAD", "DRSN_CS, BATCH_NORM, ZERO_PAD", "RESNET, BATCH_NORM, ZERO_PAD",
      "CONVNET, BATCH_NORM, ZERO_PAD", "DRSN_CW, GROUP_NORM, PROJECTION", "DRSN_CS, GROUP_NORM, ZERO_PAD",
      "RESNET, GROUP_NORM, PROJECTION", "CONVNET, GROUP_NORM, ZERO_PAD"})
  void leanMatchesDl4jOnSyntheticWindows(Architecture arch, NormKind norm, Shortcut shortcut) throws Exception {
    Path file = bundle(arch, norm, shortcut);
    List<float[]> windows = new ArrayList<>();
    Dataset synthetic = SyntheticDrivetrain.dataset(3);
    SplittableRandom random = new SplittableRandom(9);
    for (Recording r : synthetic.recordings().subList(0, Math.min(12, synthetic.recordings().size()))) {
      double[] x = r.channel(0);
      for (int w = 0; w < 4; w++) {
        int start = random.nextInt(x.length - 2048);
        float[] window = new float[2048];
        for (int l = 0; l < 2048; l++) {
          window[l] = (float) x[start + l];
        }
        windows.add(window);
      }
    }
    assertParity(file, windows, arch + " " + norm);
  }

  @org.junit.jupiter.api.Test
  void aNetworkTrainedWithDropoutAndRecipeLossExportsAndTheLeanRuntimeAgrees() throws Exception {
    // Dropout has no parameters and the loss none either: the bundle is the same format, and inference (dropout
    // off) is what the lean runtime computes.
    Path file = bundle(Architecture.DRSN_CW, NormKind.BATCH_NORM, Shortcut.ZERO_PAD, Representation.TIME, null,
        DataType.FLOAT, new TrainingRecipe(0.1, 2, null, 0.05, 0.5, 0));
    List<float[]> windows = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(4);
    for (int n = 0; n < 16; n++) {
      float[] window = new float[2048];
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) (Math.sin(0.01 * (n % 10 + 1) * l) + 0.5 * random.nextGaussian());
      }
      windows.add(window);
    }
    assertParity(file, windows, "DRSN_CW with dropout 0.5 and label smoothing, focal loss, flooding");
  }

  @org.junit.jupiter.api.Test
  void leanReadsDoublePrecisionBundles() throws Exception {
    Path file = bundle(Architecture.DRSN_CW, NormKind.BATCH_NORM, Shortcut.ZERO_PAD, Representation.TIME, null,
        DataType.DOUBLE);
    List<float[]> windows = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(8);
    for (int n = 0; n < 16; n++) {
      float[] window = new float[2048];
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) (Math.sin(0.01 * (n + 1) * l) + 0.5 * random.nextGaussian());
      }
      windows.add(window);
    }
    assertParity(file, windows, "DRSN_CW float64 bundle");
  }

  @ParameterizedTest(name = "{0} {1}, odd channels, kernel {2}, threshold norm {4}")
  @CsvSource({"DRSN_CW, BATCH_NORM, 5, 1, BATCH_NORM", "DRSN_CS, GROUP_NORM, 3, 3, GROUP_NORM",
      "RESNET, BATCH_NORM, 4, 2, BATCH_NORM", "DRSN_CW, GROUP_NORM, 3, 2, BATCH_NORM",
      "DRSN_CS, BATCH_NORM, 3, 2, GROUP_NORM", "DRSN_CW, GROUP_NORM, 3, 2, NONE", "DRSN_CS, BATCH_NORM, 5, 1, NONE"})
  void leanMatchesDl4jForOtherSizes(Architecture arch, NormKind norm, int kernel, int stemStride,
      NormKind thresholdNorm) throws Exception {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    ModelSpec spec = ModelSpec.builder().inputLength(301).stageChannels(3, 5, 6).unitsPerStage(2).classes(4)
        .kernelSize(kernel).stemStride(stemStride).normalization(norm).shortcut(Shortcut.PROJECTION).groups(2)
        .thresholdNormalization(thresholdNorm).seed(3).build();
    MultiLayerNetwork net = DrsnModels.network(arch, spec);
    // The DL4J network's parameter table is in the layout's order (ModelBundle checks it), and it has norm_t's
    // running statistics exactly when it has a norm_t (not ResNet) and that is batch norm.
    assertEquals(arch.thresholdMode() != io.github.drsn.contract.ThresholdMode.NONE
        && thresholdNorm == NormKind.BATCH_NORM, net.paramTable().containsKey("1_tnMean"));
    Nd4j.getRandom().setSeed(6);
    for (int i = 0; i < 3; i++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, 16, 1, 1, 301);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 4);
      for (int n = 0; n < 16; n++) {
        y.putScalar(n, n % 4, 1.0);
      }
      net.fit(x, y);
    }
    Path file = dir.resolve("other.drsn");
    new ModelBundle(net, arch, spec, List.of("a", "b", "c", "d"),
        new InputSpec(10_000, 301, 1, io.github.drsn.signals.Normalization.PLUS_MINUS_ONE, Representation.TIME),
        null, null, null, "test", Instant.parse("2026-11-26T12:00:00Z")).write(file);
    LeanDiagnoser lean = LeanDiagnoser.load(file);
    Dl4jDiagnoser reference = Dl4jDiagnoser.load(file);
    assertEquals(thresholdNorm, io.github.drsn.contract.Bundle.read(file).layout().thresholdNormalization());
    SplittableRandom random = new SplittableRandom(2);
    for (int n = 0; n < 20; n++) {
      float[] window = new float[301];
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) (Math.sin(0.05 * (n + 1) * l) + random.nextGaussian());
      }
      float[] expected = new float[4];
      float[] actual = new float[4];
      assertEquals(reference.predict(window, expected), lean.predict(window, actual), "label of window " + n);
      for (int k = 0; k < 4; k++) {
        assertEquals(expected[k], actual[k], TOLERANCE, "window " + n + " class " + k);
      }
    }
  }

  @ParameterizedTest(name = "{0} input")
  @CsvSource({"FFT_AMPLITUDE", "ENVELOPE_SPECTRUM"})
  void leanMatchesDl4jOnSpectralInputs(Representation representation) throws Exception {
    Path file = bundle(Architecture.DRSN_CW, NormKind.BATCH_NORM, Shortcut.ZERO_PAD, representation);
    List<float[]> windows = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(4);
    for (int n = 0; n < 24; n++) {
      float[] window = new float[2048];
      double f = 50 + 40 * n;
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) (Math.sin(2 * Math.PI * f * l / 12_000) * (1 + 0.5 * Math.sin(2 * Math.PI * 30 * l / 12_000))
            + 0.3 * random.nextGaussian());
      }
      windows.add(window);
    }
    assertParity(file, windows, "DRSN_CW " + representation);
  }

  @ParameterizedTest(name = "{0} on CWRU test windows")
  @CsvSource({"DRSN_CW, BATCH_NORM, ZERO_PAD", "DRSN_CS, BATCH_NORM, ZERO_PAD", "RESNET, BATCH_NORM, ZERO_PAD",
      "CONVNET, BATCH_NORM, ZERO_PAD", "DRSN_CW, GROUP_NORM, PROJECTION"})
  @Tag("slow")
  @Tag("cwru")
  void leanMatchesDl4jOnCwruTestWindows(Architecture arch, NormKind norm, Shortcut shortcut) throws Exception {
    Path data = cwruDir();
    Assumptions.assumeTrue(data != null, "CWRU data not found at ../shared/data/cwru; skipping");
    Dataset cwru = CwruTasks.tenClass(data);
    WindowedDataset cut = WindowedDataset.cut(cwru, SplitPlan.byTime(), WindowSpec.benchmark());
    List<float[]> windows = new ArrayList<>();
    for (Window w : cut.windows(Region.TEST)) {
      double[] x = cwru.recordings().get(w.recordingIndex()).channel(0);
      float[] window = new float[w.length()];
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) x[w.start() + l];
      }
      windows.add(window);
    }
    assertTrue(windows.size() > 300, "CWRU test windows: " + windows.size());
    // A short training run on the training region, so that the network tells the classes apart somewhat.
    List<Window> train = cut.windows(Region.TRAIN);
    SplittableRandom random = new SplittableRandom(17);
    List<org.nd4j.linalg.dataset.DataSet> batches = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      INDArray x = Nd4j.create(DataType.FLOAT, 32, 1, 1, 2048);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
      for (int n = 0; n < 32; n++) {
        Window w = train.get(random.nextInt(train.size()));
        double[] raw = java.util.Arrays.copyOfRange(cwru.recordings().get(w.recordingIndex()).channel(0), w.start(),
            w.start() + 2048);
        double[] z = io.github.drsn.signals.Normalization.Z_SCORE.apply(raw);
        for (int l = 0; l < 2048; l++) {
          x.putScalar(new long[] {n, 0, 0, l}, z[l]);
        }
        y.putScalar(n, w.classIndex(), 1.0);
      }
      batches.add(new org.nd4j.linalg.dataset.DataSet(x, y));
    }
    assertParity(bundle(arch, norm, shortcut, Representation.TIME, batches), windows, arch + " CWRU");
  }

  /**
   * A DRSN-CW bundle trained on CWRU at -4 dB (test accuracy 95.5 %, the README's quick-start run), kept as a
   * fixture of bundle format 1: it must keep loading in both runtimes, and parity is checked on a network that
   * really tells all ten classes apart.
   */
  @Test
  @Tag("cwru")
  void trainedFormat1BundleLoadsAndAgreesOnEveryCwruTestWindow() throws Exception {
    Path data = cwruDir();
    Assumptions.assumeTrue(data != null, "CWRU data not found at ../shared/data/cwru; skipping");
    Path file = Path.of(getClass().getResource("/fixtures/cwru-drsn-cw-format1.drsn").toURI());
    Dataset cwru = CwruTasks.tenClass(data);
    WindowedDataset cut = WindowedDataset.cut(cwru, SplitPlan.byTime(), WindowSpec.benchmark());
    List<float[]> windows = new ArrayList<>();
    int[] truth = new int[cut.windows(Region.TEST).size()];
    for (Window w : cut.windows(Region.TEST)) {
      double[] x = cwru.recordings().get(w.recordingIndex()).channel(0);
      float[] window = new float[w.length()];
      for (int l = 0; l < window.length; l++) {
        window[l] = (float) x[w.start() + l];
      }
      truth[windows.size()] = w.classIndex();
      windows.add(window);
    }
    assertParity(file, windows, "trained DRSN_CW CWRU");
    // On clean windows the -4 dB model still names most classes right; a broken load would be near chance.
    LeanDiagnoser lean = LeanDiagnoser.load(file);
    int correct = 0;
    java.util.Set<Integer> named = new java.util.HashSet<>();
    for (int n = 0; n < windows.size(); n++) {
      int label = lean.classify(windows.get(n)).labelIndex();
      named.add(label);
      correct += label == truth[n] ? 1 : 0;
    }
    assertTrue(named.size() >= 8, "the trained model names only classes " + named);
    assertTrue(correct > windows.size() / 2, "clean-window accuracy " + correct + "/" + windows.size());
  }

  private static void assertParity(Path file, List<float[]> windows, String what) throws Exception {
    LeanDiagnoser lean = LeanDiagnoser.load(file);
    Dl4jDiagnoser reference = Dl4jDiagnoser.load(file);
    Diagnosis[] expected = reference.classifyBatch(windows.toArray(new float[0][]));
    double worst = 0;
    int[] predicted = new int[10];
    for (int n = 0; n < windows.size(); n++) {
      Diagnosis actual = lean.classify(windows.get(n));
      assertEquals(Diagnosis.Outcome.CLASSIFIED, expected[n].outcome(), what + " window " + n);
      for (int k = 0; k < 10; k++) {
        worst = Math.max(worst, Math.abs(expected[n].probabilities()[k] - actual.probabilities()[k]));
      }
      assertEquals(expected[n].labelIndex(), actual.labelIndex(), what + " label of window " + n);
      predicted[actual.labelIndex()]++;
    }
    assertTrue(worst <= TOLERANCE, what + ": largest probability difference " + worst);
    // The reference's one-window path agrees with its batch path.
    float[] one = new float[10];
    assertEquals(expected[0].labelIndex(), reference.predict(windows.get(0), one));
    for (int k = 0; k < 10; k++) {
      assertEquals(expected[0].probabilities()[k], one[k], 1e-6, "DL4J batch vs one window, class " + k);
    }
    System.out.printf("%s: %d windows, largest |p_lean - p_dl4j| = %.2e, labels agree; predicted counts %s%n", what,
        windows.size(), worst, java.util.Arrays.toString(predicted));
  }

  static Path cwruDir() {
    List<Path> candidates = new ArrayList<>();
    String shared = System.getProperty("shared.dir");
    if (shared != null) {
      candidates.add(Path.of(shared, "data", "cwru"));
    }
    candidates.add(Path.of("..", "shared", "data", "cwru"));
    candidates.add(Path.of("..", "..", "shared", "data", "cwru"));
    for (Path p : candidates) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }
}
