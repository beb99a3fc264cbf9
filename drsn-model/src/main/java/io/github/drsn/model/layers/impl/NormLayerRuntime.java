package io.github.drsn.model.layers.impl;

import io.github.drsn.model.layers.NormLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link NormLayer}: {@link NormBlock} (plain Java) or {@link Nd4jKernels.Norm} (ND4J ops). */
public final class NormLayerRuntime extends DrsnRuntimeLayer<NormLayer> {

  private static final long serialVersionUID = 1L;

  private transient NormBlock norm;
  private transient INDArray cachedInput;
  private transient Nd4jKernels.Norm ndNorm;

  public NormLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
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

  private Nd4jKernels.Norm ndNorm() {
    if (ndNorm == null) {
      ndNorm = new Nd4jKernels.Norm(norm());
    }
    return ndNorm;
  }

  @Override
  @SuppressWarnings("try")
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    INDArray x = contiguousInput();
    if ((x.rank() != 4 && x.rank() != 2) || x.size(1) != layerConf().getNIn()) {
      throw new IllegalArgumentException("NormLayer expects input [N, " + layerConf().getNIn() + ", H, W] or [N, "
          + layerConf().getNIn() + "], got " + java.util.Arrays.toString(x.shape()));
    }
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    if (nd4j()) {
      if (training) {
        try (MemoryWorkspace ignored = cacheScope(mgr)) {
          out.assign(ndNorm().forward(x, true, params));
          cachedInput = input;
        }
      } else {
        out.assign(ndNorm().forward(x, false, params));
        cachedInput = null;
      }
      return out;
    }
    if (training) {
      try (MemoryWorkspace ignored = cacheScope(mgr)) {
        norm().forward(x, true, params, out);
        cachedInput = input;
      }
    } else {
      norm().forward(x, false, params, out);
      cachedInput = null;
    }
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    INDArray x = contiguousInput();
    if (nd4j()) {
      if (cachedInput != input) {
        ndNorm().forward(x, true, params);
      }
      INDArray dx = ndNorm().backward(epsilon.castTo(dataType), params, gradientViews);
      clearCache();
      return new Pair<>(allGradients(),
          mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c').assign(dx));
    }
    if (cachedInput != input) {
      norm().forward(x, true, params, x.ulike());
    }
    INDArray eps = epsilon.castTo(dataType);
    if (eps.isView() || eps.ordering() != 'c') {
      eps = eps.dup('c');
    }
    INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    norm().backward(eps, params, gradientViews, dx);
    clearCache();
    return new Pair<>(allGradients(), dx);
  }

  @Override
  protected void clearCache() {
    cachedInput = null;
  }
}
