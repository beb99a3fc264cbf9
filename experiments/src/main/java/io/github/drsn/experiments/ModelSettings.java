package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.Optimizer;
import io.github.drsn.model.schedule.Schedules;
import io.github.drsn.model.schedule.StepDecaySchedule;
import java.util.List;

/**
 * Which network, its sizes, and how it is optimised. Defaults ({@link #DEFAULTS}) are the paper's Table II and
 * Sec. III-B, as in {@code drsn train}.
 *
 * @param architecture drsn-cw, drsn-cs, resnet or convnet
 * @param norm batch or group normalisation everywhere
 * @param groups groups of GroupNorm
 * @param channels channels per stage
 * @param units residual units per stage
 * @param kernel convolution kernel width
 * @param shortcut the widening shortcut
 * @param optimizer the optimiser
 * @param schedule the learning-rate schedule's text (see {@link Schedules#parse}); null means the paper's
 *     0.1/0.01/0.001 steps at 40 %/80 % of the epochs
 * @param momentum momentum of SGD
 * @param l2 L2 weight decay
 * @param l2Bias L2 on biases and normalisation gamma/beta
 * @param weightInit the weight initialisation
 * @param thresholdNorm the norm inside the threshold sub-networks; null (the default, and not written) means
 *     {@code norm}'s, {@code none} no norm there (see {@link ModelLayout#thresholdNormalization()})
 */
@JsonPropertyOrder({"architecture", "norm", "groups", "channels", "units", "kernel", "shortcut", "optimizer",
    "schedule", "momentum", "l2", "l2_bias", "weight_init", "threshold_norm"})
