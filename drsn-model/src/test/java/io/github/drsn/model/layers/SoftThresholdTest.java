package io.github.drsn.model.layers;

import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.contract.Shortcut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.model.layers.impl.ResidualUnitRuntime;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The per-sample, per-channel thresholds of a unit (the soft threshold itself against hand-computed
 * values: {@code runtime.SoftThresholdKernelTest}).
 */
class SoftThresholdTest {

  @Test
  void channelWiseThresholdsArePerSampleAndChannelAndBelowMeanMagnitude() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    ResidualUnit unit = new ResidualUnit(4, 4, 3, 1, ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(5).list()
        .layer(unit)
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
            .build())
        .setInputType(InputType.convolutional(1, 64, 4)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4, 1, 64);
    x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).muli(5.0);
    INDArray tau = ((ResidualUnitRuntime) net.getLayer(0)).thresholds(x);
    assertArrayEquals(new long[] {3, 4}, tau.shape());
    INDArray z = ((ResidualUnitRuntime) net.getLayer(0)).meanMagnitudes(x);
    for (int n = 0; n < 3; n++) {
      for (int c = 0; c < 4; c++) {
        assertTrue(tau.getDouble(n, c) > 0, "tau must be positive");
        assertTrue(tau.getDouble(n, c) < z.getDouble(n, c), "tau_c must stay below mean|x_c|");
      }
      assertNotEquals(tau.getDouble(n, 0), tau.getDouble(n, 1), 1e-9);
    }
    // A sample with 5x the amplitude gets larger thresholds (τ scales with mean|x|).
    assertTrue(tau.getRow(1).sumNumber().doubleValue() > 2 * tau.getRow(0).sumNumber().doubleValue());

    INDArray tauShared = thresholdsOf(ThresholdMode.CHANNEL_SHARED, x);
    assertArrayEquals(new long[] {3, 1}, tauShared.shape());
  }

  private static INDArray thresholdsOf(ThresholdMode mode, INDArray x) {
    ResidualUnit unit = new ResidualUnit(4, 4, 3, 1, mode, Shortcut.ZERO_PAD);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(5).list()
        .layer(unit)
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
            .build())
        .setInputType(InputType.convolutional(1, 64, 4)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return ((ResidualUnitRuntime) net.getLayer(0)).thresholds(x);
  }
}
