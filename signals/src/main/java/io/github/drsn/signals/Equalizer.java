package io.github.drsn.signals;

/**
 * Zero-phase spectral shaping of a window: a bell of gain on a logarithmic frequency axis, as a different
 * transmission path (mounting, housing resonance, sensor) colours the same machine's vibration.
 *
 * <p>The gain at frequency f is
 * <pre>  G(f) = 10^(g(f) / 20),   g(f) = gainDb · exp(−½ (log2(f / centreHz) / σ)²),   σ = octaves / (2 √(2 ln 2))</pre>
 * (a Gaussian bell in octaves whose full width at half the dB gain is {@code octaves}), applied by multiplying
 * the window's DFT and transforming back. It is circular (the window is treated as one period), which keeps
 * the start free of a filter's transient; the DC bin keeps gain 1.
 */
public final class Equalizer {

  private Equalizer() {}

  /**
   * @param x the window (not modified)
   * @param fs its sampling rate in Hz
   * @param centreHz the bell's centre, in (0, fs/2]
   * @param gainDb the gain at the centre in dB (negative attenuates), finite
   * @param octaves the bell's full width at half its dB gain, in octaves, &gt; 0
   * @return the shaped window
   * @throws IllegalArgumentException for a bad window or parameter
   */
  public static double[] bell(double[] x, double fs, double centreHz, double gainDb, double octaves) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    if (!(centreHz > 0 && centreHz <= fs / 2)) {
      throw new IllegalArgumentException("centre frequency must be in (0, " + fs / 2 + "] Hz, got " + centreHz);
    }
    if (!Double.isFinite(gainDb) || !(octaves > 0) || !Double.isFinite(octaves)) {
      throw new IllegalArgumentException("gain must be finite and width > 0 octaves, got " + gainDb + " dB, "
          + octaves + " octaves");
    }
    int n = x.length;
    if (n < 2) {
      return x.clone();
    }
    double sigma = octaves / (2 * Math.sqrt(2 * Math.log(2)));
    double[] half = RealFft.forwardHalf(x);
    for (int k = 1; k < half.length / 2; k++) {
      double f = (double) k * fs / n;
      double z = Math.log(f / centreHz) / Math.log(2) / sigma;
      double gain = Math.pow(10, gainDb * Math.exp(-0.5 * z * z) / 20);
      half[2 * k] *= gain;
      half[2 * k + 1] *= gain;
    }
    return RealFft.inverseHalf(half, n);
  }
}
