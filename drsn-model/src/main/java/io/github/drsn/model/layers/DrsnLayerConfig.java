package io.github.drsn.model.layers;

import io.github.drsn.model.layers.impl.SpecParamInitializer;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Common configuration of the hand-written DRSN layers: parameters are declared as a list of
 * {@link ParamSpec}s, from which initialisation, updaters and regularisation follow.
 *
 * <p>Conventions shared by all subclasses: activations use the 2-D layout {@code [N, C, 1, L]}
 * (NCHW with height 1, DL4J {@code InputType.convolutional(1, L, C)}); weights are L2-regularised
 * through the network's {@code l2}; biases and normalisation γ/β only through {@code l2Bias};
 * batch-norm running statistics are parameters with the {@link NoOp} updater whose "gradient" is
 * the moving-average step (DL4J's own {@code BatchNormalization} scheme), never regularised.
 */
public abstract class DrsnLayerConfig extends FeedForwardLayer {

  private static final long serialVersionUID = 1L;

  protected DrsnLayerConfig() {
    super();
  }

  /** Parameters of this layer in their order in the flattened parameter vector. */
  public abstract List<ParamSpec> paramSpecs();

  /** The spec for {@code key}. */
  public ParamSpec paramSpec(String key) {
    for (ParamSpec s : paramSpecs()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("Unknown parameter \"" + key + "\" for layer " + getLayerName());
  }

  @Override
  public ParamInitializer initializer() {
    return SpecParamInitializer.INSTANCE;
  }

  @Override
  public List<Regularization> getRegularizationByParam(String paramName) {
    ParamSpec.Role role = paramSpec(paramName).role();
    if (role.isState()) {
      return Collections.emptyList();
    }
    List<Regularization> r = role == ParamSpec.Role.WEIGHT ? getRegularization() : getRegularizationBias();
    return r == null ? Collections.emptyList() : r;
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    ParamSpec.Role role = paramSpec(paramName).role();
    if (role.isState()) {
      return new NoOp();
    }
    if (role != ParamSpec.Role.WEIGHT && getBiasUpdater() != null) {
      return getBiasUpdater();
    }
    return getIUpdater();
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return null;
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    long nParams = initializer().numParams(this);
    long updaterState = 0;
    for (ParamSpec s : paramSpecs()) {
      updaterState += getUpdaterByParam(s.key()).stateSize(s.length());
    }
    return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, out)
        .standardMemory(nParams, updaterState)
        .workingMemory(0, 4 * out.arrayElementsPerExample(), 0, 8 * out.arrayElementsPerExample())
        .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
        .build();
  }

  /**
   * Wires a freshly constructed runtime layer to DL4J: listeners, index, parameter view and table, the
   * configuration. Every layer of this package instantiates its runtime through this.
   */
  protected org.deeplearning4j.nn.api.Layer wire(io.github.drsn.model.layers.impl.DrsnRuntimeLayer<?> layer,
      NeuralNetConfiguration conf, java.util.Collection<org.deeplearning4j.optimize.api.TrainingListener> listeners,
      int layerIndex, org.nd4j.linalg.api.ndarray.INDArray paramsView, boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(layerIndex);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }

  /** The input type as convolutional {@code [N, C, 1, L]} (height 1), or IllegalArgumentException. */
  protected static InputType.InputTypeConvolutional requireConvolutional(InputType inputType, String layer) {
    if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
      throw new IllegalArgumentException("Layer " + layer + " expects convolutional input [N, C, 1, L], got "
          + inputType);
    }
    if (c.getHeight() != 1) {
      throw new IllegalArgumentException("Layer " + layer + " expects height 1 ([N, C, 1, L]), got " + c);
    }
    return c;
  }

  /** Output length of a 'same' convolution: ceil(length / stride). */
  public static long sameOutputLength(long length, int stride) {
    return (length + stride - 1) / stride;
  }
}
