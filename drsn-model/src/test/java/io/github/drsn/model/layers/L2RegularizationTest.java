package io.github.drsn.model.layers;

import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.contract.Shortcut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * L2 on the DRSN layers follows DrsnLayerConfig's policy: weights are decayed (score + 0.5·λ·Σw², SGD
 * step −lr·λ·w on top of the plain one, in and out of minibatch mode), biases and norm parameters only
 * through {@code l2Bias}, batch-norm running statistics never.
 */
class L2RegularizationTest {

  private static final double LAMBDA = 0.01;
  private static final double LR = 0.1;

  private static MultiLayerNetwork network(double l2, boolean miniBatch) {
    return network(l2, 0, miniBatch);
  }

  private static MultiLayerNetwork network(double l2, double l2Bias, boolean miniBatch) {
    NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
        .dataType(DataType.DOUBLE).seed(7).updater(new Sgd(LR)).weightInit(WeightInit.XAVIER).miniBatch(miniBatch);
    if (l2 > 0) {
      builder.l2(l2);
    }
    if (l2Bias > 0) {
      builder.l2Bias(l2Bias);
    }
    MultiLayerConfiguration conf = builder.list()
        .layer(new ResidualUnit(2, 4, 3, 2, ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD))
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3)
            .build())
        .setInputType(InputType.convolutional(1, 16, 2))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** With and without minibatch mode (DL4J divides gradients by the batch size only in that mode). */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void scoreAndStepMatchDl4jL2(boolean miniBatch) {
    MultiLayerNetwork plain = network(0, miniBatch);
    MultiLayerNetwork regularized = network(LAMBDA, miniBatch);
    assertEquals(plain.params(), regularized.params(), "same seed, same initial parameters");
    Nd4j.getRandom().setSeed(3);
    int n = 6;
    DataSet data = new DataSet(Nd4j.randn(DataType.DOUBLE, n, 2, 1, 16), GradientChecks.labels(n, 3));

    double expectedPenalty = 0;
    for (String key : new String[] {"0_c1W", "0_c2W", "0_t1W", "0_t2W", "2_W"}) {
      expectedPenalty += new L2Regularization(LAMBDA).score(regularized.getParam(key), 0, 0);
    }
    assertTrue(expectedPenalty > 0);
    assertEquals(expectedPenalty, regularized.score(data) - plain.score(data), 1e-12);

    var before = regularized.paramTable(false);
    java.util.Map<String, INDArray> weights = new java.util.HashMap<>();
    before.forEach((k, v) -> weights.put(k, v.dup()));
    plain.fit(data);
    regularized.fit(data);
    for (String key : new String[] {"0_c1W", "0_c2W", "0_t1W", "0_t2W"}) {
      INDArray step = regularized.getParam(key).sub(plain.getParam(key));
      INDArray expected = weights.get(key).mul(-LR * LAMBDA);
      assertTrue(expected.equalsWithEps(step, 1e-12), key + ": " + step + " vs " + expected);
    }
    for (String key : new String[] {"0_c1b", "0_n1Gamma", "0_n2Beta"}) {
      assertTrue(plain.getParam(key).equalsWithEps(regularized.getParam(key), 1e-12), key + " was regularised");
    }
  }

  @Test
  void l2BiasDecaysBiasesAndNormParametersButNotRunningStatistics() {
    MultiLayerNetwork plain = network(0, true);
    MultiLayerNetwork all = network(0, LAMBDA, true);
    Nd4j.getRandom().setSeed(3);
    DataSet data = new DataSet(Nd4j.randn(DataType.DOUBLE, 6, 2, 1, 16), GradientChecks.labels(6, 3));
    java.util.Map<String, INDArray> before = new java.util.HashMap<>();
    all.paramTable(false).forEach((k, v) -> before.put(k, v.dup()));
    java.util.List<String> decayed = new java.util.ArrayList<>();
    java.util.List<String> untouched = new java.util.ArrayList<>();
    for (String key : before.keySet()) {
      (key.endsWith("W") || key.contains("Mean") || key.contains("Var") ? untouched : decayed).add(key);
    }
    assertTrue(decayed.containsAll(java.util.List.of("0_c1b", "0_n1Gamma", "0_n2Beta", "2_b")), decayed.toString());
    assertTrue(untouched.stream().anyMatch(k -> k.contains("Mean")), untouched.toString());
    plain.fit(data);
    all.fit(data);
    for (String key : decayed) {
      INDArray step = all.getParam(key).sub(plain.getParam(key));
      INDArray expected = before.get(key).mul(-LR * LAMBDA);
      assertTrue(expected.equalsWithEps(step, 1e-12), key + ": " + step + " vs " + expected);
    }
    for (String key : untouched) {
      assertTrue(plain.getParam(key).equalsWithEps(all.getParam(key), 1e-12), key + " was regularised");
    }
  }
}
