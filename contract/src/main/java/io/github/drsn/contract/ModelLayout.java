package io.github.drsn.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The network a bundle describes (its {@code architecture} and {@code model} sections) and the layout of its flat
 * parameter vector: layer 0 the stem, then {@code stages × unitsPerStage} residual units, the normalise-ReLU-pool
 * head and the softmax output layer; parameter {@code "<layer>_<name>"} in each layer's declared order (the order
 * of DL4J's {@code MultiLayerNetwork.paramTable()} for the network drsn-model builds from this layout, which its
 * parity test checks). Sizes are checked against {@link #LIMITS} before anything is allocated, so a bundle cannot
 * ask for an absurd network.
 *
 * @param architecture the network family
 * @param inputLength values per channel at the input
 * @param inputChannels input channels
 * @param stageChannels channels per stage
 * @param unitsPerStage residual units per stage (the first of each has stride 2)
 * @param kernelSize convolution width
 * @param stemStride stride of the first convolution
 * @param classes output classes
 * @param normalization batch or group norm, everywhere in the network ({@link NormKind#NONE} is refused here)
 * @param groups requested groups for group norm
 * @param shortcut shortcut of residual units as configured (see {@link #unitShortcut()})
 * @param thresholdNormalization the norm inside the threshold sub-networks (α = sigmoid(FC2(ReLU(norm(FC1(z)))))):
 *     by default the trunk's; batch norm there with a group-norm trunk keeps the level of FC1(z) that group norm
 *     over a sample's own features removes (the level is what lets α differ between windows); {@link NormKind#NONE}
 *     (no norm, no parameters) keeps it too and makes the network free of batch statistics under a group-norm trunk
 */
public record ModelLayout(Architecture architecture, int inputLength, int inputChannels, int[] stageChannels,
    int unitsPerStage, int kernelSize, int stemStride, int classes, NormKind normalization, int groups,
    Shortcut shortcut, NormKind thresholdNormalization) {

  /** ε added to every variance (DL4J's and PyTorch's default). */
  public static final double NORM_EPS = 1e-5;

  /**
   * Upper bounds on every size, far above any network of the paper's family (Table II: 1×2048 input, 4/8/16
   * channels, 4 units per stage, kernel 3), so that a corrupt or hostile file fails here instead of in an
   * allocation of gigabytes.
   */
  public record Limits(int inputLength, int inputChannels, int stages, int channels, int unitsPerStage,
      int kernelSize, int classes, long parameters, long activations) {
  }

  /** The limits every layout is checked against. */
  public static final Limits LIMITS = new Limits(1 << 22, 64, 16, 4096, 64, 1025, 10_000, 10_000_000L, 1L << 26);

  /** One named parameter array. */
  public record Param(String name, int[] shape) {
    /** Number of values. */
    public int size() {
      int n = 1;
      for (int d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Param p && name.equals(p.name) && Arrays.equals(shape, p.shape);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape);
    }
  }

  /**
   * Validates the sizes against {@link #LIMITS}.
   *
   * @throws IllegalArgumentException naming the size that is out of range and its bounds
   */
  public ModelLayout {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(shortcut, "shortcut");
    Objects.requireNonNull(thresholdNormalization, "thresholdNormalization");
    if (normalization == NormKind.NONE) {
      throw new IllegalArgumentException("normalization NONE is only for the threshold sub-networks (threshold"
          + " normalization); the trunk and head need BATCH_NORM or GROUP_NORM");
    }
    stageChannels = stageChannels.clone();
    within("input length", inputLength, LIMITS.inputLength());
    within("input channels", inputChannels, LIMITS.inputChannels());
    within("number of stages", stageChannels.length, LIMITS.stages());
    for (int c : stageChannels) {
      within("stage channels", c, LIMITS.channels());
    }
    within("units per stage", unitsPerStage, LIMITS.unitsPerStage());
    within("kernel size", kernelSize, LIMITS.kernelSize());
    within("stem stride", stemStride, inputLength);
    within("classes", classes, LIMITS.classes());
    within("groups", groups, LIMITS.channels());
    long count = 0;
    for (Param p : parameters(architecture, inputChannels, stageChannels, unitsPerStage, kernelSize, classes,
        normalization, thresholdNormalization, residualShortcut(architecture, shortcut))) {
      long size = 1;
      for (int d : p.shape()) {
        size *= d; // every factor is within LIMITS, so four of them cannot overflow a long
      }
      count += size;
    }
    if (count > LIMITS.parameters()) {
      throw new IllegalArgumentException("the network would have " + count + " parameters, more than the limit of "
          + LIMITS.parameters());
    }
    // The widest feature map bounds the memory of a forward pass (a few parameters can ask for a huge one).
    long widest = inputChannels;
    for (int c : stageChannels) {
      widest = Math.max(widest, c);
    }
    long activations = (long) inputLength * widest;
    if (activations > LIMITS.activations()) {
      throw new IllegalArgumentException("an input of " + inputLength + " values through " + widest + " channels"
          + " makes feature maps of " + activations + " values, more than the limit of " + LIMITS.activations());
    }
  }

  /** A layout whose threshold sub-networks use the trunk's norm ({@code normalization}). */
  public ModelLayout(Architecture architecture, int inputLength, int inputChannels, int[] stageChannels,
      int unitsPerStage, int kernelSize, int stemStride, int classes, NormKind normalization, int groups,
      Shortcut shortcut) {
    this(architecture, inputLength, inputChannels, stageChannels, unitsPerStage, kernelSize, stemStride, classes,
        normalization, groups, shortcut, normalization);
  }

  private static void within(String what, int value, long max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(what + " must be between 1 and " + max + ", got " + value);
    }
  }

  /** Whether the network uses group norm (else batch norm). */
  public boolean groupNorm() {
    return normalization == NormKind.GROUP_NORM;
  }

  /** The shortcut residual units actually have: {@link Shortcut#NONE} for a non-residual architecture (ConvNet). */
  public Shortcut unitShortcut() {
    return residualShortcut(architecture, shortcut);
  }

  private static Shortcut residualShortcut(Architecture architecture, Shortcut shortcut) {
    return architecture.residual() ? shortcut : Shortcut.NONE;
  }

  @Override
  public int[] stageChannels() {
    return stageChannels.clone();
  }

  /** Groups a norm over {@code channels} uses for a request: the largest divisor not above it (the one rule for both the DL4J layers and the lean runtime). */
  public static int effectiveGroups(int channels, int requested) {
    int g = Math.max(1, Math.min(requested, channels));
    while (channels % g != 0) {
      g--;
    }
    return g;
  }

  /** Whether the threshold sub-networks' norm is group norm. */
  public boolean thresholdGroupNorm() {
    return thresholdNormalization == NormKind.GROUP_NORM;
  }

  /** Groups of the threshold sub-network's norm over C features: at least two features per group. */
  public int thresholdGroups(int channels) {
    return thresholdGroups(channels, groups);
  }

  /**
   * Groups of a threshold sub-network's norm over {@code channels} features for a requested group count: at most
   * half the features, since a group of one feature would always normalise to 0.
   */
  public static int thresholdGroups(int channels, int requested) {
    return effectiveGroups(channels, Math.min(requested, Math.max(1, channels / 2)));
  }

  /** Number of residual units. */
  public int unitCount() {
    return stageChannels.length * unitsPerStage;
  }

  /** Output channels of unit {@code u} (0-based). */
  public int unitChannels(int u) {
    return stageChannels[u / unitsPerStage];
  }

  /** Input channels of unit {@code u}. */
  public int unitInputChannels(int u) {
    return u == 0 ? stageChannels[0] : unitChannels(u - 1);
  }

  /** Stride of unit {@code u}: 2 for the first of a stage. */
  public int unitStride(int u) {
    return u % unitsPerStage == 0 ? 2 : 1;
  }

  private static int thresholdCount(Architecture architecture, int channels) {
    return switch (architecture.thresholdMode()) {
      case NONE -> 0;
      case CHANNEL_WISE -> channels;
      case CHANNEL_SHARED -> 1;
    };
  }

  /** Alphas per sample of a unit with {@code channels} outputs. */
  public int thresholdCount(int channels) {
    return thresholdCount(architecture, channels);
  }

  /** The parameter arrays in flat order, named as DL4J's {@code MultiLayerNetwork.paramTable()} names them. */
  public List<Param> parameters() {
    return parameters(architecture, inputChannels, stageChannels, unitsPerStage, kernelSize, classes, normalization,
        thresholdNormalization, unitShortcut());
  }

  private static List<Param> parameters(Architecture architecture, int inputChannels, int[] stageChannels,
      int unitsPerStage, int kernelSize, int classes, NormKind normalization, NormKind thresholdNormalization,
      Shortcut shortcut) {
    boolean groupNorm = normalization == NormKind.GROUP_NORM;
    int unitCount = stageChannels.length * unitsPerStage;
    List<Param> p = new ArrayList<>();
    int c0 = stageChannels[0];
    p.add(new Param("0_W", new int[] {c0, inputChannels, 1, kernelSize}));
    p.add(new Param("0_b", new int[] {c0}));
    for (int u = 0; u < unitCount; u++) {
      String l = (u + 1) + "_";
      int cout = stageChannels[u / unitsPerStage];
      int cin = u == 0 ? stageChannels[0] : stageChannels[(u - 1) / unitsPerStage];
      int a = thresholdCount(architecture, cout);
      p.add(new Param(l + "n1Gamma", new int[] {cin}));
      p.add(new Param(l + "n1Beta", new int[] {cin}));
      p.add(new Param(l + "c1W", new int[] {cout, cin, 1, kernelSize}));
      p.add(new Param(l + "c1b", new int[] {cout}));
      p.add(new Param(l + "n2Gamma", new int[] {cout}));
      p.add(new Param(l + "n2Beta", new int[] {cout}));
      p.add(new Param(l + "c2W", new int[] {cout, cout, 1, kernelSize}));
      p.add(new Param(l + "c2b", new int[] {cout}));
      if (a > 0) {
        p.add(new Param(l + "t1W", new int[] {cout, cout}));
        p.add(new Param(l + "t1b", new int[] {cout}));
        if (thresholdNormalization != NormKind.NONE) {
          p.add(new Param(l + "tnGamma", new int[] {cout}));
          p.add(new Param(l + "tnBeta", new int[] {cout}));
        }
        p.add(new Param(l + "t2W", new int[] {cout, a}));
        p.add(new Param(l + "t2b", new int[] {a}));
      }
      if (shortcut == Shortcut.PROJECTION) {
        p.add(new Param(l + "scW", new int[] {cout, cin, 1, 1}));
      }
      if (!groupNorm) {
        p.add(new Param(l + "n1Mean", new int[] {cin}));
        p.add(new Param(l + "n1Var", new int[] {cin}));
        p.add(new Param(l + "n2Mean", new int[] {cout}));
        p.add(new Param(l + "n2Var", new int[] {cout}));
      }
      if (thresholdNormalization == NormKind.BATCH_NORM && a > 0) {
        p.add(new Param(l + "tnMean", new int[] {cout}));
        p.add(new Param(l + "tnVar", new int[] {cout}));
      }
    }
    int last = stageChannels[stageChannels.length - 1];
    String h = (unitCount + 1) + "_";
    p.add(new Param(h + "nGamma", new int[] {last}));
    p.add(new Param(h + "nBeta", new int[] {last}));
    if (!groupNorm) {
      p.add(new Param(h + "nMean", new int[] {last}));
      p.add(new Param(h + "nVar", new int[] {last}));
    }
    String o = (unitCount + 2) + "_";
    p.add(new Param(o + "W", new int[] {last, classes}));
    p.add(new Param(o + "b", new int[] {classes}));
    return p;
  }

  /**
   * Where each parameter array starts in the flat vector ({@link #parameters()} order), by name.
   *
   * @param flatLength the length of the flat vector the caller holds
   * @throws IllegalArgumentException if it is not {@link #parameterCount()}
   */
  public java.util.Map<String, Integer> parameterOffsets(int flatLength) {
    java.util.Map<String, Integer> offsets = new java.util.HashMap<>();
    int offset = 0;
    for (Param p : parameters()) {
      offsets.put(p.name(), offset);
      offset += p.size();
    }
    if (offset != flatLength) {
      throw new IllegalArgumentException("the parameter vector has " + flatLength + " values, " + this + " has "
          + offset);
    }
    return offsets;
  }

  /** Total number of parameters. */
  public int parameterCount() {
    int n = 0;
    for (Param p : parameters()) {
      n += p.size();
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelLayout m && architecture == m.architecture && inputLength == m.inputLength
        && inputChannels == m.inputChannels && Arrays.equals(stageChannels, m.stageChannels)
        && unitsPerStage == m.unitsPerStage && kernelSize == m.kernelSize && stemStride == m.stemStride
        && classes == m.classes && normalization == m.normalization && groups == m.groups && shortcut == m.shortcut
        && thresholdNormalization == m.thresholdNormalization;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {architecture, inputLength, inputChannels, Arrays.hashCode(stageChannels),
        unitsPerStage, kernelSize, stemStride, classes, normalization, groups, shortcut, thresholdNormalization});
  }

  @Override
  public String toString() {
    return architecture.label() + " input " + inputChannels + "x" + inputLength + ", stages "
        + Arrays.toString(stageChannels) + " x " + unitsPerStage + ", kernel " + kernelSize + ", stem stride "
        + stemStride + ", " + classes + " classes, " + (groupNorm() ? "group norm (" + groups + ")" : "batch norm")
        + (thresholdNormalization == normalization ? ""
            : ", " + switch (thresholdNormalization) {
              case BATCH_NORM -> "batch";
              case GROUP_NORM -> "group";
              case NONE -> "no";
            } + " norm in the threshold sub-networks")
        + ", shortcut " + shortcut;
  }
}
