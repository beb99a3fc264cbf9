package io.github.drsn.model.layers.runtime;

import io.github.drsn.model.layers.DrsnLayerConfig;
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
import org.nd4j.linalg.learning.regularization.L2Regularization;

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

  protected DrsnRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    io.github.drsn.model.NativeBackend.applyNativeThreadPolicy();
    if (conf.getLayer().getIDropout() != null) {
      throw new IllegalArgumentException("Layer " + conf.getLayer().getLayerName()
          + " does not support dropout; remove it from the configuration");
    }
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
    addInLayerL2();
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (ParamSpec s : layerConf().paramSpecs()) {
      g.setGradientFor(s.key(), gradientViews.get(s.key()));
    }
    return g;
  }

  /**
   * gradient += N·λ·w for every parameter with L2 (see {@link DrsnLayerConfig#inLayerL2}), N the size
   * DL4J divides gradients by (1 outside minibatch mode).
   */
  private void addInLayerL2() {
    // DL4J divides gradients by the minibatch size only in minibatch mode, and by getInputMiniBatchSize()
    long minibatch = conf().isMiniBatch() ? Math.max(1, getInputMiniBatchSize()) : 1;
    for (ParamSpec s : layerConf().paramSpecs()) {
      double coefficient = l2Coefficient(s.key());
      if (coefficient == 0) {
        continue;
      }
      INDArray gradient = gradientViews.get(s.key());
      double[] w = Kernels.read(params.get(s.key()));
      double[] g = Kernels.read(gradient);
      double scale = minibatch * coefficient;
      for (int i = 0; i < g.length; i++) {
        g[i] = Math.fma(scale, w[i], g[i]);
      }
      Kernels.write(g, gradient);
    }
  }

  private double l2Coefficient(String key) {
    double coefficient = 0;
    for (L2Regularization r : layerConf().inLayerL2(key)) {
      coefficient += r.getL2().valueAt(getIterationCount(), getEpochCount());
    }
    return coefficient;
  }

  /** DL4J's score of the regularisations it applies, plus 0.5·λ·Σw² for the in-layer L2. */
  @Override
  public double calcRegularizationScore(boolean backpropParamsOnly) {
    double score = super.calcRegularizationScore(backpropParamsOnly);
    for (ParamSpec s : layerConf().paramSpecs()) {
      double coefficient = l2Coefficient(s.key());
      if (coefficient != 0) {
        double[] w = Kernels.read(params.get(s.key()));
        score += 0.5 * coefficient * Kernels.dot(w, 0, w, 0, w.length);
      }
    }
    return score;
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

  /** Drops any forward-pass cache. */
  protected abstract void clearCache();
}
