package io.github.drsn.model.layers.impl;

/**
 * {@link Kernels.Conv} computing in float32 with the Vector API ({@link VectorDots}), for networks whose data type
 * is FLOAT (training runs FLOAT). The tensors around it stay {@code double[]}: the shifted tap rows are filled from
 * them with a lane-wise narrowing copy (the double version copies them too) and the output rows are widened on the
 * way out, so the precision change costs no extra pass over memory. Each weight-gradient sum (at most a row, 1,024
 * terms in DRSN-CW) runs in float lanes and is added to the caller's double partial sums per sample;
 * KernelParityTest bounds the difference from the double path on whole layers (1e-4 of the largest magnitude;
 * at most 3e-6 measured).
 *
 * <p>Why a second implementation: Java has no generics over primitive arrays, and a vector holds twice as many
 * floats as doubles. The tap layout, the 'same' padding and the output pairing for kernel 3 are {@link Kernels}'.
 * Inside the norm-ReLU-conv sweeps of a residual unit it also applies the norm-ReLU while filling its taps
 * ({@link #forwardNormalized}), so the batch-sized h array the double path writes and reads back is never made.
 * Measured (docs/results/bench/f32, under load): per convolution in cache, forward 1.5-2.1x and backward 1.3-1.6x
 * faster than the double kernels at stride 1, none at stride 2 (strided copies stay scalar; a Vector API gather
 * and a two-vector shuffle were both slower in Java 17); a whole FLOAT training step 1.11x (paired, one JVM).
 */
final class FloatConv extends Kernels.Conv {
  private final float[] w;
  private final float[] bias;
  private final float[] transposed;

  FloatConv(double[] w, double[] bias, int cIn, int cOut, int kernel, int stride, int length) {
    super(cIn, cOut, kernel, stride, length, true);
    this.w = narrow(w);
    this.bias = bias == null ? null : narrow(bias);
    this.transposed = narrow(transpose(w, cIn, cOut, kernel));
  }

