package io.github.drsn.model.layers;

import io.github.drsn.model.layers.impl.ConvStemRuntime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The network's first layer: a plain 1-D convolution with bias, kernel (1, k), stride s and 'same'
 * padding (output length ceil(L / s)), no normalisation or activation (the first residual unit
 * starts with its own; paper Table II: Conv(4, 3, /2)). Accepts {@code [N, C, 1, L]} or
 * {@code [N, C, L]} input and outputs {@code [N, C_out, 1, ceil(L / s)]}.
 */
public class ConvStem extends DrsnLayerConfig {

  private static final long serialVersionUID = 1L;

  @JsonProperty("kernelSize")
  private int kernelSize = 3;
  @JsonProperty("stride")
  private int stride = 2;

  /** For JSON deserialisation. */
  public ConvStem() {
    super();
  }

  /**
   * @param channelsIn  input channels (0: from the input type)
   * @param channelsOut output channels (filters)
   * @param kernelSize  kernel width k
   * @param stride      stride s
   */
  public ConvStem(int channelsIn, int channelsOut, int kernelSize, int stride) {
    super();
    if (channelsIn < 0 || channelsOut <= 0 || kernelSize <= 0 || stride <= 0) {
      throw new IllegalArgumentException("ConvStem needs channelsOut, kernelSize, stride > 0 and channelsIn >= 0; got "
          + channelsIn + ", " + channelsOut + ", " + kernelSize + ", " + stride);
    }
    setNIn(channelsIn);
    setNOut(channelsOut);
    this.kernelSize = kernelSize;
    this.stride = stride;
  }

  public int getKernelSize() {
    return kernelSize;
  }

  public void setKernelSize(int kernelSize) {
    if (kernelSize <= 0) {
      throw new IllegalArgumentException("kernelSize must be positive, got " + kernelSize);
    }
    this.kernelSize = kernelSize;
  }

  public int getStride() {
    return stride;
  }

  public void setStride(int stride) {
    if (stride <= 0) {
      throw new IllegalArgumentException("stride must be positive, got " + stride);
    }
    this.stride = stride;
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    long cIn = getNIn();
    long cOut = getNOut();
    return List.of(
        new ParamSpec("W", new long[] {cOut, cIn, 1, kernelSize}, ParamSpec.Role.WEIGHT, cIn * kernelSize,
            cOut * kernelSize),
        new ParamSpec("b", new long[] {cOut}, ParamSpec.Role.BIAS, 0, 0));
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return wire(new ConvStemRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    long length;
    if (inputType instanceof InputType.InputTypeRecurrent r) {
      length = r.getTimeSeriesLength();
    } else {
      length = requireConvolutional(inputType, getLayerName()).getWidth();
    }
    return InputType.convolutional(1, sameOutputLength(length, stride), getNOut());
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (getNIn() <= 0 || override) {
      if (inputType instanceof InputType.InputTypeRecurrent r) {
        setNIn(r.getSize());
      } else {
        setNIn(requireConvolutional(inputType, getLayerName()).getChannels());
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && o instanceof ConvStem s && kernelSize == s.kernelSize && stride == s.stride;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), kernelSize, stride);
  }
}
