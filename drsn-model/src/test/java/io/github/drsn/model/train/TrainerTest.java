package io.github.drsn.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ScheduleType;
import io.github.drsn.model.schedule.CosineWarmRestartsSchedule;
import io.github.drsn.model.schedule.CyclicalMode;
import io.github.drsn.model.schedule.CyclicalSchedule;
import io.github.drsn.model.schedule.RestartingSchedule;
import io.github.drsn.model.schedule.WarmupSchedule;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class TrainerTest {

  private static final int FEATURES = 8;

  /** Two Gaussian blobs whose means differ in every feature; epoch e reshuffles with seed (7, e). */
  private static final class Blobs implements Trainer.EpochData {
    private final List<DataSet> train = examples(256, 1);
    private final List<DataSet> validation = examples(64, 2);

    private static List<DataSet> examples(int count, long seed) {
      Random random = new Random(seed);
      List<DataSet> list = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int label = i % 2;
        float[] x = new float[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
          x[j] = (float) (random.nextGaussian() + (label == 0 ? -0.4 : 0.4));
        }
        float[] y = label == 0 ? new float[] {1, 0} : new float[] {0, 1};
        list.add(new DataSet(Nd4j.create(x, 1, FEATURES), Nd4j.create(y, 1, 2)));
      }
      return list;
    }

    @Override
    public DataSetIterator trainingEpoch(int epoch) {
      List<DataSet> shuffled = new ArrayList<>(train);
      java.util.Collections.shuffle(shuffled, new Random(7L * 1_000_003L + epoch));
      // batchBy makes the minibatches; the iterator hands them out one at a time.
      return new ListDataSetIterator<>(DataSet.merge(shuffled).batchBy(32), 1);
    }

    @Override
    public DataSetIterator validation() {
      return new ListDataSetIterator<>(DataSet.merge(validation).batchBy(32), 1);
    }
  }

  private static MultiLayerNetwork network(double learningRate) {
    return network(new Nesterovs(learningRate, 0.9));
  }

  private static MultiLayerNetwork network(org.nd4j.linalg.schedule.ISchedule schedule) {
    return network(new Nesterovs(schedule, 0.9));
  }

  private static MultiLayerNetwork network(Nesterovs updater) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(42)
            .dataType(DataType.FLOAT)
            .updater(updater)
            .list()
            .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nIn(16)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  @Test
  @Tag("slow")
  void learnsAndWritesBothCheckpoints(@TempDir Path dir) {
    Trainer.Result result =
        Trainer.train(network(0.05), new Blobs(), new Trainer.Options(5, 0, dir), null);
    assertEquals(Trainer.StopReason.COMPLETED, result.stopReason());
    assertEquals(5, result.history().size());
    assertTrue(result.history().get(4).trainLoss() < result.history().get(0).trainLoss(), result.history().toString());
    assertTrue(result.bestValidationAccuracy() >= 0.8, "validation accuracy " + result.bestValidationAccuracy());
    assertEquals(0.05, result.history().get(0).learningRate(), 1e-12);
    assertTrue(Files.isRegularFile(dir.resolve(Trainer.LAST_CHECKPOINT)));
    assertTrue(Files.isRegularFile(dir.resolve(Trainer.BEST_CHECKPOINT)));
    double[] bestAgain = Trainer.validate(result.bestModel(), new Blobs().validation());
    assertEquals(result.bestValidationAccuracy(), bestAgain[0], 0.0);
  }

  /** A listener that raises {@code stop} at minibatch {@code batch} of epoch {@code epoch} (both as reported). */
  private static TrainingListener stopAt(int epoch, int batch, AtomicBoolean stop) {
    return new TrainingListener() {
      @Override
      public void onBatch(int e, int b, int batchesInEpoch, double loss) {
        if (e == epoch && b == batch) {
          stop.set(true);
        }
      }
    };
  }

  /** Triangular cycles of 2 × 6 iterations; Blobs has 8 minibatches per epoch, so 4 epochs are 32 iterations. */
  private static final CyclicalSchedule TRIANGULAR =
      new CyclicalSchedule(ScheduleType.ITERATION, CyclicalMode.TRIANGULAR, 0.005, 0.05, 6, 1);

  private static Trainer.Options snapshots(int epochs, int keep, RestartingSchedule schedule, Path dir,
      java.util.function.BooleanSupplier stop) {
    return new Trainer.Options(epochs, 0, dir, stop, 0, 0, keep, schedule);
  }

  @Test
  @Tag("slow")
  void snapshotsAreTheWeightsAtTheEndOfEachCycleAndTheLastKAreKept() {
    // Cycles of 12 iterations end after steps 12 and 24 of the 32 (the third would end at 36).
    assertEquals(List.of(11, 23), TRIANGULAR.cycleEnds(32, true));
    Trainer.Result two = Trainer.train(network(TRIANGULAR), new Blobs(), snapshots(4, 2, TRIANGULAR, null, null), null);
    assertEquals(2, two.snapshots().size());
    assertEquals(List.of(0, 1), two.snapshots().stream().map(Trainer.Snapshot::cycle).toList());
    assertEquals(List.of(12, 24), two.snapshots().stream().map(Trainer.Snapshot::iteration).toList());
    // Step 12 is the 4th of epoch 2 (steps 9-16): a snapshot inside an epoch; step 24 ends epoch 3.
    assertEquals(List.of(2, 3), two.snapshots().stream().map(Trainer.Snapshot::epoch).toList());
    Trainer.Result threeEpochs = Trainer.train(network(TRIANGULAR), new Blobs(), new Trainer.Options(3, 0, null), null);
    assertEquals(threeEpochs.lastModel().params(), two.snapshots().get(1).network().params());
    Trainer.Result one = Trainer.train(network(TRIANGULAR), new Blobs(), snapshots(4, 1, TRIANGULAR, null, null), null);
    assertEquals(1, one.snapshots().size());
    assertEquals(two.snapshots().get(1).network().params(), one.snapshots().get(0).network().params());

    // SGDR counted in epochs, runs of 2 epochs: the ends of epochs 2 and 4 of 5.
    CosineWarmRestartsSchedule sgdr = new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.05, 0.001, 2, 1);
    assertEquals(List.of(1, 3), sgdr.cycleEnds(5, false));
    Trainer.Result epochs = Trainer.train(network(sgdr), new Blobs(), snapshots(5, 3, sgdr, null, null), null);
    assertEquals(List.of(2, 4), epochs.snapshots().stream().map(Trainer.Snapshot::epoch).toList());
    Trainer.Result fourEpochs = Trainer.train(network(sgdr), new Blobs(), new Trainer.Options(4, 0, null), null);
    assertEquals(fourEpochs.lastModel().params(), epochs.snapshots().get(1).network().params());
    // A warm-up of 8 iterations delays every cycle end by 8 steps.
    WarmupSchedule warm = new WarmupSchedule(ScheduleType.ITERATION, 8, 0.0, TRIANGULAR);
    assertEquals(List.of(19, 31), warm.cycleEnds(32, true));
  }

  @Test
  void snapshotsNeedACyclicScheduleAndAtMostAsManyAsABundleHolds() {
    IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
        () -> snapshots(4, 2, new WarmupSchedule(ScheduleType.ITERATION, 8, 0.0,
            new org.nd4j.linalg.schedule.StepSchedule(ScheduleType.EPOCH, 0.1, 0.1, 10)), null, null));
    assertTrue(step.getMessage().contains("has no cycles; use a cyclic schedule"), step.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> snapshots(4, 2, null, null, null));
    assertTrue(none.getMessage().contains("the run's schedule (the default steps, or a step schedule) has no cycles")
        && !none.getMessage().contains("null"), "the default schedule is not 'null': " + none.getMessage());
    IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
        () -> snapshots(4, 17, TRIANGULAR, null, null));
    assertTrue(many.getMessage().contains("--snapshots must be between 0 (none) and 16"), many.getMessage());
  }

  @Test
  @Tag("slow")
  void aResumedRunKeepsTheSnapshotsOfItsEarlierSitting(@TempDir Path dir) {
    Trainer.Result straight =
        Trainer.train(network(TRIANGULAR), new Blobs(), snapshots(4, 2, TRIANGULAR, null, null), null);
    AtomicBoolean stop = new AtomicBoolean();
    TrainingListener stopInThirdEpoch = stopAt(2, 3, stop);
    Trainer.Result first = Trainer.train(network(TRIANGULAR), new Blobs(),
        snapshots(4, 2, TRIANGULAR, dir, stop::get), stopInThirdEpoch);
    assertEquals(Trainer.StopReason.INTERRUPTED, first.stopReason());
    Trainer.Result resumed = Trainer.resume(network(TRIANGULAR), new Blobs(),
        snapshots(4, 2, TRIANGULAR, dir, null), null);
    assertEquals(2, resumed.snapshots().size());
    for (int i = 0; i < 2; i++) {
      assertEquals(straight.snapshots().get(i).network().params(), resumed.snapshots().get(i).network().params());
      assertEquals(straight.snapshots().get(i).iteration(), resumed.snapshots().get(i).iteration());
    }
  }

  @Test
  @Tag("slow")
  void resumeAfterInterruptionMatchesAnUninterruptedRun(@TempDir Path dir) {
    Trainer.Result straight =
        Trainer.train(network(0.05), new Blobs(), new Trainer.Options(4, 0, null), null);

    AtomicBoolean stop = new AtomicBoolean();
    TrainingListener stopInThirdEpoch = stopAt(2, 3, stop);
    Trainer.Result first =
        Trainer.train(network(0.05), new Blobs(), new Trainer.Options(4, 0, dir, stop::get), stopInThirdEpoch);
    assertEquals(Trainer.StopReason.INTERRUPTED, first.stopReason());
    assertEquals(2, first.history().size());

    Trainer.Result resumed = Trainer.resume(network(0.05), new Blobs(), new Trainer.Options(4, 0, dir), null);
    assertEquals(Trainer.StopReason.COMPLETED, resumed.stopReason());
    assertEquals(4, resumed.history().size());
    assertEquals(straight.lastModel().params(), resumed.lastModel().params());
    assertEquals(straight.history().get(3).trainLoss(), resumed.history().get(3).trainLoss(), 0.0);
  }

  @Test
  @Tag("slow")
  void stopsEarlyWhenValidationStopsImproving(@TempDir Path dir) {
    // A zero learning rate never improves on the first epoch's validation result.
    Trainer.Result result = Trainer.train(network(0.0), new Blobs(), new Trainer.Options(10, 2, dir), null);
    assertEquals(Trainer.StopReason.EARLY_STOPPED, result.stopReason());
    assertEquals(3, result.history().size());
    assertEquals(1, result.bestEpoch());
  }

  @Test
  void corruptOrMissingCheckpointIsAClearError(@TempDir Path dir) throws Exception {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> Trainer.resume(network(0.05), new Blobs(), new Trainer.Options(2, 0, dir), null));
    assertTrue(missing.getMessage().contains("no checkpoint at"), missing.getMessage());

    Files.write(dir.resolve(Trainer.LAST_CHECKPOINT), new byte[] {'P', 'K', 3, 4, 1, 2});
    IllegalArgumentException corrupt =
        assertThrows(IllegalArgumentException.class, () -> Trainer.resume(network(0.05), new Blobs(), new Trainer.Options(2, 0, dir), null));
    assertTrue(corrupt.getMessage().contains(Trainer.LAST_CHECKPOINT), corrupt.getMessage());
  }

  @Test
  void checkpointsHoldNumbersOnlyAndRefuseTamperingOrAnotherNetwork(@TempDir Path dir) throws Exception {
    Trainer.train(network(0.05), new Blobs(), new Trainer.Options(1, 0, dir), null);
    Path last = dir.resolve(Trainer.LAST_CHECKPOINT);
    java.util.List<String> names = new java.util.ArrayList<>();
    try (var zip = new java.util.zip.ZipFile(last.toFile())) {
      zip.stream().forEach(e -> names.add(e.getName()));
    }
    assertEquals(java.util.List.of("state.json", "parameters.npy", "updater.npy"), names,
        "no serialised Java object, no DL4J configuration JSON");

    // One flipped byte in the parameters: the recorded SHA-256 catches it.
    Path tampered = dir.resolve("tampered");
    Files.createDirectories(tampered);
    rewriteEntry(last, tampered.resolve(Trainer.LAST_CHECKPOINT), "parameters.npy");
    IllegalArgumentException sha = assertThrows(IllegalArgumentException.class,
        () -> Trainer.resume(network(0.05), new Blobs(), new Trainer.Options(2, 0, tampered), null));
    assertTrue(sha.getMessage().contains("SHA-256"), sha.getMessage());

    // A network of another size cannot take the checkpoint's numbers.
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork wider = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
        new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).list()
            .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(FEATURES).nOut(32).build())
            .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(32).nOut(2)
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
            .build());
    wider.init();
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> Trainer.resume(wider, new Blobs(), new Trainer.Options(2, 0, dir), null));
    assertTrue(size.getMessage().contains("another configuration"), size.getMessage());
  }

  /** The test network with a batch-norm layer between its two dense layers (running mean/var in the params). */
  private static MultiLayerNetwork networkWithBatchNorm(double learningRate) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
        .updater(new Nesterovs(learningRate, 0.9)).list()
        .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(6).activation(Activation.IDENTITY).build())
        .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().nOut(6).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  @Test
  void emaUpdateIsDTimesShadowPlusOneMinusDTimesParameters() {
    // d = 0.9: e ← 0.9 e + 0.1 θ; from e = (1, −2), θ = (3, 0.5): (1.2, −1.75); then θ = (−1, 4): (0.98, −1.175).
    org.nd4j.linalg.api.ndarray.INDArray ema = Nd4j.createFromArray(1.0, -2.0);
    Trainer.updateEma(ema, Nd4j.createFromArray(3.0, 0.5), 0.9);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.2, -1.75}, ema.toDoubleVector(), 1e-12);
    Trainer.updateEma(ema, Nd4j.createFromArray(-1.0, 4.0), 0.9);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0.98, -1.175}, ema.toDoubleVector(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new Trainer.Options(1, 0, null, null, 1.0));
  }

  @Test
  void withFgmEachStepFitsTheCleanAndTheAdversarialWindows() {
    List<Integer> rows = new ArrayList<>();
    MultiLayerNetwork network = network(0.05);
    TrainingListener watch = new TrainingListener() {
      @Override
      public void onBatch(int epoch, int batch, int batchesInEpoch, double loss) {
        rows.add((int) network.getInput().size(0));
      }
    };
    Trainer.Result result = Trainer.train(network, new Blobs(), new Trainer.Options(1, 0, null, null, 0, 0.1), watch);
    assertEquals(java.util.Collections.nCopies(8, 64), rows, "8 batches of 32 clean + 32 adversarial windows");
    assertTrue(Double.isFinite(result.history().get(0).trainLoss()));
    Trainer.Result clean = Trainer.train(network(0.05), new Blobs(), new Trainer.Options(1, 0, null), null);
    assertTrue(!clean.lastModel().params().equals(result.lastModel().params()), "FGM changed nothing");
  }

  @Test
  void theExportedNetworkIsTheShadowAveragedOverEveryStepBatchNormStatisticsIncluded() {
    MultiLayerNetwork network = networkWithBatchNorm(0.05);
    double d = 0.5;
    List<double[]> seen = new ArrayList<>();
    seen.add(network.params().toDoubleVector());
    TrainingListener record = new TrainingListener() {
      @Override
      public void onBatch(int epoch, int batch, int batchesInEpoch, double loss) {
        seen.add(network.params().toDoubleVector());
      }
    };
    Trainer.Result result = Trainer.train(network, new Blobs(), new Trainer.Options(1, 0, null, null, d), record);
    assertEquals(9, seen.size(), "256 windows in batches of 32: the initial parameters and 8 steps");
    // e_0 = θ_0, e_t = d e_(t−1) + (1 − d) θ_t, so e_8 = d^8 θ_0 + Σ_t (1 − d) d^(8−t) θ_t.
    double[] expected = seen.get(0).clone();
    for (int i = 0; i < expected.length; i++) {
      expected[i] *= Math.pow(d, 8);
      for (int t = 1; t <= 8; t++) {
        expected[i] += (1 - d) * Math.pow(d, 8 - t) * seen.get(t)[i];
      }
    }
    double[] exported = result.lastModel().params().toDoubleVector();
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], exported[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "parameter " + i);
    }
    // The batch-norm running mean is averaged like every other entry, and differs from the live one.
    double[] liveMean = network.getLayer(1).getParam("mean").toDoubleVector();
    double[] shadowMean = result.lastModel().getLayer(1).getParam("mean").toDoubleVector();
    assertTrue(Math.abs(liveMean[0] - shadowMean[0]) > 1e-6, "live and shadow running means are the same");
    assertEquals(result.bestModel().params(), result.lastModel().params(), "one epoch: best = last = shadow");
    double[] validated = Trainer.validate(result.bestModel(), new Blobs().validation());
    assertEquals(result.bestValidationAccuracy(), validated[0], 0.0, "the shadow is what was validated");
  }

  @Test
  @Tag("slow")
  void resumeWithWeightEmaMatchesAnUninterruptedRun(@TempDir Path dir) throws Exception {
    Trainer.Result straight = Trainer.train(network(0.05), new Blobs(), new Trainer.Options(4, 0, null, null, 0.9),
        null);
    AtomicBoolean stop = new AtomicBoolean();
    TrainingListener stopInThirdEpoch = stopAt(2, 3, stop);
    Trainer.train(network(0.05), new Blobs(), new Trainer.Options(4, 0, dir, stop::get, 0.9), stopInThirdEpoch);
    try (var zip = new java.util.zip.ZipFile(dir.resolve(Trainer.LAST_CHECKPOINT).toFile())) {
      assertTrue(zip.getEntry("ema.npy") != null, "the checkpoint keeps the shadow");
    }
    IllegalArgumentException without = assertThrows(IllegalArgumentException.class,
        () -> Trainer.resume(network(0.05), new Blobs(), new Trainer.Options(4, 0, dir), null));
    assertTrue(without.getMessage().contains("weight EMA"), without.getMessage());
    Trainer.Result resumed = Trainer.resume(network(0.05), new Blobs(), new Trainer.Options(4, 0, dir, null, 0.9),
        null);
    assertEquals(straight.lastModel().params(), resumed.lastModel().params());
    assertEquals(straight.bestModel().params(), resumed.bestModel().params());
    assertEquals(straight.history(), resumed.history().stream().map(e -> new EpochRecord(e.epoch(), e.trainLoss(),
        e.validationLoss(), e.validationAccuracy(), e.learningRate(), straight.history().get(e.epoch() - 1).seconds()))
        .toList());
  }

  private static void rewriteEntry(Path from, Path to, String flip) throws Exception {
    try (var in = new java.util.zip.ZipFile(from.toFile());
        var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
      for (var e : java.util.Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(e).readAllBytes();
        if (e.getName().equals(flip)) {
          bytes[bytes.length - 1] ^= 1;
        }
        out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
  }
}
