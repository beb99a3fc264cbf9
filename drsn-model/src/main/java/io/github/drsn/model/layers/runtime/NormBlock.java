package io.github.drsn.model.layers.runtime;

import io.github.drsn.model.NormKind;
import io.github.drsn.model.layers.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward and backward of one normalisation (batch norm or group norm) over channel dimension 1 of a
 * {@code [N, C, 1, L]} or {@code [N, C]} tensor, computed by plain-Java loops (see {@link Kernels}).
 *
 * <p>Batch norm: y = γ (x - μ_B) / sqrt(σ²_B + ε) + β with mini-batch statistics in training and
 * running statistics (μ ← d μ + (1-d) μ_B, σ² ← d σ² + (1-d) σ²_B, biased σ²_B, d = decay) at
 * inference. Group norm (Wu and He, ECCV 2018): the C channels are split into G groups and each
 * sample is normalised by the mean and (biased) variance of its group, in training and inference
 * alike; then per-channel γ and β.
 *
 * <p>Not thread-safe: it caches the forward pass for the following backward pass.
 */
public final class NormBlock {

  private final String prefix;
  private final NormKind type;
  private final int channels;
  private final int groups;
  private final double eps;
  private final double decay;

  private Cache cache;

  /**
   * @param prefix   parameter key prefix, e.g. "n1"
   * @param type     batch or group norm
   * @param channels number of channels C
   * @param groups   number of groups for group norm (must divide C); ignored for batch norm
   * @param eps      ε added to the variance
   * @param decay    running-average decay d for batch norm
   */
  public NormBlock(String prefix, NormKind type, int channels, int groups, double eps, double decay) {
    this.prefix = prefix;
    this.type = type;
    this.channels = channels;
    this.groups = type == NormKind.GROUP_NORM ? groups : 1;
    this.eps = eps;
    this.decay = decay;
    if (type == NormKind.GROUP_NORM && (groups <= 0 || channels % groups != 0)) {
      throw new IllegalArgumentException("groups (" + groups + ") must be positive and divide the channel count ("
          + channels + ")");
    }
  }

  /**
   * Number of groups actually used for {@code channels} channels when {@code requested} are asked for:
   * the largest divisor of the channel count not above the request (so 4 groups on 2 channels give 2).
   */
  public static int effectiveGroups(int channels, int requested) {
    int g = Math.max(1, Math.min(requested, channels));
    while (channels % g != 0) {
      g--;
    }
    return g;
  }

  /** Number of groups (1 for batch norm). */
  public int groups() {
    return groups;
  }

  /** Trainable parameters (γ then β). */
  public List<ParamSpec> trainableSpecs() {
    List<ParamSpec> specs = new ArrayList<>();
    specs.add(new ParamSpec(prefix + "Gamma", new long[] {channels}, ParamSpec.Role.GAMMA, channels, channels));
    specs.add(new ParamSpec(prefix + "Beta", new long[] {channels}, ParamSpec.Role.BETA, channels, channels));
    return specs;
  }

  /** State parameters (running mean and variance for batch norm, none for group norm). */
  public List<ParamSpec> stateSpecs() {
    List<ParamSpec> specs = new ArrayList<>();
    if (type == NormKind.BATCH_NORM) {
      specs.add(new ParamSpec(prefix + "Mean", new long[] {channels}, ParamSpec.Role.RUNNING_MEAN, 0, 0));
      specs.add(new ParamSpec(prefix + "Var", new long[] {channels}, ParamSpec.Role.RUNNING_VAR, 0, 0));
    }
    return specs;
  }

  /**
   * Normalises {@code x} into {@code out} (same shape, {@code [N, C]} or {@code [N, C, 1, L]}). In
   * training, caches what {@link #backward} needs; batch norm uses mini-batch statistics then, running
   * statistics otherwise.
   */
  public INDArray forward(INDArray x, boolean training, Map<String, INDArray> params, INDArray out) {
    int n = (int) x.size(0);
    double[] y = forward(Kernels.read(x), n, (int) (x.length() / ((long) n * channels)), training, params, false,
        new double[(int) x.length()]);
    Kernels.write(y, out);
    return out;
  }

