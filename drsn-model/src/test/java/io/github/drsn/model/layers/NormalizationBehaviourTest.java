package io.github.drsn.model.layers;

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
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Group norm uses per-sample statistics; batch norm uses batch statistics in training, running ones at inference. */
class NormalizationBehaviourTest {

  private static MultiLayerNetwork net(NormKind norm) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(1).list()
        .layer(new NormLayer(norm, 2))
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
            .build())
        .setInputType(InputType.convolutional(1, 8, 4)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  @Test
  void groupNormNormalisesEachSampleAndGroupOnItsOwn() {
    MultiLayerNetwork net = net(NormKind.GROUP_NORM);
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4, 1, 8).muli(3).addi(5);
    INDArray y = net.getLayer(0).activate(x, true, LayerWorkspaceMgr.noWorkspaces()).dup();
    // γ = 1, β = 0 initially: every (sample, group of 2 channels) has mean 0 and biased variance 1 - ε-ish.
    for (int n = 0; n < 3; n++) {
      for (int g = 0; g < 2; g++) {
        INDArray group = y.get(NDArrayIndex.point(n), NDArrayIndex.interval(2 * g, 2 * g + 2));
        assertEquals(0.0, group.meanNumber().doubleValue(), 1e-9);
        assertEquals(1.0, group.varNumber().doubleValue() * 15 / 16, 1e-3);
      }
    }
    // A sample's output does not depend on the other samples, in training or inference.
    INDArray alone = net.getLayer(0).activate(x.get(NDArrayIndex.interval(1, 2)).dup(), true,
        LayerWorkspaceMgr.noWorkspaces());
    assertEquals(y.get(NDArrayIndex.interval(1, 2)), alone);
  }

  /**
   * Why DRSN's threshold sub-network wants batch norm (ResidualUnit#setThresholdNormalization): its norm sees one
   * [N, C] vector per window, FC1(z). Group norm there (C = 4, two groups of two features, as ModelLayout
   * thresholdGroups gives for --groups 2) maps a group of two values a, b to ±(a − b)/sqrt((a − b)² + 4ε): ±1 whatever
   * their level, so a window with twice the features of another gets the same α. Batch norm over the two windows
   * keeps which one is larger. By hand, windows (1, 3, 0, 4) and (2, 6, 0, 8), γ = 1, β = 0, ε = 1e-5.
   */
  @Test
  void groupNormOverAWindowsOwnThresholdFeaturesErasesItsLevelAndBatchNormKeepsIt() {
    INDArray u = Nd4j.createFromArray(new double[][] {{1, 3, 0, 4}, {2, 6, 0, 8}});
    java.util.Map<String, INDArray> params = java.util.Map.of("tnGamma", Nd4j.ones(DataType.DOUBLE, 4),
        "tnBeta", Nd4j.zeros(DataType.DOUBLE, 4), "tnMean", Nd4j.zeros(DataType.DOUBLE, 4),
        "tnVar", Nd4j.ones(DataType.DOUBLE, 4));
    int groups = io.github.drsn.contract.ModelLayout.thresholdGroups(4, 2);
    assertEquals(2, groups);
    INDArray gn = new io.github.drsn.model.layers.impl.NormBlock("tn", NormKind.GROUP_NORM, 4, groups, 1e-5, 0.9)
        .forward(u, true, params, Nd4j.zeros(DataType.DOUBLE, 2, 4));
    double e = 1e-5;
    double[][] expectedGn = {
        {-1 / Math.sqrt(1 + e), 1 / Math.sqrt(1 + e), -2 / Math.sqrt(4 + e), 2 / Math.sqrt(4 + e)},
        {-2 / Math.sqrt(4 + e), 2 / Math.sqrt(4 + e), -4 / Math.sqrt(16 + e), 4 / Math.sqrt(16 + e)}};
    INDArray bn = new io.github.drsn.model.layers.impl.NormBlock("tn", NormKind.BATCH_NORM, 4, 1, 1e-5, 0.9)
        .forward(u, true, params, Nd4j.zeros(DataType.DOUBLE, 2, 4));
    // per feature over the two windows: (1, 2) → ∓0.5/sqrt(0.25 + ε), (3, 6) → ∓1.5/sqrt(2.25 + ε), (0, 0) → 0,
    // (4, 8) → ∓2/sqrt(4 + ε)
    double[][] expectedBn = {
        {-0.5 / Math.sqrt(0.25 + e), -1.5 / Math.sqrt(2.25 + e), 0, -2 / Math.sqrt(4 + e)},
        {0.5 / Math.sqrt(0.25 + e), 1.5 / Math.sqrt(2.25 + e), 0, 2 / Math.sqrt(4 + e)}};
    for (int n = 0; n < 2; n++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(expectedGn[n][c], gn.getDouble(n, c), 1e-12, "group norm, window " + n + " feature " + c);
        assertEquals(expectedBn[n][c], bn.getDouble(n, c), 1e-12, "batch norm, window " + n + " feature " + c);
      }
    }
    // group norm: the same output for both windows to within ε; batch norm: opposite signs
    assertEquals(gn.getDouble(0, 0), gn.getDouble(1, 0), 1e-5);
    assertEquals(-bn.getDouble(0, 0), bn.getDouble(1, 0), 1e-12);
  }

  /**
   * No norm in the threshold sub-network (NormKind.NONE), by hand: a unit of 2 channels with conv2's weights 0 has
   * the branch conv2's bias b = (1, −2) at every position, so z = mean|b| = (1, 2). FC1 (W1 = [[1, −1], [2, 0.5]],
   * u = z·W1 + (0.5, −0.25)) gives u = (5.5, −0.25), ReLU (5.5, 0); FC2 (W2 = [[0.2, −0.1], [3, 3]], bias
   * (0, 0.05)) gives (1.1, −0.5); τ = sigmoid(·)·z = (σ(1.1), 2σ(−0.5)). The unit's output is x + soft(b, τ)
   * (identity shortcut), for both kernels and in training mode too (nothing there depends on the batch).
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "kernels={0}")
  @org.junit.jupiter.params.provider.EnumSource(value = KernelChoice.class, names = {"JAVA", "ND4J"})
  void withoutAThresholdNormTheThresholdsAreSigmoidOfFc2OfReluOfFc1TimesZ(KernelChoice kernels) {
    KernelChoice previous = KernelChoice.selected();
    KernelChoice.select(kernels);
    try {
      ResidualUnit unit = new ResidualUnit(2, 2, 3, 1, io.github.drsn.contract.ThresholdMode.CHANNEL_WISE,
          io.github.drsn.contract.Shortcut.ZERO_PAD).normalization(NormKind.GROUP_NORM, 2);
      unit.setThresholdNormalization(NormKind.NONE);
      MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
          .seed(1).list().layer(unit).layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
              .build())
          .setInputType(InputType.convolutional(1, 6, 2)).build());
      net.init();
      assertTrue(!net.paramTable().containsKey("0_tnGamma") && !net.paramTable().containsKey("0_tnMean"),
          net.paramTable().keySet().toString());
      net.getLayer(0).getParam("c2W").assign(0);
      net.getLayer(0).getParam("c2b").assign(Nd4j.createFromArray(1.0, -2.0));
      net.getLayer(0).getParam("t1W").assign(Nd4j.createFromArray(new double[][] {{1, -1}, {2, 0.5}}));
      net.getLayer(0).getParam("t1b").assign(Nd4j.createFromArray(0.5, -0.25));
      net.getLayer(0).getParam("t2W").assign(Nd4j.createFromArray(new double[][] {{0.2, -0.1}, {3, 3}}));
      net.getLayer(0).getParam("t2b").assign(Nd4j.createFromArray(0.0, 0.05));
      Nd4j.getRandom().setSeed(3);
      INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 2, 1, 6);
      double[] tau = {1 / (1 + Math.exp(-1.1)), 2 / (1 + Math.exp(0.5))}; // 0.7503, 0.7551
      INDArray thresholds = ((io.github.drsn.model.layers.impl.ResidualUnitRuntime) net.getLayer(0)).thresholds(x);
      INDArray y = net.getLayer(0).activate(x, true, LayerWorkspaceMgr.noWorkspaces());
      double[] soft = {1 - tau[0], -(2 - tau[1])};
      for (int n = 0; n < 3; n++) {
        for (int c = 0; c < 2; c++) {
          assertEquals(tau[c], thresholds.getDouble(n, c), 1e-12, "τ of window " + n + " channel " + c);
          for (int l = 0; l < 6; l++) {
            assertEquals(x.getDouble(n, c, 0, l) + soft[c], y.getDouble(n, c, 0, l), 1e-12,
                "output of window " + n + " channel " + c + " position " + l);
          }
        }
      }
    } finally {
      KernelChoice.select(previous);
    }
  }

  /**
   * The point of no threshold norm: with group norm in the trunk a DRSN-CW network has no batch statistics left, so
   * in a training-mode forward pass a window's output is the same alone as in a batch of 8 different windows.
   * Batch norm in the threshold sub-networks alone (under a group-norm trunk) makes it depend on the batch, as batch
   * norm everywhere does.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "trunk {0}, threshold sub-networks {1}")
  @org.junit.jupiter.params.provider.CsvSource({"GROUP_NORM, NONE", "GROUP_NORM, BATCH_NORM", "BATCH_NORM, BATCH_NORM",
      "BATCH_NORM, NONE"})
  void onlyWithoutBatchStatisticsIsAWindowsTrainingModeOutputIndependentOfItsBatch(NormKind trunk,
      NormKind threshold) {
    io.github.drsn.model.ModelSpec spec = io.github.drsn.model.ModelSpec.builder().inputLength(64)
        .stageChannels(4, 8).unitsPerStage(2).classes(3).normalization(trunk).groups(2)
        .thresholdNormalization(threshold).dataType(DataType.DOUBLE).seed(5).build();
    MultiLayerNetwork net = io.github.drsn.model.DrsnModels.network(io.github.drsn.contract.Architecture.DRSN_CW,
        spec);
    Nd4j.getRandom().setSeed(9);
    INDArray batch = Nd4j.randn(DataType.DOUBLE, 8, 1, 1, 64).muli(Nd4j.linspace(DataType.DOUBLE, 0.5, 4, 8)
        .reshape(8, 1, 1, 1));
    INDArray inBatch = net.output(batch, true).getRow(3).dup();
    INDArray alone = net.output(batch.get(NDArrayIndex.interval(3, 4)).dup(), true).getRow(0).dup();
    double difference = inBatch.sub(alone).norm1Number().doubleValue();
    if (trunk == NormKind.GROUP_NORM && threshold == NormKind.NONE) {
      assertEquals(0.0, difference, 1e-12, "window 3 alone " + alone + ", in the batch " + inBatch);
    } else {
      assertTrue(difference > 1e-3, "batch statistics change window 3's probabilities by " + difference);
    }
  }

  @Test
  void batchNormUsesRunningStatisticsAtInference() {
    MultiLayerNetwork net = net(NormKind.BATCH_NORM);
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 4, 1, 8).muli(2).addi(3);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, 6, 2);
    for (int i = 0; i < 6; i++) {
      labels.putScalar(i, i % 2, 1.0);
    }
    for (int i = 0; i < 60; i++) {
      net.fit(x, labels);
    }
    // After many steps on one batch the running mean approaches the batch mean (3) and var (4).
    INDArray mean = net.getParam("0_nMean");
    INDArray var = net.getParam("0_nVar");
    for (int c = 0; c < 4; c++) {
      double batchMean = x.get(NDArrayIndex.all(), NDArrayIndex.point(c)).meanNumber().doubleValue();
      assertEquals(batchMean, mean.getDouble(c), 1e-2);
      assertTrue(var.getDouble(c) > 2 && var.getDouble(c) < 7, "running variance " + var.getDouble(c));
    }
    // Inference output of one sample does not depend on the rest of the batch.
    INDArray all = net.output(x);
    INDArray one = net.output(x.get(NDArrayIndex.interval(2, 3)).dup());
    assertEquals(all.getRow(2).reshape(1, 2), one);
  }
}
