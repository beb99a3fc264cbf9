package io.github.drsn.model.layers.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Thin wrappers around the libnd4j native ops the DRSN layers are built from. Every call is one
 * native op over a whole tensor, so a layer's cost is (number of ops x fixed overhead) + arithmetic.
 * Tensors use the 2-D layout {@code [N, C, 1, L]}; convolution weights are {@code [oC, iC, 1, k]}.
 */
final class Ops {

  private Ops() {
  }

  /** libnd4j conv2d integer arguments for kernel (1, k), stride (1, s), 'same' padding, NCHW, [oC,iC,kH,kW]. */
  private static int[] convArgs(int kernel, int stride) {
    return new int[] {1, kernel, 1, stride, 0, 0, 1, 1, 1, 0, 1};
  }

  /** out = conv(x, w) + b, 'same' padding (output length ceil(L / stride)). */
  static void conv(INDArray x, INDArray w, INDArray b, int stride, INDArray out) {
    int kernel = (int) w.size(3);
    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d")
        .addIntegerArguments(convArgs(kernel, stride))
        .addOutputs(out);
    if (b == null) {
      op.addInputs(x, w);
    } else {
      op.addInputs(x, w, b);
    }
    Nd4j.exec(op.build());
  }

  /**
   * Backward of {@link #conv}: writes dL/dx into gradIn, dL/dw into gradW and dL/db into gradB.
   *
   * <p>Avoids libnd4j's conv2d_bp, which measured 2.2x slower than the equivalent used here: dL/dx as
   * a forward convolution of dL/dy (zero-upsampled by the stride and padded when strided) with the
   * flipped, transposed kernel, and dL/dw as one GEMM of dL/dy ({@code [C_out, N·L_out]}) with the k
   * shifted, strided copies of x ({@code [k·C_in, N·L_out]}, im2col). Padding follows libnd4j's
   * 'same' mode: left padding floor(total / 2), total = max((L_out − 1)·s + k − L, 0).
   */
  static void convBackward(INDArray x, INDArray w, INDArray b, INDArray gradOut, int stride,
      INDArray gradIn, INDArray gradW, INDArray gradB) {
    int kernel = (int) w.size(3);
    long n = x.size(0);
    long cIn = x.size(1);
    long cOut = w.size(0);
    long length = x.size(3);
    long outLength = gradOut.size(3);
    long padLeft = Math.max((outLength - 1) * stride + kernel - length, 0) / 2;

    // dL/dx[m] = sum_u w'[u] h[m + u] with w'[i, o, 0, u] = w[o, i, 0, k - 1 - u] and h the gradient
    // placed at positions s·j + k − 1 − padLeft of a zero buffer of length L + k − 1 ('valid' conv).
    INDArray wT = w.permute(1, 0, 2, 3).dup('c');
    INDArray wFlipped = wT.ulike();
    Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(wT).addOutputs(wFlipped).addIntegerArguments(3).build());
    if (stride == 1 && kernel % 2 == 1) {
      conv(gradOut, wFlipped, null, 1, gradIn);
    } else {
      INDArray h = Nd4j.zeros(gradOut.dataType(), n, cOut, 1, length + kernel - 1);
      long first = kernel - 1 - padLeft;
      h.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.interval(first, stride, first + stride * (outLength - 1) + 1, false)).assign(gradOut);
      Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(h, wFlipped).addOutputs(gradIn)
          .addIntegerArguments(1, kernel, 1, 1, 0, 0, 1, 1, 0, 0, 1).build());
    }

    // im2col: cols[t, i, n, j] = x[n, i, 0, s·j + t − padLeft] (zero outside), then one GEMM.
    INDArray cols = Nd4j.zeros(x.dataType(), kernel, cIn, n, outLength);
    INDArray xT = x.reshape('c', new long[] {n, cIn, length}).permute(1, 0, 2);
    for (int t = 0; t < kernel; t++) {
      long offset = t - padLeft;
      long jFrom = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
      long jTo = Math.min(outLength, Math.floorDiv(length - 1 - offset, stride) + 1);
      if (jTo <= jFrom) {
        continue;
      }
      long src = stride * jFrom + offset;
      cols.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(jFrom, jTo))
          .assign(xT.get(NDArrayIndex.all(), NDArrayIndex.all(),
              NDArrayIndex.interval(src, stride, src + stride * (jTo - jFrom - 1) + 1, false)));
    }
    INDArray gT = gradOut.reshape('c', new long[] {n, cOut, outLength}).permute(1, 0, 2).dup('c')
        .reshape('c', new long[] {cOut, n * outLength});
    INDArray dW = Nd4j.gemm(gT, cols.reshape('c', new long[] {kernel * cIn, n * outLength}), false, true);
    gradW.reshape('c', new long[] {cOut, cIn, kernel})
        .assign(dW.reshape('c', new long[] {cOut, kernel, cIn}).permute(0, 2, 1));
    if (b != null) {
      gT.sum(gradB, 1);
    }
  }

  /** libnd4j's conv2d_bp (kept as the reference the tests compare {@link #convBackward} with). */
  static void nativeConvBackward(INDArray x, INDArray w, INDArray b, INDArray gradOut, int stride,
      INDArray gradIn, INDArray gradW, INDArray gradB) {
    int kernel = (int) w.size(3);
    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
        .addIntegerArguments(convArgs(kernel, stride));
    if (b == null) {
      op.addInputs(x, w, gradOut).addOutputs(gradIn, gradW);
    } else {
      op.addInputs(x, w, b, gradOut).addOutputs(gradIn, gradW, gradB);
    }
    Nd4j.exec(op.build());
  }

  /** In-place ReLU. */
  static INDArray reluInPlace(INDArray x) {
    Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(x).addFloatingPointArguments(0.0).build());
    return x;
  }

  /** gradIn = gradOut where activation &gt; 0, else 0 (activation may be the ReLU's input or output). */
  static INDArray reluBackward(INDArray activation, INDArray gradOut, INDArray gradIn) {
    Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(activation, gradOut).addOutputs(gradIn)
        .addFloatingPointArguments(0.0).build());
    return gradIn;
  }

  /** z = x * y, y broadcast along {@code dims} of x. */
  static INDArray broadcastMul(INDArray x, INDArray y, INDArray z, int... dims) {
    Nd4j.exec(new BroadcastMulOp(x, y, z, dims));
    return z;
  }

  /** z = x + y, y broadcast along {@code dims} of x. */
  static INDArray broadcastAdd(INDArray x, INDArray y, INDArray z, int... dims) {
    Nd4j.exec(new BroadcastAddOp(x, y, z, dims));
    return z;
  }

  /** z = x - y, y broadcast along {@code dims} of x. */
  static INDArray broadcastSub(INDArray x, INDArray y, INDArray z, int... dims) {
    Nd4j.exec(new BroadcastSubOp(x, y, z, dims));
    return z;
  }
}
