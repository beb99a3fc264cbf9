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
   * <p>For stride 1 and an odd kernel (every convolution inside a unit but the strided first one)
   * this avoids libnd4j's conv2d_bp, which measured 2.2x slower than the equivalent: dL/dx as a
   * forward convolution of dL/dy with the flipped, transposed kernel, and dL/dw as one GEMM of dL/dy
   * ([C_out, N·L]) with the k shifted copies of x ([k·C_in, N·L], im2col).
   */
  static void convBackward(INDArray x, INDArray w, INDArray b, INDArray gradOut, int stride,
      INDArray gradIn, INDArray gradW, INDArray gradB) {
    int kernel = (int) w.size(3);
    if (stride != 1 || kernel % 2 == 0) {
      nativeConvBackward(x, w, b, gradOut, stride, gradIn, gradW, gradB);
      return;
    }
    long n = x.size(0);
    long cIn = x.size(1);
    long cOut = w.size(0);
    long length = x.size(3);
    int pad = (kernel - 1) / 2;

    // dL/dx = conv(dL/dy, w') with w'[i, o, 0, t] = w[o, i, 0, k - 1 - t].
    INDArray wT = w.permute(1, 0, 2, 3).dup('c');
    INDArray wFlipped = wT.ulike();
    Nd4j.exec(DynamicCustomOp.builder("reverse").addInputs(wT).addOutputs(wFlipped).addIntegerArguments(3).build());
    conv(gradOut, wFlipped, null, 1, gradIn);

    // im2col: cols[t, i, n, l] = x[n, i, 0, l + t - pad] (zero outside), then one GEMM.
    INDArray cols = Nd4j.zeros(x.dataType(), kernel, cIn, n, length);
    INDArray xT = x.reshape('c', new long[] {n, cIn, length}).permute(1, 0, 2);
    for (int t = 0; t < kernel; t++) {
      long shift = t - pad;
      long from = Math.max(0, -shift);
      long to = Math.min(length, length - shift);
      cols.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to))
          .assign(xT.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from + shift, to + shift)));
    }
    INDArray gT = gradOut.reshape('c', new long[] {n, cOut, length}).permute(1, 0, 2).dup('c')
        .reshape('c', new long[] {cOut, n * length});
    INDArray dW = Nd4j.gemm(gT, cols.reshape('c', new long[] {kernel * cIn, n * length}), false, true);
    gradW.reshape('c', new long[] {cOut, cIn, kernel})
        .assign(dW.reshape('c', new long[] {cOut, kernel, cIn}).permute(0, 2, 1));
    if (b != null) {
      gT.sum(gradB, 1);
    }
  }

  private static void nativeConvBackward(INDArray x, INDArray w, INDArray b, INDArray gradOut, int stride,
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
