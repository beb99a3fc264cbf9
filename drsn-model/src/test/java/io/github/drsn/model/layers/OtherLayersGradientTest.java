package io.github.drsn.model.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.NormKind;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Double-precision gradient checks of the stem, the head and the standalone normalisation layer. */
class OtherLayersGradientTest {

  private static MultiLayerNetwork net(Layer layer, boolean pool, InputType in) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).weightInit(WeightInit.XAVIER).list().layer(layer);
    if (pool) {
      list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    }
    MultiLayerConfiguration conf = list
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3)
            .build())
        .setInputType(in).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  @Test
  void standaloneLayerConfigurationsRoundTripThroughJson() {
    NormLayer norm = NormLayer.groupNorm(3);
    norm.setNormEps(1e-3);
    MultiLayerNetwork net = net(norm, true, InputType.convolutional(1, 6, 6));
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    org.junit.jupiter.api.Assertions.assertEquals(conf, back);
    NormLayer restored = (NormLayer) back.getConf(0).getLayer();
    org.junit.jupiter.api.Assertions.assertEquals(NormKind.GROUP_NORM, restored.getNormalization());
    org.junit.jupiter.api.Assertions.assertEquals(3, restored.getGroups());
    org.junit.jupiter.api.Assertions.assertEquals(1e-3, restored.getNormEps());
    org.junit.jupiter.api.Assertions.assertEquals(6, restored.getNIn());
  }

  @Test
  void convStem() {
    Nd4j.getRandom().setSeed(1);
    MultiLayerNetwork net = net(new ConvStem(2, 3, 3, 2), true, InputType.convolutional(1, 11, 2));
    assertTrue(GradientChecks.check(net, Nd4j.randn(DataType.DOUBLE, 4, 2, 1, 11), GradientChecks.labels(4, 3)));
  }

  @ParameterizedTest
  @CsvSource({"GROUP_NORM, 2", "GROUP_NORM, 1", "BATCH_NORM, 1"})
  void normLayerOnFeatureMaps(NormKind norm, int groups) {
    Nd4j.getRandom().setSeed(2);
    MultiLayerNetwork net = net(new NormLayer(norm, groups), true, InputType.convolutional(1, 6, 4));
    INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 4, 1, 6);
    assertTrue(GradientChecks.check(net, x, GradientChecks.labels(5, 3)));
  }

  @Test
  void groupNormOnTwoDimensionalMaps() {
    Nd4j.getRandom().setSeed(3);
    MultiLayerNetwork net = net(NormLayer.groupNorm(3), true, InputType.convolutional(3, 4, 6));
    INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 6, 3, 4);
    assertTrue(GradientChecks.check(net, x, GradientChecks.labels(3, 3)));
  }

  @ParameterizedTest
  @CsvSource({"GROUP_NORM", "BATCH_NORM"})
  void head(NormKind norm) {
    Nd4j.getRandom().setSeed(4);
    MultiLayerNetwork net = net(new NormReluPool(norm, 2), false, InputType.convolutional(1, 7, 4));
    INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 4, 1, 7);
    assertTrue(GradientChecks.check(net, x, GradientChecks.labels(5, 3)));
  }
}
