package io.github.drsn.model.layers.impl;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Thin wrappers around the libnd4j native ops the head layers still use. Every call is one
 * native op over a whole tensor, so a layer's cost is (number of ops x fixed overhead) + arithmetic.
 * Tensors use the 2-D layout {@code [N, C, 1, L]}.
 */
final class Ops {

  private Ops() {
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
}
