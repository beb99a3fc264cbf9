package io.github.drsn.model.layers.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The GEMM/convolution-based convolution backward pass equals libnd4j's conv2d_bp. */
class ConvBackwardTest {

  @ParameterizedTest(name = "L={0} k={1} s={2} cIn={3} cOut={4}")
  @CsvSource({"16, 3, 1, 2, 3", "16, 3, 2, 2, 3", "15, 3, 2, 3, 2", "17, 5, 2, 2, 2", "16, 1, 2, 3, 4",
      "9, 3, 3, 2, 2", "12, 4, 1, 2, 2", "2048, 3, 2, 1, 4", "4, 3, 2, 2, 4", "2, 3, 2, 2, 2",
      "1, 3, 2, 2, 2"})
  void matchesNativeConv2dBp(int length, int kernel, int stride, int cIn, int cOut) {
    Nd4j.getRandom().setSeed(length * 31L + kernel * 7L + stride);
    int n = 3;
    INDArray x = Nd4j.randn(DataType.DOUBLE, n, cIn, 1, length);
    INDArray w = Nd4j.randn(DataType.DOUBLE, cOut, cIn, 1, kernel);
    INDArray b = Nd4j.randn(DataType.DOUBLE, cOut);
    long outLength = (length + stride - 1) / stride;
    INDArray g = Nd4j.randn(DataType.DOUBLE, n, cOut, 1, outLength);

    INDArray gi = x.ulike();
    INDArray gw = w.ulike();
    INDArray gb = b.ulike();
    Ops.convBackward(x, w, b, g, stride, gi, gw, gb);
    INDArray giRef = x.ulike();
    INDArray gwRef = w.ulike();
    INDArray gbRef = b.ulike();
    Ops.nativeConvBackward(x, w, b, g, stride, giRef, gwRef, gbRef);

    assertTrue(giRef.equalsWithEps(gi, 1e-9), "dL/dx differs");
    assertTrue(gwRef.equalsWithEps(gw, 1e-9), "dL/dw differs");
    assertTrue(gbRef.equalsWithEps(gb, 1e-9), "dL/db differs");
  }
}
