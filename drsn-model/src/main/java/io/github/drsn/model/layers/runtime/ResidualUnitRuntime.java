package io.github.drsn.model.layers.runtime;

import io.github.drsn.model.layers.ResidualUnit;
import io.github.drsn.model.layers.Shortcut;
import io.github.drsn.model.layers.ThresholdMode;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link ResidualUnit}: the residual (shrinkage) building unit with an explicit forward
 * and backward pass in plain-Java loops ({@link Kernels}); the layer's input, output and gradients
 * are converted at its boundary.
 *
 * <p>Backward of the soft threshold y = sign(x)·max(|x| − τ, 0): dy/dx = 1{|x| &gt; τ},
 * dy/dτ = −sign(x)·1{|x| &gt; τ} = −sign(y); with τ = α·z, z = mean_l|x| the threshold path adds
 * sign(x)·(dL/dz)/L to dL/dx.
 */
public final class ResidualUnitRuntime extends DrsnRuntimeLayer<ResidualUnit> {

  private static final long serialVersionUID = 1L;

  private transient NormBlock norm1;
  private transient NormBlock norm2;
  private transient NormBlock normT;
  private transient Forward cache;

  /** What backprop needs from the training-mode forward pass ({@code [N][C][L]} arrays). */
  private static final class Forward {
    INDArray input;
    int n;
    int length;
    int outLength;
    double[] x;
    double[] h1;
    double[] c1;
    double[] h2;
    /** The residual branch before thresholding. */
    double[] branch;
    /** The residual branch after thresholding (same array as branch without thresholds). */
    double[] y;
    double[] out;
    double[] z;
    double[] zMean;
    double[] hT;
    double[] alpha;
    double[] tau;

    /** Returns the activation-sized arrays to the pool. */
    void release() {
      DoublePool.release(x, h1, c1, h2, branch, y, out);
      x = h1 = c1 = h2 = branch = y = out = null;
    }
  }

  public ResidualUnitRuntime(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private void ensureBlocks() {
    if (norm1 == null) {
      ResidualUnit c = layerConf();
      norm1 = c.norm1();
      norm2 = c.norm2();
      normT = c.normThreshold();
    }
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    ensureBlocks();
    INDArray x = checkedInput();
    Forward f = forward(x, training);
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape(x), 'c');
    Kernels.write(f.out, out);
    DoublePool.release(f.out);
    f.out = null;
    if (training) {
      f.input = input;
      cache = f;
    } else {
      f.release();
      cache = null;
    }
    return out;
  }

  private INDArray checkedInput() {
    INDArray x = contiguousInput();
    if (x.rank() != 4 || x.size(1) != layerConf().getNIn() || x.size(2) != 1) {
      throw new IllegalArgumentException("ResidualUnit " + layerConf().getLayerName() + " expects input [N, "
          + layerConf().getNIn() + ", 1, L], got " + java.util.Arrays.toString(x.shape()));
    }
    return x;
  }

  private long[] outputShape(INDArray x) {
    ResidualUnit c = layerConf();
    return new long[] {x.size(0), c.getNOut(), 1, ResidualUnit.sameOutputLength(x.size(3), c.getStride())};
  }

  /**
   * The thresholds τ the unit applies to {@code input} in inference mode: [N, C_out] for RSBU-CW,
   * [N, 1] for RSBU-CS. Throws IllegalStateException for a unit without thresholding.
   */
  public INDArray thresholds(INDArray input) {
    Forward f = inferenceForward(input);
    f.release();
    return Nd4j.createFromArray(f.tau).reshape(f.n, f.tau.length / f.n).castTo(dataType);
  }

  /**
   * z = mean_l |x| of the residual branch (before thresholding) for {@code input} in inference mode,
   * [N, C_out]: the quantity the thresholds scale (τ_c = α_c·z_c with α in (0, 1)).
   */
  public INDArray meanMagnitudes(INDArray input) {
    Forward f = inferenceForward(input);
    f.release();
    return Nd4j.createFromArray(f.z).reshape(f.n, f.z.length / f.n).castTo(dataType);
  }

