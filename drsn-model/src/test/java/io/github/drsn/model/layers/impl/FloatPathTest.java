package io.github.drsn.model.layers.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.model.layers.ConvStem;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.model.layers.ResidualUnit;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The float path of the Java kernels computes what the double path (DOUBLE networks, the one the gradient checks
 * verify) computes, both with the Vector API (FLOAT networks convolve in float32, {@link FloatConv}) and without it
 * (the fallback: double convolutions inside a FLOAT network, as with {@code -Ddrsn.vector=false}). With the same
 * parameters and batch, a residual unit's and the stem's training and inference outputs, the network output, every
 * parameter gradient (running-statistics steps included) and the input gradient agree within
 * {@value #TOLERANCE} of each array's largest magnitude. Rows are long enough (≥ 128) that the vector loops run
 * many full vectors and a tail.
 */
class FloatPathTest {

  /** Relative to the largest magnitude of each compared array: float32 has a 6e-8 unit roundoff. */
  static final double TOLERANCE = 1e-4;

  @AfterEach
  void restore() {
    Kernels.useVectorFloat(Kernels.VECTOR);
    KernelChoice.select(KernelChoice.AUTO);
  }

  static Stream<Arguments> layers() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (boolean vector : new boolean[] {true, false}) {
      cases.add(Arguments.of("unit CW zero-pad 4->8 /2", (Supplier<Layer>) () -> new ResidualUnit(4, 8, 3, 2,
          ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD), InputType.convolutional(1, 301, 4), vector));
      cases.add(Arguments.of("unit CW identity 8->8", (Supplier<Layer>) () -> new ResidualUnit(8, 8, 3, 1,
          ThresholdMode.CHANNEL_WISE, Shortcut.ZERO_PAD), InputType.convolutional(1, 150, 8), vector));
      cases.add(Arguments.of("unit CS projection 3->5 /2", (Supplier<Layer>) () -> new ResidualUnit(3, 5, 3, 2,
          ThresholdMode.CHANNEL_SHARED, Shortcut.PROJECTION), InputType.convolutional(1, 257, 3), vector));
      cases.add(Arguments.of("stem 1->4 k3 /2", (Supplier<Layer>) () -> new ConvStem(1, 4, 3, 2),
          InputType.convolutional(1, 1024, 1), vector));
      cases.add(Arguments.of("stem 2->3 k5 /1", (Supplier<Layer>) () -> new ConvStem(2, 3, 5, 1),
          InputType.convolutional(1, 203, 2), vector));
    }
    return cases.build();
  }

  private static MultiLayerNetwork net(Supplier<Layer> layer, InputType in, DataType type) {
    KernelChoice.select(KernelChoice.JAVA);
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .dataType(type).seed(7).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
        .layer(layer.get())
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(3)
            .build())
        .setInputType(in).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** Outputs (training, inference, network), parameter gradients, input gradient. */
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

  @ParameterizedTest(name = "{0}, vector {3}")
  @MethodSource("layers")
  void theFloatPathAgreesWithTheDoublePath(String name, Supplier<Layer> layer, InputType in, boolean vector) {
    org.junit.jupiter.api.Assumptions.assumeTrue(!vector || Kernels.VECTOR, "no jdk.incubator.vector");
    Kernels.useVectorFloat(vector);
    MultiLayerNetwork dbl = net(layer, in, DataType.DOUBLE);
    MultiLayerNetwork flt = net(layer, in, DataType.FLOAT);
    flt.setParams(dbl.params().castTo(DataType.FLOAT));
    InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) in;
    Nd4j.getRandom().setSeed(42);
    int n = 6;
    // Float-representable inputs, so that both paths see the same numbers.
    INDArray x = Nd4j.randn(DataType.DOUBLE, n, c.getChannels(), 1, c.getWidth()).castTo(DataType.FLOAT);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 3);
    for (int i = 0; i < n; i++) {
      labels.putScalar(i, i % 3, 1.0);
    }
    INDArray[] expected = measure(dbl, x.castTo(DataType.DOUBLE), labels.castTo(DataType.DOUBLE));
    INDArray[] actual = measure(flt, x, labels);
    for (int i = 0; i < expected.length; i++) {
      INDArray a = expected[i];
      INDArray b = actual[i].castTo(DataType.DOUBLE);
      assertEquals(DataType.FLOAT, actual[i].dataType(), WHAT[i]);
      assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()), name + " " + WHAT[i]);
      double scale = a.amaxNumber().doubleValue();
      double diff = a.sub(b).amaxNumber().doubleValue();
      System.out.printf("float path %s (vector %s): %s max |difference| %.3g, relative %.3g%n", name, vector,
          WHAT[i], diff, diff / scale);
      assertTrue(scale > 0, name + " " + WHAT[i] + " is all zero");
      assertTrue(diff <= TOLERANCE * scale, name + " (vector " + vector + "): " + WHAT[i] + " differ by " + diff
          + ", largest magnitude " + scale);
    }
  }

  @org.junit.jupiter.api.Test
  void floatNetworksConvolveInFloat32WithTheVectorApiOnly() {
    double[] w = {1, 2, 3};
    assertTrue(Kernels.VECTOR, "the test JVM runs without the Vector API");
    assertInstanceOf(FloatConv.class, Kernels.Conv.of(w, null, 1, 1, 3, 1, 8, true));
    assertInstanceOf(Kernels.DoubleConv.class, Kernels.Conv.of(w, null, 1, 1, 3, 1, 8, false));
    Kernels.useVectorFloat(false);
    assertInstanceOf(Kernels.DoubleConv.class, Kernels.Conv.of(w, null, 1, 1, 3, 1, 8, true));
  }
}
