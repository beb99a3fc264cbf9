package io.github.drsn.model.layers;

import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.contract.Shortcut;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    assertTrue(GradientChecks.check(net(mode, shortcut, norm, cIn, cOut, stride, 0), input(cIn),
        GradientChecks.labels(5, 3)));
  }

  /**
   * Group norm in the trunk, batch norm in the threshold sub-network (and the reverse), and no norm there under
   * either trunk, for both kernels.
   */
  @ParameterizedTest(name = "trunk {0}, threshold sub-network {1}, kernels={2}")
  @CsvSource({"GROUP_NORM, BATCH_NORM, JAVA", "GROUP_NORM, BATCH_NORM, ND4J", "BATCH_NORM, GROUP_NORM, JAVA",
      "GROUP_NORM, NONE, JAVA", "GROUP_NORM, NONE, ND4J", "BATCH_NORM, NONE, JAVA"})
  void aThresholdNormOtherThanTheTrunksHasCorrectGradientsAndSurvivesTheConfigurationsJson(NormKind trunk,
      NormKind threshold, KernelChoice kernels) {
    KernelChoice previous = KernelChoice.selected();
    KernelChoice.select(kernels);
    try {
      MultiLayerNetwork net = net(ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD, trunk, 2, 4, 2, 0);
      ResidualUnit unit = (ResidualUnit) net.getLayerWiseConfigurations().getConf(0).getLayer();
      unit.setThresholdNormalization(threshold);
      net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()));
      net.init();
      ResidualUnit read = (ResidualUnit) net.getLayerWiseConfigurations().getConf(0).getLayer();
      assertEquals(threshold, read.getThresholdNormalization());
      assertEquals(threshold, read.normThreshold() == null ? NormKind.NONE : read.normThreshold().type());
      assertEquals(threshold != NormKind.NONE, net.paramTable().containsKey("0_tnGamma"));
      assertEquals(trunk, read.norm1().type());
      // running statistics exactly where batch norm is
      assertEquals(threshold == NormKind.BATCH_NORM, net.paramTable().containsKey("0_tnMean"));
      assertEquals(trunk == NormKind.BATCH_NORM, net.paramTable().containsKey("0_n1Mean"));
      assertTrue(GradientChecks.check(net, input(2), GradientChecks.labels(5, 3)));
    } finally {
      KernelChoice.select(previous);
    }
  }

  /**
   * With spatial dropout the unit is a different function on every pass; with ND4J's generator reseeded before each
   * pass every pass draws the same channel masks, and the gradient of that function is checked, for both kernels.
   */
  @ParameterizedTest(name = "{0} {1} {2} kernels={3}")
  @CsvSource({
      "CHANNEL_WISE, ZERO_PAD, BATCH_NORM, JAVA",
      "CHANNEL_WISE, ZERO_PAD, BATCH_NORM, ND4J",
      "CHANNEL_SHARED, PROJECTION, GROUP_NORM, JAVA",
      "CHANNEL_SHARED, PROJECTION, GROUP_NORM, ND4J",
  })
  void withSpatialDropoutTheGradientOfTheMaskedUnitMatchesFiniteDifferences(ThresholdMode mode, Shortcut shortcut,
      NormKind norm, KernelChoice kernels) {
    KernelChoice previous = KernelChoice.selected();
    KernelChoice.select(kernels);
    try {
      MultiLayerNetwork net = net(mode, shortcut, norm, 2, 4, 2, 0.5);
      // A sample whose every channel is dropped has a constant branch, conv2's bias; at the initial bias of 0 that
      // sits on the soft threshold's kink (|x| at 0), where finite differences mean nothing. Move it off the kink.
      net.getLayer(0).getParam("c2b").assign(Nd4j.createFromArray(0.3, -0.2, 0.25, -0.35));
      Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
      assertTrue(org.deeplearning4j.gradientcheck.GradientCheckUtil.checkGradients(
          new org.deeplearning4j.gradientcheck.GradientCheckUtil.MLNConfig().net(net).input(input(2))
              .labels(GradientChecks.labels(5, 3)).epsilon(GradientChecks.EPS).maxRelError(GradientChecks.MAX_REL_ERROR)
              .minAbsoluteError(GradientChecks.MIN_ABS_ERROR).excludeParams(GradientChecks.excluded(net))
              .callEachIter(m -> Nd4j.getRandom().setSeed(77))));
    } finally {
      KernelChoice.select(previous);
    }
  }

  private static INDArray input(int cIn) {
    Nd4j.getRandom().setSeed(42);
    return Nd4j.randn(DataType.DOUBLE, 5, cIn, 1, 12);
  }

  private static MultiLayerNetwork net(ThresholdMode mode, Shortcut shortcut, NormKind norm, int cIn, int cOut,
      int stride, double spatialDropout) {
    int length = 12;
    ResidualUnit unit = new ResidualUnit(cIn, cOut, 3, stride, mode, shortcut).normalization(norm, 2);
    unit.setSpatialDropout(spatialDropout);
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
    return net;
  }
}
