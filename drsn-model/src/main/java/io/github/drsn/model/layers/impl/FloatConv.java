package io.github.drsn.model.layers.impl;

/**
 * {@link Kernels.Conv} computing in float32 with the Vector API ({@link VectorDots}), for networks whose data type
 * is FLOAT (training runs FLOAT). The tensors around it stay {@code double[]}: the shifted tap rows are filled from
 * them with a lane-wise narrowing copy (the double version copies them too) and the output rows are widened on the
 * way out, so the precision change costs no extra pass over memory. Each weight-gradient sum (at most a row, 1,024
 * terms in DRSN-CW) runs in float lanes and is added to the caller's double partial sums per sample; FloatPathTest
 * bounds the difference from the double path on whole layers (1e-4 of the largest magnitude; ~1e-7 measured).
 *
 * <p>Why a second implementation: Java has no generics over primitive arrays, and a vector holds twice as many
 * floats as doubles. The tap layout, the 'same' padding and the output pairing for kernel 3 are {@link Kernels}'.
 * Per convolution of DRSN-CW's shapes (one thread, CPU time), forward 1.6-2.5x faster than the double kernels,
 * backward 1.1-1.4x at stride 1 and even at stride 2 (strided gathers stay scalar).
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
    fillTaps(x, xBase, cIn, length, kernel, stride, pad, outLength, sc.floatTaps);
    convRows(sc.floatTaps, cIn, w, bias, cOut, kernel, outLength, out, outBase, sc.floatRows);
  }

  @Override
  void backward(double[] x, int xBase, double[] gradOut, int gBase, double[] gradIn, int giBase, double[] gradW,
      double[] gradB, Scratch sc) {
    long mark = Phases.start();
    float[][][] taps = sc.floatTaps;
    fillTaps(x, xBase, cIn, length, kernel, stride, pad, outLength, taps);
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

  /** As Kernels' fillTaps (taps[t][i][j] = x[base + i·L + s·j + t − p], 0 outside), narrowed to float. */
  private static void fillTaps(double[] x, int base, int channels, int length, int kernel, int stride, int pad,
      int outLength, float[][][] taps) {
    for (int t = 0; t < kernel; t++) {
      int offset = t - pad;
      int from = Math.min(Kernels.firstValid(offset, stride), outLength);
      int to = Math.max(from, Kernels.endValid(offset, stride, length, outLength));
      for (int i = 0; i < channels; i++) {
        float[] tap = taps[t][i];
        int src = base + i * length + offset;
        java.util.Arrays.fill(tap, 0, from, 0f);
        if (stride == 1) {
          narrow(x, src + from, tap, from, to - from);
        } else {
          for (int j = from; j < to; j++) {
            tap[j] = (float) x[src + stride * j];
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
