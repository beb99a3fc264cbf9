package io.github.drsn.runtime.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The network a bundle describes (its {@code architecture} and {@code model} sections) and the layout of its
 * flat parameter vector, derived exactly as drsn-model's {@code DrsnModels} builds it: layer 0 the stem, then
 * {@code stages × unitsPerStage} residual units, the normalise-ReLU-pool head and the softmax output layer;
 * parameter {@code "<layer>_<name>"} in each layer's declared order.
 *
 * @param architecture the network family
 * @param inputLength values per channel at the input
 * @param inputChannels input channels
 * @param stageChannels channels per stage
 * @param unitsPerStage residual units per stage (the first of each has stride 2)
 * @param kernelSize convolution width
 * @param stemStride stride of the first convolution
 * @param classes output classes
 * @param groupNorm group norm (true) or batch norm
 * @param groups requested groups for group norm
 * @param shortcut shortcut of residual units (NONE for ConvNet whatever the bundle says)
 */
public record ModelLayout(Architecture architecture, int inputLength, int inputChannels, int[] stageChannels,
    int unitsPerStage, int kernelSize, int stemStride, int classes, boolean groupNorm, int groups,
    Shortcut shortcut) {

  /** ε added to every variance (DL4J's and PyTorch's default; drsn-model's NormalizedLayerConfig.DEFAULT_EPS). */
  public static final double NORM_EPS = 1e-5;

  /** The four networks of the DRSN paper (Zhao et al., IEEE TII 2020). */
  public enum Architecture {
    DRSN_CW, DRSN_CS, RESNET, CONVNET;

    /** Parses the bundle's name, e.g. "drsn-cw". */
    public static Architecture parse(String name) {
      for (Architecture a : values()) {
        if (a.bundleName().equals(name)) {
          return a;
        }
      }
      throw new IllegalArgumentException("unknown architecture '" + name
          + "' (expected drsn-cw, drsn-cs, resnet or convnet)");
    }

    /** The name in bundle.json. */
    public String bundleName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Thresholds per unit: channel-wise, channel-shared or none. */
    public Threshold threshold() {
      return switch (this) {
        case DRSN_CW -> Threshold.CHANNEL_WISE;
        case DRSN_CS -> Threshold.CHANNEL_SHARED;
        default -> Threshold.NONE;
      };
    }
  }

  /** Soft thresholding inside a residual unit. */
  public enum Threshold { NONE, CHANNEL_WISE, CHANNEL_SHARED }

  /** Shortcut of a residual unit. */
  public enum Shortcut { NONE, ZERO_PAD, PROJECTION }

  /** Validates sizes and resolves the ConvNet's shortcut. */
  public ModelLayout {
    stageChannels = stageChannels.clone();
    if (inputLength < 1 || inputChannels < 1 || stageChannels.length == 0 || unitsPerStage < 1 || kernelSize < 1
        || stemStride < 1 || classes < 1 || groups < 1) {
      throw new IllegalArgumentException("sizes must be positive: " + this);
    }
    for (int c : stageChannels) {
      if (c < 1) {
        throw new IllegalArgumentException("stage channels must be positive: " + Arrays.toString(stageChannels));
      }
    }
    if (architecture == Architecture.CONVNET) {
      shortcut = Shortcut.NONE;
    }
  }

  @Override
  public int[] stageChannels() {
    return stageChannels.clone();
  }

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

  /** Groups a norm over {@code channels} uses for a request: the largest divisor not above it (NormBlock.effectiveGroups). */
  public static int effectiveGroups(int channels, int requested) {
    int g = Math.max(1, Math.min(requested, channels));
    while (channels % g != 0) {
      g--;
    }
    return g;
  }

  /** Groups of the threshold sub-network's norm over C features: at least two features per group. */
  public int thresholdGroups(int channels) {
    return effectiveGroups(channels, Math.min(groups, Math.max(1, channels / 2)));
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

  /** Alphas per sample of a unit with {@code channels} outputs. */
  public int thresholdCount(int channels) {
    return switch (architecture.threshold()) {
      case NONE -> 0;
      case CHANNEL_WISE -> channels;
      case CHANNEL_SHARED -> 1;
    };
  }

  /** The parameter arrays in flat order, named as DL4J's {@code MultiLayerNetwork.paramTable()} names them. */
  public List<Param> parameters() {
    List<Param> p = new ArrayList<>();
    int c0 = stageChannels[0];
    p.add(new Param("0_W", new int[] {c0, inputChannels, 1, kernelSize}));
    p.add(new Param("0_b", new int[] {c0}));
    for (int u = 0; u < unitCount(); u++) {
      String l = (u + 1) + "_";
      int cin = unitInputChannels(u);
      int cout = unitChannels(u);
      int a = thresholdCount(cout);
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
        p.add(new Param(l + "tnGamma", new int[] {cout}));
        p.add(new Param(l + "tnBeta", new int[] {cout}));
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
        if (a > 0) {
          p.add(new Param(l + "tnMean", new int[] {cout}));
          p.add(new Param(l + "tnVar", new int[] {cout}));
        }
      }
    }
    int last = stageChannels[stageChannels.length - 1];
    String h = (unitCount() + 1) + "_";
    p.add(new Param(h + "nGamma", new int[] {last}));
    p.add(new Param(h + "nBeta", new int[] {last}));
    if (!groupNorm) {
      p.add(new Param(h + "nMean", new int[] {last}));
      p.add(new Param(h + "nVar", new int[] {last}));
    }
    String o = (unitCount() + 2) + "_";
    p.add(new Param(o + "W", new int[] {last, classes}));
    p.add(new Param(o + "b", new int[] {classes}));
    return p;
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
        && classes == m.classes && groupNorm == m.groupNorm && groups == m.groups && shortcut == m.shortcut;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {architecture, inputLength, inputChannels, Arrays.hashCode(stageChannels),
        unitsPerStage, kernelSize, stemStride, classes, groupNorm, groups, shortcut});
  }

  @Override
  public String toString() {
    return architecture.bundleName() + " input " + inputChannels + "x" + inputLength + ", stages "
        + Arrays.toString(stageChannels) + " x " + unitsPerStage + ", kernel " + kernelSize + ", stem stride "
        + stemStride + ", " + classes + " classes, " + (groupNorm ? "group norm (" + groups + ")" : "batch norm")
        + ", shortcut " + shortcut;
  }
}
