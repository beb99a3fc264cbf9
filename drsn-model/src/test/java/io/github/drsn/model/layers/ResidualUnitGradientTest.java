package io.github.drsn.model.layers;

import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.contract.Shortcut;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.NormKind;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Double-precision gradient checks of one residual (shrinkage) unit between built-in DL4J layers. */
@Tag("slow")
class ResidualUnitGradientTest {

  @ParameterizedTest(name = "{0} {1} {2} cIn={3} cOut={4} stride={5}")
  @CsvSource({
      "CHANNEL_WISE, ZERO_PAD, BATCH_NORM, 3, 3, 1",
      "CHANNEL_WISE, ZERO_PAD, BATCH_NORM, 2, 4, 2",
      "CHANNEL_SHARED, ZERO_PAD, BATCH_NORM, 3, 3, 1",
      "CHANNEL_SHARED, ZERO_PAD, BATCH_NORM, 2, 4, 2",
      "NONE, ZERO_PAD, BATCH_NORM, 2, 4, 2",
      "NONE, NONE, BATCH_NORM, 2, 3, 2",
      "CHANNEL_WISE, PROJECTION, BATCH_NORM, 3, 4, 2",
      "CHANNEL_WISE, ZERO_PAD, GROUP_NORM, 2, 4, 2",
      "CHANNEL_SHARED, PROJECTION, GROUP_NORM, 4, 4, 1",
  })
  void unitGradientsMatchFiniteDifferences(ThresholdMode mode, Shortcut shortcut, NormKind norm, int cIn,
      int cOut, int stride) {
    int length = 12;
    int n = 5;
    ResidualUnit unit = new ResidualUnit(cIn, cOut, 3, stride, mode, shortcut).normalization(norm, 2);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp()).weightInit(WeightInit.XAVIER)
        .list()
        .layer(unit)
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3)
            .build())
        .setInputType(InputType.convolutional(1, length, cIn))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Nd4j.getRandom().setSeed(42);
    INDArray x = Nd4j.randn(DataType.DOUBLE, n, cIn, 1, length);
    assertTrue(GradientChecks.check(net, x, GradientChecks.labels(n, 3)));
  }
}
