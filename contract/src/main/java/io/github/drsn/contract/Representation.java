package io.github.drsn.contract;

/**
 * What the network sees of a window of L samples; the names and conventions are those of the bundle's
 * {@code input.representation} (datasets' {@code Representation}).
 */
public enum Representation {
  /** The time samples: L values. */
  TIME,
  /** One-sided amplitude spectrum ({@code signals.Fft.amplitudeSpectrum}): L/2 + 1 values for even L. */
  FFT_AMPLITUDE,
  /** Amplitude spectrum of the mean-removed Hilbert envelope ({@code signals.Envelope.spectrum}): L/2 + 1 values. */
  ENVELOPE_SPECTRUM;

  /**
   * @param windowLength samples per window, L
   * @return values per channel this representation produces: L for time, floor(L / 2) + 1 for spectra
   */
  public int featureLength(int windowLength) {
    return this == TIME ? windowLength : windowLength / 2 + 1;
  }
}
