package io.github.drsn.model.layers.impl;

import io.github.drsn.contract.NormKind;
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
  private double[] cachedInput;
  private Moments probe;

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

  /** The parameter key prefix, e.g. "n1": the running statistics are {@code prefix + "Mean"} and {@code + "Var"}. */
  public String prefix() {
    return prefix;
  }

  /** Batch or group norm. */
  public NormKind type() {
    return type;
  }

  /** Number of channels C. */
  public int channels() {
    return channels;
  }

  /**
   * Makes every following inference-mode pass add the per-channel moments of this block's input to
   * {@code moments} (null stops it). Only batch norm has running statistics to re-estimate (AdaBN, see
   * {@code io.github.drsn.model.adapt.NormStatistics}); the output of the pass is unchanged.
   *
   * @throws IllegalArgumentException if {@code moments} is for another channel count
   */
  public void probe(Moments moments) {
    if (moments != null && moments.channels() != channels) {
      throw new IllegalArgumentException("moments of " + moments.channels() + " channels for a norm of " + channels);
    }
    this.probe = moments;
  }

  /** Whether a {@link #probe} is collecting this block's input moments. */
  public boolean probing() {
    return probe != null;
  }

  /** ε added to the variance. */
  double eps() {
    return eps;
  }

  /** Running-average decay d (batch norm). */
  double decay() {
    return decay;
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
    int length = (int) (x.length() / ((long) n * channels));
    double[] values = Kernels.read(x);
    double[] y = forward(values, n, length, training, params, false, new double[values.length]);
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
    double[] dy = Kernels.read(gradOut);
    Kernels.write(backward(dy, params, grads, null, new double[dy.length]), gradIn);
    return gradIn;
  }

  /** Index of the statistics set of row (sample s, channel c): the channel (BN) or the sample's group (GN). */
  private int set(int s, int c) {
    return type == NormKind.BATCH_NORM ? c : s * groups + c / (channels / groups);
  }

  /**
   * Per-row affine maps y = a[r]·x + b[r] (row r = s·C + c) of one forward pass, from per-row Σx and
   * Σx² over rows of {@code length} elements (not read for batch norm at inference, which uses the
   * running statistics). In training the statistics are kept for {@link #backwardCoefficients}. The
   * caller streams the rows itself, so that it can fuse this norm with the work around it.
   *
   * @return {a, b}, each of n·C elements
   */
  double[][] affine(double[] rowSums, double[] rowSquares, int n, int length, boolean training,
      Map<String, INDArray> params) {
    double[] gamma = Kernels.read(params.get(prefix + "Gamma"));
    double[] beta = Kernels.read(params.get(prefix + "Beta"));
    if (probe != null && !training) {
      probe.add(rowSums, rowSquares, n, length);
    }
    int sets = type == NormKind.BATCH_NORM ? channels : n * groups;
    double[] mean;
    double[] var;
    if (type == NormKind.BATCH_NORM && !training) {
      mean = Kernels.read(params.get(prefix + "Mean"));
      var = Kernels.read(params.get(prefix + "Var"));
    } else {
      // var = E[x²] − mean², exact enough in double precision for activations of moderate mean
      double count = type == NormKind.BATCH_NORM ? (double) n * length : (double) (channels / groups) * length;
      mean = new double[sets];
      var = new double[sets];
      for (int r = 0; r < n * channels; r++) {
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
    double[] a = new double[n * channels];
    double[] b = new double[n * channels];
    for (int r = 0; r < a.length; r++) {
      int c = r % channels;
      int k = set(r / channels, c);
      a[r] = gamma[c] * invStd[k];
      b[r] = beta[c] - mean[k] * a[r];
    }
    if (training) {
      cache = new Cache(n, length, mean, var, invStd, a, b);
    }
    return new double[][] {a, b};
  }

  /** The affine maps of the last training-mode pass (to recompute its output in the backward pass). */
  double[][] lastAffine() {
    if (cache == null) {
      throw new IllegalStateException("no training-mode forward pass to recompute");
    }
    return new double[][] {cache.a, cache.b};
  }

  /**
   * The backward pass as per-row maps dL/dx = A[r]·dy + B[r]·x + D[r], from per-row Σdy and Σdy·x of
   * the last training-mode pass (dy = dL/dy, already masked by any ReLU that followed). With x̂ = (x − μ)/σ
   * and means over each statistics set: dL/dx = (γ/σ)·dy − (1/σ)·mean(γ·dy) − (x̂/σ)·mean(γ·dy·x̂).
   * Writes dL/dγ, dL/dβ and, for batch norm, the running statistics' moving-average steps
   * (μ − μ_B)(1 − d) and (σ² − σ²_B)(1 − d) into the gradient views.
   *
   * @return {A, B, D}, each of n·C elements
   */
  double[][] backwardCoefficients(double[] rowSums, double[] rowDots, Map<String, INDArray> params,
      Map<String, INDArray> grads) {
    if (cache == null) {
      throw new IllegalStateException("backward() without a training-mode forward()");
    }
    Cache f = cache;
    int n = f.n;
    double[] gamma = Kernels.read(params.get(prefix + "Gamma"));
    int sets = f.mean.length;
    double count = type == NormKind.BATCH_NORM ? (double) n * f.length : (double) (channels / groups) * f.length;
    double[] dGamma = new double[channels];
    double[] dBeta = new double[channels];
    double[] sumDHat = new double[sets];
    double[] sumDHatXHat = new double[sets];
    for (int r = 0; r < n * channels; r++) {
      int c = r % channels;
      int k = set(r / channels, c);
      double sdyHat = f.invStd[k] * (rowDots[r] - f.mean[k] * rowSums[r]);
      dBeta[c] += rowSums[r];
      dGamma[c] += sdyHat;
      sumDHat[k] += gamma[c] * rowSums[r];
      sumDHatXHat[k] += gamma[c] * sdyHat;
    }
    double[] a = new double[n * channels];
    double[] b = new double[n * channels];
    double[] d = new double[n * channels];
    for (int r = 0; r < a.length; r++) {
      int c = r % channels;
      int k = set(r / channels, c);
      double is = f.invStd[k];
      double m2 = sumDHatXHat[k] / count;
      a[r] = is * gamma[c];
      b[r] = -is * is * m2;
      d[r] = -is * sumDHat[k] / count + is * is * m2 * f.mean[k];
    }
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
    cache = null;
    return new double[][] {a, b, d};
  }

  /**
   * Forward over a whole {@code [N][C][L]} array into {@code out}, through a ReLU when {@code relu} is
   * set; keeps {@code x} for {@link #backward(double[], Map, Map, double[], double[])}.
   */
  double[] forward(double[] x, int n, int length, boolean training, Map<String, INDArray> params, boolean relu,
      double[] out) {
    double[] rowSums = new double[n * channels];
    double[] rowSquares = new double[n * channels];
    boolean statistics = training || type == NormKind.GROUP_NORM || probe != null;
    if (statistics) {
      Kernels.parallel(n, channels * length, (from, to) -> {
        for (int r = from * channels; r < to * channels; r++) {
          Kernels.sumAndSquares(x, r * length, length, rowSums, rowSquares, r);
        }
      });
    }
    double[][] ab = affine(rowSums, rowSquares, n, length, training, params);
    Kernels.parallel(n, channels * length, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        Kernels.affine(x, r * length, length, ab[0][r], ab[1][r], relu, out);
      }
    });
    if (training) {
      cachedInput = x;
    }
    return out;
  }

  /**
   * Backward over a whole array after {@link #forward(double[], int, int, boolean, Map, boolean, double[])};
   * {@code gradOut} is dL/d(output) and is masked in place by the ReLU when {@code reluOutput} (that
   * forward's output) is given.
   */
  double[] backward(double[] gradOut, Map<String, INDArray> params, Map<String, INDArray> grads,
      double[] reluOutput, double[] gradIn) {
    if (cache == null || cachedInput == null) {
      throw new IllegalStateException("backward() without a training-mode forward()");
    }
    double[] x = cachedInput;
    int n = cache.n;
    int length = cache.length;
    double[] rowSums = new double[n * channels];
    double[] rowDots = new double[n * channels];
    Kernels.parallel(n, channels * length, (from, to) ->
        backwardRowSums(gradOut, reluOutput, x, from * channels, to * channels, length, rowSums, rowDots));
    double[][] abd = backwardCoefficients(rowSums, rowDots, params, grads);
    Kernels.parallel(n, channels * length, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        Kernels.inputGradient(gradOut, x, r * length, length, abd[0][r], abd[1][r], abd[2][r], gradIn);
      }
    });
    cachedInput = null;
    return gradIn;
  }

  /**
   * The inputs of {@link #backwardCoefficients} for rows [fromRow, toRow): masks dL/dy in place by the
   * ReLU output (when {@code reluOutput} is not null), then sums[r] = Σ dL/dy and dots[r] = Σ dL/dy·x,
   * x the norm's input; all arrays indexed alike.
   */
  static void backwardRowSums(double[] gradOut, double[] reluOutput, double[] x, int fromRow, int toRow, int length,
      double[] sums, double[] dots) {
    if (reluOutput != null) {
      Kernels.reluBackward(reluOutput, gradOut, fromRow * length, toRow * length);
    }
    for (int r = fromRow; r < toRow; r++) {
      sums[r] = Kernels.sum(gradOut, r * length, length);
      dots[r] = Kernels.dot(gradOut, r * length, x, r * length, length);
    }
  }

  /** What the backward pass needs from the training-mode forward pass. */
  private record Cache(int n, int length, double[] mean, double[] var, double[] invStd, double[] a, double[] b) {
  }

  /**
   * Per-channel Σx, Σx² and the number of values of a norm's input, summed over any number of passes
   * (samples × positions): mean μ = Σx / n and biased variance σ² = Σx² / n − μ², the statistics batch norm
   * normalises with in training, here over all passes at once.
   */
  public static final class Moments {
    private final double[] sums;
    private final double[] squares;
    private double count;

    /** @param channels C */
    public Moments(int channels) {
      sums = new double[channels];
      squares = new double[channels];
    }

    int channels() {
      return sums.length;
    }

    /** Adds the per-row sums of one pass ({@code rows = n·C}, row r = s·C + c, {@code length} values each). */
    void add(double[] rowSums, double[] rowSquares, int n, int length) {
      int channels = sums.length;
      for (int r = 0; r < n * channels; r++) {
        sums[r % channels] += rowSums[r];
        squares[r % channels] += rowSquares[r];
      }
      count += (double) n * length;
    }

    /** Values seen per channel. */
    public double count() {
      return count;
    }

    /** μ per channel. */
    public double[] mean() {
      double[] mean = new double[sums.length];
      for (int c = 0; c < mean.length; c++) {
        mean[c] = sums[c] / count;
      }
      return mean;
    }

    /** Biased σ² per channel (as batch norm's running variance is updated), never below 0. */
    public double[] variance() {
      double[] mean = mean();
      double[] var = new double[sums.length];
      for (int c = 0; c < var.length; c++) {
        var[c] = Math.max(squares[c] / count - mean[c] * mean[c], 0.0);
      }
      return var;
    }
  }
}
