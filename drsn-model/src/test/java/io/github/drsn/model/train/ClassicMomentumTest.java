package io.github.drsn.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.Optimizer;
import io.github.drsn.model.schedule.StepDecaySchedule;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ScheduleType;

class ClassicMomentumTest {

  /** lr 0.1 for iterations 0-1, 0.01 from iteration 2. */
  private static final StepDecaySchedule STEP =
      new StepDecaySchedule(ScheduleType.ITERATION, new int[] {0, 2}, new double[] {0.1, 0.01});

  @Test
  void stepsAreThoseOfPytorchSgdWithMomentum() {
    // torch.optim.SGD([p], lr, momentum=0.9): buf = g (first step), then buf = 0.9 buf + g; p -= lr buf.
    ClassicMomentum config = new ClassicMomentum(STEP, 0.9);
    INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
    GradientUpdater<?> updater = config.instantiate(state, true);
    double[][] gradients = {{1, -2}, {0.5, 0.5}, {1, 1}};
    // v1 = (1, -2); v2 = 0.9 v1 + g2 = (1.4, -1.3); v3 = 0.9 v2 + g3 = (2.26, -0.17), with lr 0.01 from step 3.
    double[][] expectedSteps = {{0.1, -0.2}, {0.14, -0.13}, {0.0226, -0.0017}};
    for (int t = 0; t < 3; t++) {
      INDArray g = Nd4j.createFromArray(gradients[t]).reshape(1, 2);
      updater.applyUpdater(g, t, 0);
      assertArrayEquals(expectedSteps[t], g.toDoubleVector(), 1e-12, "step " + (t + 1));
    }
    assertArrayEquals(new double[] {2.26, -0.17}, state.toDoubleVector(), 1e-12, "the velocity lives in the view");
  }

  @Test
  void aNetworkTakesTheseStepsWithItsOwnGradients() {
    MultiLayerNetwork net = linearModel(new ClassicMomentum(STEP, 0.9));
    DataSet batch = new DataSet(Nd4j.createFromArray(new double[][] {{1, 2, -1}, {0.5, -1, 2}}),
        Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}}));
    INDArray p0 = net.params().dup();
    INDArray g1 = gradientAt(net, batch);
    net.fit(batch);
    INDArray p1 = net.params().dup();
    assertArrayEquals(p0.sub(g1.mul(0.1)).toDoubleVector(), p1.toDoubleVector(), 1e-12);
    INDArray g2 = gradientAt(net, batch);
    net.fit(batch);
    assertArrayEquals(p1.sub(g1.mul(0.9).add(g2).mul(0.1)).toDoubleVector(), net.params().toDoubleVector(), 1e-12);
  }

  @Test
  void savedWithTheModelAndResumedExactly(@TempDir Path dir) throws IOException {
    ModelSpec spec = ModelSpec.builder().inputLength(64).stageChannels(2, 4).unitsPerStage(1).classes(3)
        .optimizer(Optimizer.SGD_CLASSIC_MOMENTUM).learningRate(STEP).seed(5).build();
    MultiLayerNetwork straight = DrsnModels.network(Architecture.DRSN_CW, spec);
    DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 1, 1, 64).subi(0.5),
        Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT));
    straight.fit(batch);
    Path file = dir.resolve("net.zip");
    straight.save(file.toFile(), true);
    MultiLayerNetwork restored = MultiLayerNetwork.load(file.toFile(), true);
    assertEquals(straight.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
    assertArrayEquals(straight.getUpdater().getStateViewArray().toDoubleVector(),
        restored.getUpdater().getStateViewArray().toDoubleVector(), 0.0);
    assertNotEquals(0.0, restored.getUpdater().getStateViewArray().amaxNumber().doubleValue(),
        "the velocity is saved, not zero");
    straight.fit(batch);
    restored.fit(batch);
    assertArrayEquals(straight.params().toDoubleVector(), restored.params().toDoubleVector(), 0.0);
  }

  @Test
  void rejectsBadMomentumAndLearningRate() {
    assertThrows(IllegalArgumentException.class, () -> new ClassicMomentum(STEP, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new ClassicMomentum(STEP, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new ClassicMomentum(Double.NaN, null, 0.9));
    assertEquals(new ClassicMomentum(STEP, 0.9), new ClassicMomentum(STEP, 0.9).clone());
  }

  private static MultiLayerNetwork linearModel(ClassicMomentum updater) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(3)
        .dataType(DataType.DOUBLE)
        .updater(updater)
        .list()
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /**
   * The gradient the updater receives at the current point: DL4J's summed minibatch gradient divided by
   * the minibatch size (DL4J divides in the updater, before the rule is applied).
   */
  private static INDArray gradientAt(MultiLayerNetwork net, DataSet batch) {
    net.setInput(batch.getFeatures());
    net.setLabels(batch.getLabels());
    net.computeGradientAndScore();
    return net.gradient().gradient().dup().divi(batch.numExamples());
  }
}
