package io.github.drsn.model.layers.impl;

import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import io.github.drsn.model.layers.ResidualUnit;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The {@link io.github.drsn.model.layers.KernelChoice#ND4J} implementation of {@link ResidualUnitRuntime}:
 * the same unit (see {@link ResidualUnit}) and the same parameters, as whole-tensor ND4J ops
 * ({@link Nd4jKernels}), so that it runs on the device of a GPU backend. Unfused: each step is one or a
 * few ops over the batch, and the forward pass keeps every intermediate tensor for backprop (h1, c1's
 * normalised form, h2, the branch, the threshold sub-network's values) instead of recomputing them.
 *
 * <p>Backward of the soft threshold as in {@link ResidualUnitRuntime}: dy/dx = 1{|x| &gt; τ},
 * dL/dτ = −Σ_l dL/dy·sign(x)·1{|x| &gt; τ}; with τ = α·z, z = mean_l|x|, the threshold path adds
 * sign(x)·(dL/dz)/L to dL/dx. Not thread-safe (one per runtime layer).
 */
final class ResidualUnitNd4j {

  private final ResidualUnit conf;
  private final Nd4jKernels.Norm norm1;
  private final Nd4jKernels.Norm norm2;
  private final Nd4jKernels.Norm normT;

  /** What backprop needs from the last training-mode forward pass. */
  private INDArray x;
  private INDArray h1;
  private INDArray h2;
  private INDArray branch;
  private INDArray z;
  private INDArray zMean;
  private INDArray hT;
  private INDArray alpha;
  private INDArray tau;
  /** Spatial dropout's factors [N, C_out] (0 or 1/(1 − p)), or null without dropout. */
  private INDArray keep;

  ResidualUnitNd4j(ResidualUnit conf) {
    this.conf = conf;
    this.norm1 = new Nd4jKernels.Norm(conf.norm1());
    this.norm2 = new Nd4jKernels.Norm(conf.norm2());
    this.normT = conf.getThresholdMode() == ThresholdMode.NONE || conf.normThreshold() == null ? null
        : new Nd4jKernels.Norm(conf.normThreshold());
  }

  /** Whether a training-mode forward pass is cached. */
  boolean cached() {
    return x != null;
  }

  /** Drops the cached forward pass. */
  void clear() {
    x = h1 = h2 = branch = z = zMean = hT = alpha = tau = keep = null;
  }

  private INDArrayIndex[] strided(long length) {
    return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
        NDArrayIndex.interval(0, conf.getStride(), length)};
  }

  private INDArrayIndex[] firstChannels() {
    return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(0, conf.getNIn()), NDArrayIndex.all(),
        NDArrayIndex.all()};
  }

  /** The unit's output for c-contiguous input {@code [N, C_in, 1, L]} (a new array); caches it in training. */
  INDArray forward(INDArray input, boolean training, Map<String, INDArray> p) {
    int stride = conf.getStride();
    INDArray a1 = Nd4jKernels.relu(norm1.forward(input, training, p));
    INDArray c1 = Nd4jKernels.conv(a1, p.get("c1W"), p.get("c1b"), stride);
    INDArray a2 = Nd4jKernels.relu(norm2.forward(c1, training, p));
    INDArray k = null;
    if (training && conf.getSpatialDropout() > 0) {
      long rows = a2.size(0);
      int channels = (int) a2.size(1);
      k = Nd4j.createFromArray(SpatialDropout.scales((int) rows, channels, conf.getSpatialDropout()))
          .castTo(a2.dataType()).reshape(rows, channels);
      a2 = Nd4jKernels.mul(a2, k, 0, 1);
    }
    INDArray br = Nd4jKernels.conv(a2, p.get("c2W"), p.get("c2b"), 1);
    long n = br.size(0);
    long cOut = br.size(1);
    INDArray out;
    INDArray zz = null;
    INDArray zm = null;
    INDArray ht = null;
    INDArray al = null;
    INDArray t = null;
    if (conf.getThresholdMode() == ThresholdMode.NONE) {
      out = br.dup('c');
    } else {
      zz = Transforms.abs(br, true).mean(2, 3);
      INDArray u = zz.mmul(p.get("t1W")).addiRowVector(p.get("t1b"));
      ht = Nd4jKernels.relu(normT == null ? u : normT.forward(u, training, p)); // normT null: no threshold norm
      al = Transforms.sigmoid(ht.mmul(p.get("t2W")).addiRowVector(p.get("t2b")), false);
      if (conf.thresholdCount() == cOut) {
        t = al.mul(zz);
      } else {
        zm = zz.mean(1).reshape(n, 1);
        t = al.mul(zm);
      }
      // y = sign(x)·max(|x| − τ, 0), τ per sample and channel
      INDArray tauRows = t.size(1) == cOut ? t : Nd4j.zeros(br.dataType(), n, cOut).addiColumnVector(t);
      INDArray magnitude = Transforms.relu(Nd4jKernels.sub(Transforms.abs(br, true), tauRows, 0, 1), false);
      out = magnitude.muli(Transforms.sign(br, true));
    }
    if (conf.getShortcut() == Shortcut.PROJECTION) {
      out.addi(Nd4jKernels.conv(input, p.get("scW"), null, stride));
    } else if (conf.getShortcut() == Shortcut.ZERO_PAD) {
      out.get(firstChannels()).addi(input.get(strided(input.size(3))));
    }
    if (training) {
      x = input;
      h1 = a1;
      h2 = a2;
      branch = br;
      z = zz;
      zMean = zm;
      hT = ht;
      alpha = al;
      tau = t;
      keep = k;
    }
    return out;
  }

  /**
   * dL/d(input) for dL/d(output) {@code eps} after the last training-mode {@link #forward}; writes every
   * parameter's gradient (and the running statistics' steps) into {@code g}.
   */
  INDArray backward(INDArray eps, Map<String, INDArray> p, Map<String, INDArray> g) {
    if (x == null) {
      throw new IllegalStateException("backward() without a training-mode forward()");
    }
    int stride = conf.getStride();
    INDArray e = eps.dup('c');
    long n = e.size(0);
    long cOut = e.size(1);
    long outLength = e.size(3);
    INDArray gBranch;
    if (conf.getThresholdMode() == ThresholdMode.NONE) {
      gBranch = e;
    } else {
      INDArray tauRows = tau.size(1) == cOut ? tau : Nd4j.zeros(branch.dataType(), n, cOut).addiColumnVector(tau);
      INDArray pass = Nd4jKernels.sub(Transforms.abs(branch, true), tauRows, 0, 1).gt(0.0).castTo(e.dataType());
      INDArray signs = Transforms.sign(branch, true);
      gBranch = e.mul(pass);
      INDArray dTau = gBranch.mul(signs).sum(2, 3).negi();
      INDArray dAlpha;
      INDArray dz;
      if (tau.size(1) == cOut) {
        dAlpha = dTau.mul(z);
        dz = dTau.mul(alpha);
      } else {
        INDArray dTauShared = dTau.sum(1).reshape(n, 1);
        dAlpha = dTauShared.mul(zMean);
        dz = Nd4j.zeros(e.dataType(), n, cOut).addiColumnVector(dTauShared.mul(alpha).divi(cOut));
      }
      INDArray dA2 = alpha.rsub(1.0).muli(alpha).muli(dAlpha);
      g.get("t2W").assign(hT.transpose().mmul(dA2));
      g.get("t2b").assign(dA2.sum(0));
      INDArray dhT = Nd4jKernels.reluMaskInPlace(hT, dA2.mmul(p.get("t2W").transpose()));
      INDArray du = normT == null ? dhT : normT.backward(dhT, p, g);
      g.get("t1W").assign(z.transpose().mmul(du));
      g.get("t1b").assign(du.sum(0));
      dz.addi(du.mmul(p.get("t1W").transpose())).divi(outLength);
      gBranch.addi(Nd4jKernels.mul(signs, dz, 0, 1));
    }
    INDArray[] conv2 = Nd4jKernels.convBackward(h2, p.get("c2W"), p.get("c2b"), gBranch, 1);
    g.get("c2W").assign(conv2[1]);
    g.get("c2b").assign(conv2[2]);
    // With spatial dropout h2 holds k·ReLU(norm2(c1)): a dropped channel is 0, so the ReLU mask clears it too.
    INDArray dH2 = keep == null ? conv2[0] : Nd4jKernels.mul(conv2[0], keep, 0, 1);
    INDArray dC1 = norm2.backward(Nd4jKernels.reluMaskInPlace(h2, dH2), p, g);
    INDArray[] conv1 = Nd4jKernels.convBackward(h1, p.get("c1W"), p.get("c1b"), dC1, stride);
    g.get("c1W").assign(conv1[1]);
    g.get("c1b").assign(conv1[2]);
    INDArray dx = norm1.backward(Nd4jKernels.reluMaskInPlace(h1, conv1[0]), p, g);
    if (conf.getShortcut() == Shortcut.PROJECTION) {
      INDArray[] sc = Nd4jKernels.convBackward(x, p.get("scW"), null, e, stride);
      g.get("scW").assign(sc[1]);
      dx.addi(sc[0]);
    } else if (conf.getShortcut() == Shortcut.ZERO_PAD) {
      dx.get(strided(dx.size(3))).addi(e.get(firstChannels()));
    }
    clear();
    return dx;
  }
}
