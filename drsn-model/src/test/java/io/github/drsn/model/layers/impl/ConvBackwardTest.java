package io.github.drsn.model.layers.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The Java convolution kernels equal libnd4j's conv2d and conv2d_bp ('same' padding, NCHW). */
class ConvBackwardTest {

  /** libnd4j conv2d integer arguments for kernel (1, k), stride (1, s), 'same' padding, NCHW, [oC,iC,kH,kW]. */
  private static int[] convArgs(int kernel, int stride) {
    return new int[] {1, kernel, 1, stride, 0, 0, 1, 1, 1, 0, 1};
  }

  /** Length, kernel, stride, input and output channels: edge cases and the DRSN-CW shapes. */
  static Stream<Arguments> geometries() {
    return Stream.of("16, 3, 1, 2, 3", "16, 3, 2, 2, 3", "15, 3, 2, 3, 2", "17, 5, 2, 2, 2", "16, 1, 2, 3, 4",
        "9, 3, 3, 2, 2", "12, 4, 1, 2, 2", "2048, 3, 2, 1, 4", "4, 3, 2, 2, 4", "2, 3, 2, 2, 2",
        "1, 3, 2, 2, 2", "128, 3, 1, 16, 16", "256, 3, 2, 8, 16", "1, 5, 1, 2, 2", "2, 5, 2, 1, 3", "37, 3, 1, 3, 5")
        .map(c -> Arguments.of(java.util.Arrays.stream(c.split(",\\s*")).map(Integer::valueOf).toArray()));
  }

