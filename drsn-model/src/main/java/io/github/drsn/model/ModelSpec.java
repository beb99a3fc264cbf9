package io.github.drsn.model;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.ModelLayout;

import io.github.drsn.contract.NormKind;

import io.github.drsn.contract.Shortcut;
import io.github.drsn.model.schedule.StepDecaySchedule;
import io.github.drsn.model.train.TrainingRecipe;
import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Every size and training setting of a DRSN-family network. Defaults are the paper's Table II and
 * Sec. III-B (Zhao et al., IEEE TII 2020): input 1 x 2048, stem Conv(4, width 3, stride 2), three
 * stages of four units with 4/8/16 channels (the first unit of each stage has stride 2), kernel
 * width 3, batch norm, zero-padded shortcuts; SGD with momentum 0.9, learning rate 0.1 / 0.01 /
 * 0.001 from epochs 0 / 40 / 80, L2 1e-4, He initialisation. Immutable; use {@link #builder()}.
 *
 * <p>Input layout: features {@code [N, inputChannels, 1, inputLength]} (NCHW with height 1); the
 * stem also accepts {@code [N, inputChannels, inputLength]}. Labels: one-hot {@code [N, classes]}.
 */
public final class ModelSpec {

  private final int inputLength;
  private final int inputChannels;
  private final int[] stageChannels;
  private final int unitsPerStage;
  private final int kernelSize;
  private final int stemStride;
  private final int classes;
  private final NormKind normalization;
  private final int groups;
  /** The threshold sub-networks' norm, or null for the trunk's. */
  private final NormKind thresholdNormalization;
  private final Shortcut shortcut;
  private final long seed;
  private final Optimizer optimizer;
  private final ISchedule learningRate;
  private final double momentum;
  private final double l2;
  private final double l2Bias;
  private final WeightInit weightInit;
  private final DataType dataType;
  private final TrainingRecipe recipe;

  private ModelSpec(Builder b) {
    this.inputLength = b.inputLength;
    this.inputChannels = b.inputChannels;
    this.stageChannels = b.stageChannels.clone();
    this.unitsPerStage = b.unitsPerStage;
    this.kernelSize = b.kernelSize;
    this.stemStride = b.stemStride;
    this.classes = b.classes;
    this.normalization = b.normalization;
    this.groups = b.groups;
    this.thresholdNormalization = b.thresholdNormalization;
    this.shortcut = b.shortcut;
    this.seed = b.seed;
    this.optimizer = b.optimizer;
    this.learningRate = b.learningRate;
    this.momentum = b.momentum;
    this.l2 = b.l2;
    this.l2Bias = b.l2Bias;
    this.weightInit = b.weightInit;
    this.dataType = b.dataType;
    this.recipe = b.recipe;
  }

  /** A builder holding the paper's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The paper's Table II network for {@code classes} classes. */
  public static ModelSpec paper(int classes) {
    return builder().classes(classes).build();
  }

  /**
   * The network {@code architecture} with this spec's sizes, as a bundle records it.
   *
   * @throws IllegalArgumentException if a size is beyond {@link ModelLayout#LIMITS}
   */
  public ModelLayout layout(Architecture architecture) {
    return new ModelLayout(architecture, inputLength, inputChannels, stageChannels, unitsPerStage, kernelSize,
        stemStride, classes, normalization, groups, shortcut, thresholdNormalization());
  }

  /**
   * A spec with the sizes of {@code layout} and the other settings of the paper's defaults, for rebuilding a
   * trained network (whose training settings no longer matter) in {@code dataType}.
   */
  public static ModelSpec of(ModelLayout layout, DataType dataType) {
    return builder()
        .inputLength(layout.inputLength())
        .inputChannels(layout.inputChannels())
        .stageChannels(layout.stageChannels())
        .unitsPerStage(layout.unitsPerStage())
        .kernelSize(layout.kernelSize())
        .stemStride(layout.stemStride())
        .classes(layout.classes())
        .normalization(layout.normalization())
        .groups(layout.groups())
        .thresholdNormalization(layout.thresholdNormalization())
        .shortcut(layout.shortcut() == Shortcut.NONE ? Shortcut.ZERO_PAD : layout.shortcut())
        .dataType(dataType)
        .build();
  }

  /** A builder initialised from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.inputLength = inputLength;
    b.inputChannels = inputChannels;
    b.stageChannels = stageChannels.clone();
    b.unitsPerStage = unitsPerStage;
    b.kernelSize = kernelSize;
    b.stemStride = stemStride;
    b.classes = classes;
    b.normalization = normalization;
    b.groups = groups;
    b.thresholdNormalization = thresholdNormalization;
    b.shortcut = shortcut;
    b.seed = seed;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.momentum = momentum;
    b.l2 = l2;
    b.l2Bias = l2Bias;
    b.weightInit = weightInit;
    b.dataType = dataType;
    b.recipe = recipe;
    return b;
  }

  /** Samples per input window L. */
  public int inputLength() {
    return inputLength;
  }

  /** Input channels (1 for a single vibration signal). */
  public int inputChannels() {
    return inputChannels;
  }

  /** Channels of each stage; the stem has the first stage's channels. */
  public int[] stageChannels() {
    return stageChannels.clone();
  }

  /** Residual units per stage. */
  public int unitsPerStage() {
    return unitsPerStage;
  }

  /** Convolution kernel width k. */
  public int kernelSize() {
    return kernelSize;
  }

  /** Stride of the stem convolution. */
  public int stemStride() {
    return stemStride;
  }

  /** Number of classes of the softmax output. */
  public int classes() {
    return classes;
  }

  /** Normalisation used everywhere. */
  public NormKind normalization() {
    return normalization;
  }

  /** Requested group count for group norm (each norm uses the largest divisor of its channel count not above it). */
  public int groups() {
    return groups;
  }

  /** Normalisation inside the threshold sub-networks: the one set, else {@link #normalization()}. */
  public NormKind thresholdNormalization() {
    return thresholdNormalization == null ? normalization : thresholdNormalization;
  }

  /** Shortcut of strided or widening units (ZERO_PAD or PROJECTION); ConvNet has none. */
  public Shortcut shortcut() {
    return shortcut;
  }

  /** Seed of weight initialisation. */
  public long seed() {
    return seed;
  }

  /** The optimiser. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** Learning-rate schedule (any {@link ISchedule}; custom ones must implement equals/hashCode). */
  public ISchedule learningRate() {
    return learningRate;
  }

  /** Momentum of {@link Optimizer#SGD_MOMENTUM}. */
  public double momentum() {
    return momentum;
  }

  /** L2 coefficient λ on convolution and dense weights (gradient term λ·w). */
  public double l2() {
    return l2;
  }

  /**
   * L2 coefficient on biases and normalisation γ/β (0 by default, as the DRSN authors' TFLearn code; PyTorch's
   * {@code weight_decay} decays them with the same λ as the weights). Running statistics are never decayed.
   */
  public double l2Bias() {
    return l2Bias;
  }

  /** Weight initialisation of convolution and dense weights. */
  public WeightInit weightInit() {
    return weightInit;
  }

  /** Floating-point type of parameters and activations. */
  public DataType dataType() {
    return dataType;
  }

  /**
   * The training recipes (label smoothing, focal loss, flooding, dropout before the classifier, weight EMA);
   * {@link TrainingRecipe#BASELINE} by default. They change training only: a network's parameters and its
   * {@link #layout} are the same with any recipe.
   */
  public TrainingRecipe recipe() {
    return recipe;
  }

  /** Length of the feature maps after the stem and each stage ('same' convolutions, ceil division). */
  public int finalLength() {
    int l = (inputLength + stemStride - 1) / stemStride;
    for (int i = 0; i < stageChannels.length; i++) {
      l = (l + 1) / 2;
    }
    return l;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m && inputLength == m.inputLength && inputChannels == m.inputChannels
        && Arrays.equals(stageChannels, m.stageChannels) && unitsPerStage == m.unitsPerStage
        && kernelSize == m.kernelSize && stemStride == m.stemStride && classes == m.classes
        && normalization == m.normalization && groups == m.groups && thresholdNormalization() == m.thresholdNormalization() && shortcut == m.shortcut
        && seed == m.seed
        && optimizer == m.optimizer && learningRate.equals(m.learningRate) && momentum == m.momentum
        && l2 == m.l2 && l2Bias == m.l2Bias && weightInit == m.weightInit && dataType == m.dataType
        && recipe.equals(m.recipe);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputLength, Arrays.hashCode(stageChannels), unitsPerStage, kernelSize, classes,
        normalization, groups, thresholdNormalization(), shortcut, seed, optimizer, learningRate);
  }

  @Override
  public String toString() {
    return "ModelSpec{inputLength=" + inputLength + ", inputChannels=" + inputChannels + ", stageChannels="
        + Arrays.toString(stageChannels) + ", unitsPerStage=" + unitsPerStage + ", kernelSize=" + kernelSize
        + ", stemStride=" + stemStride + ", classes=" + classes + ", normalization=" + normalization + ", groups="
        + groups + ", thresholdNormalization=" + thresholdNormalization() + ", shortcut=" + shortcut + ", seed=" + seed + ", optimizer=" + optimizer + ", learningRate="
        + learningRate + ", momentum=" + momentum + ", l2=" + l2 + ", l2Bias=" + l2Bias + ", weightInit=" + weightInit + ", dataType="
        + dataType + ", recipe=" + recipe + "}";
  }

  /** Builder of {@link ModelSpec}; every setter validates its argument. */
  public static final class Builder {
    private int inputLength = 2048;
    private int inputChannels = 1;
    private int[] stageChannels = {4, 8, 16};
    private int unitsPerStage = 4;
    private int kernelSize = 3;
    private int stemStride = 2;
    private int classes = 10;
    private NormKind normalization = NormKind.BATCH_NORM;
    private int groups = 2;
    private NormKind thresholdNormalization;
    private Shortcut shortcut = Shortcut.ZERO_PAD;
    private long seed = 42;
    private Optimizer optimizer = Optimizer.SGD_MOMENTUM;
    private ISchedule learningRate = StepDecaySchedule.paper();
    private double momentum = 0.9;
    private double l2 = 1e-4;
    private double l2Bias = 0;
    private WeightInit weightInit = WeightInit.RELU;
    private DataType dataType = DataType.FLOAT;
    private TrainingRecipe recipe = TrainingRecipe.BASELINE;

    private Builder() {
    }

    private static int positive(String name, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + v);
      }
      return v;
    }

    /** Samples per input window L (default 2048). */
    public Builder inputLength(int v) {
      inputLength = positive("inputLength", v);
      return this;
    }

    /** Input channels (default 1). */
    public Builder inputChannels(int v) {
      inputChannels = positive("inputChannels", v);
      return this;
    }

    /** Channels of each stage, one entry per stage (default 4, 8, 16). */
    public Builder stageChannels(int... v) {
      if (v == null || v.length == 0) {
        throw new IllegalArgumentException("stageChannels must list at least one stage");
      }
      for (int c : v) {
        positive("stageChannels entry", c);
      }
      stageChannels = v.clone();
      return this;
    }

    /** Residual units per stage; the first of each stage has stride 2 (default 4). */
    public Builder unitsPerStage(int v) {
      unitsPerStage = positive("unitsPerStage", v);
      return this;
    }

    /** Convolution kernel width k (default 3). */
    public Builder kernelSize(int v) {
      kernelSize = positive("kernelSize", v);
      return this;
    }

    /** Stride of the stem convolution (default 2). */
    public Builder stemStride(int v) {
      stemStride = positive("stemStride", v);
      return this;
    }

    /** Number of output classes, at least 2 (default 10, the CWRU benchmark). */
    public Builder classes(int v) {
      if (v < 2) {
        throw new IllegalArgumentException("classes must be at least 2, got " + v);
      }
      classes = v;
      return this;
    }

    /** Normalisation used everywhere (default batch norm); {@link NormKind#NONE} is refused (threshold only). */
    public Builder normalization(NormKind v) {
      if (Objects.requireNonNull(v, "normalization") == NormKind.NONE) {
        throw new IllegalArgumentException("normalization NONE is only for the threshold sub-networks"
            + " (thresholdNormalization); the trunk and head need BATCH_NORM or GROUP_NORM");
      }
      normalization = v;
      return this;
    }

    /** Requested group count for group norm (default 2). */
    public Builder groups(int v) {
      groups = positive("groups", v);
      return this;
    }

    /**
     * Normalisation inside the threshold sub-networks (default null: the trunk's {@link #normalization}). Batch
     * norm there under a group-norm trunk keeps the per-window level of FC1(z) that group norm over a window's
     * own features removes; so does {@link NormKind#NONE}, without batch statistics.
     */
    public Builder thresholdNormalization(NormKind v) {
      thresholdNormalization = v;
      return this;
    }

    /** Shortcut of strided or widening units: ZERO_PAD (default) or PROJECTION. */
    public Builder shortcut(Shortcut v) {
      if (v == null || v == Shortcut.NONE) {
        throw new IllegalArgumentException("shortcut must be ZERO_PAD or PROJECTION (ConvNet drops it itself), got "
            + v);
      }
      shortcut = v;
      return this;
    }

    /** Seed of weight initialisation (default 42). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Optimiser (default SGD with Nesterov momentum). */
    public Builder optimizer(Optimizer v) {
      optimizer = Objects.requireNonNull(v, "optimizer");
      return this;
    }

    /** Learning-rate schedule (default: {@link StepDecaySchedule#paper()}, 0.1 / 0.01 / 0.001 at epochs 0 / 40 / 80). */
    public Builder learningRate(ISchedule v) {
      learningRate = Objects.requireNonNull(v, "learningRate");
      return this;
    }

    /** Momentum in [0, 1) for SGD_MOMENTUM (default 0.9). */
    public Builder momentum(double v) {
      if (!(v >= 0 && v < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + v);
      }
      momentum = v;
      return this;
    }

    /** L2 coefficient on weights (default 1e-4). */
    public Builder l2(double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("l2 must be a finite non-negative number, got " + v);
      }
      l2 = v;
      return this;
    }

    /** L2 on biases and normalisation γ/β (see {@link ModelSpec#l2Bias()}). */
    public Builder l2Bias(double v) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("l2Bias must be a finite non-negative number, got " + v);
      }
      l2Bias = v;
      return this;
    }

    /** Initialisation of convolution and dense weights (default He, WeightInit.RELU). */
    public Builder weightInit(WeightInit v) {
      weightInit = Objects.requireNonNull(v, "weightInit");
      return this;
    }

    /** Floating-point type of parameters and activations (default FLOAT). */
    public Builder dataType(DataType v) {
      if (v == null || !v.isFPType()) {
        throw new IllegalArgumentException("dataType must be a floating-point type, got " + v);
      }
      dataType = v;
      return this;
    }

    /** Training recipes (default {@link TrainingRecipe#BASELINE}: none). */
    public Builder recipe(TrainingRecipe v) {
      recipe = Objects.requireNonNull(v, "recipe");
      return this;
    }

    /** The spec. */
    public ModelSpec build() {
      return new ModelSpec(this);
    }
  }
}
