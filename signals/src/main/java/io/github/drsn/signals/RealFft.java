package io.github.drsn.signals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * The one place that talks to JTransforms: unpacks its in-place real-FFT layout into plain half spectra.
 *
 * <p>Convention: X_k = sum_{t=0}^{n-1} x_t e^{-2 pi i k t / n} (unscaled forward), inverse scaled by 1/n.
 * JTransforms' {@code realForward} packs the result in place: for even n, {@code a[0]=Re X_0},
 * {@code a[1]=Re X_{n/2}} (the Nyquist bin, real), {@code a[2k]=Re X_k}, {@code a[2k+1]=Im X_k} for
 * 0 &lt; k &lt; n/2; for odd n the last bin (n-1)/2 is complex and its imaginary part sits in {@code a[1]}
 * while its real part is {@code a[n-1]}. The half spectrum returned here is interleaved
 * {@code h[2k]=Re X_k, h[2k+1]=Im X_k} for k = 0..floor(n/2).
 *
 * <p>Thread safety: JTransforms plans are not thread-safe, so each thread keeps its own small LRU cache of
 * plans keyed by size. JTransforms' pool threads are non-daemon; the static initialiser limits JLargeArrays'
 * {@link ConcurrencyUtils} (the class JTransforms 3.1 uses) to one thread so every FFT runs in the calling
 * thread and no pool thread can keep a JVM alive. This is a JVM-wide setting of that library.
 */
final class RealFft {

  private static final int MAX_CACHED_PLANS_PER_THREAD = 16;

  static {
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private static final ThreadLocal<Map<Integer, DoubleFFT_1D>> PLANS = ThreadLocal.withInitial(
      () -> new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, DoubleFFT_1D> eldest) {
          return size() > MAX_CACHED_PLANS_PER_THREAD;
        }
      });

  private RealFft() {}

  static DoubleFFT_1D plan(int n) {
    return PLANS.get().computeIfAbsent(n, DoubleFFT_1D::new);
  }

  /** Number of one-sided bins, floor(n/2) + 1. */
  static int halfLength(int n) {
    return n / 2 + 1;
  }

  /** Unscaled forward DFT of a real signal, returned as an interleaved half spectrum (bins 0..n/2). */
  static double[] forwardHalf(double[] x) {
    int n = x.length;
    double[] half = new double[2 * halfLength(n)];
    if (n == 1) {
      half[0] = x[0];
      return half;
    }
    double[] a = x.clone();
    plan(n).realForward(a);
    half[0] = a[0];
    if (n % 2 == 0) {
      int m = n / 2;
      for (int k = 1; k < m; k++) {
        half[2 * k] = a[2 * k];
        half[2 * k + 1] = a[2 * k + 1];
      }
      half[2 * m] = a[1];
    } else {
      int m = (n - 1) / 2;
      for (int k = 1; k < m; k++) {
        half[2 * k] = a[2 * k];
        half[2 * k + 1] = a[2 * k + 1];
      }
      half[2 * m] = a[n - 1];
      half[2 * m + 1] = a[1];
    }
    return half;
  }

  /**
   * Inverse of {@link #forwardHalf}: the real signal of length n whose half spectrum is {@code half}
   * (scaled by 1/n). The imaginary parts of bin 0 and, for even n, of the Nyquist bin are ignored.
   */
  static double[] inverseHalf(double[] half, int n) {
    if (n == 1) {
      return new double[] {half[0]};
    }
    double[] a = new double[n];
    a[0] = half[0];
    if (n % 2 == 0) {
      int m = n / 2;
      for (int k = 1; k < m; k++) {
        a[2 * k] = half[2 * k];
        a[2 * k + 1] = half[2 * k + 1];
      }
      a[1] = half[2 * m];
    } else {
      int m = (n - 1) / 2;
      for (int k = 1; k < m; k++) {
        a[2 * k] = half[2 * k];
        a[2 * k + 1] = half[2 * k + 1];
      }
      a[n - 1] = half[2 * m];
      a[1] = half[2 * m + 1];
    }
    plan(n).realInverse(a, true);
    return a;
  }

  /** In-place inverse complex DFT of interleaved data {@code re,im,re,im,...}, scaled by 1/n. */
  static void inverseComplex(double[] interleaved) {
    int n = interleaved.length / 2;
    if (n == 1) {
      return;
    }
    plan(n).complexInverse(interleaved, true);
  }
}
