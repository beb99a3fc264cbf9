package io.github.drsn.model.inference;

import io.github.drsn.model.Normalization;
import io.github.drsn.model.layers.ConvStem;
import io.github.drsn.model.layers.NormReluPool;
import io.github.drsn.model.layers.NormalizedLayerConfig;
import io.github.drsn.model.layers.ResidualUnit;
import io.github.drsn.model.layers.Shortcut;
import io.github.drsn.model.layers.ThresholdMode;
import io.github.drsn.model.layers.runtime.NormBlock;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inference forward pass of a network built by {@code DrsnModels} (stem, residual units, head,
 * softmax output), in plain Java over float arrays, one window at a time. It computes exactly what
 * {@code MultiLayerNetwork.output} computes (batch norm with running statistics, group norm with
 * per-sample statistics; agreement within float round-off is tested) without ND4J's fixed cost per
 * native op, which dominates DL4J's latency for one window (~300 ops per forward pass).
 *
 * <p>An immutable snapshot of the network's parameters taken at construction: rebuild it after
 * further training. Thread-safe.
 */
public final class FastInference {

  private final int inputChannels;
  private final Conv stem;
  private final List<Unit> units = new ArrayList<>();
  private final Norm headNorm;
  private final float[][] outW;
  private final float[] outB;

  /**
   * Snapshot of {@code net}.
   *
   * @throws IllegalArgumentException if the network is not stem → units → NormReluPool → softmax output
   */
  public FastInference(MultiLayerNetwork net) {
    Layer[] layers = net.getLayers();
    if (layers.length < 3 || !(layers[0].conf().getLayer() instanceof ConvStem stemConf)
        || !(layers[layers.length - 2].conf().getLayer() instanceof NormReluPool headConf)
        || !(layers[layers.length - 1].conf().getLayer() instanceof OutputLayer outConf)
        || !(outConf.getActivationFn() instanceof ActivationSoftmax)) {
      throw new IllegalArgumentException("FastInference needs a DrsnModels network: ConvStem, ResidualUnits, "
          + "NormReluPool, softmax OutputLayer");
    }
    inputChannels = (int) stemConf.getNIn();
    stem = new Conv(layers[0].getParam("W"), layers[0].getParam("b"), stemConf.getStride());
    for (int i = 1; i < layers.length - 2; i++) {
      if (!(layers[i].conf().getLayer() instanceof ResidualUnit u)) {
        throw new IllegalArgumentException("Layer " + i + " is not a ResidualUnit");
      }
      units.add(new Unit(u, layers[i]));
    }
    headNorm = new Norm(headConf, layers[layers.length - 2], "n", (int) headConf.getNIn(),
        headConf.norm());
    INDArray w = layers[layers.length - 1].getParam("W");
    INDArray b = layers[layers.length - 1].getParam("b");
    outW = new float[(int) w.size(1)][(int) w.size(0)];
    for (int c = 0; c < w.size(1); c++) {
      for (int j = 0; j < w.size(0); j++) {
        outW[c][j] = w.getFloat(j, c);
      }
    }
    outB = b.reshape(b.length()).toFloatVector();
  }

  /**
   * Class probabilities for each window, computed in parallel on the common fork-join pool.
   *
   * @param windows {@code [N][L]} single-channel windows (the network's input layout [N, 1, 1, L])
   * @return {@code [N][classes]} softmax probabilities
   */
  public float[][] predictBatch(float[][] windows) {
    if (inputChannels != 1) {
      throw new IllegalArgumentException("predictBatch needs a single-channel network; it has "
          + inputChannels + " input channels");
    }
    float[][] out = new float[windows.length][];
    // Windows are independent: spread them over the common fork-join pool (one task per window).
    java.util.stream.IntStream.range(0, windows.length).parallel()
        .forEach(n -> out[n] = predictOne(new float[][] {windows[n]}));
    return out;
  }

  /**
   * Class probabilities for one window.
   *
   * @param window {@code [C][L]} input channels of one window
   */
  public float[] predictOne(float[][] window) {
    if (window.length != inputChannels) {
      throw new IllegalArgumentException("window has " + window.length + " channels, expected " + inputChannels);
    }
    int length = window[0].length;
    for (float[] ch : window) {
      if (ch.length != length || length == 0) {
        throw new IllegalArgumentException("window channels must be non-empty and of equal length");
      }
    }
    float[][] x = stem.apply(window);
    for (Unit u : units) {
      x = u.apply(x);
    }
    headNorm.applyInPlace(x);
    float[] pooled = new float[x.length];
    for (int c = 0; c < x.length; c++) {
      double s = 0;
      for (float v : x[c]) {
        s += Math.max(v, 0f);
      }
      pooled[c] = (float) (s / x[c].length);
    }
    float[] logits = new float[outB.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < logits.length; k++) {
      double s = outB[k];
      for (int c = 0; c < pooled.length; c++) {
        s += outW[k][c] * pooled[c];
      }
      logits[k] = (float) s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      logits[k] = (float) Math.exp(logits[k] - max);
      sum += logits[k];
    }
    for (int k = 0; k < logits.length; k++) {
      logits[k] /= sum;
    }
    return logits;
  }

