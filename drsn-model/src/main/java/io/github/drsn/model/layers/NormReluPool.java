package io.github.drsn.model.layers;

import io.github.drsn.contract.NormKind;
import io.github.drsn.model.layers.impl.NormReluPoolRuntime;
import io.github.drsn.model.layers.impl.NormReluPoolRuntime;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The network head before the classifier (paper Table II): normalisation → ReLU → global average
 * pooling over the length. Input {@code [N, C, 1, L]}, output {@code [N, C]} (feed-forward).
 */
public class NormReluPool extends WholeInputNormConfig {

  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public NormReluPool() {
    super();
  }

  /**
   * @param normalization batch or group norm
   * @param groups        requested groups for group norm
   */
  public NormReluPool(NormKind normalization, int groups) {
    super();
    setNormalization(normalization);
    setGroups(groups);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return wire(new NormReluPoolRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(requireConvolutional(inputType, getLayerName()).getChannels());
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (getNIn() <= 0 || override) {
      setNIn(requireConvolutional(inputType, getLayerName()).getChannels());
      setNOut(getNIn());
    }
  }
}
