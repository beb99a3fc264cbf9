package io.github.drsn.signals;

/**
 * Power spectral density by Welch's method (P. D. Welch, IEEE Trans. Audio Electroacoust. 15(2), 1967),
 * with the conventions of {@code scipy.signal.welch(..., detrend='constant', scaling='density')}.
 */
public final class Welch {

  private Welch() {}

  /**
   * One-sided PSD in units²/Hz. Segments of {@code segmentLength} samples start every
   * {@code segmentLength - overlap} samples (only whole segments; a tail shorter than a segment is dropped);
   * each has its mean removed and is multiplied by the {@link Window.Symmetry#PERIODIC} window w. Per
   * segment, P_k = c |X_k|² / (fs sum(w²)) with c = 1 at DC and at the Nyquist bin of an even length, 2
   * elsewhere; the PSD is the mean over segments. The integral sum_k P_k fs/segmentLength equals the mean
   * windowed power, so white noise of variance s² reads about 2 s²/fs.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @param segmentLength samples per segment, at most x.length
   * @param overlap samples shared by consecutive segments, 0 &lt;= overlap &lt; segmentLength
   * @param window taper applied to each segment
   * @return the PSD in units²/Hz at k fs / segmentLength, k = 0..segmentLength/2
   * @throws IllegalArgumentException for bad samples, fs, segment length or overlap
   */
  public static Spectrum psd(double[] x, double fs, int segmentLength, int overlap, Window window) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    Checks.requirePositive("segmentLength", segmentLength);
    Checks.requireNotLonger("segmentLength", segmentLength, "signal x", x.length);
    if (overlap < 0 || overlap >= segmentLength) {
      throw new IllegalArgumentException("overlap must be in [0, segmentLength = " + segmentLength
          + "), got " + overlap);
    }
    Checks.requireNonNull("window", window);
    double[] w = window.coefficients(segmentLength, Window.Symmetry.PERIODIC);
    double windowPower = 0;
    for (double v : w) {
      windowPower += v * v;
    }
    int step = segmentLength - overlap;
    int bins = RealFft.halfLength(segmentLength);
    double[] psd = new double[bins];
    double[] segment = new double[segmentLength];
    int segments = 0;
    for (int start = 0; start + segmentLength <= x.length; start += step) {
      double mean = 0;
      for (int t = 0; t < segmentLength; t++) {
        mean += x[start + t];
      }
      mean /= segmentLength;
      for (int t = 0; t < segmentLength; t++) {
        segment[t] = (x[start + t] - mean) * w[t];
      }
      double[] half = RealFft.forwardHalf(segment);
      for (int k = 0; k < bins; k++) {
        double re = half[2 * k];
        double im = half[2 * k + 1];
        psd[k] += (Fft.isUnpaired(k, segmentLength) ? 1 : 2) * (re * re + im * im);
      }
      segments++;
    }
    double scale = 1.0 / (fs * windowPower * segments);
    for (int k = 0; k < bins; k++) {
      psd[k] *= scale;
    }
    return new Spectrum(Fft.frequencies(segmentLength, fs), psd);
  }
}
