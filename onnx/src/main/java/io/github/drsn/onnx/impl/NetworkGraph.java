package io.github.drsn.onnx.impl;

import static io.github.drsn.onnx.impl.GraphBuilder.attr;
import static io.github.drsn.onnx.impl.GraphBuilder.attrs;

import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.signals.Normalization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import onnx.Onnx.GraphProto;

/**
 * The ONNX graph of a bundle's network, op for op the forward pass of drsn-runtime's {@code LeanNetwork} (its
 * specification), on tensors {@code [batch, channels, length]}:
 * <pre>
 *   Conv (stem) → units: Conv(ReLU(norm2(Conv(ReLU(norm1(x)), /s)))) → soft threshold → + shortcut
 *   → norm → ReLU → ReduceMean over length → Gemm (logits z) → Div by T → Softmax
 * </pre>
 * T is the bundle's calibration temperature ({@code Bundle.temperature()}; 1 for an uncalibrated bundle, where the
 * Div is exact): the output {@value #OUTPUT} is softmax(z / T), the calibrated probabilities the runtime answers
 * (temperature scaling, Guo et al., ICML 2017), and the output {@value #LOGITS} is z itself, before the temperature.
 * Batch norm is y = a·x + b with a = γ / sqrt(σ² + ε), b = β − μ·a (Mul, Add; a and b computed in double as the
 * lean runtime does). Group norm (Wu and He, ECCV 2018) is Reshape to [batch, groups, −1], mean and biased
 * variance by ReduceMean, (x − μ) / sqrt(σ² + ε), Reshape back, then γ·x + β. Convolutions pad explicitly with
 * the lean runtime's 'same' split (left = floor(total / 2)). The shrinkage threshold (Zhao et al., IEEE TII 2020,
 * Fig. 4) is z = ReduceMean(|y|) per channel, α = Sigmoid(FC2(ReLU(norm(FC1(z))))) with the FCs as 1×1 Convs on
 * [batch, C, 1], τ = α ⊙ z (channel-wise) or α · mean(z) (channel-shared), and y ← Sign(y) · Relu(|y| − τ).
 * The zero-pad shortcut is Slice (step = stride) then Pad of the missing channels with zeros; the projection
 * shortcut a bias-free 1×1 Conv with the unit's stride.
 */
public final class NetworkGraph {

  /** Name of the graph input: preprocessed features [batch, channels, featureLength]. */
  public static final String INPUT = "features";
  /** Name of the graph input when the normalisation is in the graph: raw time windows [batch, channels, length]. */
  public static final String RAW_INPUT = "window";
  /** Name of the graph's first output: the calibrated probabilities softmax(z / T) [batch, classes]. */
  public static final String OUTPUT = "probabilities";
  /** Name of the graph's second output: the logits z [batch, classes], the dense layer's output before T. */
  public static final String LOGITS = "logits";
  /** The symbolic batch dimension. */
  public static final String BATCH = "batch";

  private final ModelLayout layout;
  private final float[] flat;
  private final Map<String, Integer> offsets;
  private final GraphBuilder g;
  private final Normalization inGraph;
  private final double temperature;

