package io.github.drsn.signals;

/**
 * Envelope analysis: the magnitude of the analytic signal and its spectrum, the standard tool for bearing
 * fault frequencies (R. B. Randall and J. Antoni, "Rolling element bearing diagnostics - A tutorial",
 * MSSP 25(2), 2011). The analytic signal z = x + i H{x} is built in the frequency domain (S. L. Marple,
 * "Computing the discrete-time analytic signal via FFT", IEEE TSP 47(9), 1999; as {@code scipy.signal.hilbert}):
 * Z_k = X_k for k = 0 and, for even n, k = n/2; Z_k = 2 X_k for 0 &lt; k &lt; n/2; Z_k = 0 for negative
 * frequencies; z = IDFT(Z). Thread-safe.
 */
public final class Envelope {

  /** Prototype order of the band-pass used by {@link #spectrum(double[], double, double, double)}. */
  public static final int BAND_PASS_ORDER = 4;

  private Envelope() {}

  /**
   * The Hilbert transform H{x}, the imaginary part of the analytic signal.
   *
   * @param x samples (not modified)
   * @return H{x}, same length
   */
  public static double[] hilbert(double[] x) {
    Checks.requireSamples("x", x);
    double[] z = analytic(x);
    double[] h = new double[x.length];
    for (int t = 0; t < h.length; t++) {
      h[t] = z[2 * t + 1];
    }
    return h;
  }

  /**
   * The envelope |z_t| = sqrt(x_t² + H{x}_t²).
   *
   * @param x samples (not modified)
   * @return |x + i H{x}|, same length
   */
  public static double[] envelope(double[] x) {
    Checks.requireSamples("x", x);
    double[] z = analytic(x);
    double[] e = new double[x.length];
    for (int t = 0; t < e.length; t++) {
      e[t] = Fft.magnitude(z[2 * t], z[2 * t + 1]);
    }
    return e;
  }

  /**
   * Envelope spectrum: {@link Fft#amplitudeSpectrum(double[], double)} of the envelope minus its mean, so
   * DC does not dominate. A carrier (1 + m cos(2 pi f_m t)) cos(2 pi f_c t) reads m at f_m.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @return the one-sided amplitude spectrum of the envelope
   */
  public static Spectrum spectrum(double[] x, double fs) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    double[] e = envelope(x);
    double mean = 0;
    for (double v : e) {
      mean += v;
    }
    mean /= e.length;
    for (int t = 0; t < e.length; t++) {
      e[t] -= mean;
    }
    return Fft.amplitudeSpectrum(e, fs);
  }

  /**
   * Envelope spectrum after a zero-phase Butterworth band-pass ({@link #BAND_PASS_ORDER}, applied with
   * {@link Butterworth#filtfilt}) to [lowHz, highHz], the usual way to isolate a resonance excited by
   * bearing impacts.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @param lowHz lower -3 dB edge of the band-pass in Hz
   * @param highHz upper -3 dB edge of the band-pass in Hz
   * @return the one-sided amplitude spectrum of the band-passed envelope
   */
  public static Spectrum spectrum(double[] x, double fs, double lowHz, double highHz) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    return spectrum(x, fs, Butterworth.bandPass(BAND_PASS_ORDER, lowHz, highHz, fs));
  }

  /**
   * Envelope spectrum after zero-phase filtering by {@code filter} (any order or type), for callers who
   * choose their own band.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz; must equal the filter's design rate
   * @param filter applied with {@link Butterworth#filtfilt}
   * @return the one-sided amplitude spectrum of the filtered signal's envelope
   */
  public static Spectrum spectrum(double[] x, double fs, Butterworth filter) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    Checks.requireNonNull("filter", filter);
    if (filter.samplingRate() != fs) {
      throw new IllegalArgumentException("filter was designed for fs = " + filter.samplingRate()
          + " Hz but the signal is sampled at " + fs + " Hz");
    }
    return spectrum(filter.filtfilt(x), fs);
  }

  /** Analytic signal, interleaved re, im. */
  private static double[] analytic(double[] x) {
    int n = x.length;
    double[] half = RealFft.forwardHalf(x);
    double[] z = new double[2 * n];
    int bins = RealFft.halfLength(n);
    for (int k = 0; k < bins; k++) {
      double weight = Fft.isUnpaired(k, n) ? 1 : 2;
      z[2 * k] = weight * half[2 * k];
      z[2 * k + 1] = weight * half[2 * k + 1];
    }
    RealFft.inverseComplex(z);
    return z;
  }
}