  private Forward inferenceForward(INDArray input) {
    if (layerConf().getThresholdMode() == ThresholdMode.NONE) {
      throw new IllegalStateException("Unit " + layerConf().getLayerName() + " has no thresholds");
    }
    ensureBlocks();
    setInput(input, LayerWorkspaceMgr.noWorkspaces());
    return forward(checkedInput(), false);
  }

  private Forward forward(INDArray input, boolean training) {
    ResidualUnit c = layerConf();
    Map<String, INDArray> p = params;
    int cIn = (int) c.getNIn();
    int cOut = (int) c.getNOut();
    int k = c.getKernelSize();
    int stride = c.getStride();
    Forward f = new Forward();
    f.n = (int) input.size(0);
    f.length = (int) input.size(3);
    f.outLength = Kernels.outLength(f.length, stride);
    int n = f.n;
    int inSize = n * cIn * f.length;
    int outSize = n * cOut * f.outLength;
    f.x = Kernels.read(input, DoublePool.borrow(inSize));

    // h1 and h2 are recomputed from the norms' caches in the backward pass rather than kept
    f.h1 = norm1.forward(f.x, n, f.length, training, p, true, DoublePool.borrow(inSize));
    f.c1 = DoublePool.borrow(outSize);
    Kernels.conv(f.h1, n, cIn, f.length, Kernels.read(p.get("c1W")), Kernels.read(p.get("c1b")), cOut, k, stride,
        f.c1);
    DoublePool.release(f.h1);
    f.h1 = null;
    f.h2 = norm2.forward(f.c1, n, f.outLength, training, p, true, DoublePool.borrow(outSize));
    f.branch = DoublePool.borrow(outSize);
    Kernels.conv(f.h2, n, cOut, f.outLength, Kernels.read(p.get("c2W")), Kernels.read(p.get("c2b")), cOut, k, 1,
        f.branch);
    DoublePool.release(f.h2);
    f.h2 = null;
    f.y = c.getThresholdMode() == ThresholdMode.NONE ? f.branch : softThreshold(f, training);
    f.out = DoublePool.borrow(outSize);
    addShortcut(f);
    if (f.y != f.branch) {
      DoublePool.release(f.y);
    }
    f.y = null;
    return f;
  }

