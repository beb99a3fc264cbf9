package io.github.drsn.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.model.layers.runtime.ResidualUnitRuntime;
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

/** Soft thresholding against hand-computed values, and the per-sample, per-channel thresholds of a unit. */
class SoftThresholdTest {

  @Test
  void valuesAndGradientsMatchHandComputation() {
    // One sample, two channels, four samples long; τ = 1.0 for channel 0 and 0.5 for channel 1.
    INDArray x = Nd4j.create(new double[] {2.5, -0.4, -3.0, 1.0, 0.2, -0.7, 0.5, 4.0}, new long[] {1, 2, 1, 4});
    INDArray tau = Nd4j.create(new double[] {1.0, 0.5}, new long[] {1, 2});
    INDArray y = SoftThreshold.apply(x, tau);
    assertArrayEquals(new double[] {1.5, 0.0, -2.0, 0.0, 0.0, -0.2, 0.0, 3.5}, y.data().asDouble(), 1e-12);

    INDArray g = Nd4j.create(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, new long[] {1, 2, 1, 4});
    INDArray[] grads = SoftThreshold.gradients(y, g);
    // dy/dx = 1 where |x| > τ, else 0 (x = ±τ exactly sits on the kink and gets 0).
    assertArrayEquals(new double[] {0.1, 0.0, 0.3, 0.0, 0.0, 0.6, 0.0, 0.8}, grads[0].data().asDouble(), 1e-12);
    // dL/dτ_c = −Σ g·sign(x) over samples beyond the threshold: ch0: −(0.1 − 0.3); ch1: −(−0.6 + 0.8).
    assertArrayEquals(new double[] {0.2, -0.2}, grads[1].data().asDouble(), 1e-12);
  }

  @Test
  void channelSharedThresholdBroadcastsOverChannels() {
    INDArray x = Nd4j.create(new double[] {2.0, -2.0, 0.5, -0.5}, new long[] {1, 2, 1, 2});
    INDArray y = SoftThreshold.apply(x, Nd4j.create(new double[] {1.0}, new long[] {1}));
    assertArrayEquals(new double[] {1.0, -1.0, 0.0, 0.0}, y.data().asDouble(), 1e-12);
  }

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