  @ParameterizedTest(name = "L={0} k={1} s={2} cIn={3} cOut={4}")
  @MethodSource("geometries")
  void matchesNativeConv2dAndConv2dBp(int length, int kernel, int stride, int cIn, int cOut) {
    Nd4j.getRandom().setSeed(length * 31L + kernel * 7L + stride);
    int n = 5;
    INDArray x = Nd4j.randn(DataType.DOUBLE, n, cIn, 1, length);
    INDArray w = Nd4j.randn(DataType.DOUBLE, cOut, cIn, 1, kernel);
    INDArray b = Nd4j.randn(DataType.DOUBLE, cOut);
    int outLength = Kernels.outLength(length, stride);
    INDArray g = Nd4j.randn(DataType.DOUBLE, n, cOut, 1, outLength);

    INDArray yRef = Nd4j.zeros(DataType.DOUBLE, n, cOut, 1, outLength);
    Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(yRef)
        .addIntegerArguments(convArgs(kernel, stride)).build());
    INDArray giRef = x.ulike();
    INDArray gwRef = w.ulike();
    INDArray gbRef = b.ulike();
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, g).addOutputs(giRef, gwRef, gbRef)
        .addIntegerArguments(convArgs(kernel, stride)).build());

    double[] y = new double[n * cOut * outLength];
    Kernels.conv(Kernels.read(x), n, cIn, length, Kernels.read(w), Kernels.read(b), cOut, kernel, stride, false, y);
    double[] gi = new double[(int) x.length()];
    double[] gw = new double[(int) w.length()];
    double[] gb = new double[cOut];
    Kernels.convBackward(Kernels.read(x), n, cIn, length, Kernels.read(w), cOut, kernel, stride, false,
        Kernels.read(g), gi, gw, gb);

    assertArrayEquals(Kernels.read(yRef), y, 1e-9, "output differs");
    assertArrayEquals(Kernels.read(giRef), gi, 1e-9, "dL/dx differs");
    assertArrayEquals(Kernels.read(gwRef), gw, 1e-9, "dL/dw differs");
    assertArrayEquals(Kernels.read(gbRef), gb, 1e-9, "dL/db differs");
  }

  /**
   * The float32 convolution ({@link FloatConv}) against the double one: output, dL/dx, dL/dw and dL/db within 1e-5
   * of each array's largest magnitude (float32 roundoff is 6e-8; the sums here have up to 2,048 terms).
   */
  @ParameterizedTest(name = "L={0} k={1} s={2} cIn={3} cOut={4}")
  @MethodSource("geometries")
  void theFloat32ConvolutionAgreesWithTheDoubleOne(int length, int kernel, int stride, int cIn, int cOut) {
    SplittableRandom rng = new SplittableRandom(length * 31L + kernel * 7L + stride);
    int n = 3;
    int outLength = Kernels.outLength(length, stride);
    double[] x = floats(rng, n * cIn * length);
    double[] w = floats(rng, cOut * cIn * kernel);
    double[] b = floats(rng, cOut);
    double[] g = floats(rng, n * cOut * outLength);
    assertTrue(Kernels.VECTOR && Kernels.vectorFloat(), "the test JVM runs without the Vector API");
    double[][] reference = convolve(x, n, cIn, length, w, b, cOut, kernel, stride, g, false);
    double[][] single = convolve(x, n, cIn, length, w, b, cOut, kernel, stride, g, true);
    String[] what = {"output", "dL/dx", "dL/dw", "dL/db"};
    for (int i = 0; i < what.length; i++) {
      double scale = 0;
      double diff = 0;
      for (int j = 0; j < reference[i].length; j++) {
        scale = Math.max(scale, Math.abs(reference[i][j]));
        diff = Math.max(diff, Math.abs(reference[i][j] - single[i][j]));
      }
      assertTrue(diff <= 1e-5 * scale, what[i] + " differs by " + diff + ", scale " + scale);
    }
  }

  @Test
  void floatNetworksConvolveInFloat32WithTheVectorApiOnly() {
    double[] w = {1, 2, 3};
    assertTrue(Kernels.VECTOR, "the test JVM runs without the Vector API");
    assertInstanceOf(FloatConv.class, Kernels.Conv.of(w, null, 1, 1, 3, 1, 8, true));
    assertInstanceOf(Kernels.DoubleConv.class, Kernels.Conv.of(w, null, 1, 1, 3, 1, 8, false));
    try {
      Kernels.useVectorFloat(false);
      assertInstanceOf(Kernels.DoubleConv.class, Kernels.Conv.of(w, null, 1, 1, 3, 1, 8, true));
    } finally {
      Kernels.useVectorFloat(Kernels.VECTOR);
    }
  }

  /** Output, dL/dx, dL/dw, dL/db of the convolution in one precision. */
  private static double[][] convolve(double[] x, int n, int cIn, int length, double[] w, double[] b, int cOut,
      int kernel, int stride, double[] g, boolean single) {
    double[] y = new double[n * cOut * Kernels.outLength(length, stride)];
    Kernels.conv(x, n, cIn, length, w, b, cOut, kernel, stride, single, y);
    double[] gi = new double[x.length];
    double[] gw = new double[w.length];
    double[] gb = new double[cOut];
    Kernels.convBackward(x, n, cIn, length, w, cOut, kernel, stride, single, g, gi, gw, gb);
    return new double[][] {y, gi, gw, gb};
  }

  /** Uniform values in [-1, 1) that float32 represents exactly, so that only the arithmetic differs. */
  private static double[] floats(SplittableRandom rng, int count) {
    double[] a = new double[count];
    for (int i = 0; i < count; i++) {
      a[i] = (float) rng.nextDouble(-1, 1);
    }
    return a;
  }

  @Test
  void readAndWriteHonourViewsAndDataTypes() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray flat = Nd4j.arange(24).castTo(type);
      INDArray row = flat.reshape(2, 12).getRow(1).reshape(3, 4);
      assertArrayEquals(new double[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, Kernels.read(row), 0);
      INDArray interval = flat.get(NDArrayIndex.interval(3, 7));
      assertArrayEquals(new double[] {3, 4, 5, 6}, Kernels.read(interval), 0);
      INDArray strided = flat.reshape(4, 6).get(NDArrayIndex.all(), NDArrayIndex.point(1));
      assertArrayEquals(new double[] {1, 7, 13, 19}, Kernels.read(strided), 0);

      Kernels.write(new double[] {-1, -2, -3, -4}, interval);
      Kernels.write(new double[] {-5, -6, -7, -8}, strided);
      double[] after = Kernels.read(flat);
      assertEquals(-1, after[3]);
      assertEquals(-4, after[6]);
      assertEquals(-5, after[1]);
      assertEquals(-8, after[19]);
      assertEquals(2, after[2]);
      assertEquals(-6, after[7]);
      assertEquals(8, after[8]);
      assertTrue(after[12] == 12 && after[23] == 23, "write touched elements outside the view");
    }
  }
}