  /** 'Same' convolution with kernel (1, k), stride s, bias optional: libnd4j's padding (left = floor(total / 2)). */
  private static final class Conv {
    final float[][][] w;
    final float[] b;
    final int stride;

    Conv(INDArray weights, INDArray bias, int stride) {
      int cOut = (int) weights.size(0);
      int cIn = (int) weights.size(1);
      int k = (int) weights.size(3);
      w = new float[cOut][cIn][k];
      for (int o = 0; o < cOut; o++) {
        for (int i = 0; i < cIn; i++) {
          for (int t = 0; t < k; t++) {
            w[o][i][t] = weights.getFloat(o, i, 0, t);
          }
        }
      }
      b = bias == null ? new float[cOut] : bias.reshape(bias.length()).toFloatVector();
      this.stride = stride;
    }

    float[][] apply(float[][] x) {
      int length = x[0].length;
      int k = w[0][0].length;
      int outLength = (length + stride - 1) / stride;
      int total = Math.max((outLength - 1) * stride + k - length, 0);
      int padLeft = total / 2;
      float[][] padded = new float[x.length][length + total + stride];
      for (int i = 0; i < x.length; i++) {
        System.arraycopy(x[i], 0, padded[i], padLeft, length);
      }
      float[][] out = new float[w.length][outLength];
      for (int o = 0; o < w.length; o++) {
        float[] y = out[o];
        java.util.Arrays.fill(y, b[o]);
        for (int i = 0; i < x.length; i++) {
          float[] xi = padded[i];
          for (int t = 0; t < k; t++) {
            float wt = w[o][i][t];
            if (stride == 1) {
              for (int j = 0; j < outLength; j++) {
                y[j] += wt * xi[j + t];
              }
            } else {
              for (int j = 0; j < outLength; j++) {
                y[j] += wt * xi[j * stride + t];
              }
            }
          }
        }
      }
      return out;
    }
  }

  /** Inference-mode batch norm (per-channel affine) or group norm (per-sample statistics). */
  private static final class Norm {
    final float[] gamma;
    final float[] beta;
    final float[] scale;
    final float[] shift;
    final int groups;
    final double eps;

    Norm(NormalizedLayerConfig conf, Layer layer, String prefix, int channels, NormBlock block) {
      gamma = layer.getParam(prefix + "Gamma").toFloatVector();
      beta = layer.getParam(prefix + "Beta").toFloatVector();
      eps = conf.getNormEps();
      if (conf.getNormalization() == Normalization.BATCH_NORM) {
        float[] mean = layer.getParam(prefix + "Mean").toFloatVector();
        float[] var = layer.getParam(prefix + "Var").toFloatVector();
        scale = new float[channels];
        shift = new float[channels];
        for (int c = 0; c < channels; c++) {
          scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
          shift[c] = beta[c] - mean[c] * scale[c];
        }
        groups = 0;
      } else {
        scale = null;
        shift = null;
        groups = block.groups();
      }
    }