  /** The soft-thresholded branch; fills the threshold sub-network's part of the cache. */
  private double[] softThreshold(Forward f, boolean training) {
    Map<String, INDArray> p = params;
    int n = f.n;
    int channels = (int) layerConf().getNOut();
    int length = f.outLength;
    double[] x2 = f.branch;
    double[] z = new double[n * channels];
    Kernels.parallel(n, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        z[r] = Kernels.absSum(x2, r * length, length) / length;
      }
    });
    double[] u = Kernels.matmul(z, n, channels, Kernels.read(p.get("t1W")), channels, Kernels.read(p.get("t1b")));
    double[] hT = normT.forward(u, n, 1, training, p, true, new double[u.length]);
    int a = layerConf().thresholdCount();
    double[] alpha = Kernels.matmul(hT, n, channels, Kernels.read(p.get("t2W")), a, Kernels.read(p.get("t2b")));
    for (int i = 0; i < alpha.length; i++) {
      alpha[i] = 1.0 / (1.0 + Math.exp(-alpha[i]));
    }
    double[] tau = new double[n * a];
    if (a == channels) {
      for (int i = 0; i < tau.length; i++) {
        tau[i] = alpha[i] * z[i];
      }
    } else {
      f.zMean = new double[n];
      for (int s = 0; s < n; s++) {
        f.zMean[s] = Kernels.sum(z, s * channels, channels) / channels;
        tau[s] = alpha[s] * f.zMean[s];
      }
    }
    double[] y = DoublePool.borrow(x2.length);
    Kernels.parallel(n, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        double t = a == channels ? tau[r] : tau[r / channels];
        // sign(v)·max(|v| − t, 0) = v − clamp(v, −t, t), branch-free so that it vectorises
        for (int l = r * length, end = l + length; l < end; l++) {
          double v = x2[l];
          y[l] = v - Math.max(-t, Math.min(t, v));
        }
      }
    });
    f.z = z;
    f.hT = hT;
    f.alpha = alpha;
    f.tau = tau;
    return y;
  }

  /** out = y + shortcut(x). */
  private void addShortcut(Forward f) {
    ResidualUnit c = layerConf();
    int cIn = (int) c.getNIn();
    int cOut = (int) c.getNOut();
    int stride = c.getStride();
    int outLength = f.outLength;
    double[] projected = null;
    if (c.getShortcut() == Shortcut.PROJECTION) {
      projected = DoublePool.borrow(f.out.length);
      Kernels.conv(f.x, f.n, cIn, f.length, Kernels.read(params.get("scW")), null, cOut, 1, stride, projected);
    }
    double[] proj = projected;
    Kernels.parallel(f.n, (from, to) -> {
      int start = from * cOut * outLength;
      int end = to * cOut * outLength;
      switch (c.getShortcut()) {
        case NONE -> System.arraycopy(f.y, start, f.out, start, end - start);
        case PROJECTION -> {
          for (int l = start; l < end; l++) {
            f.out[l] = f.y[l] + proj[l];
          }
        }
        case ZERO_PAD -> {
          System.arraycopy(f.y, start, f.out, start, end - start);
          for (int s = from; s < to; s++) {
            for (int ch = 0; ch < cIn; ch++) {
              int dst = (s * cOut + ch) * outLength;
              int src = (s * cIn + ch) * f.length;
              if (stride == 1) {
                for (int j = 0; j < outLength; j++) {
                  f.out[dst + j] += f.x[src + j];
                }
              } else {
                for (int j = 0; j < outLength; j++) {
                  f.out[dst + j] += f.x[src + stride * j];
                }
              }
            }
          }
        }
        default -> throw new IllegalStateException("Unhandled shortcut " + c.getShortcut());
      }
    });
    DoublePool.release(projected);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    ensureBlocks();
    if (cache == null || cache.input != input) {
      cache = forward(checkedInput(), true);
      cache.input = input;
    }
    Forward f = cache;
    ResidualUnit c = layerConf();
    Map<String, INDArray> p = params;
    Map<String, INDArray> g = gradientViews;
    int n = f.n;
    int cIn = (int) c.getNIn();
    int cOut = (int) c.getNOut();
    int k = c.getKernelSize();
    int stride = c.getStride();
    double[] eps = Kernels.read(epsilon, DoublePool.borrow(f.branch.length));

    double[] gBranch = c.getThresholdMode() == ThresholdMode.NONE ? eps : softThresholdBackward(eps, f);
    f.h2 = norm2.recomputeOutput(p, true, DoublePool.borrow(f.branch.length));
    double[] dH2 = DoublePool.borrow(f.h2.length);
    double[] gradW = new double[cOut * cOut * k];
    double[] gradB = new double[cOut];
    Kernels.convBackward(f.h2, n, cOut, f.outLength, Kernels.read(p.get("c2W")), cOut, k, 1, gBranch, dH2, gradW,
        gradB);
    Kernels.write(gradW, g.get("c2W"));
    Kernels.write(gradB, g.get("c2b"));
    double[] dC1 = norm2.backward(dH2, p, g, f.h2, DoublePool.borrow(dH2.length));
    f.h1 = norm1.recomputeOutput(p, true, DoublePool.borrow(f.x.length));
    double[] dH1 = DoublePool.borrow(f.h1.length);
    gradW = new double[cOut * cIn * k];
    Kernels.convBackward(f.h1, n, cIn, f.length, Kernels.read(p.get("c1W")), cOut, k, stride, dC1, dH1, gradW,
        gradB);
    Kernels.write(gradW, g.get("c1W"));
    Kernels.write(gradB, g.get("c1b"));
    double[] dx = norm1.backward(dH1, p, g, f.h1, DoublePool.borrow(dH1.length));

    switch (c.getShortcut()) {
      case NONE -> { }
      case PROJECTION -> {
        double[] dxs = DoublePool.borrow(dx.length);
        double[] gradScW = new double[cOut * cIn];
        Kernels.convBackward(f.x, n, cIn, f.length, Kernels.read(p.get("scW")), cOut, 1, stride, eps, dxs,
            gradScW, null);
        Kernels.write(gradScW, g.get("scW"));
        for (int i = 0; i < dx.length; i++) {
          dx[i] += dxs[i];
        }
        DoublePool.release(dxs);
      }
      case ZERO_PAD -> Kernels.parallel(n, (from, to) -> {
        for (int s = from; s < to; s++) {
          for (int ch = 0; ch < cIn; ch++) {
            int src = (s * cOut + ch) * f.outLength;
            int dst = (s * cIn + ch) * f.length;
            if (stride == 1) {
              for (int j = 0; j < f.outLength; j++) {
                dx[dst + j] += eps[src + j];
              }
            } else {
              for (int j = 0; j < f.outLength; j++) {
                dx[dst + stride * j] += eps[src + j];
              }
            }
          }
        }
      });
      default -> throw new IllegalStateException("Unhandled shortcut " + c.getShortcut());
    }
    INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {n, cIn, 1, f.length},
        'c');
    Kernels.write(dx, gradIn);
    DoublePool.release(eps, gBranch, dH2, dC1, dH1, dx);
    f.release();
    cache = null;
    return new Pair<>(allGradients(), gradIn);
  }

  /** dL/dx2 from dL/dy through the soft threshold and the threshold sub-network; fills its gradients. */
  private double[] softThresholdBackward(double[] gradY, Forward f) {
    Map<String, INDArray> p = params;
    Map<String, INDArray> g = gradientViews;
    int n = f.n;
    int channels = (int) layerConf().getNOut();
    int length = f.outLength;
    int a = layerConf().thresholdCount();
    double[] dX2 = DoublePool.borrow(gradY.length);
    double[] signX2 = DoublePool.borrow(gradY.length);
    double[] dTau = new double[n * channels];
    Kernels.parallel(n, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        double t = a == channels ? f.tau[r] : f.tau[r / channels];
        for (int l = r * length, end = l + length; l < end; l++) {
          double v = f.branch[l];
          signX2[l] = Kernels.sign(v);
          // y ≠ 0 exactly where |x2| > τ: mask = min(ceil(max(|x2| − τ, 0)), 1), branch-free
          dX2[l] = gradY[l] * Math.min(Math.ceil(Math.max(Math.abs(v) - t, 0.0)), 1.0);
        }
      }
      // dL/dτ = −Σ_l dL/dy·sign(y), and sign(y) = sign(x2) wherever y ≠ 0
      for (int r = from * channels; r < to * channels; r++) {
        dTau[r] = -Kernels.dot(dX2, r * length, signX2, r * length, length);
      }
    });
    double[] dAlpha = new double[n * a];
    double[] dz = new double[n * channels];
    if (a == channels) {
      for (int i = 0; i < dz.length; i++) {
        dAlpha[i] = dTau[i] * f.z[i];
        dz[i] = dTau[i] * f.alpha[i];
      }
    } else {
      for (int s = 0; s < n; s++) {
        double dTauShared = Kernels.sum(dTau, s * channels, channels);
        dAlpha[s] = dTauShared * f.zMean[s];
        java.util.Arrays.fill(dz, s * channels, (s + 1) * channels, dTauShared * f.alpha[s] / channels);
      }
    }
    double[] dA2 = new double[dAlpha.length];
    for (int i = 0; i < dA2.length; i++) {
      dA2[i] = f.alpha[i] * (1 - f.alpha[i]) * dAlpha[i];
    }
    Kernels.write(Kernels.transposeMatmul(f.hT, n, channels, dA2, a), g.get("t2W"));
    Kernels.write(Kernels.columnSums(dA2, n, a), g.get("t2b"));
    double[] dhT = Kernels.matmulTranspose(dA2, n, a, Kernels.read(p.get("t2W")), channels);
    double[] du = normT.backward(dhT, p, g, f.hT, new double[dhT.length]);
    Kernels.write(Kernels.transposeMatmul(f.z, n, channels, du, channels), g.get("t1W"));
    Kernels.write(Kernels.columnSums(du, n, channels), g.get("t1b"));
    double[] dzFc = Kernels.matmulTranspose(du, n, channels, Kernels.read(p.get("t1W")), channels);
    Kernels.parallel(n, (from, to) -> {
      for (int r = from * channels; r < to * channels; r++) {
        double d = (dz[r] + dzFc[r]) / length;
        for (int l = r * length, end = l + length; l < end; l++) {
          dX2[l] = Math.fma(d, signX2[l], dX2[l]);
        }
      }
    });
    DoublePool.release(signX2);
    return dX2;
  }

  @Override
  protected void clearCache() {
    cache = null;
  }
}