  /**
   * Back-propagates {@code gradOut} through the last training-mode {@link #forward}: writes dL/dx
   * into {@code gradIn}, dL/dγ and dL/dβ into the gradient views and, for batch norm, the running
   * statistics' moving-average steps (μ - μ_B)(1 - d) and (σ² - σ²_B)(1 - d).
   */
  public INDArray backward(INDArray gradOut, Map<String, INDArray> params, Map<String, INDArray> grads,
      INDArray gradIn) {
    Kernels.write(backward(Kernels.read(gradOut), params, grads, null, new double[(int) gradOut.length()]), gradIn);
    return gradIn;
  }

  /** Index of the statistics set of row (sample s, channel c): the channel (BN) or the sample's group (GN). */
  private int set(int s, int c) {
    return type == NormKind.BATCH_NORM ? c : s * groups + c / (channels / groups);
  }

  /**
   * {@link #forward(INDArray, boolean, Map, INDArray)} over a {@code [N][C][L]} array; returns the output,
   * passed through a ReLU when {@code relu} is set (one pass instead of two), written into {@code out}.
   * Keeps a reference to {@code x} for the backward pass (do not modify it before then).
   */
  double[] forward(double[] x, int n, int length, boolean training, Map<String, INDArray> params, boolean relu,
      double[] out) {
    double[] gamma = Kernels.read(params.get(prefix + "Gamma"));
    double[] beta = Kernels.read(params.get(prefix + "Beta"));
    int sets = type == NormKind.BATCH_NORM ? channels : n * groups;
    double[] mean;
    double[] var;
    if (type == NormKind.BATCH_NORM && !training) {
      mean = Kernels.read(params.get(prefix + "Mean"));
      var = Kernels.read(params.get(prefix + "Var"));
    } else {
      double count = type == NormKind.BATCH_NORM ? (double) n * length : (double) (channels / groups) * length;
      // One pass for Σx and Σx² per row; var = E[x²] − mean² is exact enough in double precision.
      double[] rowSums = new double[n * channels];
      double[] rowSquares = new double[n * channels];
      Kernels.parallel(n, channels * length, (from, to) -> {
        for (int r = from * channels; r < to * channels; r++) {
          Kernels.sumAndSquares(x, r * length, length, rowSums, rowSquares, r);
        }
      });
      mean = new double[sets];
      var = new double[sets];
      for (int r = 0; r < rowSums.length; r++) {
        int k = set(r / channels, r % channels);
        mean[k] += rowSums[r];
        var[k] += rowSquares[r];
      }
      for (int k = 0; k < sets; k++) {
        mean[k] /= count;
        var[k] = Math.max(var[k] / count - mean[k] * mean[k], 0.0);
      }
    }
    double[] invStd = new double[sets];
    for (int k = 0; k < sets; k++) {
      invStd[k] = 1.0 / Math.sqrt(var[k] + eps);
    }
    normalize(x, n, length, gamma, beta, mean, invStd, relu, out);
    if (training) {
      cache = new Cache(x, n, length, mean, var, invStd);
    }
    return out;
  }

  /**
   * The output of the last training-mode forward pass, recomputed from its cached input and batch
   * statistics into {@code out}: cheaper than keeping it alive until the backward pass (one
   * vectorised pass against an activation-sized array per unit held in memory).
   */
  double[] recomputeOutput(Map<String, INDArray> params, boolean relu, double[] out) {
    if (cache == null) {
      throw new IllegalStateException("recomputeOutput() without a training-mode forward()");
    }
    normalize(cache.x, cache.n, cache.length, Kernels.read(params.get(prefix + "Gamma")),
        Kernels.read(params.get(prefix + "Beta")), cache.mean, cache.invStd, relu, out);
    return out;
  }

