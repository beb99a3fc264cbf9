package io.github.drsn.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class FgmTest {

  @Test
  void theStepIsEpsilonTimesTheWindowsRmsAlongTheNormalisedGradient() {
    // Window 1: x = (3, 4, 0, 0), rms = sqrt(25 / 4) = 2.5; g = (0, 0, 3, 4), |g| = 5; ε = 0.2:
    // x_adv = x + 0.2 · 2.5 · g / 5 = (3, 4, 0.3, 0.4), and |x_adv − x| = 0.5 = ε · rms.
    // Window 2: a zero gradient leaves the window as it is.
    INDArray x = Nd4j.createFromArray(new double[][] {{3, 4, 0, 0}, {1, -1, 1, -1}}).reshape(2, 1, 1, 4);
    INDArray g = Nd4j.createFromArray(new double[][] {{0, 0, 3, 4}, {0, 0, 0, 0}}).reshape(2, 1, 1, 4);
    INDArray adv = Fgm.perturb(x, g, 0.2);
    assertArrayEquals(new long[] {2, 1, 1, 4}, adv.shape());
    assertArrayEquals(new double[] {3, 4, 0.3, 0.4, 1, -1, 1, -1}, adv.ravel().toDoubleVector(), 1e-12);
  }

  @Test
  void everyWindowMovesByExactlyEpsilonTimesItsRms() {
    INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 1, 1, 64).muli(3);
    INDArray g = Nd4j.randn(DataType.DOUBLE, 6, 1, 1, 64);
    INDArray adv = Fgm.perturb(x, g, 0.05);
    for (int i = 0; i < 6; i++) {
      double[] xi = x.slice(i).ravel().toDoubleVector();
      double[] di = adv.slice(i).ravel().sub(x.slice(i).ravel()).toDoubleVector();
      double rms = Math.sqrt(java.util.Arrays.stream(xi).map(v -> v * v).sum() / xi.length);
      double norm = Math.sqrt(java.util.Arrays.stream(di).map(v -> v * v).sum());
      assertEquals(0.05 * rms, norm, 1e-12, "window " + i);
    }
  }

  @Test
  void theAdversarialBatchIsCleanThenPerturbedAndRaisesTheLoss() {
    ModelSpec spec = ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(1).classes(3).seed(5)
        .dataType(DataType.DOUBLE).build();
    MultiLayerNetwork network = DrsnModels.network(Architecture.RESNET, spec);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 1, 1, 64);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 3);
    for (int i = 0; i < 8; i++) {
      y.putScalar(i, i % 3, 1);
    }
    DataSet batch = Fgm.adversarialBatch(network, new DataSet(x, y), 0.1);
    assertEquals(16, batch.numExamples());
    assertEquals(x, batch.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8)));
    INDArray adv = batch.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 16));
    double clean = network.score(new DataSet(x, y), true);
    double attacked = network.score(new DataSet(adv, y), true);
    assertTrue(attacked > clean, "the step ascends the loss: clean " + clean + ", adversarial " + attacked);
  }
}