    /** x[c][l] (channels x length; length 1 for feature vectors), normalised in place. */
    void applyInPlace(float[][] x) {
      if (groups == 0) {
        for (int c = 0; c < x.length; c++) {
          float a = scale[c];
          float s = shift[c];
          float[] xc = x[c];
          for (int l = 0; l < xc.length; l++) {
            xc[l] = xc[l] * a + s;
          }
        }
        return;
      }
      int perGroup = x.length / groups;
      for (int g = 0; g < groups; g++) {
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          for (float v : x[c]) {
            sum += v;
            count++;
          }
        }
        double mean = sum / count;
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          for (float v : x[c]) {
            sumSq += (v - mean) * (v - mean);
          }
        }
        double inv = 1.0 / Math.sqrt(sumSq / count + eps);
        for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
          float a = (float) (gamma[c] * inv);
          float s = (float) (beta[c] - mean * gamma[c] * inv);
          float[] xc = x[c];
          for (int l = 0; l < xc.length; l++) {
            xc[l] = xc[l] * a + s;
          }
        }
      }
    }
  }

  /** One residual (shrinkage) unit. */
  private static final class Unit {
    final Norm norm1;
    final Norm norm2;
    final Norm normT;
    final Conv conv1;
    final Conv conv2;
    final Conv projection;
    final ThresholdMode mode;
    final Shortcut shortcut;
    final int stride;
    final float[][] t1W;
    final float[] t1b;
    final float[][] t2W;
    final float[] t2b;

    Unit(ResidualUnit conf, Layer layer) {
      mode = conf.getThresholdMode();
      shortcut = conf.getShortcut();
      stride = conf.getStride();
      norm1 = new Norm(conf, layer, "n1", (int) conf.getNIn(), conf.norm1());
      norm2 = new Norm(conf, layer, "n2", (int) conf.getNOut(), conf.norm2());
      conv1 = new Conv(layer.getParam("c1W"), layer.getParam("c1b"), stride);
      conv2 = new Conv(layer.getParam("c2W"), layer.getParam("c2b"), 1);
      projection = shortcut == Shortcut.PROJECTION ? new Conv(layer.getParam("scW"), null, stride) : null;
      if (mode != ThresholdMode.NONE) {
        normT = new Norm(conf, layer, "tn", (int) conf.getNOut(), conf.normThreshold());
        t1W = matrix(layer.getParam("t1W"));
        t1b = layer.getParam("t1b").toFloatVector();
        t2W = matrix(layer.getParam("t2W"));
        t2b = layer.getParam("t2b").toFloatVector();
      } else {
        normT = null;
        t1W = null;
        t1b = null;
        t2W = null;
        t2b = null;
      }
    }

    private static float[][] matrix(INDArray m) {
      float[][] out = new float[(int) m.size(0)][(int) m.size(1)];
      for (int r = 0; r < out.length; r++) {
        for (int c = 0; c < out[r].length; c++) {
          out[r][c] = m.getFloat(r, c);
        }
      }
      return out;
    }

    float[][] apply(float[][] x) {
      float[][] h = copy(x);
      norm1.applyInPlace(h);
      relu(h);
      float[][] c1 = conv1.apply(h);
      norm2.applyInPlace(c1);
      relu(c1);
      float[][] y = conv2.apply(c1);
      if (mode != ThresholdMode.NONE) {
        threshold(y);
      }
      switch (shortcut) {
        case NONE -> { }
        case PROJECTION -> add(y, projection.apply(x), y.length, 1);
        case ZERO_PAD -> add(y, x, x.length, stride);
        default -> throw new IllegalStateException("Unhandled shortcut " + shortcut);
      }
      return y;
    }

    private void threshold(float[][] y) {
      int channels = y.length;
      float[] z = new float[channels];
      for (int c = 0; c < channels; c++) {
        double s = 0;
        for (float v : y[c]) {
          s += Math.abs(v);
        }
        z[c] = (float) (s / y[c].length);
      }
      float[][] u = new float[channels][1];
      for (int o = 0; o < channels; o++) {
        double s = t1b[o];
        for (int i = 0; i < channels; i++) {
          s += z[i] * t1W[i][o];
        }
        u[o][0] = (float) s;
      }
      normT.applyInPlace(u);
      float[] alpha = new float[t2b.length];
      for (int a = 0; a < alpha.length; a++) {
        double s = t2b[a];
        for (int i = 0; i < channels; i++) {
          s += Math.max(u[i][0], 0f) * t2W[i][a];
        }
        alpha[a] = (float) (1 / (1 + Math.exp(-s)));
      }
      float zMean = 0;
      for (float v : z) {
        zMean += v;
      }
      zMean /= channels;
      for (int c = 0; c < channels; c++) {
        float tau = mode == ThresholdMode.CHANNEL_WISE ? alpha[c] * z[c] : alpha[0] * zMean;
        float[] yc = y[c];
        for (int l = 0; l < yc.length; l++) {
          float v = yc[l];
          float m = Math.abs(v) - tau;
          yc[l] = m > 0 ? Math.copySign(m, v) : 0f;
        }
      }
    }

    /** y[c][j] += s[c][j * stride] for the first {@code channels} channels. */
    private static void add(float[][] y, float[][] s, int channels, int stride) {
      for (int c = 0; c < channels; c++) {
        float[] yc = y[c];
        float[] sc = s[c];
        for (int j = 0; j < yc.length; j++) {
          yc[j] += sc[j * stride];
        }
      }
    }

    private static void relu(float[][] x) {
      for (float[] xc : x) {
        for (int l = 0; l < xc.length; l++) {
          xc[l] = Math.max(xc[l], 0f);
        }
      }
    }

    private static float[][] copy(float[][] x) {
      float[][] out = new float[x.length][];
      for (int c = 0; c < x.length; c++) {
        out[c] = x[c].clone();
      }
      return out;
    }
  }
}