  private void normalize(double[] x, int n, int length, double[] gamma, double[] beta, double[] mean,
      double[] invStd, boolean relu, double[] out) {
    Kernels.parallel(n, channels * length, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        int c = r % channels;
        int k = set(r / channels, c);
        double a = gamma[c] * invStd[k];
        Kernels.affine(x, r * length, length, a, beta[c] - mean[k] * a, relu, out);
      }
    });
  }

  /**
   * {@link #backward(INDArray, Map, Map, INDArray)} over a {@code [N][C][L]} array; returns dL/dx.
   * With x̂ = (x − μ)/σ and sums over each statistics set of M elements:
   * dL/dx = (γ/σ)·dy − (1/σ)·mean(γ·dy) − (x̂/σ)·mean(γ·dy·x̂).
   *
   * @param gradOut    dL/dy; when {@code reluOutput} is given it is dL/d ReLU(y) and is masked in place
   * @param reluOutput the ReLU output of the matching {@code forward(..., relu = true)}, or null
   * @param gradIn     receives dL/dx (returned)
   */
  double[] backward(double[] gradOut, Map<String, INDArray> params, Map<String, INDArray> grads,
      double[] reluOutput, double[] gradIn) {
    if (cache == null) {
      throw new IllegalStateException("backward() without a training-mode forward()");
    }
    Cache f = cache;
    int n = f.n;
    int length = f.length;
    double[] gamma = Kernels.read(params.get(prefix + "Gamma"));
    int sets = f.mean.length;
    double count = type == NormKind.BATCH_NORM ? (double) n * length : (double) (channels / groups) * length;
    double[] rowSums = new double[n * channels];
    double[] rowDots = new double[n * channels];
    Kernels.parallel(n, channels * length, (from, to) -> {
      if (reluOutput != null) {
        Kernels.reluBackward(reluOutput, gradOut, from * channels * length, to * channels * length);
      }
      for (int r = from * channels; r < to * channels; r++) {
        rowSums[r] = Kernels.sum(gradOut, r * length, length);
        rowDots[r] = Kernels.dot(gradOut, r * length, f.x, r * length, length);
      }
    });
    double[] dGamma = new double[channels];
    double[] dBeta = new double[channels];
    double[] sumDHat = new double[sets];
    double[] sumDHatXHat = new double[sets];
    for (int r = 0; r < rowSums.length; r++) {
      int c = r % channels;
      int k = set(r / channels, c);
      double sdyHat = f.invStd[k] * (rowDots[r] - f.mean[k] * rowSums[r]);
      dBeta[c] += rowSums[r];
      dGamma[c] += sdyHat;
      sumDHat[k] += gamma[c] * rowSums[r];
      sumDHatXHat[k] += gamma[c] * sdyHat;
    }
    Kernels.parallel(n, channels * length, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        int c = r % channels;
        int k = set(r / channels, c);
        double is = f.invStd[k];
        double m2 = sumDHatXHat[k] / count;
        double a = is * gamma[c];
        double b = -is * is * m2;
        double d = -is * sumDHat[k] / count + is * is * m2 * f.mean[k];
        int row = r * length;
        for (int l = 0; l < length; l++) {
          gradIn[row + l] = Math.fma(a, gradOut[row + l], Math.fma(b, f.x[row + l], d));
        }
      }
    });
    Kernels.write(dGamma, grads.get(prefix + "Gamma"));
    Kernels.write(dBeta, grads.get(prefix + "Beta"));
    if (type == NormKind.BATCH_NORM) {
      double[] runMean = Kernels.read(params.get(prefix + "Mean"));
      double[] runVar = Kernels.read(params.get(prefix + "Var"));
      for (int c = 0; c < channels; c++) {
        runMean[c] = (runMean[c] - f.mean[c]) * (1 - decay);
        runVar[c] = (runVar[c] - f.var[c]) * (1 - decay);
      }
      Kernels.write(runMean, grads.get(prefix + "Mean"));
      Kernels.write(runVar, grads.get(prefix + "Var"));
    }
    clear();
    return gradIn;
  }

  /** What the backward pass needs from the training-mode forward pass. */
  private record Cache(double[] x, int n, int length, double[] mean, double[] var, double[] invStd) {
  }

  private void clear() {
    cache = null;
  }
}