  private static float[] narrow(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  @Override
  void forward(double[] x, int xBase, double[] out, int outBase, Scratch sc) {
    fillTaps(x, xBase, null, 0, sc);
    convRows(sc.floatTaps, cIn, w, bias, cOut, kernel, outLength, out, outBase, sc.floatRows);
  }

  /** Fuses the norm-ReLU into the tap fill: h is never written (one pass over a batch-sized array less). */
  @Override
  boolean fusesNormalization() {
    return true;
  }

  @Override
  void forwardNormalized(double[] x, int base, double[][] affine, int row0, double[] h, double[] out, int outBase,
      Scratch sc) {
    fillTaps(x, base, affine, row0, sc);
    convRows(sc.floatTaps, cIn, w, bias, cOut, kernel, outLength, out, outBase, sc.floatRows);
  }

  @Override
  void backward(double[] x, int xBase, double[] gradOut, int gBase, double[] gradIn, int giBase, double[] gradW,
      double[] gradB, Scratch sc) {
    fillTaps(x, xBase, null, 0, sc);
    backwardFromTaps(gradOut, gBase, gradIn, giBase, gradW, gradB, sc);
  }

  @Override
  void backwardNormalized(double[] x, int base, double[][] affine, int row0, double[] h, double[] gradOut, int gBase,
      double[] gradIn, double[] gradW, double[] gradB, Scratch sc) {
    fillTaps(x, base, affine, row0, sc);
    backwardFromTaps(gradOut, gBase, gradIn, base, gradW, gradB, sc);
    for (int i = 0; i < cIn; i++) {
      Kernels.reluBackwardAffine(x, affine[0][row0 + i], affine[1][row0 + i], gradIn, base + i * length, length);
    }
  }

  /** Weight, bias and (unless gradIn is null) input gradients of one sample whose taps are filled. */
  private void backwardFromTaps(double[] gradOut, int gBase, double[] gradIn, int giBase, double[] gradW,
      double[] gradB, Scratch sc) {
    long mark = Phases.start();
    float[][][] taps = sc.floatTaps;
    float[][] e = sc.floatE;
    for (int o = 0; o < cOut; o++) {
      boolean pair = kernel == 3 && o + 1 < cOut;
      int rows = pair ? 2 : 1;
      for (int q = 0; q < rows; q++) {
        int src = gBase + (o + q) * outLength;
        narrow(gradOut, src, e[q], 0, outLength);
        if (gradB != null) {
          gradB[o + q] += Kernels.sum(gradOut, src, outLength);
        }
      }
      for (int i = 0; i < cIn; i++) {
        int wi = (o * cIn + i) * kernel;
        if (pair) {
          VectorDots.pairedTripleDot(e[0], e[1], taps[0][i], taps[1][i], taps[2][i], outLength, gradW, wi,
              wi + cIn * kernel);
        } else {
          for (int t = 0; t < kernel; t++) {
            gradW[wi + t] += VectorDots.dot(e[0], taps[t][i], outLength);
          }
        }
      }
      o += rows - 1;
    }
    Phases.stop(Phases.Phase.WEIGHT_GRADIENTS, mark);
    if (gradIn != null) {
      fillUpsampledTaps(gradOut, gBase, cOut, outLength, kernel, stride, pad, length, sc.floatGradTaps);
      convRows(sc.floatGradTaps, cOut, transposed, null, cIn, kernel, length, gradIn, giBase, sc.floatRows);
    }
  }

  /**
   * As Kernels' fillTaps (taps[t][i][j] = h[base + i·L + s·j + t − p], 0 outside), in float: each input row is
   * narrowed once into a float row, h = x, or h = ReLU(a_r·x + b_r) for row r = row0 + i when affine is not
   * null, and the taps are shifted copies of it.
   */
  private void fillTaps(double[] x, int base, double[][] affine, int row0, Scratch sc) {
    float[] row = sc.floatRows[0];
    for (int i = 0; i < cIn; i++) {
      if (affine == null) {
        narrow(x, base + i * length, row, 0, length);
      } else {
        VectorDots.affineReluNarrow(x, base + i * length, affine[0][row0 + i], affine[1][row0 + i], row, length);
      }
      for (int t = 0; t < kernel; t++) {
        int offset = t - pad;
        int from = Math.min(Kernels.firstValid(offset, stride), outLength);
        int to = Math.max(from, Kernels.endValid(offset, stride, length, outLength));
        float[] tap = sc.floatTaps[t][i];
        java.util.Arrays.fill(tap, 0, from, 0f);
        if (stride == 1) {
          if (to > from) {
            System.arraycopy(row, offset + from, tap, from, to - from);
          }
        } else {
          for (int j = from; j < to; j++) {
            tap[j] = row[offset + stride * j];
          }
        }
        java.util.Arrays.fill(tap, to, outLength, 0f);
      }
    }
  }

  /** As Kernels' fillUpsampledTaps (the output gradient scattered back to input positions), narrowed to float. */
  private static void fillUpsampledTaps(double[] g, int base, int channels, int outLength, int kernel, int stride,
      int pad, int length, float[][][] taps) {
    for (int t = 0; t < kernel; t++) {
      int offset = t - pad;
      int from = Kernels.firstValid(offset, stride);
      int to = Kernels.endValid(offset, stride, length, outLength);
      for (int o = 0; o < channels; o++) {
        float[] tap = taps[t][o];
        int src = base + o * outLength;
        if (stride == 1) {
          // m = j + offset for j in [from, to)
          int first = Math.min(length, from + offset);
          java.util.Arrays.fill(tap, 0, first, 0f);
          if (to > from) {
            narrow(g, src + from, tap, from + offset, to - from);
          }
          java.util.Arrays.fill(tap, Math.min(length, Math.max(from, to) + offset), length, 0f);
        } else {
          java.util.Arrays.fill(tap, 0, length, 0f);
          for (int j = from; j < to; j++) {
            tap[stride * j + offset] = (float) g[src + j];
          }
        }
      }
    }
  }

  /** As Kernels' convRows: out[outBase + o·L + j] = b[o] + Σ_i Σ_t w[o, i, t]·taps[t][i][j], in float. */
  private static void convRows(float[][][] taps, int cIn, float[] w, float[] b, int cOut, int kernel, int length,
      double[] out, int outBase, float[][] rows) {
    float[] y = rows[0];
    float[] z = rows[1];
    int o = 0;
    if (kernel == 3) {
      for (; o + 1 < cOut; o += 2) {
        float by = b == null ? 0f : b[o];
        float bz = b == null ? 0f : b[o + 1];
        VectorDots.convPair(taps, cIn, w, o * cIn * 3, (o + 1) * cIn * 3, by, bz, y, z, length);
        widen(y, out, outBase + o * length, length);
        widen(z, out, outBase + (o + 1) * length, length);
      }
    }
    for (; o < cOut; o++) {
      java.util.Arrays.fill(y, 0, length, b == null ? 0f : b[o]);
      for (int i = 0; i < cIn; i++) {
        for (int t = 0; t < kernel; t++) {
          float a = w[(o * cIn + i) * kernel + t];
          float[] x = taps[t][i];
          for (int j = 0; j < length; j++) {
            y[j] = Math.fma(a, x[j], y[j]);
          }
        }
      }
      widen(y, out, outBase + o * length, length);
    }
  }

  private static void widen(float[] row, double[] out, int at, int length) {
    VectorDots.widen(row, out, at, length);
  }

  private static void narrow(double[] from, int start, float[] to, int at, int count) {
    VectorDots.narrow(from, start, to, at, count);
  }
}
