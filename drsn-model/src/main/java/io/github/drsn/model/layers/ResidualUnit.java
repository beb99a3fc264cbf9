package io.github.drsn.model.layers;

import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.NormKind;
import io.github.drsn.model.layers.impl.NormBlock;
import io.github.drsn.model.layers.impl.ResidualUnitRuntime;
import io.github.drsn.model.layers.impl.NormBlock;
import io.github.drsn.model.layers.impl.ResidualUnitRuntime;
import java.util.ArrayList;
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
 * Residual (shrinkage) building unit over the 2-D layout {@code [N, C, 1, L]} (Zhao et al., "Deep
 * Residual Shrinkage Networks for Fault Diagnosis", IEEE TII 16(7), 2020, Fig. 4), as one DL4J
 * layer with a hand-written forward and backward pass.
 *
 * <pre>
 *   x  = conv2(ReLU(norm2(conv1(ReLU(norm1(input)), stride s))))          residual branch, C_out channels
 *   z  = mean_l |x|                                                        per sample and channel, [N, C]
 *   α  = sigmoid(FC2(ReLU(norm_t(FC1(z)))))                                FC1: C→C; FC2: C→C (CW) or C→1 (CS)
 *   τ  = α ⊙ z (CW)   or   τ = α · mean_c z (CS)
 *   y  = sign(x) · max(|x| − τ, 0)                                         soft threshold (eq. 9)
 *   out = y + shortcut(input)
 * </pre>
 * Threshold mode NONE gives a plain pre-activation residual unit (out = x + shortcut); shortcut NONE
 * gives a plain convolution block (ConvNet). Both convolutions use kernel (1, k), 'same' padding
 * (output length ceil(L / s)) and a bias. No normalisation after conv2 and no ReLU after the sum,
 * as in the paper.
 *
 * <p>Optional spatial dropout ({@link #setSpatialDropout}, Tompson et al. 2015), in training only: each channel of
 * h2 = ReLU(norm2(...)), the input of conv2, is dropped whole per sample with probability p and the kept ones are
 * scaled by 1/(1 − p), i.e. conv2(m ⊙ h2 / (1 − p)) with m ∈ {0, 1} per sample and channel. That is where wide
 * residual networks put dropout (between the two convolutions, Zagoruyko and Komodakis 2016), and it leaves the
 * shortcut untouched. At inference the unit is unchanged, and it has no parameters, so bundles and the lean runtime
 * do not know it exists.
 */
public class ResidualUnit extends NormalizedLayerConfig {

  private static final long serialVersionUID = 1L;

  @JsonProperty("kernelSize")
  private int kernelSize = 3;
  @JsonProperty("stride")
  private int stride = 1;
  @JsonProperty("thresholdMode")
  private ThresholdMode thresholdMode = ThresholdMode.CHANNEL_WISE;
  @JsonProperty("shortcut")
  private Shortcut shortcut = Shortcut.ZERO_PAD;
  @JsonProperty("spatialDropout")
  private double spatialDropout = 0;
  /** The threshold sub-network's norm; null (also in configurations written before it existed) = the trunk's. */
  @JsonProperty("thresholdNormalization")
  private NormKind thresholdNormalization;

  /** For JSON deserialisation; use {@link #ResidualUnit(int, int, int, int, ThresholdMode, Shortcut)}. */
  public ResidualUnit() {
    super();
  }

  /**
   * @param channelsIn  input channels C_in (0: inferred from the input type)
   * @param channelsOut output channels C_out
   * @param kernelSize  convolution width k (odd recommended)
   * @param stride      stride s of the first convolution and of the shortcut
   * @param thresholdMode soft thresholding: none, channel-wise or channel-shared
   * @param shortcut    shortcut kind
   */
  public ResidualUnit(int channelsIn, int channelsOut, int kernelSize, int stride, ThresholdMode thresholdMode,
      Shortcut shortcut) {
    super();
    if (channelsIn < 0 || channelsOut <= 0) {
      throw new IllegalArgumentException("channels must be positive, got in=" + channelsIn + " out=" + channelsOut);
    }
    setNIn(channelsIn);
    setNOut(channelsOut);
    setKernelSize(kernelSize);
    setStride(stride);
    setThresholdMode(thresholdMode);
    setShortcut(shortcut);
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

  public ThresholdMode getThresholdMode() {
    return thresholdMode;
  }

  public void setThresholdMode(ThresholdMode thresholdMode) {
    this.thresholdMode = Objects.requireNonNull(thresholdMode, "thresholdMode");
  }

  public Shortcut getShortcut() {
    return shortcut;
  }

  public void setShortcut(Shortcut shortcut) {
    this.shortcut = Objects.requireNonNull(shortcut, "shortcut");
  }

  /** The probability p of dropping a channel of h2 in training; 0 = none. */
  public double getSpatialDropout() {
    return spatialDropout;
  }

  /** @param spatialDropout p in [0, 1) (0 = none) */
  public void setSpatialDropout(double spatialDropout) {
    if (!(spatialDropout >= 0 && spatialDropout < 1)) {
      throw new IllegalArgumentException("--spatial-dropout must be in [0, 1), got " + spatialDropout);
    }
    this.spatialDropout = spatialDropout;
  }

  /** The norm of the threshold sub-network (norm_t): the one set, else the trunk's {@link #getNormalization()}. */
  public NormKind getThresholdNormalization() {
    return thresholdNormalization == null ? getNormalization() : thresholdNormalization;
  }

  /** @param thresholdNormalization norm_t's kind ({@link NormKind#NONE} for none), or null for the trunk's */
  public void setThresholdNormalization(NormKind thresholdNormalization) {
    this.thresholdNormalization = thresholdNormalization;
  }

  /** Number of threshold coefficients α per sample: C_out (CW), 1 (CS), 0 (none). */
  public int thresholdCount() {
    return switch (thresholdMode) {
      case NONE -> 0;
      case CHANNEL_WISE -> (int) getNOut();
      case CHANNEL_SHARED -> 1;
    };
  }

  /** Normalisation before conv1 (over C_in channels). */
  public NormBlock norm1() {
    return new NormBlock("n1", getNormalization(), (int) getNIn(),
        ModelLayout.effectiveGroups((int) getNIn(), getGroups()), getNormEps(), getNormDecay());
  }

  /** Normalisation before conv2 (over C_out channels). */
  public NormBlock norm2() {
    return new NormBlock("n2", getNormalization(), (int) getNOut(),
        ModelLayout.effectiveGroups((int) getNOut(), getGroups()), getNormEps(), getNormDecay());
  }

  /**
   * Normalisation inside the threshold sub-network (over the C_out FC1 features), of kind
   * {@link #getThresholdNormalization()}, or null for {@link NormKind#NONE} (α = sigmoid(FC2(ReLU(FC1(z)))), no
   * parameters). Group norm there keeps at least two features per group (a group of one feature would always
   * normalise to 0).
   */
  public NormBlock normThreshold() {
    if (getThresholdNormalization() == NormKind.NONE) {
      return null;
    }
    int c = (int) getNOut();
    return new NormBlock("tn", getThresholdNormalization(), c, ModelLayout.thresholdGroups(c, getGroups()), getNormEps(),
        getNormDecay());
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    validateChannels();
    long cIn = getNIn();
    long cOut = getNOut();
    long k = kernelSize;
    List<ParamSpec> p = new ArrayList<>(norm1().trainableSpecs());
    p.add(new ParamSpec("c1W", new long[] {cOut, cIn, 1, k}, ParamSpec.Role.WEIGHT, cIn * k, cOut * k));
    p.add(new ParamSpec("c1b", new long[] {cOut}, ParamSpec.Role.BIAS, 0, 0));
    p.addAll(norm2().trainableSpecs());
    p.add(new ParamSpec("c2W", new long[] {cOut, cOut, 1, k}, ParamSpec.Role.WEIGHT, cOut * k, cOut * k));
    p.add(new ParamSpec("c2b", new long[] {cOut}, ParamSpec.Role.BIAS, 0, 0));
    int a = thresholdCount();
    if (a > 0) {
      p.add(new ParamSpec("t1W", new long[] {cOut, cOut}, ParamSpec.Role.WEIGHT, cOut, cOut));
      p.add(new ParamSpec("t1b", new long[] {cOut}, ParamSpec.Role.BIAS, 0, 0));
      if (normThreshold() != null) {
        p.addAll(normThreshold().trainableSpecs());
      }
      p.add(new ParamSpec("t2W", new long[] {cOut, a}, ParamSpec.Role.WEIGHT, cOut, a));
      p.add(new ParamSpec("t2b", new long[] {a}, ParamSpec.Role.BIAS, 0, 0));
    }
    if (shortcut == Shortcut.PROJECTION) {
      p.add(new ParamSpec("scW", new long[] {cOut, cIn, 1, 1}, ParamSpec.Role.WEIGHT, cIn, cOut));
    }
    // State last, so trainable parameters and running statistics form two updater blocks per unit.
    p.addAll(norm1().stateSpecs());
    p.addAll(norm2().stateSpecs());
    if (a > 0 && normThreshold() != null) {
      p.addAll(normThreshold().stateSpecs());
    }
    return p;
  }

  private void validateChannels() {
    if (getNIn() <= 0 || getNOut() <= 0) {
      throw new IllegalStateException("ResidualUnit " + getLayerName() + ": channels not set (in=" + getNIn()
          + ", out=" + getNOut() + ")");
    }
    if (shortcut == Shortcut.ZERO_PAD && getNOut() < getNIn()) {
      throw new IllegalStateException("ResidualUnit " + getLayerName() + ": a ZERO_PAD shortcut cannot narrow "
          + getNIn() + " to " + getNOut() + " channels; use PROJECTION");
    }
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return wire(new ResidualUnitRuntime(conf, networkDataType), conf, listeners, layerIndex, paramsView, initializeParams);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    InputType.InputTypeConvolutional c = requireConvolutional(inputType, getLayerName());
    return InputType.convolutional(1, sameOutputLength(c.getWidth(), stride), getNOut());
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    InputType.InputTypeConvolutional c = requireConvolutional(inputType, getLayerName());
    if (getNIn() <= 0 || override) {
      setNIn(c.getChannels());
    }
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && o instanceof ResidualUnit u && kernelSize == u.kernelSize && stride == u.stride
        && thresholdMode == u.thresholdMode && shortcut == u.shortcut
        && getThresholdNormalization() == u.getThresholdNormalization();
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), kernelSize, stride, thresholdMode, shortcut, getThresholdNormalization());
  }

  /** Sets the normalisation kind and requested group count; returns this unit for chaining. */
  public ResidualUnit normalization(NormKind normalization, int groups) {
    setNormalization(normalization);
    setGroups(groups);
    return this;
  }
}
