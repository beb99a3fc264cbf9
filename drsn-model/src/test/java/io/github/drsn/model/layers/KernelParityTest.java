package io.github.drsn.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.layers.impl.DrsnRuntimeLayer;
import io.github.drsn.model.layers.impl.KernelSwitches;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The two implementations of the custom layers ({@link KernelChoice#JAVA}: plain-Java kernels;
 * {@link KernelChoice#ND4J}: ND4J ops, the GPU path) compute the same function: with the same parameters
 * and the same batch, outputs (training and inference mode), parameter gradients (running-statistics steps
 * included) and input gradients agree within 1e-9 in double precision for every layer and every option
 * combination the gradient-check tests cover, within {@value #FLOAT_TOLERANCE} (relative to each array's
 * largest magnitude) in float32; the ND4J path passes the same double-precision gradient checks; and a
 * whole network trained a few steps with each from the same seed ends with parameters within 1e-6.
 *
 * <p>Also the Java kernels' two precisions: a FLOAT network (convolutions in float32 with the Vector API,
 * {@code FloatConv}; or, without it, in double) computes what the DOUBLE network (the one the gradient checks verify)
 * computes, for residual units and the stem, within {@value #FLOAT_TOLERANCE} of each array's largest magnitude
 * (at most 3e-6 measured, on parameter gradients), on rows long enough (≥ 128) that the vector loops run many
 * full vectors and a tail.
 */
class KernelParityTest {

  static final double DOUBLE_TOLERANCE = 1e-9;
  static final double FLOAT_TOLERANCE = 1e-4;

  @AfterEach
  void restoreDefault() {
    KernelChoice.select(KernelChoice.AUTO);
    KernelSwitches.floatConvolutions(KernelSwitches.vectorApi());
  }

  /** The layer cases of ResidualUnitGradientTest and OtherLayersGradientTest: layer, input type, global pooling. */
  static Stream<Arguments> layers() {
    Stream.Builder<Arguments> cases = Stream.builder();
    String[] units = {
        "CHANNEL_WISE, ZERO_PAD, BATCH_NORM, 3, 3, 1",
        "CHANNEL_WISE, ZERO_PAD, BATCH_NORM, 2, 4, 2",
        "CHANNEL_SHARED, ZERO_PAD, BATCH_NORM, 3, 3, 1",
        "CHANNEL_SHARED, ZERO_PAD, BATCH_NORM, 2, 4, 2",
        "NONE, ZERO_PAD, BATCH_NORM, 2, 4, 2",
        "NONE, NONE, BATCH_NORM, 2, 3, 2",
        "CHANNEL_WISE, PROJECTION, BATCH_NORM, 3, 4, 2",
        "CHANNEL_WISE, ZERO_PAD, GROUP_NORM, 2, 4, 2",
        "CHANNEL_SHARED, PROJECTION, GROUP_NORM, 4, 4, 1",
        "CHANNEL_WISE, PROJECTION, GROUP_NORM, 4, 8, 2",
        "CHANNEL_WISE, ZERO_PAD, GROUP_NORM, 2, 4, 2, NONE",
        "CHANNEL_SHARED, ZERO_PAD, BATCH_NORM, 3, 3, 1, NONE",
    };
    for (String u : units) {
      String[] f = u.split(",\\s*");
      int cIn = Integer.parseInt(f[3]);
      Supplier<Layer> layer = () -> {
        ResidualUnit unit = new ResidualUnit(cIn, Integer.parseInt(f[4]), 3, Integer.parseInt(f[5]),
            ThresholdMode.valueOf(f[0]), Shortcut.valueOf(f[1])).normalization(NormKind.valueOf(f[2]), 2);
        if (f.length > 6) { // the threshold sub-network's norm, when not the trunk's
          unit.setThresholdNormalization(NormKind.valueOf(f[6]));
        }
        return unit;
      };
      cases.add(Arguments.of("unit " + u, layer, InputType.convolutional(1, 12, cIn), true));
      cases.add(Arguments.of("unit (odd length) " + u, layer, InputType.convolutional(1, 11, cIn), true));
    }
    cases.add(Arguments.of("stem 2->3 k3 s2", (Supplier<Layer>) () -> new ConvStem(2, 3, 3, 2),
        InputType.convolutional(1, 11, 2), true));
    cases.add(Arguments.of("stem 1->4 k5 s1", (Supplier<Layer>) () -> new ConvStem(1, 4, 5, 1),
        InputType.convolutional(1, 12, 1), true));
    for (String norm : new String[] {"GROUP_NORM, 2", "GROUP_NORM, 1", "BATCH_NORM, 1"}) {
      String[] f = norm.split(",\\s*");
      cases.add(Arguments.of("norm " + norm, (Supplier<Layer>) () -> new NormLayer(NormKind.valueOf(f[0]),
          Integer.parseInt(f[1])), InputType.convolutional(1, 6, 4), true));
    }
    cases.add(Arguments.of("group norm on 2-D maps", (Supplier<Layer>) () -> NormLayer.groupNorm(3),
        InputType.convolutional(3, 4, 6), true));
    for (NormKind norm : List.of(NormKind.BATCH_NORM, NormKind.GROUP_NORM)) { // NONE is no trunk norm
      cases.add(Arguments.of("head " + norm, (Supplier<Layer>) () -> new NormReluPool(norm, 2),
          InputType.convolutional(1, 7, 4), false));
    }
    return cases.build();
  }

  private static MultiLayerNetwork net(Supplier<Layer> layer, InputType in, boolean pool, DataType type,
      KernelChoice kernels) {
    KernelChoice.select(kernels);
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .dataType(type).seed(7).updater(new NoOp()).weightInit(WeightInit.XAVIER).list().layer(layer.get());
    if (pool) {
      list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    }
    MultiLayerConfiguration conf = list
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3)
            .build())
        .setInputType(in).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    assertEquals(kernels, ((DrsnRuntimeLayer<?>) net.getLayer(0)).kernels());
    return net;
  }

  private static INDArray input(InputType in, int n, DataType type) {
    InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) in;
    Nd4j.getRandom().setSeed(42);
    return Nd4j.randn(DataType.DOUBLE, n, c.getChannels(), c.getHeight(), c.getWidth()).castTo(type);
  }

  /** Everything the parity compares, for one implementation: outputs, gradients, the running statistics after. */
  private static INDArray[] measure(MultiLayerNetwork net, INDArray x, INDArray labels) {
    INDArray trainOut = net.feedForwardToLayer(0, x, true).get(1).dup();
    net.clear();
    INDArray inferOut = net.feedForwardToLayer(0, x, false).get(1).dup();
    INDArray scores = net.output(x, false).dup();
    Pair<Gradient, INDArray> g = net.calculateGradients(x, labels, null, null);
    return new INDArray[] {trainOut, inferOut, scores, g.getFirst().gradient().dup(), g.getSecond().dup()};
  }

  private static final String[] WHAT = {"training-mode output", "inference output", "network output",
      "parameter gradients", "input gradient"};

  private static void assertClose(String label, INDArray[] expected, INDArray[] actual, double tolerance, boolean relative) {
    for (int i = 0; i < expected.length; i++) {
      INDArray a = expected[i].castTo(DataType.DOUBLE);
      INDArray b = actual[i].castTo(DataType.DOUBLE);
      assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()), label + " " + WHAT[i]);
      double diff = a.sub(b).amaxNumber().doubleValue();
      double scale = relative ? Math.max(a.amaxNumber().doubleValue(), 1e-30) : 1.0;
      System.out.printf("parity %s: %s max |difference| %.3g (largest value %.3g)%n", label, WHAT[i], diff,
          a.amaxNumber().doubleValue());
      assertTrue(diff <= tolerance * scale, label + ": " + WHAT[i] + " differ by " + diff + " (scale " + scale + ")");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void bothImplementationsAgreeInDoublePrecision(String name, Supplier<Layer> layer, InputType in, boolean pool) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    MultiLayerNetwork java = net(layer, in, pool, DataType.DOUBLE, KernelChoice.JAVA);
    MultiLayerNetwork nd4j = net(layer, in, pool, DataType.DOUBLE, KernelChoice.ND4J);
    nd4j.setParams(java.params().dup());
    INDArray x = input(in, 5, DataType.DOUBLE);
    INDArray labels = GradientChecks.labels(5, 3);
    assertClose(name + " (double)", measure(java, x, labels), measure(nd4j, x, labels), DOUBLE_TOLERANCE, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void bothImplementationsAgreeInFloat32(String name, Supplier<Layer> layer, InputType in, boolean pool) {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    MultiLayerNetwork java = net(layer, in, pool, DataType.FLOAT, KernelChoice.JAVA);
    MultiLayerNetwork nd4j = net(layer, in, pool, DataType.FLOAT, KernelChoice.ND4J);
    nd4j.setParams(java.params().dup());
    INDArray x = input(in, 5, DataType.FLOAT);
    INDArray labels = GradientChecks.labels(5, 3).castTo(DataType.FLOAT);
    assertClose(name + " (float32)", measure(java, x, labels), measure(nd4j, x, labels), FLOAT_TOLERANCE, true);
  }

  /** Residual units and stems with rows of 128-1,024 (the cases above have 11-12), with and without float32 convolutions. */
  static Stream<Arguments> floatPathLayers() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (boolean floatConvolutions : new boolean[] {true, false}) {
      cases.add(Arguments.of("unit CW zero-pad 4->8 /2", (Supplier<Layer>) () -> new ResidualUnit(4, 8, 3, 2,
          ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD), InputType.convolutional(1, 301, 4), floatConvolutions));
      cases.add(Arguments.of("unit CW identity 8->8", (Supplier<Layer>) () -> new ResidualUnit(8, 8, 3, 1,
          ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD), InputType.convolutional(1, 150, 8), floatConvolutions));
      cases.add(Arguments.of("unit CS projection 3->5 /2", (Supplier<Layer>) () -> new ResidualUnit(3, 5, 3, 2,
          ThresholdMode.CHANNEL_SHARED, Shortcut.PROJECTION), InputType.convolutional(1, 257, 3), floatConvolutions));
      cases.add(Arguments.of("unit CW group norm 4->4", (Supplier<Layer>) () -> new ResidualUnit(4, 4, 3, 1,
          ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD).normalization(NormKind.GROUP_NORM, 2),
          InputType.convolutional(1, 128, 4), floatConvolutions));
      cases.add(Arguments.of("stem 1->4 k3 /2", (Supplier<Layer>) () -> new ConvStem(1, 4, 3, 2),
          InputType.convolutional(1, 1024, 1), floatConvolutions));
      cases.add(Arguments.of("stem 2->3 k5 /1", (Supplier<Layer>) () -> new ConvStem(2, 3, 5, 1),
          InputType.convolutional(1, 203, 2), floatConvolutions));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0}, float32 convolutions {3}")
  @MethodSource("floatPathLayers")
  void theFloatPathAgreesWithTheDoublePath(String name, Supplier<Layer> layer, InputType in,
      boolean floatConvolutions) {
    assertTrue(!floatConvolutions || KernelSwitches.vectorApi(), "the test JVM runs without the Vector API");
    KernelSwitches.floatConvolutions(floatConvolutions);
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    MultiLayerNetwork dbl = net(layer, in, true, DataType.DOUBLE, KernelChoice.JAVA);
    MultiLayerNetwork flt = net(layer, in, true, DataType.FLOAT, KernelChoice.JAVA);
    flt.setParams(dbl.params().castTo(DataType.FLOAT));
    INDArray x = input(in, 6, DataType.FLOAT);
    INDArray labels = GradientChecks.labels(6, 3);
    INDArray[] single = measure(flt, x, labels.castTo(DataType.FLOAT));
    for (INDArray a : single) {
      assertEquals(DataType.FLOAT, a.dataType(), name);
      assertTrue(a.amaxNumber().doubleValue() > 0, name + ": an all-zero output or gradient compares trivially");
    }
    assertClose(name + " (float path, float32 convolutions " + floatConvolutions + ")",
        measure(dbl, x.castTo(DataType.DOUBLE), labels), single, FLOAT_TOLERANCE, true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void theNd4jImplementationPassesTheGradientChecks(String name, Supplier<Layer> layer, InputType in, boolean pool) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    MultiLayerNetwork net = net(layer, in, pool, DataType.DOUBLE, KernelChoice.ND4J);
    assertTrue(GradientChecks.check(net, input(in, 5, DataType.DOUBLE), GradientChecks.labels(5, 3)), name);
  }

  @Test
  void autoMeansJavaOnTheCpuBackendAndNamesParse() {
    assertTrue(KernelChoice.cpuBackend());
    assertEquals(KernelChoice.JAVA, KernelChoice.AUTO.resolve());
    assertEquals(KernelChoice.ND4J, KernelChoice.parse(" Nd4j "));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> KernelChoice.parse("cuda"));
  }

  @Test
  void aModelTrainedWithOneImplementationLoadsAndRunsWithTheOther() throws Exception {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    ModelSpec spec = ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(1).classes(3)
        .seed(3).dataType(DataType.DOUBLE).build();
    KernelChoice.select(KernelChoice.ND4J);
    MultiLayerNetwork trained = DrsnModels.network(Architecture.DRSN_CW, spec);
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 1, 1, 64);
    trained.fit(new DataSet(x, GradientChecks.labels(8, 3)));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    org.deeplearning4j.util.ModelSerializer.writeModel(trained, bytes, true);
    KernelChoice.select(KernelChoice.JAVA);
    MultiLayerNetwork restored = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
        new java.io.ByteArrayInputStream(bytes.toByteArray()), true);
    assertEquals(KernelChoice.JAVA, ((DrsnRuntimeLayer<?>) restored.getLayer(0)).kernels());
    assertEquals(trained.getLayerWiseConfigurations().toJson(), restored.getLayerWiseConfigurations().toJson());
    double diff = trained.output(x, false).sub(restored.output(x, false)).amaxNumber().doubleValue();
    assertTrue(diff <= DOUBLE_TOLERANCE, "outputs differ by " + diff);
  }

  @Test
  @Tag("slow")
  void networksTrainedWithEitherImplementationEndWithTheSameParameters() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    for (Architecture arch : Architecture.values()) {
      ModelSpec spec = ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(2).classes(3)
          .groups(2).seed(3).dataType(DataType.DOUBLE).build();
      INDArray[] params = new INDArray[2];
      KernelChoice[] choices = {KernelChoice.JAVA, KernelChoice.ND4J};
      for (int i = 0; i < 2; i++) {
        KernelChoice.select(choices[i]);
        MultiLayerNetwork net = DrsnModels.network(arch, spec);
        Nd4j.getRandom().setSeed(9);
        for (int step = 0; step < 5; step++) {
          INDArray x = Nd4j.randn(DataType.DOUBLE, 16, 1, 1, 64);
          INDArray y = GradientChecks.labels(16, 3);
          net.fit(new DataSet(x, y));
        }
        params[i] = net.params().dup();
      }
      double diff = params[0].sub(params[1]).amaxNumber().doubleValue();
      assertTrue(diff <= 1e-6, arch + ": parameters after 5 steps differ by " + diff);
    }
  }
}
