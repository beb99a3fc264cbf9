package io.github.drsn.model.layers.impl;

import io.github.drsn.model.layers.NormReluPool;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link NormReluPool}: y = mean_l ReLU(norm(x)), and its backward pass; the norm by {@link NormBlock}
 * (plain Java) or {@link Nd4jKernels.Norm} (ND4J ops), the rest by ND4J ops in both.
 */
public final class NormReluPoolRuntime extends DrsnRuntimeLayer<NormReluPool> {

  private static final long serialVersionUID = 1L;

  private transient NormBlock norm;
  private transient INDArray cachedInput;
  private transient INDArray activated;
  private transient Nd4jKernels.Norm ndNorm;

  public NormReluPoolRuntime(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public java.util.List<NormBlock> normBlocks() {
    return java.util.List.of(norm());
  }

  private NormBlock norm() {
    if (norm == null) {
      norm = layerConf().norm();
    }
    return norm;
  }

  @Override
  @SuppressWarnings("try")
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    long mark = Phases.start();
    INDArray x = contiguousInput();
    if (x.rank() != 4 || x.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException("NormReluPool expects input [N, " + layerConf().getNIn() + ", 1, L], got "
          + java.util.Arrays.toString(x.shape()));
    }
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {x.size(0), x.size(1)}, 'c');
    if (training) {
      try (MemoryWorkspace ignored = cacheScope(mgr)) {
        activated = forward(x, true);
        cachedInput = input;
      }
    } else {
      activated = null;
      cachedInput = null;
    }
    INDArray h = training ? activated : forward(x, false);
    h.mean(out, 2, 3);
    Phases.stop(Phases.Phase.HEAD_FORWARD, mark);
    return out;
  }

  private INDArray forward(INDArray x, boolean training) {
    if (nd4j()) {
      if (ndNorm == null) {
        ndNorm = new Nd4jKernels.Norm(norm());
      }
      return Nd4jKernels.relu(ndNorm.forward(x, training, params));
    }
    return Ops.reluInPlace(norm().forward(x, training, params, x.ulike()));
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    long mark = Phases.start();
    if (activated == null || cachedInput != input) {
      activated = forward(contiguousInput(), true);
    }
    INDArray h = activated;
    long length = h.size(2) * h.size(3);
    INDArray eps = epsilon.castTo(dataType).div(length);
    INDArray dh = Ops.broadcastMul(h.ulike().assign(1.0), eps, h.ulike(), 0, 1);
    Ops.reluBackward(h, dh, dh);
    INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, h.shape(), 'c');
    if (nd4j()) {
      dx.assign(ndNorm.backward(dh, params, gradientViews));
      clearCache();
      return new Pair<>(allGradients(), dx);
    }
    norm().backward(dh, params, gradientViews, dx);
    clearCache();
    Phases.stop(Phases.Phase.HEAD_BACKWARD, mark);
    return new Pair<>(allGradients(), dx);
  }

  @Override
  protected void clearCache() {
    activated = null;
    cachedInput = null;
  }
}
