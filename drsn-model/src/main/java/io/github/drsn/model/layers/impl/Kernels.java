package io.github.drsn.model.layers.impl;

import io.github.drsn.runtime.VectorApi;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain-Java kernels of the DRSN layers over {@code double[]} tensors in the layout {@code [N][C][L]}
 * (index {@code (n·C + c)·L + l}), the layout of a c-ordered {@code [N, C, 1, L]} INDArray.
 *
 * <p>Why not ND4J ops: the DRSN has 4-16 channels, so each native op does little arithmetic (about
 * 1.3 M multiply-adds per window for the whole network) and a training step of ~1,200 ops was
 * dominated by per-op cost and by libnd4j's batchnorm_bp and conv2d, which are built for wide tensors.
 * Loops over one sample's rows keep the data in L1 and let HotSpot vectorise the stride-1 loops;
 * dot products use several accumulators, as Java keeps floating-point sums in source order.
 * Tensors are double; the arithmetic is double except the convolutions of FLOAT networks (training), which
 * run in float32 with the Vector API ({@link FloatConv}), the conversion riding on the copies into their
 * tap rows. DOUBLE networks (the gradient checks, the ND4J parity) stay double throughout.
 */
final class Kernels {

  /**
   * Chunks per thread in {@link #parallel}: with one chunk per thread the caller, done with its own,
   * waited for a worker that woke late (22 % of a step, profiled); smaller chunks are work-stolen.
   */
  private static final int CHUNKS_PER_THREAD = 8;

  /** Below this many elements a parallel call runs inline. */
  private static final int MIN_PARALLEL_ELEMENTS = 16_384;

  /** Elements converted between float and double per step of {@link #read}/{@link #write} (fits L1). */
  private static final int CONVERSION_BLOCK = 2048;

  /** Whether the weight-gradient reductions use the Vector API ({@link VectorDots}): the runtime's switch. */
  static final boolean VECTOR = VectorApi.ENABLED;

  /**
   * Whether FLOAT networks' convolutions compute in float32 ({@link FloatConv}), which needs the Vector API:
   * {@link #VECTOR} unless a test selects the fallback ({@link #useVectorFloat}). Without the Vector API they use
   * the double kernels: Java 17 does not vectorise the float/double conversions of scalar loops, and float32
   * convolutions in scalar loops measured 2-3x slower than the double ones (forward and backward, DRSN-CW's shapes).
   */
  private static volatile boolean vectorFloat = VECTOR;

  private Kernels() {
  }

  static boolean vectorFloat() {
    return vectorFloat;
  }

  /** Selects float32 convolutions for FLOAT networks (true, needs {@link #VECTOR}) or the double ones; for tests. */
  static void useVectorFloat(boolean vector) {
    if (vector && !VECTOR) {
      throw new IllegalStateException("jdk.incubator.vector is not available or -Ddrsn.vector=false");
    }
    vectorFloat = vector;
  }

  /** A loop body over samples [from, to). */
  @FunctionalInterface
  interface SampleRange {
    void run(int from, int to);
  }

  /** Threads the kernels split a batch over ({@link io.github.drsn.model.NativeBackend#computeThreads()}). */
  static int threads() {
    return io.github.drsn.model.NativeBackend.computeThreads();
  }

  /**
   * Runs {@code body} over samples [0, n) in contiguous chunks on {@link #threads()} threads
   * ({@link KernelThreads}). Chunk boundaries depend only on n and the thread count, and each chunk's
   * partial sums are combined in chunk order by the caller, so results are reproducible for a given
   * thread count.
   */
  static void parallel(int n, SampleRange body) {
    parallel(n, chunks(n), (chunk, from, to) -> body.run(from, to));
  }

  /** A loop body over samples [from, to), the chunk'th of a split. */
  @FunctionalInterface
  interface ChunkRange {
    void run(int chunk, int from, int to);
  }

