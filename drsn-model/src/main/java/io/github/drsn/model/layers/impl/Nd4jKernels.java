package io.github.drsn.model.layers.impl;

import io.github.drsn.contract.NormKind;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The custom layers' building blocks as whole-tensor ND4J ops (the {@link
 * io.github.drsn.model.layers.KernelChoice#ND4J} implementation): every call is one or a few libnd4j ops
 * on the arrays' own backend, so under nd4j-cuda the arithmetic stays on the device. Same conventions as
 * {@link Kernels} and {@link NormBlock}: layout {@code [N, C, 1, L]}, weights {@code [C_out, C_in, 1, k]},
 * libnd4j 'same' padding (left pad floor(max((L_out − 1)·s + k − L, 0) / 2)). The convolutions are the
 * native {@code conv2d}/{@code conv2d_bp} ops (im2col + gemm on the CPU, cuDNN when the cuda backend has it),
 * the op DL4J's own ConvolutionLayer runs through its helpers.
 */
final class Nd4jKernels {

  private Nd4jKernels() {
  }

  /** Integer arguments of conv2d/conv2d_bp: kernel (1, k), stride (1, s), no explicit padding, 'same', NCHW, OIHW. */
  private static int[] convArgs(long kernel, int stride) {
    return new int[] {1, (int) kernel, 1, stride, 0, 0, 1, 1, 1, 0, 1};
  }

  /** out = conv(x, w) + b, 'same' padding, stride s; x {@code [N, C_in, 1, L]}, w {@code [C_out, C_in, 1, k]}, b null or [C_out]. */
  static INDArray conv(INDArray x, INDArray w, INDArray b, int stride) {
    long outLength = (x.size(3) + stride - 1) / stride;
    INDArray out = Nd4j.createUninitialized(x.dataType(), x.size(0), w.size(0), 1, outLength);
    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
    if (b == null) {
      op.addInputs(x, w);
    } else {
      op.addInputs(x, w, b);
    }
    Nd4j.exec(op.addOutputs(out).addIntegerArguments(convArgs(w.size(3), stride)).build());
    return out;
  }

  /** {dL/dx, dL/dw, dL/db (null without bias)} of {@link #conv} for dL/d(out) {@code gradOut}. */
  static INDArray[] convBackward(INDArray x, INDArray w, INDArray b, INDArray gradOut, int stride) {
    INDArray gradIn = Nd4j.createUninitialized(x.dataType(), x.shape());
    INDArray gradW = Nd4j.createUninitialized(w.dataType(), w.shape());
    DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
    INDArray gradB = null;
    if (b == null) {
      op.addInputs(x, w, gradOut).addOutputs(gradIn, gradW);
    } else {
      gradB = Nd4j.createUninitialized(b.dataType(), b.shape());
      op.addInputs(x, w, b, gradOut).addOutputs(gradIn, gradW, gradB);
    }
    Nd4j.exec(op.addIntegerArguments(convArgs(w.size(3), stride)).build());
    return new INDArray[] {gradIn, gradW, gradB};
  }

  /** ReLU into a new array. */
  static INDArray relu(INDArray x) {
    return Transforms.relu(x, true);
  }

  /** grad ⊙ 1{activation &gt; 0}, in place in {@code grad} (activation: a ReLU's output). */
  static INDArray reluMaskInPlace(INDArray activation, INDArray grad) {
    return grad.muli(activation.gt(0.0).castTo(grad.dataType()));
  }

  /** x ⊙ y with y broadcast along {@code dims} of x, into a new array. */
  static INDArray mul(INDArray x, INDArray y, int... dims) {
    return Nd4j.exec(new BroadcastMulOp(x, y, x.ulike(), dims));
  }

  /** x + y with y broadcast along {@code dims} of x, into a new array. */
  static INDArray add(INDArray x, INDArray y, int... dims) {
    return Nd4j.exec(new BroadcastAddOp(x, y, x.ulike(), dims));
  }

  /** x − y with y broadcast along {@code dims} of x, into a new array. */
  static INDArray sub(INDArray x, INDArray y, int... dims) {
    return Nd4j.exec(new BroadcastSubOp(x, y, x.ulike(), dims));
  }

  /**
   * ND4J counterpart of {@link NormBlock}: batch norm or group norm over channel dimension 1 of a
   * {@code [N, C, ...]} tensor, with the same parameters (prefixGamma/Beta, and for batch norm
   * prefixMean/Var holding the running statistics), the same biased variance, ε and running-average
   * convention (the "gradient" of a running statistic is its moving-average step (μ − μ_B)(1 − d)).
   * Caches its last training-mode forward pass for {@link #backward}. Not thread-safe.
   */
  static final class Norm {

