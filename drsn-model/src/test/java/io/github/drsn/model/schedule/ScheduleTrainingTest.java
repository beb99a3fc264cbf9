package io.github.drsn.model.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The schedules inside a real DL4J network: DL4J applies the scheduled rate, and a model saved with its
 * updater state and restored trains on exactly like the model that was never saved.
 */
class ScheduleTrainingTest {

  private static final int FEATURES = 8;
  private static final int CLASSES = 3;
  private static final int EXAMPLES = 64;
  private static final int BATCH = 16;

  @Test
  void dl4jAppliesTheScheduledRateForTheCurrentIterationAndEpoch() {
    // Depends on both counters: an iteration warm-up into the paper's epoch steps.
    ISchedule schedule = Schedules.warmup(10, 0.0, StepDecaySchedule.paper());
    MultiLayerNetwork net = network(new Sgd(schedule));
    DataSet batch = data(EXAMPLES, 3);
    int[][] iterationEpochs = {{5, 0}, {10, 0}, {1000, 45}, {2000, 85}};
    double[] expectedRates = {0.05, 0.1, 0.01, 0.001};
    for (int k = 0; k < iterationEpochs.length; k++) {
      net.setIterationCount(iterationEpochs[k][0]);
      net.setEpochCount(iterationEpochs[k][1]);
      net.setInput(batch.getFeatures());
      net.setLabels(batch.getLabels());
      net.computeGradientAndScore();
      INDArray summedGradient = net.gradient().gradient().dup();
      INDArray before = net.params().dup();

      net.fit(batch);

      // Plain SGD: params -= lr * gradient / batch size (DL4J averages the summed gradient in its updater).
      INDArray step = before.sub(net.params());
      double appliedRate = step.mul(EXAMPLES).div(summedGradient).medianNumber().doubleValue();
      assertEquals(expectedRates[k], appliedRate, 1e-9, "iteration " + iterationEpochs[k][0]
          + ", epoch " + iterationEpochs[k][1]);
      assertEquals(expectedRates[k], schedule.valueAt(iterationEpochs[k][0], iterationEpochs[k][1]), 1e-15);
      INDArray expectedStep = summedGradient.mul(expectedRates[k] / EXAMPLES);
      assertEquals(0, step.sub(expectedStep).amaxNumber().doubleValue(), 1e-12);
    }
  }

