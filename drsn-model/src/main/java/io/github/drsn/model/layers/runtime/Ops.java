package io.github.drsn.model.layers.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

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

  /** Backward of {@link #conv}: writes dL/dx into gradIn, dL/dw into gradW and dL/db into gradB. */
  static void convBackward(INDArray x, INDArray w, INDArray b, INDArray gradOut, int stride,
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