  private NetworkGraph(ModelLayout layout, float[] flat, String name, Normalization inGraph, double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("the temperature must be finite and > 0, got " + temperature);
    }
    this.layout = layout;
    this.inGraph = inGraph;
    this.temperature = temperature;
    this.flat = flat;
    this.offsets = layout.parameterOffsets(flat.length);
    g = new GraphBuilder(name);
  }

  /**
   * The graph of {@code layout} with parameters {@code flat} (in {@link ModelLayout#parameters()} order), at T = 1
   * (an uncalibrated network).
   *
   * @throws IllegalArgumentException if the vector's length does not match the layout
   */
  public static GraphProto build(ModelLayout layout, float[] flat, String name) {
    return build(layout, flat, name, null, 1.0);
  }

  /**
   * The graph with the per-window normalisation of time windows as its first ops (input {@value #RAW_INPUT}), or
   * without it when {@code inGraph} is null (input {@value #INPUT}), and its probabilities at {@code temperature}:
   * softmax(z / T), as the runtime's for a bundle calibrated at T.
   *
   * @throws IllegalArgumentException if the vector's length does not match the layout, or the temperature is not
   *     finite and &gt; 0
   */
  public static GraphProto build(ModelLayout layout, float[] flat, String name, Normalization inGraph,
      double temperature) {
    return new NetworkGraph(layout, flat, name, inGraph, temperature).build();
  }

  /**
   * signals' {@link Normalization} of each window and channel of x [batch, channels, length] in float32: Z_SCORE
   * (x − mean) / std (population std), MIN_MAX (x − min) / (max − min), PLUS_MINUS_ONE 2 (x − min) / (max − min)
   * − 1, NONE x; a constant window (max = min) becomes zeros, as in signals.
   */
  private String normalise(String x, Normalization normalization) {
    if (normalization == Normalization.NONE) {
      return x;
    }
    List<onnx.Onnx.AttributeProto> perWindow = List.of(attrs("axes", 2), attr("keepdims", 1));
    String min = g.node("ReduceMin", perWindow, x);
    String range = g.node("Sub", g.node("ReduceMax", perWindow, x), min);
    String zero = g.constant("zero", new float[] {0f}, 1);
    String constantWindow = g.node("Equal", range, zero);
    String scaled = switch (normalization) {
      case Z_SCORE -> {
        String d = g.node("Sub", x, g.node("ReduceMean", perWindow, x));
        String std = g.node("Sqrt", g.node("ReduceMean", perWindow, g.node("Mul", d, d)));
        yield g.node("Div", d, std);
      }
      case MIN_MAX -> g.node("Div", g.node("Sub", x, min), range);
      case PLUS_MINUS_ONE -> g.node("Sub", g.node("Div", g.node("Mul", g.node("Sub", x, min),
          g.constant("two", new float[] {2f}, 1)), range), g.constant("one", new float[] {1f}, 1));
      case NONE -> throw new IllegalStateException("unreachable");
    };
    return g.node("Where", constantWindow, zero, scaled);
  }

  private float[] param(String name, int size) {
    Integer at = offsets.get(name);
    if (at == null) {
      throw new IllegalStateException("no parameter " + name + " in the layout");
    }
    return Arrays.copyOfRange(flat, at, at + size);
  }

  private GraphProto build() {
    int k = layout.kernelSize();
    int[] channels = layout.stageChannels();
    int cin = layout.inputChannels();
    int length = layout.inputLength();
    String x;
    if (inGraph == null) {
      x = g.input(INPUT, BATCH, cin, length);
    } else {
      g.push("normalization");
      x = normalise(g.input(RAW_INPUT, BATCH, cin, length), inGraph);
      g.pop();
    }
    g.push("stem");
    x = conv(x, param("0_W", channels[0] * cin * k), param("0_b", channels[0]), channels[0], cin, k,
        layout.stemStride(), length);
    g.pop();
    length = outLength(length, layout.stemStride());
    for (int u = 0; u < layout.unitCount(); u++) {
      g.push("unit" + (u + 1));
      x = unit(x, u, length);
      g.pop();
      length = outLength(length, layout.unitStride(u));
    }
    int c = channels[channels.length - 1];
    g.push("head");
    String h = (layout.unitCount() + 1) + "_";
    x = g.node("Relu", norm(x, h + "n", c, ModelLayout.effectiveGroups(c, layout.groups())));
    String pooled = g.node("ReduceMean", List.of(attrs("axes", 2), attr("keepdims", 0)), x);
    String o = (layout.unitCount() + 2) + "_";
    // The dense weights are [nIn, nOut] in 'f' order, i.e. [classes][c] row-major: Gemm with transB.
    String w = g.constant("dense_W", param(o + "W", c * layout.classes()), layout.classes(), c);
    String b = g.constant("dense_b", param(o + "b", layout.classes()), layout.classes());
    String logits = g.node("Gemm", List.of(attr("transB", 1)), pooled, w, b);
    // Temperature scaling as the runtime's LeanNetwork does it: each logit divided by T, then softmax. Always a node
    // (T = 1 for an uncalibrated bundle divides exactly), so every exported graph has the same shape.
    String scaled = g.node("Div", logits, g.constant("temperature", new float[] {(float) temperature}));
    String probabilities = g.node("Softmax", List.of(attr("axis", 1)), scaled);
    g.pop();
    g.documentedOutput(probabilities, OUTPUT, "calibrated class probabilities softmax(logits / T), T = "
        + temperature + " (the bundle's calibration temperature; 1 if uncalibrated): what the drsn runtime answers",
        BATCH, layout.classes());
    g.documentedOutput(logits, LOGITS, "raw logits z of the dense layer, before the temperature (softmax(z) is the"
        + " uncalibrated network's probabilities; not what the runtime answers for a calibrated bundle)", BATCH,
        layout.classes());
    return g.build();
  }

  private static int outLength(int inLength, int stride) {
    return (inLength + stride - 1) / stride;
  }

  /** Conv with kernel k, stride s, bias and the lean runtime's 'same' padding; weights [cout][cin][k]. */
  private String conv(String x, float[] w, float[] bias, int cout, int cin, int k, int stride, int inLength) {
    int total = Math.max((outLength(inLength, stride) - 1) * stride + k - inLength, 0);
    int left = total / 2;
    String wName = g.constant("W", w, cout, cin, k);
    List<onnx.Onnx.AttributeProto> attributes = List.of(attrs("kernel_shape", k), attrs("strides", stride),
        attrs("pads", left, total - left));
    if (bias == null) {
      return g.node("Conv", attributes, x, wName);
    }
    return g.node("Conv", attributes, x, wName, g.constant("b", bias, cout));
  }

  /** The trunk's norm of x (see {@link #norm(String, String, int, int, boolean)}). */
  private String norm(String x, String prefix, int channels, int groups) {
    return norm(x, prefix, channels, groups, layout.groupNorm());
  }

  /** Batch norm (a·x + b) or group norm of x [batch, channels, length] with the parameters {@code prefix}*. */
  private String norm(String x, String prefix, int channels, int groups, boolean groupNorm) {
    float[] gamma = param(prefix + "Gamma", channels);
    float[] beta = param(prefix + "Beta", channels);
    if (groupNorm) {
      String grouped = g.node("Reshape", x, g.ints("shape", 0, groups, -1));
      String mean = g.node("ReduceMean", List.of(attrs("axes", 2), attr("keepdims", 1)), grouped);
      String d = g.node("Sub", grouped, mean);
      String variance = g.node("ReduceMean", List.of(attrs("axes", 2), attr("keepdims", 1)), g.node("Mul", d, d));
      String eps = g.constant("eps", new float[] {(float) ModelLayout.NORM_EPS});
      String normalised = g.node("Div", d, g.node("Sqrt", g.node("Add", variance, eps)));
      String back = g.node("Reshape", normalised, g.ints("shape", 0, channels, -1));
      return g.node("Add", g.node("Mul", back, g.constant("gamma", gamma, channels, 1)),
          g.constant("beta", beta, channels, 1));
    }
    float[] mean = param(prefix + "Mean", channels);
    float[] var = param(prefix + "Var", channels);
    float[] a = new float[channels];
    float[] b = new float[channels];
    for (int c = 0; c < channels; c++) {
      double s = gamma[c] / Math.sqrt(var[c] + ModelLayout.NORM_EPS);
      a[c] = (float) s;
      b[c] = (float) (beta[c] - mean[c] * s);
    }
    return g.node("Add", g.node("Mul", x, g.constant("scale", a, channels, 1)), g.constant("shift", b, channels, 1));
  }

  private String unit(String x, int u, int inLength) {
    String l = (u + 1) + "_";
    int k = layout.kernelSize();
    int cin = layout.unitInputChannels(u);
    int cout = layout.unitChannels(u);
    int stride = layout.unitStride(u);
    int length = outLength(inLength, stride);
    String y = g.node("Relu", norm(x, l + "n1", cin, ModelLayout.effectiveGroups(cin, layout.groups())));
    y = conv(y, param(l + "c1W", cout * cin * k), param(l + "c1b", cout), cout, cin, k, stride, inLength);
    y = g.node("Relu", norm(y, l + "n2", cout, ModelLayout.effectiveGroups(cout, layout.groups())));
    y = conv(y, param(l + "c2W", cout * cout * k), param(l + "c2b", cout), cout, cout, k, 1, length);
    int alphas = layout.thresholdCount(cout);
    if (alphas > 0) {
      y = softThreshold(y, l, cout, alphas);
    }
    Shortcut shortcut = layout.unitShortcut();
    return switch (shortcut) {
      case NONE -> y;
      case ZERO_PAD -> {
        String s = x;
        if (stride != 1) {
          s = g.node("Slice", x, g.ints("starts", 0), g.ints("ends", Long.MAX_VALUE), g.ints("axes", 2),
              g.ints("steps", stride));
        }
        if (cout > cin) {
          s = g.node("Pad", s, g.ints("pads", 0, 0, 0, 0, cout - cin, 0));
        }
        yield g.node("Add", y, s);
      }
      case PROJECTION -> g.node("Add", y, conv(x, param(l + "scW", cout * cin), null, cout, cin, 1, stride, inLength));
    };
  }

  /** y [batch, cout, length] → sign(y)·relu(|y| − τ) with τ from the unit's threshold sub-network. */
  private String softThreshold(String y, String l, int cout, int alphas) {
    String abs = g.node("Abs", y);
    String z = g.node("ReduceMean", List.of(attrs("axes", 2), attr("keepdims", 1)), abs); // [batch, cout, 1]
    // FC weights are stored [in][out]; as a 1x1 Conv they are [out][in][1].
    float[] w1 = param(l + "t1W", cout * cout);
    float[] fc1 = new float[cout * cout];
    for (int o = 0; o < cout; o++) {
      for (int i = 0; i < cout; i++) {
        fc1[o * cout + i] = w1[i * cout + o];
      }
    }
    String u = conv(z, fc1, param(l + "t1b", cout), cout, cout, 1, 1, 1);
    if (layout.thresholdNormalization() != NormKind.NONE) {
      u = norm(u, l + "tn", cout, layout.thresholdGroups(cout), layout.thresholdGroupNorm());
    }
    u = g.node("Relu", u);
    float[] w2 = param(l + "t2W", cout * alphas);
    float[] fc2 = new float[alphas * cout];
    for (int a = 0; a < alphas; a++) {
      for (int i = 0; i < cout; i++) {
        fc2[a * cout + i] = w2[i * alphas + a];
      }
    }
    String alpha = g.node("Sigmoid", conv(u, fc2, param(l + "t2b", alphas), alphas, cout, 1, 1, 1));
    String tau = layout.architecture().thresholdMode() == ThresholdMode.CHANNEL_WISE
        ? g.node("Mul", alpha, z)
        : g.node("Mul", alpha, g.node("ReduceMean", List.of(attrs("axes", 1), attr("keepdims", 1)), z));
    return g.node("Mul", g.node("Sign", y), g.node("Relu", g.node("Sub", abs, tau)));
  }
}