  static Stream<Arguments> updatersWithSchedules() {
    // Schedules whose rate changes within the training after the restore, in iterations and in epochs
    // (4 iterations per epoch; 8 iterations, 2 epochs before the save, as many after).
    return Stream.of(
        Arguments.of(new Nesterovs(new WarmupSchedule(ScheduleType.ITERATION, 3, 0.01,
            new StepDecaySchedule(ScheduleType.EPOCH, new int[] {0, 3}, new double[] {0.1, 0.02})), 0.9)),
        Arguments.of(new Nesterovs(Schedules.sgdr(0.1, 0.001, 5, 2), 0.9)),
        Arguments.of(new Adam(Schedules.triangular2(0.001, 0.01, 3))),
        Arguments.of(new Adam(Schedules.warmup(2, 0.0, Schedules.expRange(0.001, 0.01, 3, 0.95)))),
        Arguments.of(new Adam(new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.01, 0.0, 2, 1))));
  }

  @ParameterizedTest
  @MethodSource("updatersWithSchedules")
  void savedAndRestoredModelTrainsOnIdentically(IUpdater updater) throws IOException {
    MultiLayerNetwork original = network(updater);
    DataSet data = data(EXAMPLES, 11);
    INDArray initial = original.params().dup();
    double initialScore = original.score(data);
    original.fit(new ListDataSetIterator<>(data.asList(), BATCH), 2);
    assertEquals(8, original.getIterationCount());
    assertEquals(2, original.getEpochCount());

    MultiLayerNetwork restored = saveAndRestore(original);
    assertEquals(original.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
    assertEquals(updater, ((BaseLayer) restored.getLayer(0).conf().getLayer()).getIUpdater());
    // Value equality keeps both layers in one updater block; with identity equality the restored model
    // splits them, reads Adam's saved state with another layout and its next steps are all NaN.
    assertEquals(1, updaterBlocks(original));
    assertEquals(1, updaterBlocks(restored));
    assertEquals(8, restored.getIterationCount());
    assertEquals(2, restored.getEpochCount());
    assertArrayEquals(original.params().toDoubleVector(), restored.params().toDoubleVector());
    assertArrayEquals(original.getUpdater().getStateViewArray().toDoubleVector(),
        restored.getUpdater().getStateViewArray().toDoubleVector());
    INDArray atSave = original.params().dup();

    original.fit(new ListDataSetIterator<>(data.asList(), BATCH), 2);
    restored.fit(new ListDataSetIterator<>(data.asList(), BATCH), 2);

    double[] continued = original.params().toDoubleVector();
    assertTrue(Arrays.stream(continued).allMatch(Double::isFinite), "original: non-finite parameters");
    assertTrue(Arrays.stream(restored.params().toDoubleVector()).allMatch(Double::isFinite),
        "restored: non-finite parameters");
    assertArrayEquals(continued, restored.params().toDoubleVector(),
        "training after the restore must repeat the un-saved model's steps exactly");
    assertArrayEquals(original.getUpdater().getStateViewArray().toDoubleVector(),
        restored.getUpdater().getStateViewArray().toDoubleVector());
    assertFalse(atSave.equals(original.params()), "the continued training must change the parameters");
    assertFalse(initial.equals(atSave), "the first training must change the parameters");
    assertTrue(original.score(data) < initialScore,
        "the loss should fall on this learnable toy problem: " + initialScore + " -> "
            + original.score(data));
  }

  @Test
  void savedAndRestoredComputationGraphWithShortcutTrainsOnIdentically() throws IOException {
    // The DRSN is a ComputationGraph with identity shortcuts: check that form too, with Adam.
    IUpdater updater = new Adam(Schedules.warmup(2, 0.0, Schedules.sgdr(0.01, 1e-4, 3, 2)));
    ComputationGraph original = new ComputationGraph(new NeuralNetConfiguration.Builder()
        .seed(42)
        .dataType(DataType.DOUBLE)
        .weightInit(WeightInit.XAVIER)
        .updater(updater)
        .graphBuilder()
        .addInputs("in")
        .addLayer("a", tanhDense(), "in")
        .addLayer("b", tanhDense(), "a")
        .addVertex("shortcut", new ElementWiseVertex(ElementWiseVertex.Op.Add), "in", "b")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(FEATURES)
            .nOut(CLASSES).activation(Activation.SOFTMAX).build(), "shortcut")
        .setOutputs("out")
        .build());
    original.init();
    DataSet data = data(EXAMPLES, 13);
    original.fit(new ListDataSetIterator<>(data.asList(), BATCH), 2);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(original, bytes, true);
    ComputationGraph restored =
        ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    assertEquals(original.getConfiguration(), restored.getConfiguration());
    assertEquals(1, original.getUpdater().getUpdaterBlocks().size());
    assertEquals(1, restored.getUpdater().getUpdaterBlocks().size());
    assertEquals(8, restored.getIterationCount());
    assertEquals(2, restored.getEpochCount());
    INDArray atSave = original.params().dup();

    original.fit(new ListDataSetIterator<>(data.asList(), BATCH), 2);
    restored.fit(new ListDataSetIterator<>(data.asList(), BATCH), 2);

    double[] continued = original.params().toDoubleVector();
    assertTrue(Arrays.stream(restored.params().toDoubleVector()).allMatch(Double::isFinite),
        "restored: non-finite parameters");
    assertArrayEquals(continued, restored.params().toDoubleVector());
    assertArrayEquals(original.getUpdater().getStateViewArray().toDoubleVector(),
        restored.getUpdater().getStateViewArray().toDoubleVector());
    assertFalse(atSave.equals(original.params()), "the continued training must change the parameters");
  }

  private static DenseLayer tanhDense() {
    return new DenseLayer.Builder().nIn(FEATURES).nOut(FEATURES).activation(Activation.TANH).build();
  }

  private static int updaterBlocks(MultiLayerNetwork net) {
    return ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().size();
  }

  private static MultiLayerNetwork saveAndRestore(MultiLayerNetwork net) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
  }

  private static MultiLayerNetwork network(IUpdater updater) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(42)
        .dataType(DataType.DOUBLE)
        .weightInit(WeightInit.XAVIER)
        .updater(updater)
        .list()
        .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(CLASSES)
            .activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** Gaussian features; the class is the index of the largest of the first three features. */
  private static DataSet data(int examples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] features = new double[examples][FEATURES];
    double[][] labels = new double[examples][CLASSES];
    for (int i = 0; i < examples; i++) {
      int label = 0;
      for (int j = 0; j < FEATURES; j++) {
        features[i][j] = random.nextGaussian();
        if (j < CLASSES && features[i][j] > features[i][label]) {
          label = j;
        }
      }
      labels[i][label] = 1;
    }
    return new DataSet(Nd4j.create(features), Nd4j.create(labels));
  }
}