public record ModelSettings(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("norm") Norm norm,
    @JsonProperty("groups") int groups,
    @JsonProperty("channels") List<Integer> channels,
    @JsonProperty("units") int units,
    @JsonProperty("kernel") int kernel,
    @JsonProperty("shortcut") Shortcut shortcut,
    @JsonProperty("optimizer") Optimizer optimizer,
    @JsonProperty("schedule") String schedule,
    @JsonProperty("momentum") double momentum,
    @JsonProperty("l2") double l2,
    @JsonProperty("l2_bias") double l2Bias,
    @JsonProperty("weight_init") WeightInit weightInit,
    @JsonProperty("threshold_norm") @JsonInclude(JsonInclude.Include.NON_NULL) Norm thresholdNorm) {

  /** The architecture names, in the order of the paper. */
  public static final List<String> ARCHITECTURES =
      java.util.Arrays.stream(Architecture.values()).map(Architecture::label).toList();

  /** {@code drsn train}'s defaults: DRSN-CW, BatchNorm, channels 4,8,16 with 4 units each, SGD with momentum. */
  public static final ModelSettings DEFAULTS = new ModelSettings("drsn-cw", Norm.batch, 2, List.of(4, 8, 16), 4, 3,
      Shortcut.ZERO_PAD, Optimizer.SGD_MOMENTUM, null, 0.9, 1e-4, 0, WeightInit.HE, null);

  /** Normalisation layers. */
  public enum Norm {
    batch(NormKind.BATCH_NORM),
    group(NormKind.GROUP_NORM),
    /** No norm: only for {@code threshold_norm}. */
    none(NormKind.NONE);

    private final NormKind kind;

    Norm(NormKind kind) {
      this.kind = kind;
    }

    /** The model's normalisation kind. */
    public NormKind kind() {
      return kind;
    }
  }

  /** The weight initialisations worth choosing here (DL4J has many more). */
  public enum WeightInit {
    /** He et al.: N(0, 2/fan_in), DL4J {@code RELU}; the default. */
    HE(org.deeplearning4j.nn.weights.WeightInit.RELU),
    /** U(−1/√fan_in, 1/√fan_in), DL4J {@code UNIFORM}: PyTorch's default for conv and linear weights. */
    PYTORCH(org.deeplearning4j.nn.weights.WeightInit.UNIFORM),
    /** Glorot and Bengio: N(0, 2/(fan_in + fan_out)), DL4J {@code XAVIER}. */
    XAVIER(org.deeplearning4j.nn.weights.WeightInit.XAVIER);

    private final org.deeplearning4j.nn.weights.WeightInit dl4j;

    WeightInit(org.deeplearning4j.nn.weights.WeightInit dl4j) {
      this.dl4j = dl4j;
    }

    /** DL4J's initialisation. */
    public org.deeplearning4j.nn.weights.WeightInit dl4j() {
      return dl4j;
    }
  }

  /**
   * Checks the settings: a known architecture, a schedule that parses, positive sizes.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public ModelSettings {
    if (architecture == null || !ARCHITECTURES.contains(architecture)) {
      throw new IllegalArgumentException("unknown model '" + architecture + "' (expected drsn-cw, drsn-cs, resnet"
          + " or convnet)");
    }
    if (norm == null || shortcut == null || optimizer == null || weightInit == null) {
      throw new IllegalArgumentException("model.norm, model.shortcut, model.optimizer and model.weight_init must"
          + " not be null");
    }
    if (norm == Norm.none) {
      throw new IllegalArgumentException("model.norm none: no norm is only for the threshold sub-networks"
          + " (model.threshold_norm); model.norm must be batch or group");
    }
    if (channels == null || channels.isEmpty() || channels.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("model.channels needs one channel count per stage, got " + channels);
    }
    channels = List.copyOf(channels);
    if (schedule != null) {
      try {
        Schedules.parse(schedule);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("model.schedule: " + e.getMessage(), e);
      }
    }
    // The sizes, against the bundle format's limits, before any data is loaded or any network is built: the
    // paper's input of 1 x 2048 and two classes stand in for the data's, which cannot make a valid size invalid.
    try {
      new ModelLayout(Architecture.parse(architecture), 2048, 1,
          channels.stream().mapToInt(Integer::intValue).toArray(), units, kernel, 2, 2, norm.kind(), groups,
          shortcut, (thresholdNorm == null ? norm : thresholdNorm).kind()); // fields are not set yet here
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model: " + e.getMessage(), e);
    }
  }

  /** These settings with another learning-rate schedule's text (null: the paper's steps over the run's epochs). */
  public ModelSettings withSchedule(String schedule) {
    return new ModelSettings(architecture, norm, groups, channels, units, kernel, shortcut, optimizer, schedule,
        momentum, l2, l2Bias, weightInit, thresholdNorm);
  }

  /** The threshold sub-networks' norm in force: {@link #thresholdNorm()}, else {@link #norm()}'s. */
  public NormKind thresholdNormKind() {
    return (thresholdNorm == null ? norm : thresholdNorm).kind();
  }

  /** The network of {@link #architecture()}. */
  public Architecture architectureKind() {
    return Architecture.parse(architecture);
  }

  /**
   * The schedule text in force: {@link #schedule()}, or the paper's steps over {@code epochs}
   * ({@link StepDecaySchedule#paperSteps(int)}).
   */
  public String scheduleText(int epochs) {
    if (schedule != null) {
      return schedule;
    }
    return StepDecaySchedule.paperSteps(epochs).epochStepText();
  }

  /** The network specification for inputs of {@code channels} × {@code length} and {@code classes} outputs. */
  public ModelSpec spec(int inputChannels, int inputLength, int classes, long seed, int epochs) {
    return ModelSpec.builder()
        .inputLength(inputLength)
        .inputChannels(inputChannels)
        .stageChannels(channels.stream().mapToInt(Integer::intValue).toArray())
        .unitsPerStage(units)
        .kernelSize(kernel)
        .classes(classes)
        .normalization(norm.kind())
        .groups(groups)
        .thresholdNormalization(thresholdNormKind())
        .shortcut(shortcut)
        .seed(seed)
        .optimizer(optimizer)
        .learningRate(Schedules.parse(scheduleText(epochs)))
        .momentum(momentum)
        .l2(l2)
        .l2Bias(l2Bias)
        .weightInit(weightInit.dl4j())
        .build();
  }
}