  /**
   * Runs {@code body} over samples [0, n) split into exactly {@code chunks} contiguous chunks (take the
   * count once from {@link #chunks} and size per-chunk partial sums with it: the thread setting may
   * change between two reads).
   */
  static void parallel(int n, int chunks, ChunkRange body) {
    if (chunks == 1) {
      body.run(0, 0, n);
    } else {
      KernelThreads.run(chunks, threads(),
          c -> body.run(c, chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1)));
    }
  }

  /**
   * {@link #parallel} for work of {@code elementsPerSample} elements per sample; runs inline when the
   * whole is too small to repay waking a worker (e.g. a norm over [N, C] features).
   */
  static void parallel(int n, int elementsPerSample, SampleRange body) {
    if ((long) n * elementsPerSample < MIN_PARALLEL_ELEMENTS) {
      body.run(0, n);
    } else {
      parallel(n, body);
    }
  }

  /** Number of chunks {@link #parallel} splits n samples into. */
  static int chunks(int n) {
    int threads = threads();
    return threads == 1 ? 1 : Math.max(1, Math.min(n, threads * CHUNKS_PER_THREAD));
  }

  /** The first sample of chunk c when n samples are split into the given number of chunks. */
  static int chunkStart(int n, int chunks, int c) {
    return (int) ((long) n * c / chunks);
  }

  /** Output length of a 'same' convolution: ceil(length / stride). */
  static int outLength(int length, int stride) {
    return (length + stride - 1) / stride;
  }

  /** libnd4j's 'same' left padding: floor(max((L_out − 1)·s + k − L, 0) / 2). */
  static int padLeft(int length, int kernel, int stride) {
    return Math.max((outLength(length, stride) - 1) * stride + kernel - length, 0) / 2;
  }

  /**
   * out[n, o, j] = b[o] + Σ_i Σ_t w[o, i, t]·x[n, i, s·j + t − p] ('same' padding p, zero outside),
   * weights {@code [C_out][C_in][k]}, b may be null; in float32 when {@code single} ({@link Conv#of}).
   */
  static void conv(double[] x, int n, int cIn, int length, double[] w, double[] b, int cOut, int kernel,
      int stride, boolean single, double[] out) {
    Conv conv = Conv.of(w, b, cIn, cOut, kernel, stride, length, single);
    parallel(n, (from, to) -> {
      Conv.Scratch scratch = conv.scratch();
      for (int s = from; s < to; s++) {
        conv.forward(x, s * cIn * length, out, s * cOut * conv.outLength, scratch);
      }
    });
  }

  /**
   * One 'same' convolution (weights {@code [C_out][C_in][k]}, stride s, input length L) applied sample by
   * sample, so that callers can fuse it with the element-wise work around it. Tensors outside are
   * {@code double[]}; the arithmetic is double ({@link DoubleConv}) or float32 ({@link FloatConv}, for
   * FLOAT networks: twice the lanes per vector and half the bytes per tap), and the conversion rides on the
   * copies into the tap rows and out of the accumulator rows that both make anyway. Not thread-safe per
   * {@link Scratch}; the convolution itself is immutable.
   */
  abstract static class Conv {
    final int cIn;
    final int cOut;
    final int kernel;
    final int stride;
    final int length;
    final int outLength;
    final int pad;
    final boolean single;

    Conv(int cIn, int cOut, int kernel, int stride, int length, boolean single) {
      this.cIn = cIn;
      this.cOut = cOut;
      this.kernel = kernel;
      this.stride = stride;
      this.length = length;
      this.outLength = outLength(length, stride);
      this.pad = padLeft(length, kernel, stride);
      this.single = single;
    }

    /**
     * The convolution with weights w (and bias b, may be null), computing in float32 when {@code single} and the
     * Vector API is on ({@link Kernels#vectorFloat()}), else in double.
     */
    static Conv of(double[] w, double[] b, int cIn, int cOut, int kernel, int stride, int length, boolean single) {
      return single && vectorFloat() ? new FloatConv(w, b, cIn, cOut, kernel, stride, length)
          : new DoubleConv(w, b, cIn, cOut, kernel, stride, length);
    }

    /** out[outBase ..] ← the convolution of the sample whose rows start at x[xBase]. */
    abstract void forward(double[] x, int xBase, double[] out, int outBase, Scratch sc);

    /**
     * Backward for one sample: gradW[o, i, t] += Σ_j dy[o, j]·taps[t][i][j], gradB[o] += Σ_j dy[o, j]
     * (gradB may be null), and, unless gradIn is null, gradIn[giBase ..] ← dL/dx: Σ_o Σ_t w[o, i, t]·
     * dy[o, (m + p − t)/s] over the (m + p − t)/s that are whole and in range, computed as a
     * convolution of the zero-upsampled gradient with the transposed kernel.
     */
    abstract void backward(double[] x, int xBase, double[] gradOut, int gBase, double[] gradIn, int giBase,
        double[] gradW, double[] gradB, Scratch sc);

    /**
     * Whether {@link #forwardNormalized}/{@link #backwardNormalized} leave their h argument unused (may be null):
     * the implementation applies the norm-ReLU while it fills its taps.
     */
    boolean fusesNormalization() {
      return false;
    }

    /**
     * out[outBase ..] ← the convolution of h = ReLU(a_r·x + b_r) over the sample's input rows r = row0 + i
     * (a = affine[0], b = affine[1]; the x rows start at x[base]): a norm-ReLU-conv. This version writes h into
     * {@code h}, batch-sized and indexed like x (loops over two arrays at different offsets do not vectorise,
     * measured 3x), and convolves it.
     */
    void forwardNormalized(double[] x, int base, double[][] affine, int row0, double[] h, double[] out, int outBase,
        Scratch sc) {
      for (int i = 0; i < cIn; i++) {
        affine(x, base + i * length, length, affine[0][row0 + i], affine[1][row0 + i], true, h);
      }
      forward(h, base, out, outBase, sc);
    }

    /**
     * Backward of {@link #forwardNormalized} up to h: the weight and bias gradients as {@link #backward}, and
     * gradIn[base ..] (indexed like x) ← dL/dh masked by the ReLU (dL/d(a·x + b)).
     */
    void backwardNormalized(double[] x, int base, double[][] affine, int row0, double[] h, double[] gradOut,
        int gBase, double[] gradIn, double[] gradW, double[] gradB, Scratch sc) {
      for (int i = 0; i < cIn; i++) {
        affine(x, base + i * length, length, affine[0][row0 + i], affine[1][row0 + i], true, h);
      }
      backward(h, base, gradOut, gBase, gradIn, base, gradW, gradB, sc);
      reluBackward(h, gradIn, base, base + cIn * length);
    }

    /** w [C_out][C_in][k] rearranged as [C_in][C_out][k]: the kernel of the input-gradient convolution. */
    static double[] transpose(double[] w, int cIn, int cOut, int kernel) {
      double[] transposed = new double[cIn * cOut * kernel];
      for (int o = 0; o < cOut; o++) {
        for (int i = 0; i < cIn; i++) {
          System.arraycopy(w, (o * cIn + i) * kernel, transposed, (i * cOut + o) * kernel, kernel);
        }
      }
      return transposed;
    }

    /** Working memory of one thread for convolutions of one geometry, in the precision they compute in (one set). */
    static final class Scratch {
      final double[][][] taps;
      final double[][][] gradTaps;
      final double[][] rows;
      final double[][] e;
      final float[][][] floatTaps;
      final float[][][] floatGradTaps;
      final float[][] floatRows;
      final float[][] floatE;

      Scratch(Geometry g) {
        int rowLength = Math.max(g.length(), g.outLength());
        if (g.single()) {
          taps = gradTaps = null;
          rows = e = null;
          floatTaps = new float[g.kernel()][g.cIn()][g.outLength()];
          floatGradTaps = new float[g.kernel()][g.cOut()][g.length()];
          floatRows = new float[2][rowLength];
          floatE = new float[2][g.outLength()];
        } else {
          taps = new double[g.kernel()][g.cIn()][g.outLength()];
          gradTaps = new double[g.kernel()][g.cOut()][g.length()];
          rows = new double[2][rowLength];
          e = new double[2][g.outLength()];
          floatTaps = floatGradTaps = null;
          floatRows = floatE = null;
        }
      }
    }

    /** What a {@link Scratch} is sized by. */
    record Geometry(int kernel, int cIn, int cOut, int length, int outLength, boolean single) {
    }

    /** Per-thread scratch by geometry; a network has a handful, so the map stays small. */
    private static final ThreadLocal<java.util.Map<Geometry, Scratch>> SCRATCH =
        ThreadLocal.withInitial(java.util.HashMap::new);

    /** This thread's working memory for this convolution's geometry (allocated once per thread). */
    Scratch scratch() {
      java.util.Map<Geometry, Scratch> byGeometry = SCRATCH.get();
      if (byGeometry.size() > 64) {
        byGeometry.clear();
      }
      return byGeometry.computeIfAbsent(new Geometry(kernel, cIn, cOut, length, outLength, single), Scratch::new);
    }
  }

  /** {@link Conv} in double precision: DOUBLE networks, and so the gradient checks and the ND4J parity. */
  static final class DoubleConv extends Conv {
    final double[] w;
    final double[] bias;
    final double[] transposed;

    DoubleConv(double[] w, double[] bias, int cIn, int cOut, int kernel, int stride, int length) {
      super(cIn, cOut, kernel, stride, length, false);
      this.w = w;
      this.bias = bias;
      transposed = transpose(w, cIn, cOut, kernel);
    }

    @Override
    void forward(double[] x, int xBase, double[] out, int outBase, Scratch sc) {
      fillTaps(x, xBase, cIn, length, kernel, stride, pad, outLength, sc.taps);
      convRows(sc.taps, cIn, w, bias, cOut, kernel, outLength, out, outBase, sc.rows);
    }

    @Override
    void backward(double[] x, int xBase, double[] gradOut, int gBase, double[] gradIn, int giBase, double[] gradW,
        double[] gradB, Scratch sc) {
      long mark = Phases.start();
      fillTaps(x, xBase, cIn, length, kernel, stride, pad, outLength, sc.taps);
      double[][] e = sc.e;
      for (int o = 0; o < cOut; o++) {
        boolean pair = kernel == 3 && o + 1 < cOut;
        System.arraycopy(gradOut, gBase + o * outLength, e[0], 0, outLength);
        if (gradB != null) {
          gradB[o] += sum(e[0], 0, outLength);
        }
        if (pair) {
          System.arraycopy(gradOut, gBase + (o + 1) * outLength, e[1], 0, outLength);
          if (gradB != null) {
            gradB[o + 1] += sum(e[1], 0, outLength);
          }
        }
        for (int i = 0; i < cIn; i++) {
          int wi = (o * cIn + i) * kernel;
          if (pair && VECTOR) {
            VectorDots.pairedTripleDot(e[0], e[1], sc.taps[0][i], sc.taps[1][i], sc.taps[2][i], outLength, gradW,
                wi, wi + cIn * kernel);
          } else if (pair) {
            pairedTripleDot(e[0], e[1], sc.taps[0][i], sc.taps[1][i], sc.taps[2][i], outLength, gradW, wi,
                wi + cIn * kernel);
          } else {
            for (int t = 0; t < kernel; t++) {
              gradW[wi + t] += VECTOR ? VectorDots.dot(e[0], 0, sc.taps[t][i], 0, outLength)
                  : dot(e[0], 0, sc.taps[t][i], 0, outLength);
            }
          }
        }
        if (pair) {
          o++;
        }
      }
      Phases.stop(Phases.Phase.WEIGHT_GRADIENTS, mark);
      if (gradIn != null) {
        fillUpsampledTaps(gradOut, gBase, cOut, outLength, kernel, stride, pad, length, sc.gradTaps);
        convRows(sc.gradTaps, cOut, transposed, null, cIn, kernel, length, gradIn, giBase, sc.rows);
      }
    }
  }

  /**
   * taps[t][i][j] = x[base + i·L + s·j + t − p] (0 outside [0, L)): the k shifted, strided copies of one
   * sample's rows, so that the convolution's inner loops index every array with the same j (the form
   * HotSpot's C2 vectorises; offsets into one shared array measured 5-8x slower).
   */
  private static void fillTaps(double[] x, int base, int channels, int length, int kernel, int stride, int pad,
      int outLength, double[][][] taps) {
    for (int t = 0; t < kernel; t++) {
      int offset = t - pad;
      int from = Math.min(firstValid(offset, stride), outLength);
      int to = endValid(offset, stride, length, outLength);
      for (int i = 0; i < channels; i++) {
        double[] tap = taps[t][i];
        int src = base + i * length + offset;
        java.util.Arrays.fill(tap, 0, from, 0.0);
        if (to > from) {
          if (stride == 1) {
            System.arraycopy(x, src + from, tap, from, to - from);
          } else {
            for (int j = from; j < to; j++) {
              tap[j] = x[src + stride * j];
            }
          }
        }
        java.util.Arrays.fill(tap, Math.max(from, to), outLength, 0.0);
      }
    }
  }

  /**
   * out[outBase + o·L + j] = b[o] + Σ_i Σ_t w[o, i, t]·taps[t][i][j] for one sample; rows is scratch of
   * two rows. Kernel 3 computes two output rows per pass over the taps (7 memory accesses per 6
   * multiply-adds instead of 5 per 3).
   */
  private static void convRows(double[][][] taps, int cIn, double[] w, double[] b, int cOut, int kernel,
      int length, double[] out, int outBase, double[][] rows) {
    double[] y = rows[0];
    double[] z = rows[1];
    int o = 0;
    if (kernel == 3) {
      for (; o + 1 < cOut; o += 2) {
        java.util.Arrays.fill(y, 0, length, b == null ? 0.0 : b[o]);
        java.util.Arrays.fill(z, 0, length, b == null ? 0.0 : b[o + 1]);
        for (int i = 0; i < cIn; i++) {
          int wo = (o * cIn + i) * 3;
          int vo = wo + cIn * 3;
          pairRow(taps[0][i], taps[1][i], taps[2][i], w[wo], w[wo + 1], w[wo + 2], w[vo], w[vo + 1], w[vo + 2], y, z,
              length);
        }
        System.arraycopy(y, 0, out, outBase + o * length, length);
        System.arraycopy(z, 0, out, outBase + (o + 1) * length, length);
      }
    }
    for (; o < cOut; o++) {
      java.util.Arrays.fill(y, 0, length, b == null ? 0.0 : b[o]);
      for (int i = 0; i < cIn; i++) {
        for (int t = 0; t < kernel; t++) {
          axpy(w[(o * cIn + i) * kernel + t], taps[t][i], y, length);
        }
      }
      System.arraycopy(y, 0, out, outBase + o * length, length);
    }
  }

  private static void pairRow(double[] a, double[] b, double[] c, double w0, double w1, double w2, double v0,
      double v1, double v2, double[] y, double[] z, int length) {
    for (int j = 0; j < length; j++) {
      double p = a[j];
      double q = b[j];
      double r = c[j];
      y[j] = Math.fma(w2, r, Math.fma(w1, q, Math.fma(w0, p, y[j])));
      z[j] = Math.fma(v2, r, Math.fma(v1, q, Math.fma(v0, p, z[j])));
    }
  }

  /** y[j] += a·x[j], j &lt; length. */
  private static void axpy(double a, double[] x, double[] y, int length) {
    for (int j = 0; j < length; j++) {
      y[j] = Math.fma(a, x[j], y[j]);
    }
  }

  /** First output index j with s·j + offset ≥ 0. */
  static int firstValid(int offset, int stride) {
    return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  }

  /** One past the last output index j with s·j + offset ≤ L − 1. */
  static int endValid(int offset, int stride, int length, int outLength) {
    return Math.max(0, Math.min(outLength, Math.floorDiv(length - 1 - offset, stride) + 1));
  }

  /**
   * Backward of {@link #conv}: gradIn (may be null) ← dL/dx, gradW ← dL/dw, gradB (may be null) ← dL/db,
   * all overwritten (see {@link Conv#backward}); in float32 when {@code single}.
   */
  static void convBackward(double[] x, int n, int cIn, int length, double[] w, int cOut, int kernel, int stride,
      boolean single, double[] gradOut, double[] gradIn, double[] gradW, double[] gradB) {
    Conv conv = Conv.of(w, null, cIn, cOut, kernel, stride, length, single);
    int chunks = chunks(n);
    double[][] partialW = new double[chunks][gradW.length];
    double[][] partialB = new double[chunks][cOut];
    parallel(n, chunks, (chunk, from, to) -> {
      Conv.Scratch scratch = conv.scratch();
      for (int s = from; s < to; s++) {
        conv.backward(x, s * cIn * length, gradOut, s * cOut * conv.outLength, gradIn, s * cIn * length,
            partialW[chunk], partialB[chunk], scratch);
      }
    });
    sumChunks(partialW, gradW);
    if (gradB != null) {
      sumChunks(partialB, gradB);
    }
  }

  /**
   * taps[t][o][m] = dy[base + o·L_out + (m + p − t)/s] where that index is whole and in [0, L_out),
   * else 0, for m in [0, L): the gradient scattered back to input positions, one copy per kernel tap.
   */
  private static void fillUpsampledTaps(double[] g, int base, int channels, int outLength, int kernel, int stride,
      int pad, int length, double[][][] taps) {
    for (int t = 0; t < kernel; t++) {
      int offset = t - pad;
      int from = firstValid(offset, stride);
      int to = endValid(offset, stride, length, outLength);
      for (int o = 0; o < channels; o++) {
        double[] tap = taps[t][o];
        int src = base + o * outLength;
        if (stride == 1) {
          // m = j + offset for j in [from, to)
          int first = Math.min(length, from + offset);
          java.util.Arrays.fill(tap, 0, first, 0.0);
          if (to > from) {
            System.arraycopy(g, src + from, tap, first, to - from);
          }
          java.util.Arrays.fill(tap, Math.min(length, Math.max(from, to) + offset), length, 0.0);
        } else {
          java.util.Arrays.fill(tap, 0, length, 0.0);
          for (int j = from; j < to; j++) {
            tap[stride * j + offset] = g[src + j];
          }
        }
      }
    }
  }

  /**
   * gradW[wa + t] += Σ_j e0[j]·tap_t[j] and gradW[wb + t] += Σ_j e1[j]·tap_t[j] for three taps: twelve
   * independent sums (Java keeps floating-point sums in order, so one accumulator would stall on latency)
   * over five loads per six multiply-adds.
   */
  static void pairedTripleDot(double[] e0, double[] e1, double[] a, double[] b, double[] c, int length,
      double[] gradW, int wa, int wb) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double t0 = 0;
    double t1 = 0;
    double t2 = 0;
    double u0 = 0;
    double u1 = 0;
    double u2 = 0;
    double v0 = 0;
    double v1 = 0;
    double v2 = 0;
    int j = 0;
    for (; j + 1 < length; j += 2) {
      double p = a[j];
      double q = b[j];
      double r = c[j];
      double e = e0[j];
      double f = e1[j];
      s0 = Math.fma(e, p, s0);
      s1 = Math.fma(e, q, s1);
      s2 = Math.fma(e, r, s2);
      t0 = Math.fma(f, p, t0);
      t1 = Math.fma(f, q, t1);
      t2 = Math.fma(f, r, t2);
      p = a[j + 1];
      q = b[j + 1];
      r = c[j + 1];
      e = e0[j + 1];
      f = e1[j + 1];
      u0 = Math.fma(e, p, u0);
      u1 = Math.fma(e, q, u1);
      u2 = Math.fma(e, r, u2);
      v0 = Math.fma(f, p, v0);
      v1 = Math.fma(f, q, v1);
      v2 = Math.fma(f, r, v2);
    }
    for (; j < length; j++) {
      s0 = Math.fma(e0[j], a[j], s0);
      s1 = Math.fma(e0[j], b[j], s1);
      s2 = Math.fma(e0[j], c[j], s2);
      t0 = Math.fma(e1[j], a[j], t0);
      t1 = Math.fma(e1[j], b[j], t1);
      t2 = Math.fma(e1[j], c[j], t2);
    }
    gradW[wa] += s0 + u0;
    gradW[wa + 1] += s1 + u1;
    gradW[wa + 2] += s2 + u2;
    gradW[wb] += t0 + v0;
    gradW[wb + 1] += t1 + v1;
    gradW[wb + 2] += t2 + v2;
  }

  /** target = Σ over chunks of partial[chunk], summed in chunk order. */
  static void sumChunks(double[][] partial, double[] target) {
    java.util.Arrays.fill(target, 0.0);
    for (double[] p : partial) {
      for (int i = 0; i < target.length; i++) {
        target[i] += p[i];
      }
    }
  }

  /** Σ a[ia + j]·b[ib + j], j &lt; count, with four accumulators. */
  static double dot(double[] a, int ia, double[] b, int ib, int count) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < count; j += 4) {
      s0 += a[ia + j] * b[ib + j];
      s1 += a[ia + j + 1] * b[ib + j + 1];
      s2 += a[ia + j + 2] * b[ib + j + 2];
      s3 += a[ia + j + 3] * b[ib + j + 3];
    }
    for (; j < count; j++) {
      s0 += a[ia + j] * b[ib + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Σ a[from + j], j &lt; count, with four accumulators. */
  static double sum(double[] a, int from, int count) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < count; j += 4) {
      s0 += a[from + j];
      s1 += a[from + j + 1];
      s2 += a[from + j + 2];
      s3 += a[from + j + 3];
    }
    for (; j < count; j++) {
      s0 += a[from + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** sums[r] = Σ a[from + j] and squares[r] = Σ a[from + j]², j &lt; count, each with four accumulators. */
  static void sumAndSquares(double[] a, int from, int count, double[] sums, double[] squares, int r) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    int j = from;
    int end = from + count;
    for (; j + 3 < end; j += 4) {
      double v0 = a[j];
      double v1 = a[j + 1];
      double v2 = a[j + 2];
      double v3 = a[j + 3];
      s0 += v0;
      s1 += v1;
      s2 += v2;
      s3 += v3;
      q0 = Math.fma(v0, v0, q0);
      q1 = Math.fma(v1, v1, q1);
      q2 = Math.fma(v2, v2, q2);
      q3 = Math.fma(v3, v3, q3);
    }
    for (; j < end; j++) {
      s0 += a[j];
      q0 = Math.fma(a[j], a[j], q0);
    }
    sums[r] = (s0 + s1) + (s2 + s3);
    squares[r] = (q0 + q1) + (q2 + q3);
  }

  /** out[from + j] = a·x[from + j] + b, then max(·, 0) when relu is set. */
  static void affine(double[] x, int from, int count, double a, double b, boolean relu, double[] out) {
    if (relu) {
      for (int j = from, end = from + count; j < end; j++) {
        out[j] = Math.max(Math.fma(a, x[j], b), 0.0);
      }
    } else {
      for (int j = from, end = from + count; j < end; j++) {
        out[j] = Math.fma(a, x[j], b);
      }
    }
  }

  /** out[from + j] = a·dy[from + j] + b·x[from + j] + d, j &lt; count (a norm's input gradient). */
  static void inputGradient(double[] dy, double[] x, int from, int count, double a, double b, double d,
      double[] out) {
    for (int j = from, end = from + count; j < end; j++) {
      out[j] = Math.fma(a, dy[j], Math.fma(b, x[j], d));
    }
  }

  /**
   * grad[j] ← grad[j] where activation[j] &gt; 0, else 0, for j in [from, to); activation ≥ 0 (a ReLU
   * output). Written as grad·min(ceil(activation), 1), exact for activation ≥ 0, because HotSpot
   * vectorises it while the equivalent conditional measured 7x slower (branch mispredictions).
   */
  static void reluBackward(double[] activation, double[] grad, int from, int to) {
    for (int j = from; j < to; j++) {
      grad[j] = grad[j] * Math.min(Math.ceil(activation[j]), 1.0);
    }
  }

  /**
   * grad[j] ← grad[j] where a·x[j] + b &gt; 0, else 0, for j in [from, from + count): {@link #reluBackward} with
   * the ReLU's input recomputed from the norm's affine map instead of a stored output (branch-free likewise).
   */
  static void reluBackwardAffine(double[] x, double a, double b, double[] grad, int from, int count) {
    for (int j = from, end = from + count; j < end; j++) {
      grad[j] = grad[j] * Math.min(Math.ceil(Math.max(Math.fma(a, x[j], b), 0.0)), 1.0);
    }
  }

  /** sign(v) ∈ {−1, 0, 1}, branch-free (see {@link #reluBackward}). */
  static double sign(double v) {
    return Math.min(Math.ceil(Math.max(v, 0.0)), 1.0) - Math.min(Math.ceil(Math.max(-v, 0.0)), 1.0);
  }

  /**
   * Soft thresholding (DRSN paper eq. 9-10; Donoho 1995) of one row, added to {@code out}:
   * out[l] += sign(x)·max(|x| − τ, 0) for l in [from, from + count), written as x − clamp(x, −τ, τ)
   * so that it vectorises.
   */
  static void softThresholdAdd(double[] x, int from, int count, double tau, double[] out) {
    for (int l = from, end = from + count; l < end; l++) {
      double v = x[l];
      out[l] += v - Math.max(-tau, Math.min(tau, v));
    }
  }

  /**
   * Backward of {@link #softThresholdAdd} over one row: gradX[l] = dL/dy·1{|x| &gt; τ} (dy/dx) and
   * signs[l] = sign(x[l]); returns dL/dτ = −Σ_l dL/dy·sign(x)·1{|x| &gt; τ} (dy/dτ = −sign(y)). The mask
   * is min(ceil(max(|x| − τ, 0)), 1), branch-free like {@link #reluBackward}.
   */
  static double softThresholdBackward(double[] x, double[] gradY, int from, int count, double tau, double[] gradX,
      double[] signs) {
    for (int l = from, end = from + count; l < end; l++) {
      double v = x[l];
      signs[l] = sign(v);
      gradX[l] = gradY[l] * Math.min(Math.ceil(Math.max(Math.abs(v) - tau, 0.0)), 1.0);
    }
    return -dot(gradX, from, signs, from, count);
  }

  /** Σ |a[from + j]|, j &lt; count, with four accumulators. */
  static double absSum(double[] a, int from, int count) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < count; j += 4) {
      s0 += Math.abs(a[from + j]);
      s1 += Math.abs(a[from + j + 1]);
      s2 += Math.abs(a[from + j + 2]);
      s3 += Math.abs(a[from + j + 3]);
    }
    for (; j < count; j++) {
      s0 += Math.abs(a[from + j]);
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** c[n, j] = Σ_i a[n, i]·b[i, j] (+ bias[j]), row-major a [n][k], b [k][m]. */
  static double[] matmul(double[] a, int n, int k, double[] b, int m, double[] bias) {
    double[] c = new double[n * m];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < m; j++) {
        c[r * m + j] = bias == null ? 0.0 : bias[j];
      }
      for (int i = 0; i < k; i++) {
        double av = a[r * k + i];
        for (int j = 0; j < m; j++) {
          c[r * m + j] += av * b[i * m + j];
        }
      }
    }
    return c;
  }

  /** c[i, j] = Σ_r a[r, i]·b[r, j]: aᵀb for row-major a [n][k], b [n][m]. */
  static double[] transposeMatmul(double[] a, int n, int k, double[] b, int m) {
    double[] c = new double[k * m];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < k; i++) {
        double av = a[r * k + i];
        for (int j = 0; j < m; j++) {
          c[i * m + j] += av * b[r * m + j];
        }
      }
    }
    return c;
  }

  /** c[r, i] = Σ_j a[r, j]·b[i, j]: abᵀ for row-major a [n][m], b [k][m]. */
  static double[] matmulTranspose(double[] a, int n, int m, double[] b, int k) {
    double[] c = new double[n * k];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < k; i++) {
        double s = 0;
        for (int j = 0; j < m; j++) {
          s += a[r * m + j] * b[i * m + j];
        }
        c[r * k + i] = s;
      }
    }
    return c;
  }

  /** Column sums of row-major a [n][m]. */
  static double[] columnSums(double[] a, int n, int m) {
    double[] s = new double[m];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < m; j++) {
        s[j] += a[r * m + j];
      }
    }
    return s;
  }

  /** The elements of {@code a} in c order, as doubles. */
  static double[] read(INDArray a) {
    return read(a, new double[(int) a.length()]);
  }

  /** The elements of {@code a} in c order, as doubles, written into {@code into}; returns it. */
  static double[] read(INDArray a, double[] into) {
    int length = (int) a.length();
    if (into.length < length) {
      throw new IllegalArgumentException("reading " + length + " values into " + into.length);
    }
    if (directIo(a)) {
      parallel(length, 1, (from, to) -> readRange(a, from, to, into));
    } else {
      System.arraycopy(a.dup('c').castTo(DataType.DOUBLE).data().asDouble(), 0, into, 0, length);
    }
    return into;
  }

  /** Writes the first {@code target.length()} of {@code values} (c order) into {@code target}, which may be a view. */
  static void write(double[] values, INDArray target) {
    int length = (int) target.length();
    if (values.length < length) {
      throw new IllegalArgumentException("writing " + values.length + " values into " + length);
    }
    if (directIo(target)) {
      parallel(length, 1, (from, to) -> writeRange(values, from, to, target));
    } else {
      try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        double[] exact = values.length == length ? values : java.util.Arrays.copyOf(values, length);
        target.assign(Nd4j.createFromArray(exact).reshape(target.shape()));
      }
    }
  }

  /** Whether {@link #readRange}/{@link #writeRange} work on {@code a} directly: dense c order, float or double. */
  static boolean directIo(INDArray a) {
    return HOST_MEMORY && denseC(a) && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE);
  }

  /**
   * Whether ND4J arrays live in host memory that NIO views may read and write directly (the CPU
   * backend). On CUDA the kernels still run on the host, through ND4J's synchronising copies.
   */
  private static final boolean HOST_MEMORY = Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.");

  /** into[from, to) ← elements [from, to) of {@code a} (c order), for arrays with {@link #directIo}. */
  static void readRange(INDArray a, int from, int to, double[] into) {
    ByteBuffer bytes = nio(a);
    int start = (int) a.offset() + from;
    if (a.dataType() == DataType.DOUBLE) {
      DoubleBuffer buffer = bytes.asDoubleBuffer();
      buffer.position(start);
      buffer.get(into, from, to - from);
      return;
    }
    FloatBuffer buffer = bytes.asFloatBuffer();
    buffer.position(start);
    float[] block = new float[Math.min(CONVERSION_BLOCK, Math.max(0, to - from))];
    for (int i = from; i < to; i += block.length) {
      int count = Math.min(block.length, to - i);
      buffer.get(block, 0, count);
      for (int j = 0; j < count; j++) {
        into[i + j] = block[j];
      }
    }
  }

  /** Elements [from, to) of {@code target} (c order) ← values[from, to), for arrays with {@link #directIo}. */
  static void writeRange(double[] values, int from, int to, INDArray target) {
    ByteBuffer bytes = nio(target);
    int start = (int) target.offset() + from;
    if (target.dataType() == DataType.DOUBLE) {
      DoubleBuffer buffer = bytes.asDoubleBuffer();
      buffer.position(start);
      buffer.put(values, from, to - from);
      return;
    }
    FloatBuffer buffer = bytes.asFloatBuffer();
    buffer.position(start);
    float[] block = new float[Math.min(CONVERSION_BLOCK, Math.max(0, to - from))];
    for (int i = from; i < to; i += block.length) {
      int count = Math.min(block.length, to - i);
      for (int j = 0; j < count; j++) {
        block[j] = (float) values[i + j];
      }
      buffer.put(block, 0, count);
    }
  }

  /**
   * Whether {@code a}'s elements lie contiguously in c order from element {@code a.offset()} of its
   * buffer's NIO view (ND4J 1.0.0-M2.1: a view's {@code data().asNio()} starts at the root buffer; the
   * kernel tests check this for views).
   */
  private static boolean denseC(INDArray a) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return a.offset() + a.length() <= Integer.MAX_VALUE;
  }

  private static ByteBuffer nio(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder());
  }
}
