package io.github.drsn.datasets.features;

/**
 * What the model sees of a window of L samples.
 */
public enum InputRepresentation {
  /** The (noisy) time samples: L values. */
  TIME,
  /**
   * One-sided amplitude spectrum of the window ({@code signals.Fft.amplitudeSpectrum}): L/2 + 1 values
   * for even L, bin k at k·fs/L Hz.
   */
  FFT_AMPLITUDE,
  /**
   * Amplitude spectrum of the mean-removed Hilbert envelope ({@code signals.Envelope.spectrum}), where
   * bearing defect frequencies appear: L/2 + 1 values for even L.
   */
  ENVELOPE_SPECTRUM;

  /**
   * @param windowLength samples per window, L
   * @return values per channel that this representation produces
   */
  public int featureLength(int windowLength) {
    return this == TIME ? windowLength : windowLength / 2 + 1;
  }
}