    private final String prefix;
    private final NormKind type;
    private final int channels;
    private final int groups;
    private final double eps;
    private final double decay;

    /** Normalised input x̂ in the statistics view, 1/σ, μ_B and σ²_B of the last training pass. */
    private INDArray xHat;
    private INDArray invStd;
    private INDArray mean;
    private INDArray var;
    private long[] shape;

    Norm(NormBlock block) {
      this.prefix = block.prefix();
      this.type = block.type();
      this.channels = block.channels();
      this.groups = block.groups();
      this.eps = block.eps();
      this.decay = block.decay();
    }

    /**
     * The statistics view of {@code x} (c-contiguous {@code [N, C, ...]}): batch norm {@code [N, C, R]}
     * reduced over dims 0 and 2; group norm {@code [N, G, (C/G)·R]} reduced over dim 2.
     */
    private INDArray statView(INDArray x) {
      long n = x.size(0);
      long rest = x.length() / (n * channels);
      return type == NormKind.BATCH_NORM ? x.reshape('c', n, channels, rest)
          : x.reshape('c', n, groups, (channels / groups) * rest);
    }

    private int[] reduceDims() {
      return type == NormKind.BATCH_NORM ? new int[] {0, 2} : new int[] {2};
    }

    private int[] statDims() {
      return type == NormKind.BATCH_NORM ? new int[] {1} : new int[] {0, 1};
    }

    /** γ·x̂ + β per channel, in the shape of the input. */
    private INDArray affine(INDArray hatStats, long[] shape, Map<String, INDArray> params) {
      long n = shape[0];
      INDArray hat = hatStats.reshape('c', n, channels, hatStats.length() / (n * channels));
      INDArray y = add(mul(hat, params.get(prefix + "Gamma"), 1), params.get(prefix + "Beta"), 1);
      return y.reshape('c', shape);
    }

    /** y = norm(x) (a new array of x's shape); in training with batch statistics, cached for backward. */
    INDArray forward(INDArray x, boolean training, Map<String, INDArray> params) {
      INDArray xs = statView(x.dup('c'));
      INDArray mu;
      INDArray sigma2;
      if (type == NormKind.BATCH_NORM && !training) {
        mu = params.get(prefix + "Mean");
        sigma2 = params.get(prefix + "Var");
      } else {
        mu = xs.mean(reduceDims());
        sigma2 = xs.var(false, reduceDims());
      }
      INDArray is = Transforms.pow(sigma2.add(eps), -0.5, false);
      INDArray hat = mul(sub(xs, mu, statDims()), is, statDims());
      if (training) {
        xHat = hat;
        invStd = is;
        mean = mu;
        var = sigma2;
        shape = x.shape();
      }
      return affine(hat, x.shape(), params);
    }

    /**
     * dL/dx for dL/dy {@code gradOut} after the last training-mode {@link #forward}: (1/σ)(g − mean(g) −
     * x̂·mean(g·x̂)), g = γ·dL/dy, means over each statistics set; writes dL/dγ, dL/dβ and the running
     * statistics' steps into {@code grads}.
     */
    INDArray backward(INDArray gradOut, Map<String, INDArray> params, Map<String, INDArray> grads) {
      if (xHat == null) {
        throw new IllegalStateException("backward() without a training-mode forward()");
      }
      long n = shape[0];
      long rest = xHat.length() / (n * channels);
      INDArray dy = gradOut.dup('c').reshape('c', n, channels, rest);
      INDArray hat = xHat.reshape('c', n, channels, rest);
      grads.get(prefix + "Beta").assign(dy.sum(0, 2));
      grads.get(prefix + "Gamma").assign(dy.mul(hat).sum(0, 2));
      INDArray g = statView(mul(dy, params.get(prefix + "Gamma"), 1));
      int[] reduce = reduceDims();
      int[] dims = statDims();
      INDArray meanG = g.mean(reduce);
      INDArray meanGHat = g.mul(xHat).mean(reduce);
      INDArray dx = mul(sub(sub(g, meanG, dims), mul(xHat, meanGHat, dims)), invStd, dims);
      if (type == NormKind.BATCH_NORM) {
        grads.get(prefix + "Mean").assign(params.get(prefix + "Mean").sub(mean).muli(1 - decay));
        grads.get(prefix + "Var").assign(params.get(prefix + "Var").sub(var).muli(1 - decay));
      }
      xHat = null;
      invStd = null;
      mean = null;
      var = null;
      return dx.reshape('c', shape);
    }
  }
}
