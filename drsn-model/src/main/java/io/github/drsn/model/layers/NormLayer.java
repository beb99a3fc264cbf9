package io.github.drsn.model.layers;

import io.github.drsn.contract.NormKind;
import io.github.drsn.model.layers.impl.NormLayerRuntime;
import io.github.drsn.model.layers.impl.NormLayerRuntime;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A standalone normalisation layer over channel dimension 1 of {@code [N, C, H, W]} (NCHW) or
 * {@code [N, C]} input: group norm (Wu and He, ECCV 2018: per-sample statistics over groups of
 * channels, learned per-channel γ/β, the same in training and inference) or batch norm. The output
 * has the input's shape.
 */
public class NormLayer extends WholeInputNormConfig {

  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public NormLayer() {
    super();
    setNormalization(NormKind.GROUP_NORM);
  }

  /**
   * @param normalization batch or group norm
   * @param groups        requested groups for group norm (reduced to the largest divisor of C not above it)
   */
  public NormLayer(NormKind normalization, int groups) {
    super();
    setNormalization(normalization);
    setGroups(groups);
  }

  /** A group-norm layer with {@code groups} groups. */
  public static NormLayer groupNorm(int groups) {
    return new NormLayer(NormKind.GROUP_NORM, groups);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return wire(new NormLayerRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return inputType;
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (getNIn() <= 0 || override) {
      if (inputType instanceof InputType.InputTypeConvolutional c) {
        setNIn(c.getChannels());
      } else if (inputType instanceof InputType.InputTypeFeedForward f) {
        setNIn(f.getSize());
      } else {
        throw new IllegalArgumentException("NormLayer expects CNN [N, C, H, W] or feed-forward [N, C] input, got "
            + inputType);
      }
      setNOut(getNIn());
    }
  }
}
