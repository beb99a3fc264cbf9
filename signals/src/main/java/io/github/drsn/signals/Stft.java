package io.github.drsn.signals;

/** Short-time Fourier transform magnitude (spectrogram) of a real signal. */
public final class Stft {

  private Stft() {}

  /**
   * Spectrogram of whole frames: frame i covers samples [i hop, i hop + frameLength) (no padding; a tail
   * shorter than a frame is dropped), is multiplied by the {@link Window.Symmetry#PERIODIC} window and
   * transformed. Magnitudes use the amplitude scaling of {@link Fft#amplitudeSpectrum(double[], double,
   * Window)}: a stationary sine on a bin reads its amplitude. Frame i is stamped at its centre,
   * (i hop + frameLength / 2) / fs seconds (the convention of {@code scipy.signal.stft}).
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @param frameLength samples per frame, at most x.length
   * @param hop samples between frame starts
   * @param window taper applied to each frame
   * @return frames x (frameLength/2 + 1) amplitudes with times and frequencies
   */
  public static Spectrogram compute(double[] x, double fs, int frameLength, int hop, Window window) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fs", fs);
    Checks.requirePositive("frameLength", frameLength);
    Checks.requireNotLonger("frameLength", frameLength, "signal x", x.length);
    Checks.requirePositive("hop", hop);
    Checks.requireNonNull("window", window);
    double[] w = window.coefficients(frameLength, Window.Symmetry.PERIODIC);
    double gain = 0;
    for (double v : w) {
      gain += v;
    }
    int frames = (x.length - frameLength) / hop + 1;
    double[] times = new double[frames];
    double[][] magnitudes = new double[frames][];
    double[] frame = new double[frameLength];
    for (int i = 0; i < frames; i++) {
      int start = i * hop;
      for (int t = 0; t < frameLength; t++) {
        frame[t] = x[start + t] * w[t];
      }
      magnitudes[i] = Fft.amplitudes(RealFft.forwardHalf(frame), frameLength, gain);
      times[i] = (start + frameLength / 2.0) / fs;
    }
    return new Spectrogram(times, Fft.frequencies(frameLength, fs), magnitudes);
  }
}
