package io.github.drsn.model.layers.impl;

import io.github.drsn.model.layers.ResidualUnit;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.ThresholdMode;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link ResidualUnit}: the residual (shrinkage) building unit with an explicit forward
 * and backward pass in plain-Java loops ({@link Kernels}), or, when this runtime's kernels are ND4J
 * ({@link io.github.drsn.model.layers.KernelChoice}), as whole-tensor ND4J ops ({@link ResidualUnitNd4j}).
 * {@link #thresholds} and {@link #meanMagnitudes} (diagnostics) always use the Java kernels.
 *
 * <p>The passes are fused per sample between the points where batch statistics force all samples to
 * meet: forward, (read x, Σx, Σx²) | (norm1, ReLU, conv1, Σ, Σ²) | (norm2, ReLU, conv2, mean|·|) |
 * threshold sub-network | (soft threshold, shortcut, write); backward likewise in four sweeps. A
 * sample's rows stay in cache between the steps of a sweep, and a step makes about eight parallel
 * calls instead of thirty (each costs a wait for the slowest thread). The ReLU outputs are not kept:
 * the backward pass recomputes them from the cached norm inputs.
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
  private transient ResidualUnitNd4j nd;
  private transient INDArray ndInput;

  /** What backprop needs from the training-mode forward pass ({@code [N][C][L]} arrays). */
  private static final class Forward {
    INDArray input;
    int n;
    int length;
    int outLength;
    /** The unit input (norm1's input). */
    double[] x;
    /** conv1's output (norm2's input). */
    double[] c1;
    /** The residual branch before thresholding. */
    double[] branch;
    double[] z;
    double[] zMean;
    double[] hT;
    double[] alpha;
    double[] tau;
    /** Spatial dropout's factor per row of h2 (0 or 1/(1 − p)), or null without dropout. */
    double[] keep;
    /** norm2's affine maps with the dropout factors folded in (null without dropout). */
    double[][] affine2;

    /** Returns the activation-sized arrays to the pool. */
    void release() {
      DoublePool.release(x, c1, branch);
      x = c1 = branch = null;
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

  /** norm1, norm2 and, when the unit has a threshold sub-network, its norm. */
  @Override
  public java.util.List<NormBlock> normBlocks() {
    ensureBlocks();
    return layerConf().getThresholdMode() == ThresholdMode.NONE || normT == null ? java.util.List.of(norm1, norm2)
        : java.util.List.of(norm1, norm2, normT);
  }

  private ResidualUnitNd4j nd() {
    if (nd == null) {
      nd = new ResidualUnitNd4j(layerConf());
    }
    return nd;
  }

  @Override
  @SuppressWarnings("try")
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    ensureBlocks();
    INDArray x = checkedInput();
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape(x), 'c');
    if (nd4j()) {
      if (training) {
        // The forward pass's tensors are kept for backprop: allocate them where DL4J keeps layer inputs.
        try (MemoryWorkspace ignored = cacheScope(mgr)) {
          out.assign(nd().forward(x, true, params));
          ndInput = input;
        }
      } else {
        out.assign(nd().forward(x, false, params));
      }
      return out;
    }
    Forward f = forward(x, training, out);
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
    return Nd4j.createFromArray(f.tau).reshape(f.n, f.tau.length / f.n).castTo(dataType);
  }

  /**
   * z = mean_l |x| of the residual branch (before thresholding) for {@code input} in inference mode,
   * [N, C_out]: the quantity the thresholds scale (τ_c = α_c·z_c with α in (0, 1)).
   */
  public INDArray meanMagnitudes(INDArray input) {
    Forward f = inferenceForward(input);
    return Nd4j.createFromArray(f.z).reshape(f.n, f.z.length / f.n).castTo(dataType);
  }

  private Forward inferenceForward(INDArray input) {
    if (layerConf().getThresholdMode() == ThresholdMode.NONE) {
      throw new IllegalStateException("Unit " + layerConf().getLayerName() + " has no thresholds");
    }
    ensureBlocks();
    INDArray previous = this.input;
    try {
      setInput(input, LayerWorkspaceMgr.noWorkspaces());
      INDArray x = checkedInput();
      Forward f = forward(x, false, Nd4j.createUninitialized(dataType, outputShape(x)));
      f.release();
      return f;
    } finally {
      this.input = previous;
    }
  }

  /** Convolutions of this unit for inputs of the given length, with the current parameters. */
  private Kernels.Conv conv1(int length) {
    ResidualUnit c = layerConf();
    return Kernels.Conv.of(Kernels.read(params.get("c1W")), Kernels.read(params.get("c1b")), (int) c.getNIn(),
        (int) c.getNOut(), c.getKernelSize(), c.getStride(), length, single());
  }

  private Kernels.Conv conv2(int outLength) {
    ResidualUnit c = layerConf();
    return Kernels.Conv.of(Kernels.read(params.get("c2W")), Kernels.read(params.get("c2b")), (int) c.getNOut(),
        (int) c.getNOut(), c.getKernelSize(), 1, outLength, single());
  }

  private Kernels.Conv projection(int length) {
    ResidualUnit c = layerConf();
    return Kernels.Conv.of(Kernels.read(params.get("scW")), null, (int) c.getNIn(), (int) c.getNOut(), 1,
        c.getStride(), length, single());
  }

  /** The forward pass of {@code input} into {@code out}; returns what backprop needs. */
  private Forward forward(INDArray input, boolean training, INDArray out) {
    long mark = Phases.start();
    ResidualUnit c = layerConf();
    Map<String, INDArray> p = params;
    int cIn = (int) c.getNIn();
    int cOut = (int) c.getNOut();
    int stride = c.getStride();
    Forward f = new Forward();
    int n = (int) input.size(0);
    int length = (int) input.size(3);
    int outLength = Kernels.outLength(length, stride);
    f.n = n;
    f.length = length;
    f.outLength = outLength;
    int inRow = cIn * length;
    int outRow = cOut * outLength;
    boolean statistics = training || c.getNormalization() == io.github.drsn.contract.NormKind.GROUP_NORM;
    // A probing norm (AdaBN) needs its input's moments at inference too.
    boolean statistics1 = statistics || norm1.probing();
    boolean statistics2 = statistics || norm2.probing();

    // 1: read the input and its row moments
    double[] x = DoublePool.borrow(n * inRow);
    double[] sums1 = new double[n * cIn];
    double[] squares1 = new double[n * cIn];
    boolean directIn = Kernels.directIo(input);
    if (!directIn) {
      Kernels.read(input, x);
    }
    Kernels.parallel(n, (from, to) -> {
      if (directIn) {
        Kernels.readRange(input, from * inRow, to * inRow, x);
      }
      if (statistics1) {
        for (int r = from * cIn; r < to * cIn; r++) {
          Kernels.sumAndSquares(x, r * length, length, sums1, squares1, r);
        }
      }
    });
    f.x = x;
    double[][] affine1 = norm1.affine(sums1, squares1, n, length, training, p);
    mark = Phases.stop(Phases.Phase.UNIT_READ, mark);

    // 2: h1 = ReLU(norm1(x)), c1 = conv1(h1), and c1's row moments
    Kernels.Conv conv1 = conv1(length);
    double[] c1 = DoublePool.borrow(n * outRow);
    double[] sums2 = new double[n * cOut];
    double[] squares2 = new double[n * cOut];
    normReluConv(n, x, cIn, length, affine1, conv1, c1, statistics2
        ? r -> Kernels.sumAndSquares(c1, r * outLength, outLength, sums2, squares2, r) : null);
    f.c1 = c1;
    double[][] affine2 = norm2.affine(sums2, squares2, n, outLength, training, p);
    if (training && c.getSpatialDropout() > 0) {
      // Drawn here, before the parallel sweep, so that the masks do not depend on the thread count.
      f.keep = SpatialDropout.scales(n, cOut, c.getSpatialDropout());
      affine2 = SpatialDropout.fold(affine2, f.keep);
      f.affine2 = affine2;
    }
    mark = Phases.stop(Phases.Phase.UNIT_CONV1, mark);

    // 3: h2 = ReLU(norm2(c1)), branch = conv2(h2), z = mean |branch| per row
    Kernels.Conv conv2 = conv2(outLength);
    double[] branch = DoublePool.borrow(n * outRow);
    double[] z = new double[n * cOut];
    boolean thresholds = c.getThresholdMode() != ThresholdMode.NONE;
    normReluConv(n, c1, cOut, outLength, affine2, conv2, branch, thresholds
        ? r -> z[r] = Kernels.absSum(branch, r * outLength, outLength) / outLength : null);
    f.branch = branch;
    mark = Phases.stop(Phases.Phase.UNIT_CONV2, mark);
    if (thresholds) {
      thresholdNetwork(f, z, training);
    }
    mark = Phases.stop(Phases.Phase.UNIT_THRESHOLD, mark);

    // 4: y = soft threshold(branch) + shortcut(x), written to out
    Kernels.Conv projection = c.getShortcut() == Shortcut.PROJECTION ? projection(length) : null;
    int shared = c.thresholdCount() == 1 ? 1 : 0;
    boolean direct = Kernels.directIo(out);
    double[] y = DoublePool.borrow(n * outRow);
    Kernels.parallel(n, (from, to) -> {
      Kernels.Conv.Scratch scratch = projection == null ? null : projection.scratch();
      for (int s = from; s < to; s++) {
        int base = s * outRow;
        if (projection != null) {
          projection.forward(x, s * inRow, y, base, scratch);
        } else {
          java.util.Arrays.fill(y, base, base + outRow, 0.0);
          if (c.getShortcut() == Shortcut.ZERO_PAD) {
            for (int ch = 0; ch < cIn; ch++) {
              int dst = base + ch * outLength;
              int src = (s * cIn + ch) * length;
              for (int j = 0; j < outLength; j++) {
                y[dst + j] = x[src + stride * j];
              }
            }
          }
        }
        for (int ch = 0; ch < cOut; ch++) {
          int row = s * outRow + ch * outLength;
          if (thresholds) {
            Kernels.softThresholdAdd(branch, row, outLength, shared == 1 ? f.tau[s] : f.tau[s * cOut + ch], y);
          } else {
            for (int l = row, end = row + outLength; l < end; l++) {
              y[l] += branch[l];
            }
          }
        }
      }
      if (direct) {
        Kernels.writeRange(y, from * outRow, to * outRow, out);
      }
    });
    if (!direct) {
      Kernels.write(y, out);
    }
    DoublePool.release(y);
    Phases.stop(Phases.Phase.UNIT_SHRINK, mark);
    return f;
  }

  /**
   * One forward sweep over the batch: out = conv(ReLU(a·in + b)) sample by sample, then
   * {@code perOutputRow} (if not null) for each of the sample's output rows while they are in cache.
   */
  private static void normReluConv(int n, double[] in, int channels, int length, double[][] affine,
      Kernels.Conv conv, double[] out, java.util.function.IntConsumer perOutputRow) {
    int inRow = channels * length;
    int outRow = conv.cOut * conv.outLength;
    double[] h = conv.fusesNormalization() ? null : DoublePool.borrow(n * inRow);
    Kernels.parallel(n, (from, to) -> {
      Kernels.Conv.Scratch scratch = conv.scratch();
      for (int s = from; s < to; s++) {
        conv.forwardNormalized(in, s * inRow, affine, s * channels, h, out, s * outRow, scratch);
        if (perOutputRow != null) {
          for (int r = s * conv.cOut; r < (s + 1) * conv.cOut; r++) {
            perOutputRow.accept(r);
          }
        }
      }
    });
    DoublePool.release(h);
  }

  /**
   * The threshold sub-network: u = FC(z), α = sigmoid(FC(ReLU(norm(u)))), τ = α·z (or α·mean z); without a
   * threshold norm ({@link ResidualUnit#normThreshold()} null) α = sigmoid(FC(ReLU(u))).
   */
  private void thresholdNetwork(Forward f, double[] z, boolean training) {
    Map<String, INDArray> p = params;
    int n = f.n;
    int channels = (int) layerConf().getNOut();
    double[] u = Kernels.matmul(z, n, channels, Kernels.read(p.get("t1W")), channels, Kernels.read(p.get("t1b")));
    double[] hT;
    if (normT == null) {
      hT = u; // a fresh array from matmul
      for (int i = 0; i < hT.length; i++) {
        hT[i] = Math.max(hT[i], 0.0);
      }
    } else {
      hT = normT.forward(u, n, 1, training, p, true, new double[u.length]);
    }
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
    f.z = z;
    f.hT = hT;
    f.alpha = alpha;
    f.tau = tau;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    ensureBlocks();
    if (nd4j()) {
      INDArray x = checkedInput();
      if (!nd().cached() || ndInput != input) {
        nd().forward(x, true, params);
      }
      INDArray dx = nd().backward(epsilon.castTo(dataType), params, gradientViews);
      ndInput = null;
      return new Pair<>(allGradients(),
          mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c').assign(dx));
    }
    if (cache == null || cache.input != input) {
      INDArray x = checkedInput();
      cache = forward(x, true, Nd4j.createUninitialized(dataType, outputShape(x), 'c'));
      cache.input = input;
    }
    long mark = Phases.start();
    Forward f = cache;
    ResidualUnit c = layerConf();
    Map<String, INDArray> p = params;
    Map<String, INDArray> g = gradientViews;
    int n = f.n;
    int cIn = (int) c.getNIn();
    int cOut = (int) c.getNOut();
    int k = c.getKernelSize();
    int stride = c.getStride();
    int length = f.length;
    int outLength = f.outLength;
    int inRow = cIn * length;
    int outRow = cOut * outLength;
    boolean thresholds = c.getThresholdMode() != ThresholdMode.NONE;
    INDArray eps = epsilon;
    boolean directIn = Kernels.directIo(eps);

    // 1: read dL/dy; through the soft threshold: dL/dx2 (direct path) and dL/dτ per row
    double[] e = DoublePool.borrow(n * outRow);
    if (!directIn) {
      Kernels.read(eps, e);
    }
    double[] gBranch = thresholds ? DoublePool.borrow(n * outRow) : e;
    double[] dTau = new double[n * cOut];
    double[] signs = thresholds ? DoublePool.borrow(n * outRow) : null;
    int shared = c.thresholdCount() == 1 ? 1 : 0;
    Kernels.parallel(n, (from, to) -> {
      if (directIn) {
        Kernels.readRange(eps, from * outRow, to * outRow, e);
      }
      if (!thresholds) {
        return;
      }
      for (int r = from * cOut; r < to * cOut; r++) {
        dTau[r] = Kernels.softThresholdBackward(f.branch, e, r * outLength, outLength,
            shared == 1 ? f.tau[r / cOut] : f.tau[r], gBranch, signs);
      }
    });
    mark = Phases.stop(Phases.Phase.UNIT_SHRINK_BACKWARD, mark);
    double[] dz = thresholds ? thresholdNetworkBackward(f, dTau) : null;
    mark = Phases.stop(Phases.Phase.UNIT_THRESHOLD_BACKWARD, mark);

    // 2: threshold path into dL/dx2; h2 recomputed; conv2 backward; ReLU mask; norm2's row sums
    int chunks = Kernels.chunks(n);
    double[][] gradW2 = new double[chunks][cOut * cOut * k];
    double[][] gradB2 = new double[chunks][cOut];
    double[] dH2 = DoublePool.borrow(n * outRow);
    double[] sums2 = new double[n * cOut];
    double[] dots2 = new double[n * cOut];
    normReluConvBackward(n, chunks, f.c1, cOut, outLength, f.keep == null ? norm2.lastAffine() : f.affine2,
        f.keep, conv2(outLength), gBranch,
        !thresholds ? null : s -> {
          for (int r = s * cOut; r < (s + 1) * cOut; r++) {
            double d = dz[r];
            for (int l = r * outLength, end = l + outLength; l < end; l++) {
              gBranch[l] = Math.fma(d, signs[l], gBranch[l]);
            }
          }
        }, dH2, gradW2, gradB2, sums2, dots2);
    writeSum(gradW2, g.get("c2W"));
    writeSum(gradB2, g.get("c2b"));
    mark = Phases.stop(Phases.Phase.UNIT_CONV2_BACKWARD, mark);
    double[][] back2 = norm2.backwardCoefficients(sums2, dots2, p, g);
    mark = Phases.stop(Phases.Phase.UNIT_NORMS, mark);

    // 3: dL/dc1 = norm2 backward; h1 recomputed; conv1 backward; ReLU mask; norm1's row sums
    double[][] gradW1 = new double[chunks][cOut * cIn * k];
    double[][] gradB1 = new double[chunks][cOut];
    double[] dH1 = DoublePool.borrow(n * inRow);
    double[] sums1 = new double[n * cIn];
    double[] dots1 = new double[n * cIn];
    double[] dC1 = DoublePool.borrow(n * outRow);
    normReluConvBackward(n, chunks, f.x, cIn, length, norm1.lastAffine(), null, conv1(length), dC1, s -> {
      for (int r = s * cOut; r < (s + 1) * cOut; r++) {
        Kernels.inputGradient(dH2, f.c1, r * outLength, outLength, back2[0][r], back2[1][r], back2[2][r], dC1);
      }
    }, dH1, gradW1, gradB1, sums1, dots1);
    writeSum(gradW1, g.get("c1W"));
    writeSum(gradB1, g.get("c1b"));
    mark = Phases.stop(Phases.Phase.UNIT_CONV1_BACKWARD, mark);
    double[][] back1 = norm1.backwardCoefficients(sums1, dots1, p, g);
    mark = Phases.stop(Phases.Phase.UNIT_NORMS, mark);

    // 4: dL/dx = norm1 backward + the shortcut's gradient, written to the layer's input gradient
    Kernels.Conv projection = c.getShortcut() == Shortcut.PROJECTION ? projection(length) : null;
    double[][] gradSc = projection == null ? null : new double[chunks][cOut * cIn];
    INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {n, cIn, 1, length},
        'c');
    boolean direct = Kernels.directIo(gradIn);
    double[] dx = DoublePool.borrow(n * inRow);
    Kernels.parallel(n, chunks, (chunk, from, to) -> {
      Kernels.Conv.Scratch scratch = projection == null ? null : projection.scratch();
      double[] projected = projection == null ? null : new double[inRow];
      for (int s = from; s < to; s++) {
        for (int r = s * cIn; r < (s + 1) * cIn; r++) {
          Kernels.inputGradient(dH1, f.x, r * length, length, back1[0][r], back1[1][r], back1[2][r], dx);
        }
        if (projection != null) {
          projection.backward(f.x, s * inRow, e, s * outRow, projected, 0, gradSc[chunk], null, scratch);
          for (int i = 0; i < inRow; i++) {
            dx[s * inRow + i] += projected[i];
          }
        } else if (c.getShortcut() == Shortcut.ZERO_PAD) {
          for (int ch = 0; ch < cIn; ch++) {
            int src = (s * cOut + ch) * outLength;
            int dst = (s * cIn + ch) * length;
            for (int j = 0; j < outLength; j++) {
              dx[dst + stride * j] += e[src + j];
            }
          }
        }
      }
      if (direct) {
        Kernels.writeRange(dx, from * inRow, to * inRow, gradIn);
      }
    });
    if (!direct) {
      Kernels.write(dx, gradIn);
    }
    if (gradSc != null) {
      writeSum(gradSc, g.get("scW"));
    }
    DoublePool.release(e, gBranch, signs, dH2, dC1, dH1, dx);
    f.release();
    cache = null;
    Phases.stop(Phases.Phase.UNIT_INPUT_GRADIENT, mark);
    return new Pair<>(allGradients(), gradIn);
  }

  /**
   * One backward sweep through out = conv(ReLU(a·in + b)), sample by sample: {@code beforeSample} (if not
   * null) finishes the sample's dL/d(out) in {@code gradOut}; h is recomputed; the convolution's backward
   * gives dL/dh into {@code gradIn} and the chunk's weight gradients; then the ReLU mask and the norm's
   * row sums ({@link NormBlock#backwardRowSums}) while the rows are in cache. With spatial dropout, {@code affine}
   * has its factors k folded in and {@code keep} holds them: dL/d(norm output) = k·dL/dh where the ReLU passes.
   */
  private static void normReluConvBackward(int n, int chunks, double[] in, int channels, int length,
      double[][] affine, double[] keep, Kernels.Conv conv, double[] gradOut,
      java.util.function.IntConsumer beforeSample,
      double[] gradIn, double[][] gradW, double[][] gradB, double[] sums, double[] dots) {
    int inRow = channels * length;
    int outRow = conv.cOut * conv.outLength;
    double[] h = conv.fusesNormalization() ? null : DoublePool.borrow(n * inRow);
    Kernels.parallel(n, chunks, (chunk, from, to) -> {
      Kernels.Conv.Scratch scratch = conv.scratch();
      for (int s = from; s < to; s++) {
        if (beforeSample != null) {
          beforeSample.accept(s);
        }
        conv.backwardNormalized(in, s * inRow, affine, s * channels, h, gradOut, s * outRow, gradIn, gradW[chunk],
            gradB[chunk], scratch);
        if (keep != null) {
          for (int r = s * channels; r < (s + 1) * channels; r++) {
            for (int l = r * length, end = l + length; l < end; l++) {
              gradIn[l] *= keep[r];
            }
          }
        }
        NormBlock.backwardRowSums(gradIn, null, in, s * channels, (s + 1) * channels, length, sums, dots);
      }
    });
    DoublePool.release(h);
  }

  private static void writeSum(double[][] partial, INDArray target) {
    double[] total = new double[partial[0].length];
    Kernels.sumChunks(partial, total);
    Kernels.write(total, target);
  }

  /** Backward of the threshold sub-network from dL/dτ; fills its gradients, returns dL/dz / L per row. */
  private double[] thresholdNetworkBackward(Forward f, double[] dTau) {
    Map<String, INDArray> p = params;
    Map<String, INDArray> g = gradientViews;
    int n = f.n;
    int channels = (int) layerConf().getNOut();
    int a = layerConf().thresholdCount();
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
    double[] du;
    if (normT == null) {
      du = dhT; // dL/du = dL/dh masked by the ReLU, in place
      Kernels.reluBackward(f.hT, du, 0, du.length);
    } else {
      du = normT.backward(dhT, p, g, f.hT, new double[dhT.length]);
    }
    Kernels.write(Kernels.transposeMatmul(f.z, n, channels, du, channels), g.get("t1W"));
    Kernels.write(Kernels.columnSums(du, n, channels), g.get("t1b"));
    double[] dzFc = Kernels.matmulTranspose(du, n, channels, Kernels.read(p.get("t1W")), channels);
    for (int r = 0; r < dz.length; r++) {
      dz[r] = (dz[r] + dzFc[r]) / f.outLength;
    }
    return dz;
  }

  @Override
  protected void clearCache() {
    cache = null;
    ndInput = null;
    if (nd != null) {
      nd.clear();
    }
  }
}
