package io.github.drsn.signals;

/**
 * One-sided spectra of real signals by the real FFT (JTransforms).
 *
 * <p>Convention: X_k = sum_{t=0}^{n-1} x_t e^{-2 pi i k t / n}, bins k = 0..floor(n/2) at f_k = k fs / n.
 * Amplitude scaling: A_0 = |X_0| / n (the mean), A_k = 2 |X_k| / n for 0 &lt; k &lt; n/2, and for even n
 * the Nyquist bin A_{n/2} = |X_{n/2}| / n (not doubled, it has no mirror image). So a sinusoid
 * A cos(2 pi f t + phi) with f exactly on bin k reads A. Power scaling ({@link #powerSpectrum}) is the
 * square of the same with the doubling applied once: P_0 = |X_0|²/n², P_k = 2 |X_k|²/n², P_{n/2} =
 * |X_{n/2}|²/n², so by Parseval sum_k P_k = mean(x²). Any length works, odd or even; nothing is zero-padded.
 * All methods are thread-safe.
 */
public final class Fft {

  private Fft() {}

  /**
   * The frequency axis k fs / n, k = 0..floor(n/2), in Hz.
   *
   * @param n signal length
   * @param fs sampling rate in Hz
   * @return floor(n/2) + 1 frequencies in Hz
   */
  public static double[] frequencies(int n, double fs) {
    Checks.requirePositive("signal length n", n);
    Checks.requireSamplingRate("fs", fs);
    double[] f = new double[RealFft.halfLength(n)];
    double binWidth = fs / n;
    for (int k = 0; k < f.length; k++) {
      f[k] = k * binWidth;
    }
    return f;
  }

  /**
   * The bin nearest to {@code hz} for an n-point DFT: round(hz n / fs).
   *
   * @param hz frequency in Hz
   * @param n signal length
   * @param fs sampling rate in Hz
   * @return the nearest bin index
   */
  public static int binIndex(double hz, int n, double fs) {
    Checks.requirePositive("signal length n", n);
    Checks.requireSamplingRate("fs", fs);
    Checks.requireFinite("hz", hz);
    return (int) Math.round(hz * n / fs);
  }

  /**
   * One-sided amplitude spectrum (scaling in the class comment): a sine of amplitude A on bin k reads A.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @return floor(n/2) + 1 amplitudes with their frequencies
   */
  public static Spectrum amplitudeSpectrum(double[] x, double fs) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    return new Spectrum(frequencies(x.length, fs), amplitudes(RealFft.forwardHalf(x), x.length, x.length));
  }

  /**
   * One-sided amplitude spectrum of the windowed signal, corrected by the window's coherent gain
   * sum(w): A_k = 2 |sum_t w_t x_t e^{-2 pi i k t/n}| / sum(w) (no doubling at DC and Nyquist). A sine on
   * a bin still reads its amplitude; between bins it reads lower by the window's scalloping loss. The
   * window is {@link Window.Symmetry#PERIODIC}.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @param window taper
   * @return floor(n/2) + 1 amplitudes with their frequencies
   */
  public static Spectrum amplitudeSpectrum(double[] x, double fs, Window window) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    Checks.requireNonNull("window", window);
    double[] w = window.coefficients(x.length, Window.Symmetry.PERIODIC);
    double[] windowed = new double[x.length];
    double gain = 0;
    for (int t = 0; t < x.length; t++) {
      windowed[t] = w[t] * x[t];
      gain += w[t];
    }
    return new Spectrum(frequencies(x.length, fs), amplitudes(RealFft.forwardHalf(windowed), x.length, gain));
  }

  /**
   * One-sided power spectrum (scaling in the class comment): values sum to mean(x²) exactly (Parseval);
   * a sine of amplitude A on a bin reads A²/2 there.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @return floor(n/2) + 1 powers (units²) with their frequencies
   */
  public static Spectrum powerSpectrum(double[] x, double fs) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    int n = x.length;
    double[] half = RealFft.forwardHalf(x);
    double[] power = new double[RealFft.halfLength(n)];
    double norm = (double) n * n;
    for (int k = 0; k < power.length; k++) {
      double re = half[2 * k];
      double im = half[2 * k + 1];
      power[k] = (isUnpaired(k, n) ? 1 : 2) * (re * re + im * im) / norm;
    }
    return new Spectrum(frequencies(n, fs), power);
  }

  /**
   * Mean power mean(x²), the time-domain side of Parseval's identity.
   *
   * @param x samples
   * @return mean(x²)
   */
  public static double meanPower(double[] x) {
    Checks.requireSamples("x", x);
    double sum = 0;
    for (double v : x) {
      sum += v * v;
    }
    return sum / x.length;
  }

  /** Amplitudes from a half spectrum: |X_k| / gain, doubled except for DC and the even-n Nyquist bin. */
  static double[] amplitudes(double[] half, int n, double gain) {
    double[] a = new double[RealFft.halfLength(n)];
    for (int k = 0; k < a.length; k++) {
      double magnitude = magnitude(half[2 * k], half[2 * k + 1]);
      a[k] = (isUnpaired(k, n) ? 1 : 2) * magnitude / gain;
    }
    return a;
  }

  /**
   * |re + i im|. Math.hypot guards against overflow but is several times slower; it is only needed when
   * the squares overflow, which the fallback catches.
   */
  static double magnitude(double re, double im) {
    double m = Math.sqrt(re * re + im * im);
    return Double.isInfinite(m) ? Math.hypot(re, im) : m;
  }

  /** DC, and the Nyquist bin for even n, have no negative-frequency twin and are not doubled. */
  static boolean isUnpaired(int k, int n) {
    return k == 0 || (n % 2 == 0 && k == n / 2);
  }
}
