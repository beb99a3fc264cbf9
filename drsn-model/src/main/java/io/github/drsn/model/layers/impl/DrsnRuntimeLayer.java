package io.github.drsn.model.layers.impl;

import io.github.drsn.model.layers.DrsnLayerConfig;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.model.layers.ParamSpec;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime base of the hand-written DRSN layers: explicit {@code activate}/{@code backpropGradient}
 * over whole tensors, parameters laid out by {@link SpecParamInitializer}.
 *
 * <p>Workspaces: what a training-mode forward pass keeps for backprop is allocated in the workspace
 * DL4J uses for layer inputs ({@link ArrayType#INPUT}), which lives until the backward pass is over
 * (DL4J's own BatchNormalization keeps its cache there too); inference temporaries go to the working
 * memory scope. Outputs are {@link ArrayType#ACTIVATIONS}, input gradients
 * {@link ArrayType#ACTIVATION_GRAD}.
 *
 * @param <C> the layer configuration type
 */
public abstract class DrsnRuntimeLayer<C extends DrsnLayerConfig> extends BaseLayer<C> {

  private static final long serialVersionUID = 1L;

  /** The implementation of this runtime's passes, JAVA or ND4J, fixed when DL4J instantiates it. */
  private final KernelChoice kernels = KernelChoice.selected().resolve();

  protected DrsnRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    if (conf.getLayer().getIDropout() != null) {
      throw new IllegalArgumentException("Layer " + conf.getLayer().getLayerName()
          + " does not support dropout; remove it from the configuration");
    }
  }

  /** JAVA or ND4J: which implementation this runtime runs ({@link KernelChoice}). */
  public KernelChoice kernels() {
    return kernels;
  }

  /** Whether this runtime runs the ND4J-op implementation ({@link Nd4jKernels}). */
  protected boolean nd4j() {
    return kernels == KernelChoice.ND4J;
  }

  /**
   * Whether the Java kernels' convolutions compute in float32 ({@link FloatConv}): in FLOAT networks (training),
   * whose parameters and activations are float anyway; DOUBLE networks (the gradient checks) keep double.
   */
  protected boolean single() {
    return dataType == DataType.FLOAT;
  }

  /** Scope in which training-mode forward caches are allocated, or null when workspaces are off. */
  protected static MemoryWorkspace cacheScope(LayerWorkspaceMgr mgr) {
    if (mgr.hasConfiguration(ArrayType.INPUT) && !mgr.isScopedOut(ArrayType.INPUT)
        && mgr.isWorkspaceOpen(ArrayType.INPUT)) {
      return mgr.notifyScopeBorrowed(ArrayType.INPUT);
    }
    return null;
  }

  /** The layer input as a c-contiguous array of the network's data type. */
  protected INDArray contiguousInput() {
    assertInputSet(false);
    INDArray x = input.castTo(dataType);
    return x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
  }

  /** A Gradient holding every parameter's gradient view, in parameter order. */
  protected Gradient allGradients() {
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (ParamSpec s : layerConf().paramSpecs()) {
      g.setGradientFor(s.key(), gradientViews.get(s.key()));
    }
    return g;
  }

  @Override
  public boolean updaterDivideByMinibatch(String paramName) {
    return !layerConf().paramSpec(paramName).role().isState();
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public Type type() {
    return Type.CONVOLUTIONAL;
  }

  @Override
  public void clearNoiseWeightParams() {
    // No weight noise in these layers.
  }

  @Override
  public void clear() {
    super.clear();
    clearCache();
  }

  /**
   * The layer's normalisations in the order its forward pass applies them (each block's input depends on the
   * blocks before it), the same instances the forward pass uses; empty for a layer without any.
   */
  public java.util.List<NormBlock> normBlocks() {
    return java.util.List.of();
  }

  /** Drops any forward-pass cache. */
  protected abstract void clearCache();
}
