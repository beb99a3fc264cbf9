package io.github.drsn.model.layers.runtime;

import io.github.drsn.model.layers.ResidualUnit;
import io.github.drsn.model.layers.Shortcut;
import io.github.drsn.model.layers.SoftThreshold;
import io.github.drsn.model.layers.ThresholdMode;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime of {@link ResidualUnit}: the residual (shrinkage) building unit with an explicit forward
 * and backward pass over whole {@code [N, C, 1, L]} tensors (about 30 native ops forward and 40
 * backward for a shrinkage unit).
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

  /** What backprop needs from the training-mode forward pass. */
  private static final class Forward {
    INDArray input;
    INDArray x;
    INDArray h1;
    INDArray h2;
    INDArray signX2;
    INDArray y;
    INDArray z;
    INDArray zMean;
    INDArray hT;
    INDArray alpha;
    INDArray tau;
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
  @SuppressWarnings("try")
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    ensureBlocks();
    INDArray x = contiguousInput();
    if (x.rank() != 4 || x.size(1) != layerConf().getNIn() || x.size(2) != 1) {
      throw new IllegalArgumentException("ResidualUnit " + layerConf().getLayerName() + " expects input [N, "
          + layerConf().getNIn() + ", 1, L], got " + java.util.Arrays.toString(x.shape()));
    }
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape(x), 'c');
    if (training) {
      try (MemoryWorkspace ignored = cacheScope(mgr)) {
        cache = forward(x, true, out);
        cache.input = input;
      }
    } else {
      forward(x, false, out);
      cache = null;
    }
    return out;
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
    long n = f.x.size(0);
    return f.tau.reshape(n, f.tau.length() / n).detach();
  }

  /**
   * z = mean_l |x| of the residual branch (before thresholding) for {@code input} in inference mode,
   * [N, C_out]: the quantity the thresholds scale (τ_c = α_c·z_c with α in (0, 1)).
   */
  public INDArray meanMagnitudes(INDArray input) {
    return inferenceForward(input).z.detach();
  }

  private Forward inferenceForward(INDArray input) {
    if (layerConf().getThresholdMode() == ThresholdMode.NONE) {
      throw new IllegalStateException("Unit " + layerConf().getLayerName() + " has no thresholds");
    }
    ensureBlocks();
    setInput(input, LayerWorkspaceMgr.noWorkspaces());
    INDArray x = contiguousInput();
    return forward(x, false, Nd4j.createUninitialized(dataType, outputShape(x)));
  }

  private Forward forward(INDArray x, boolean training, INDArray out) {
    ResidualUnit c = layerConf();
    Map<String, INDArray> p = params;
    Forward f = new Forward();
    f.x = x;
    int stride = c.getStride();
    long[] outShape = out.shape();

    INDArray h1 = norm1.forward(x, training, p, x.ulike());
    Ops.reluInPlace(h1);
    INDArray c1 = Nd4j.createUninitialized(dataType, outShape, 'c');
    Ops.conv(h1, p.get("c1W"), p.get("c1b"), stride, c1);
    INDArray h2 = norm2.forward(c1, training, p, c1.ulike());
    Ops.reluInPlace(h2);
    INDArray branch = Nd4j.createUninitialized(dataType, outShape, 'c');
    Ops.conv(h2, p.get("c2W"), p.get("c2b"), 1, branch);
    f.h1 = h1;
    f.h2 = h2;

    if (c.getThresholdMode() != ThresholdMode.NONE) {
      softThreshold(branch, training, f);
    }
    addShortcut(x, branch, out);
    return f;
  }

  /** Replaces {@code x2} (the residual branch) by its soft-thresholded value; fills the cache. */
  private void softThreshold(INDArray x2, boolean training, Forward f) {
    Map<String, INDArray> p = params;
    long n = x2.size(0);
    f.signX2 = Transforms.sign(x2, true);
    INDArray abs = Transforms.abs(x2, false);
    INDArray z = abs.mean(2, 3);
    INDArray u = z.mmul(p.get("t1W"));
    Ops.broadcastAdd(u, p.get("t1b"), u, 1);
    INDArray hT = normT.forward(u, training, p, u.ulike());
    Ops.reluInPlace(hT);
    INDArray a2 = hT.mmul(p.get("t2W"));
    Ops.broadcastAdd(a2, p.get("t2b"), a2, 1);
    INDArray alpha = Transforms.sigmoid(a2, false);
    if (layerConf().getThresholdMode() == ThresholdMode.CHANNEL_WISE) {
      f.tau = alpha.mul(z);
    } else {
      f.zMean = z.mean(1);
      f.tau = alpha.reshape(n).mul(f.zMean);
    }
    SoftThreshold.shrinkMagnitude(abs, f.signX2, f.tau);
    f.y = abs;
    f.z = z;
    f.hT = hT;
    f.alpha = alpha;
  }

  private void addShortcut(INDArray x, INDArray branch, INDArray out) {
    ResidualUnit c = layerConf();
    switch (c.getShortcut()) {
      case NONE -> out.assign(branch);
      case PROJECTION -> {
        Ops.conv(x, params.get("scW"), null, c.getStride(), out);
        out.addi(branch);
      }
      case ZERO_PAD -> {
        if (c.getStride() == 1 && c.getNIn() == c.getNOut()) {
          Nd4j.exec(new AddOp(branch, x, out));
        } else {
          out.assign(branch);
          shortcutView(out, (int) c.getNIn(), 1).addi(shortcutView(x, x.size(1), c.getStride()));
        }
      }
      default -> throw new IllegalStateException("Unhandled shortcut " + c.getShortcut());
    }
  }

  /** The first {@code channels} channels of {@code a}, every {@code stride}-th sample. */
  private static INDArray shortcutView(INDArray a, long channels, int stride) {
    INDArrayIndex ch = channels == a.size(1) ? NDArrayIndex.all() : NDArrayIndex.interval(0, channels);
    INDArrayIndex len = stride == 1 ? NDArrayIndex.all() : NDArrayIndex.interval(0, stride, a.size(3), false);
    if (channels == a.size(1) && stride == 1) {
      return a;
    }
    return a.get(NDArrayIndex.all(), ch, NDArrayIndex.all(), len);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    ensureBlocks();
    if (cache == null || cache.input != input) {
      INDArray x = contiguousInput();
      cache = forward(x, true, Nd4j.createUninitialized(dataType, outputShape(x), 'c'));
      cache.input = input;
    }
    Forward f = cache;
    ResidualUnit c = layerConf();
    Map<String, INDArray> p = params;
    Map<String, INDArray> g = gradientViews;
    INDArray eps = epsilon.castTo(dataType);
    if (eps.isView() || eps.ordering() != 'c') {
      eps = eps.dup('c');
    }

    INDArray gBranch = eps;
    if (c.getThresholdMode() != ThresholdMode.NONE) {
      gBranch = softThresholdBackward(eps, f);
    }
    INDArray dH2 = f.h2.ulike();
    Ops.convBackward(f.h2, p.get("c2W"), p.get("c2b"), gBranch, 1, dH2, g.get("c2W"), g.get("c2b"));
    Ops.reluBackward(f.h2, dH2, dH2);
    INDArray dC1 = Nd4j.createUninitialized(dataType, f.h2.shape(), 'c');
    norm2.backward(dH2, p, g, dC1);
    INDArray dH1 = f.h1.ulike();
    Ops.convBackward(f.h1, p.get("c1W"), p.get("c1b"), dC1, c.getStride(), dH1, g.get("c1W"), g.get("c1b"));
    Ops.reluBackward(f.h1, dH1, dH1);
    INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, f.x.shape(), 'c');
    norm1.backward(dH1, p, g, dx);

    switch (c.getShortcut()) {
      case NONE -> { }
      case PROJECTION -> {
        INDArray dxs = f.x.ulike();
        Ops.convBackward(f.x, p.get("scW"), null, eps, c.getStride(), dxs, g.get("scW"), null);
        dx.addi(dxs);
      }
      case ZERO_PAD -> shortcutView(dx, dx.size(1), c.getStride()).addi(shortcutView(eps, c.getNIn(), 1));
      default -> throw new IllegalStateException("Unhandled shortcut " + c.getShortcut());
    }
    cache = null;
    return new Pair<>(allGradients(), dx);
  }

  /** dL/dx2 from dL/dy through the soft threshold and the threshold sub-network; fills its gradients. */
  private INDArray softThresholdBackward(INDArray gradY, Forward f) {
    Map<String, INDArray> p = params;
    Map<String, INDArray> g = gradientViews;
    long n = gradY.size(0);
    long channels = gradY.size(1);
    long length = gradY.size(3);
    INDArray[] direct = SoftThreshold.gradients(f.y, gradY);
    INDArray dX2 = direct[0];
    INDArray dTau = direct[1];

    INDArray dAlpha;
    INDArray dz;
    if (layerConf().getThresholdMode() == ThresholdMode.CHANNEL_WISE) {
      dAlpha = dTau.mul(f.z);
      dz = dTau.muli(f.alpha);
    } else {
      INDArray dTauShared = dTau.sum(1);
      dAlpha = dTauShared.mul(f.zMean).reshape(n, 1);
      INDArray dzMean = dTauShared.muli(f.alpha.reshape(n)).divi(channels);
      dz = dzMean.reshape(n, 1).repeat(1, channels);
    }
    INDArray dA2 = f.alpha.rsub(1.0).muli(f.alpha).muli(dAlpha);
    Nd4j.gemm(f.hT, dA2, g.get("t2W"), true, false, 1.0, 0.0);
    dA2.sum(g.get("t2b"), 0);
    INDArray dhT = Nd4j.gemm(dA2, p.get("t2W"), false, true);
    Ops.reluBackward(f.hT, dhT, dhT);
    INDArray du = normT.backward(dhT, p, g, dhT.ulike());
    Nd4j.gemm(f.z, du, g.get("t1W"), true, false, 1.0, 0.0);
    du.sum(g.get("t1b"), 0);
    dz.addi(Nd4j.gemm(du, p.get("t1W"), false, true));
    dz.divi(length);
    Ops.broadcastMul(f.signX2, dz, f.signX2, 0, 1);
    return dX2.addi(f.signX2);
  }

  @Override
  protected void clearCache() {
    cache = null;
  }
}
