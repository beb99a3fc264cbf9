package io.github.drsn.signals;

/**
 * Computed order tracking at constant speed: a recording sampled at fs Hz from a shaft turning at f_r Hz is
 * resampled to f_r·S samples per second, i.e. S samples per shaft revolution (Fyfe and Munck, "Analysis of computed
 * order tracking", Mechanical Systems and Signal Processing 11(2), 1997, with the tachometer replaced by one stated
 * speed). After it, sample spacing is 1/S of a revolution whatever the speed and the rate: a window of L samples
 * covers L/S revolutions, and its spectrum has bins of S/L shaft orders (a line at k·f_r Hz lies at order k, bin
 * k·L/S).
 *
 * <p>Out of scope: speed that varies within the recording. The whole recording is resampled with one f_r, so a
 * relative speed error (or drift) ε moves order k to k·(1 + ε): a line stays within half a bin of S/L orders while
 * |ε| &lt; S/(2·k·L). For L = 2048 and S = 512 (bins of 0.25 orders) that is ±1.25 % at order 10 and ±0.125 % at
 * order 100; beyond that, the energy of the high orders smears over neighbouring bins as it does for a time-domain
 * model across speeds. A run-up needs a tachometer and angle-domain resampling, which this class does not do.
 */
public final class OrderDomain {

  private OrderDomain() {
  }

  /**
   * The sampling rate of the order domain, f_r·S.
   *
   * @param shaftHz shaft frequency f_r in Hz (rpm / 60)
   * @param samplesPerRevolution S
   * @return f_r·S in Hz
   * @throws IllegalArgumentException if either is not finite and positive
   */
  public static double rate(double shaftHz, double samplesPerRevolution) {
    if (!(shaftHz > 0) || !Double.isFinite(shaftHz)) {
      throw new IllegalArgumentException("shaft speed must be finite and > 0 Hz, got " + shaftHz + " Hz");
    }
    if (!(samplesPerRevolution > 0) || !Double.isFinite(samplesPerRevolution)) {
      throw new IllegalArgumentException("samples per revolution must be finite and > 0, got "
          + samplesPerRevolution);
    }
    return shaftHz * samplesPerRevolution;
  }

  /**
   * Samples of a recording of n samples in the order domain: round(n·f_r·S / fs).
   *
   * @param n samples at fs
   * @param fs the recording's rate in Hz
   * @param shaftHz f_r in Hz
   * @param samplesPerRevolution S
   */
  public static int length(int n, double fs, double shaftHz, double samplesPerRevolution) {
    Checks.requireSamplingRate("fs", fs);
    double exact = n * (rate(shaftHz, samplesPerRevolution) / fs);
    if (exact > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(n + " samples at " + fs + " Hz become " + (long) exact
          + " samples at " + samplesPerRevolution + " per revolution of " + shaftHz + " Hz, more than an array holds");
    }
    return (int) Math.max(1, Math.round(exact));
  }

  /**
   * Resamples x from fs to f_r·S samples per second with {@link Resampling#resample(double[], double, double)}
   * (anti-aliased: the band above the lower of the two Nyquist frequencies is removed, so orders above
   * fs / (2 f_r) are empty when f_r·S &gt; fs), keeping {@link #length} samples. A recording already at f_r·S is
   * copied unchanged.
   *
   * @param x samples at fs (not modified)
   * @param fs x's rate in Hz
   * @param shaftHz f_r in Hz
   * @param samplesPerRevolution S
   * @return {@link #length}(x.length, fs, f_r, S) samples, S per revolution
   * @throws IllegalArgumentException if a rate, the speed or S is not finite and positive, or x is empty
   */
  public static double[] resample(double[] x, double fs, double shaftHz, double samplesPerRevolution) {
    Checks.requireSamples("x", x);
    int n = length(x.length, fs, shaftHz, samplesPerRevolution);
    double target = rate(shaftHz, samplesPerRevolution);
    double[] y = target == fs ? x.clone() : Resampling.resample(x, fs, target);
    // resample gives ceil(n·ratio) samples; the last may lie beyond the recording's end, so keep round(n·ratio).
    return y.length == n ? y : java.util.Arrays.copyOf(y, n);
  }
}
