package io.github.drsn.runtime.impl;

import io.github.drsn.runtime.impl.ModelLayout.Param;
import io.github.drsn.runtime.impl.ModelLayout.Shortcut;
import io.github.drsn.runtime.impl.ModelLayout.Threshold;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The inference forward pass of a trained DRSN-CW/CS, ResNet or ConvNet (Zhao et al., IEEE TII 2020, Fig. 4
 * and Table II, as built by drsn-model's {@code DrsnModels}) over float arrays:
 * <pre>
 *   stem conv → units: x ↦ conv2(ReLU(norm2(conv1(ReLU(norm1(x)), /s)))) → soft threshold → + shortcut
 *   → norm → ReLU → global average pool → dense → softmax
 * </pre>
 * Batch norm uses its running statistics as y = a·x + b with a = γ / sqrt(σ² + ε), b = β − μ·a; where it
 * directly follows a linear map (norm2 after conv1, the threshold branch's norm after FC1) it is folded into
 * that map's weights and bias at load time. Norms followed by a ReLU before a convolution (norm1, the head)
 * cannot be folded through the ReLU; they are applied in the pass that pads the convolution's input. Group
 * norm (Wu and He, ECCV 2018) uses per-sample statistics of its groups (biased variance), computed in double
 * precision. Convolutions use 'same' padding with libnd4j's split (left = floor(total / 2)).
 *
 * <p>Immutable and thread-safe; all working memory is in a {@link Scratch} owned by the calling thread, so a
 * forward pass allocates nothing.
 */
public final class LeanNetwork {

  private final ModelLayout layout;
  private final Conv stem;
  private final Unit[] units;
  private final Norm head;
  private final int headChannels;
  private final float[] denseW;
  private final float[] denseB;
  private final int bufferFloats;
  private final int vectorFloats;

  /**
   * @param layout the network
   * @param flat the parameter vector in {@link ModelLayout#parameters()} order (DL4J's flat order)
   * @throws IllegalArgumentException if the vector's length does not match the layout
   */
  public LeanNetwork(ModelLayout layout, float[] flat) {
    this.layout = layout;
    Map<String, Integer> offsets = new HashMap<>();
    int offset = 0;
    for (Param p : layout.parameters()) {
      offsets.put(p.name(), offset);
      offset += p.size();
    }
    if (offset != flat.length) {
      throw new IllegalArgumentException("the parameter vector has " + flat.length + " values, " + layout + " has "
          + offset);
    }
    Params params = new Params(flat, offsets);
    int k = layout.kernelSize();
    int[] channels = layout.stageChannels();
    stem = new Conv(params.get("0_W", channels[0] * layout.inputChannels() * k), params.get("0_b", channels[0]),
        channels[0], layout.inputChannels(), k, layout.stemStride());
    units = new Unit[layout.unitCount()];
    int length = stem.outLength(layout.inputLength());
    int maxFloats = layout.inputChannels() * (layout.inputLength() + k + layout.stemStride());
    maxFloats = Math.max(maxFloats, channels[0] * (length + k + 1));
    int maxChannels = Math.max(layout.inputChannels(), channels[0]);
    for (int u = 0; u < units.length; u++) {
      units[u] = new Unit(layout, u, params);
      int cin = layout.unitInputChannels(u);
      int cout = layout.unitChannels(u);
      maxFloats = Math.max(maxFloats, Math.max(cin, cout) * (length + k + 2));
      length = units[u].conv1.outLength(length);
      maxChannels = Math.max(maxChannels, cout);
    }
    headChannels = channels[channels.length - 1];
    String h = (units.length + 1) + "_";
    head = new Norm(params, h + "n", headChannels, layout.groupNorm(),
        ModelLayout.effectiveGroups(headChannels, layout.groups()));
    String o = (units.length + 2) + "_";
    // DL4J stores the dense weights [nIn, nOut] in 'f' order: element (c, k) at c + k * nIn, i.e. row k of W^T.
    denseW = params.get(o + "W", headChannels * layout.classes());
    denseB = params.get(o + "b", layout.classes());
    bufferFloats = maxFloats;
    vectorFloats = Math.max(maxChannels, layout.classes());
  }

  /** The network's layout. */
  public ModelLayout layout() {
    return layout;
  }

  /** Fresh working memory for one thread. */
  public Scratch newScratch() {
    return new Scratch(bufferFloats, vectorFloats);
  }

  /**
   * Class probabilities of one input.
   *
   * @param input {@code inputChannels × inputLength} values, channel-major (preprocessed features)
   * @param scratch the calling thread's working memory, from {@link #newScratch()}
   * @param probabilities receives {@code classes} softmax probabilities
   */
  public void forward(float[] input, Scratch scratch, float[] probabilities) {
    int length = layout.inputLength();
    int cin = layout.inputChannels();
    if (input.length != cin * length || probabilities.length != layout.classes()) {
      throw new IllegalArgumentException("input of " + input.length + " values and " + probabilities.length
          + " probabilities given; the network takes " + cin + " x " + length + " and has " + layout.classes()
          + " classes");
    }
    Scratch s = scratch;
    int total = stem.totalPad(length);
    int padLeft = total / 2;
    int row = length + total;
    for (int i = 0; i < cin; i++) {
      int base = i * row;
      Arrays.fill(s.h, base, base + padLeft, 0f);
      System.arraycopy(input, i * length, s.h, base + padLeft, length);
      Arrays.fill(s.h, base + padLeft + length, base + row, 0f);
    }
    int outLength = stem.outLength(length);
    stem.apply(s.h, row, s.x, 0, outLength, outLength);
    float[] x = s.x;
    float[] y = s.y;
    length = outLength;
    for (Unit unit : units) {
      length = unit.forward(x, length, y, s);
      float[] t = x;
      x = y;
      y = t;
    }
    head.coefficients(x, 0, length, length, s.a, s.b);
    float[] pooled = s.z;
    for (int c = 0; c < headChannels; c++) {
      float a = s.a[c];
      float b = s.b[c];
      double sum = 0;
      int base = c * length;
      for (int l = 0; l < length; l++) {
        sum += Math.max(a * x[base + l] + b, 0f);
      }
      pooled[c] = (float) (sum / length);
    }
    int classes = denseB.length;
    double max = Double.NEGATIVE_INFINITY;
    double[] logits = s.logits;
    for (int k = 0; k < classes; k++) {
      double sum = denseB[k];
      int base = k * headChannels;
      for (int c = 0; c < headChannels; c++) {
        sum += denseW[base + c] * pooled[c];
      }
      logits[k] = sum;
      max = Math.max(max, sum);
    }
    double norm = 0;
    for (int k = 0; k < classes; k++) {
      logits[k] = Math.exp(logits[k] - max);
      norm += logits[k];
    }
    for (int k = 0; k < classes; k++) {
      probabilities[k] = (float) (logits[k] / norm);
    }
  }

  /** Per-thread working memory of {@link #forward}. Not thread-safe. */
  public static final class Scratch {
    final float[] x;
    final float[] y;
    final float[] h;
    final float[] g;
    final float[] a;
    final float[] b;
    final float[] z;
    final float[] u;
    final float[] tau;
    final double[] logits;

    Scratch(int bufferFloats, int vectorFloats) {
      x = new float[bufferFloats];
      y = new float[bufferFloats];
      h = new float[bufferFloats];
      g = new float[bufferFloats];
      a = new float[vectorFloats];
      b = new float[vectorFloats];
      z = new float[vectorFloats];
      u = new float[vectorFloats];
      tau = new float[vectorFloats];
      logits = new double[vectorFloats];
    }
  }

  /** Named slices of the flat parameter vector. */
  private record Params(float[] flat, Map<String, Integer> offsets) {
    float[] get(String name, int size) {
      Integer at = offsets.get(name);
      if (at == null) {
        throw new IllegalStateException("no parameter " + name + " in the layout");
      }
      return Arrays.copyOfRange(flat, at, at + size);
    }
  }

  /**
   * A convolution with kernel (1, k), stride s, 'same' padding and bias; weights [out][in][k]. It reads a
   * padded input (zeros included) and writes {@code outLength} values per output channel.
   */
  static final class Conv {
    final float[] w;
    final float[] bias;
    final int cout;
    final int cin;
    final int k;
    final int stride;

    Conv(float[] w, float[] bias, int cout, int cin, int k, int stride) {
      this.w = w;
      this.bias = bias;
      this.cout = cout;
      this.cin = cin;
      this.k = k;
      this.stride = stride;
    }

    int outLength(int inLength) {
      return (inLength + stride - 1) / stride;
    }

    /** Total 'same' padding for an input of this length; libnd4j puts floor(total / 2) on the left. */
    int totalPad(int inLength) {
      return Math.max((outLength(inLength) - 1) * stride + k - inLength, 0);
    }

    /**
     * out[o][j] = bias[o] + Σ_i Σ_t w[o][i][t] · in[i][j·s + t], rows of {@code inRow} padded values in
     * {@code in}, output rows of {@code outRow} starting at {@code outOffset}.
     */
    void apply(float[] in, int inRow, float[] out, int outOffset, int outRow, int outLength) {
      for (int o = 0; o < cout; o++) {
        int yo = outOffset + o * outRow;
        Arrays.fill(out, yo, yo + outLength, bias[o]);
        for (int i = 0; i < cin; i++) {
          int xi = i * inRow;
          int wo = (o * cin + i) * k;
          if (k == 3 && stride == 1) {
            float w0 = w[wo];
            float w1 = w[wo + 1];
            float w2 = w[wo + 2];
            for (int j = 0; j < outLength; j++) {
              out[yo + j] += w0 * in[xi + j] + w1 * in[xi + j + 1] + w2 * in[xi + j + 2];
            }
          } else if (k == 3 && stride == 2) {
            float w0 = w[wo];
            float w1 = w[wo + 1];
            float w2 = w[wo + 2];
            for (int j = 0; j < outLength; j++) {
              int at = xi + 2 * j;
              out[yo + j] += w0 * in[at] + w1 * in[at + 1] + w2 * in[at + 2];
            }
          } else {
            for (int t = 0; t < k; t++) {
              float wt = w[wo + t];
              for (int j = 0; j < outLength; j++) {
                out[yo + j] += wt * in[xi + j * stride + t];
              }
            }
          }
        }
      }
    }

    /** Scales output channel o by a[o] and adds b[o] (a following batch norm folded in). */
    Conv foldAffine(float[] a, float[] b) {
      float[] w2 = w.clone();
      float[] bias2 = bias.clone();
      for (int o = 0; o < cout; o++) {
        for (int j = 0; j < cin * k; j++) {
          w2[o * cin * k + j] *= a[o];
        }
        bias2[o] = bias[o] * a[o] + b[o];
      }
      return new Conv(w2, bias2, cout, cin, k, stride);
    }
  }

  /** Batch norm (running statistics as a per-channel affine map) or group norm (per-sample statistics). */
  static final class Norm {
    final int channels;
    final boolean group;
    final int groups;
    final float[] scale;
    final float[] shift;

    Norm(Params params, String prefix, int channels, boolean group, int groups) {
      this.channels = channels;
      this.group = group;
      this.groups = groups;
      float[] gamma = params.get(prefix + "Gamma", channels);
      float[] beta = params.get(prefix + "Beta", channels);
      if (group) {
        scale = gamma;
        shift = beta;
      } else {
        float[] mean = params.get(prefix + "Mean", channels);
        float[] var = params.get(prefix + "Var", channels);
        scale = new float[channels];
        shift = new float[channels];
        for (int c = 0; c < channels; c++) {
          double a = gamma[c] / Math.sqrt(var[c] + ModelLayout.NORM_EPS);
          scale[c] = (float) a;
          shift[c] = (float) (beta[c] - mean[c] * a);
        }
      }
    }

    /**
     * Per-channel a, b such that norm(x) = a·x + b for this sample; x[c] at {@code offset + c·row}, length
     * {@code length}.
     */
    void coefficients(float[] x, int offset, int row, int length, float[] a, float[] b) {
      if (!group) {
        System.arraycopy(scale, 0, a, 0, channels);
        System.arraycopy(shift, 0, b, 0, channels);
        return;
      }
      int perGroup = channels / groups;
      long count = (long) perGroup * length;
      for (int g = 0; g < groups; g++) {
        double sum = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          int base = offset + c * row;
          for (int l = 0; l < length; l++) {
            sum += x[base + l];
          }
        }
        double mean = sum / count;
        double squares = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          int base = offset + c * row;
          for (int l = 0; l < length; l++) {
            double d = x[base + l] - mean;
            squares += d * d;
          }
        }
        double inv = 1 / Math.sqrt(squares / count + ModelLayout.NORM_EPS);
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          a[c] = (float) (scale[c] * inv);
          b[c] = (float) (shift[c] - mean * scale[c] * inv);
        }
      }
    }
  }

  /** One residual (shrinkage) unit, or a plain convolution block for ConvNet. */
  static final class Unit {
    final int cin;
    final int cout;
    final int stride;
    final Norm norm1;
    final Conv conv1;
    final Norm norm2;
    final Conv conv2;
    final Threshold threshold;
    final float[] fc1;
    final float[] fc1Bias;
    final Norm thresholdNorm;
    final float[] fc2;
    final float[] fc2Bias;
    final int alphas;
    final Shortcut shortcut;
    final float[] projection;

    Unit(ModelLayout layout, int index, Params params) {
      String l = (index + 1) + "_";
      int k = layout.kernelSize();
      boolean gn = layout.groupNorm();
      cin = layout.unitInputChannels(index);
      cout = layout.unitChannels(index);
      stride = layout.unitStride(index);
      norm1 = new Norm(params, l + "n1", cin, gn, ModelLayout.effectiveGroups(cin, layout.groups()));
      Conv c1 = new Conv(params.get(l + "c1W", cout * cin * k), params.get(l + "c1b", cout), cout, cin, k, stride);
      Norm n2 = new Norm(params, l + "n2", cout, gn, ModelLayout.effectiveGroups(cout, layout.groups()));
      if (gn) {
        conv1 = c1;
        norm2 = n2;
      } else {
        conv1 = c1.foldAffine(n2.scale, n2.shift);
        norm2 = null;
      }
      conv2 = new Conv(params.get(l + "c2W", cout * cout * k), params.get(l + "c2b", cout), cout, cout, k, 1);
      threshold = layout.architecture().threshold();
      alphas = layout.thresholdCount(cout);
      if (alphas > 0) {
        float[] w1 = params.get(l + "t1W", cout * cout);
        float[] b1 = params.get(l + "t1b", cout);
        Norm tn = new Norm(params, l + "tn", cout, gn, layout.thresholdGroups(cout));
        // Stored transposed, [out][in], so that each output is a contiguous dot product.
        fc1 = new float[cout * cout];
        fc1Bias = new float[cout];
        for (int o = 0; o < cout; o++) {
          float a = gn ? 1f : tn.scale[o];
          for (int i = 0; i < cout; i++) {
            fc1[o * cout + i] = w1[i * cout + o] * a;
          }
          fc1Bias[o] = gn ? b1[o] : b1[o] * a + tn.shift[o];
        }
        thresholdNorm = gn ? tn : null;
        float[] w2 = params.get(l + "t2W", cout * alphas);
        fc2 = new float[alphas * cout];
        for (int a = 0; a < alphas; a++) {
          for (int i = 0; i < cout; i++) {
            fc2[a * cout + i] = w2[i * alphas + a];
          }
        }
        fc2Bias = params.get(l + "t2b", alphas);
      } else {
        fc1 = null;
        fc1Bias = null;
        thresholdNorm = null;
        fc2 = null;
        fc2Bias = null;
      }
      shortcut = layout.shortcut();
      projection = shortcut == Shortcut.PROJECTION ? params.get(l + "scW", cout * cin) : null;
    }

    /** Writes the unit's output for {@code x} ([cin][inLength]) into {@code y}; returns the output length. */
    int forward(float[] x, int inLength, float[] y, Scratch s) {
      int total1 = conv1.totalPad(inLength);
      int padLeft1 = total1 / 2;
      int rowH = inLength + total1;
      norm1.coefficients(x, 0, inLength, inLength, s.a, s.b);
      float[] h = s.h;
      for (int i = 0; i < cin; i++) {
        int base = i * rowH;
        int src = i * inLength;
        float a = s.a[i];
        float b = s.b[i];
        Arrays.fill(h, base, base + padLeft1, 0f);
        int dst = base + padLeft1;
        for (int l = 0; l < inLength; l++) {
          h[dst + l] = Math.max(a * x[src + l] + b, 0f);
        }
        Arrays.fill(h, dst + inLength, base + rowH, 0f);
      }
      int outLength = conv1.outLength(inLength);
      int total2 = conv2.totalPad(outLength);
      int padLeft2 = total2 / 2;
      int rowG = outLength + total2;
      float[] g = s.g;
      conv1.apply(h, rowH, g, padLeft2, rowG, outLength);
      if (norm2 != null) {
        norm2.coefficients(g, padLeft2, rowG, outLength, s.a, s.b);
      }
      for (int o = 0; o < cout; o++) {
        int base = o * rowG;
        Arrays.fill(g, base, base + padLeft2, 0f);
        int dst = base + padLeft2;
        if (norm2 != null) {
          float a = s.a[o];
          float b = s.b[o];
          for (int l = 0; l < outLength; l++) {
            g[dst + l] = Math.max(a * g[dst + l] + b, 0f);
          }
        } else {
          for (int l = 0; l < outLength; l++) {
            g[dst + l] = Math.max(g[dst + l], 0f);
          }
        }
        Arrays.fill(g, dst + outLength, base + rowG, 0f);
      }
      conv2.apply(g, rowG, y, 0, outLength, outLength);
      if (alphas > 0) {
        softThreshold(y, outLength, s);
      }
      switch (shortcut) {
        case NONE -> { }
        case ZERO_PAD -> {
          for (int c = 0; c < cin; c++) {
            int yo = c * outLength;
            int xi = c * inLength;
            if (stride == 1) {
              for (int j = 0; j < outLength; j++) {
                y[yo + j] += x[xi + j];
              }
            } else {
              for (int j = 0; j < outLength; j++) {
                y[yo + j] += x[xi + j * stride];
              }
            }
          }
        }
        case PROJECTION -> {
          for (int o = 0; o < cout; o++) {
            int yo = o * outLength;
            for (int i = 0; i < cin; i++) {
              float w = projection[o * cin + i];
              int xi = i * inLength;
              for (int j = 0; j < outLength; j++) {
                y[yo + j] += w * x[xi + j * stride];
              }
            }
          }
        }
        default -> throw new IllegalStateException("unhandled shortcut " + shortcut);
      }
      return outLength;
    }

    /**
     * z = mean|y| per channel; α = sigmoid(FC2(ReLU(norm(FC1(z))))); τ = α ⊙ z (CW) or α · mean(z) (CS);
     * y ← sign(y) · max(|y| − τ, 0), computed as y − clamp(y, −τ, τ) (the same floats, no branch).
     */
    private void softThreshold(float[] y, int length, Scratch s) {
      float[] z = s.z;
      double zSum = 0;
      for (int c = 0; c < cout; c++) {
        double sum = 0;
        int base = c * length;
        for (int l = 0; l < length; l++) {
          sum += Math.abs(y[base + l]);
        }
        z[c] = (float) (sum / length);
        zSum += z[c];
      }
      float[] u = s.u;
      for (int o = 0; o < cout; o++) {
        double sum = fc1Bias[o];
        int base = o * cout;
        for (int i = 0; i < cout; i++) {
          sum += fc1[base + i] * z[i];
        }
        u[o] = (float) sum;
      }
      if (thresholdNorm != null) {
        thresholdNorm.coefficients(u, 0, 1, 1, s.a, s.b);
        for (int o = 0; o < cout; o++) {
          u[o] = s.a[o] * u[o] + s.b[o];
        }
      }
      for (int o = 0; o < cout; o++) {
        u[o] = Math.max(u[o], 0f);
      }
      float[] tau = s.tau;
      float zMean = (float) (zSum / cout);
      for (int a = 0; a < alphas; a++) {
        double sum = fc2Bias[a];
        int base = a * cout;
        for (int i = 0; i < cout; i++) {
          sum += fc2[base + i] * u[i];
        }
        float alpha = (float) (1 / (1 + Math.exp(-sum)));
        if (threshold == Threshold.CHANNEL_WISE) {
          tau[a] = alpha * z[a];
        } else {
          tau[a] = alpha * zMean;
        }
      }
      for (int c = 0; c < cout; c++) {
        float t = threshold == Threshold.CHANNEL_WISE ? tau[c] : tau[0];
        float negT = -t;
        int base = c * length;
        for (int l = 0; l < length; l++) {
          float v = y[base + l];
          y[base + l] = v - Math.max(negT, Math.min(v, t));
        }
      }
    }
  }
}
