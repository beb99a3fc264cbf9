package io.github.drsn.model.layers.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.model.layers.ResidualUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SpatialDropoutTest {

  @Test
  void eachRowIsDroppedWithProbabilityPAndKeptRowsAreScaledByOneOverOneMinusP() {
    Nd4j.getRandom().setSeed(11);
    double[] k = SpatialDropout.scales(1000, 10, 0.25);
    Nd4j.getRandom().setSeed(11);
    int dropped = 0;
    for (double v : k) {
      double u = Nd4j.getRandom().nextDouble();
      assertEquals(u < 0.25 ? 0.0 : 4.0 / 3.0, v, 0.0);
      dropped += v == 0 ? 1 : 0;
    }
    // 10,000 Bernoulli(0.25) draws: standard deviation 43, so ±200 is more than 4.5 sigma.
    assertTrue(Math.abs(dropped - 2500) < 200, dropped + " of 10000 dropped");
    // ReLU(k·a·x + k·b) = k·ReLU(a·x + b): 2·ReLU(0.5·3 − 2) = 0 and 2·ReLU(0.5·3 + 1) = 5.
    double[][] folded = SpatialDropout.fold(new double[][] {{0.5, 0.5, 0.5}, {-2, 1, 1}}, new double[] {2, 2, 0});
    assertEquals(0.0, Math.max(0, folded[0][0] * 3 + folded[1][0]), 0.0);
    assertEquals(5.0, Math.max(0, folded[0][1] * 3 + folded[1][1]), 0.0);
    assertEquals(0.0, Math.max(0, folded[0][2] * 3 + folded[1][2]), 0.0);
  }

  private static MultiLayerNetwork net(double p) {
    // No thresholds and no shortcut, and conv2 the identity (below): the unit's output is h2 itself, so the dropout
    // mask shows channel by channel.
    ResidualUnit unit = new ResidualUnit(2, 3, 3, 1, ThresholdMode.NONE, Shortcut.NONE)
        .normalization(NormKind.BATCH_NORM, 1);
    unit.setSpatialDropout(p);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .dataType(DataType.DOUBLE).seed(5).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
        .layer(unit)
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
            .build())
        .setInputType(InputType.convolutional(1, 8, 2)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    INDArray w = net.getLayer(0).getParam("c2W");
    w.assign(0);
    for (int c = 0; c < 3; c++) {
      w.putScalar(new long[] {c, c, 0, 1}, 1.0);
    }
    net.getLayer(0).getParam("c2b").assign(0);
    return net;
  }

  @ParameterizedTest
  @EnumSource(value = KernelChoice.class, names = {"JAVA", "ND4J"})
  void wholeChannelsAreDroppedOrScaledInTrainingAndInferenceIsUnchanged(KernelChoice kernels) {
    KernelChoice previous = KernelChoice.selected();
    KernelChoice.select(kernels);
    try {
      MultiLayerNetwork plain = net(0);
      MultiLayerNetwork dropped = net(0.4);
      dropped.setParams(plain.params().dup());
      Nd4j.getRandom().setSeed(3);
      INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 2, 1, 8);
      // Inference: the identity, bit for bit.
      assertEquals(plain.output(x, false), dropped.output(x, false));
      INDArray h2 = plain.feedForwardToLayer(0, x, true).get(1);
      Nd4j.getRandom().setSeed(21);
      INDArray out = dropped.feedForwardToLayer(0, x, true).get(1);
      Nd4j.getRandom().setSeed(21);
      double[] k = SpatialDropout.scales(6, 3, 0.4);
      int zeros = 0;
      for (int s = 0; s < 6; s++) {
        for (int c = 0; c < 3; c++) {
          zeros += k[s * 3 + c] == 0 ? 1 : 0;
          for (int l = 0; l < 8; l++) {
            // Each (sample, channel) row: 0 when dropped, else h2 / (1 − 0.4).
            assertEquals(k[s * 3 + c] * h2.getDouble(s, c, 0, l), out.getDouble(s, c, 0, l), 1e-12,
                "sample " + s + " channel " + c + " position " + l);
          }
        }
      }
      assertTrue(zeros > 0 && zeros < 18, zeros + " of 18 rows dropped: the seed should drop some, not all");
    } finally {
      KernelChoice.select(previous);
    }
  }
}
