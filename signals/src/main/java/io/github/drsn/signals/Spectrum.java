package io.github.drsn.signals;

import java.util.Arrays;

/**
 * A spectrum with its frequency axis: {@code values[k]} belongs to {@code frequencies[k]} (Hz, ascending,
 * evenly spaced). What a value means (amplitude, power, PSD in units²/Hz) is stated by the method that made
 * it. Immutable: arrays are copied in and out; use {@link #frequency(int)} and {@link #value(int)} in loops.
 *
 * @param frequencies bin centre frequencies in Hz, ascending
 * @param values one value per bin
 */
public record Spectrum(double[] frequencies, double[] values) {

  /** Validates and copies both arrays. */
  public Spectrum {
    Checks.requireSamples("frequencies", frequencies);
    Checks.requireSamples("values", values);
    if (frequencies.length != values.length) {
      throw new IllegalArgumentException("frequencies (" + frequencies.length + ") and values ("
          + values.length + ") must have the same length");
    }
    for (int k = 1; k < frequencies.length; k++) {
      if (!(frequencies[k] > frequencies[k - 1])) {
        throw new IllegalArgumentException("frequencies must be strictly ascending; frequencies[" + k
            + "] = " + frequencies[k] + " after " + frequencies[k - 1]);
      }
    }
    frequencies = frequencies.clone();
    values = values.clone();
  }

  /** A copy of the frequency axis in Hz. */
  @Override
  public double[] frequencies() {
    return frequencies.clone();
  }

  /** A copy of the values. */
  @Override
  public double[] values() {
    return values.clone();
  }

  /** Number of bins. */
  public int size() {
    return values.length;
  }

  /** Frequency of bin k in Hz. */
  public double frequency(int k) {
    return frequencies[k];
  }

  /** Value of bin k. */
  public double value(int k) {
    return values[k];
  }

  /** Spacing between bins in Hz (fs / n for a DFT of n samples). */
  public double binWidth() {
    if (frequencies.length < 2) {
      throw new IllegalStateException("a spectrum with a single bin has no bin width");
    }
    return frequencies[1] - frequencies[0];
  }

  /** Index of the bin whose frequency is nearest to {@code hz}. */
  public int nearestIndex(double hz) {
    Checks.requireFinite("hz", hz);
    int found = Arrays.binarySearch(frequencies, hz);
    if (found >= 0) {
      return found;
    }
    int above = -found - 1;
    if (above == 0) {
      return 0;
    }
    if (above == frequencies.length) {
      return frequencies.length - 1;
    }
    return hz - frequencies[above - 1] <= frequencies[above] - hz ? above - 1 : above;
  }

  /**
   * Index of the largest value among bins with frequency in [minHz, maxHz] (first one on ties).
   *
   * @throws IllegalArgumentException if the range is empty, reversed or holds no bin
   */
  public int peakIndex(double minHz, double maxHz) {
    Checks.requireFinite("minHz", minHz);
    Checks.requireFinite("maxHz", maxHz);
    if (minHz > maxHz) {
      throw new IllegalArgumentException("minHz " + minHz + " must not exceed maxHz " + maxHz);
    }
    int best = -1;
    for (int k = 0; k < frequencies.length; k++) {
      if (frequencies[k] >= minHz && frequencies[k] <= maxHz && (best < 0 || values[k] > values[best])) {
        best = k;
      }
    }
    if (best < 0) {
      throw new IllegalArgumentException("no bin lies in [" + minHz + ", " + maxHz + "] Hz; the spectrum spans ["
          + frequencies[0] + ", " + frequencies[frequencies.length - 1] + "] Hz");
    }
    return best;
  }

  /** Frequency in Hz of {@link #peakIndex(double, double)}. */
  public double peakFrequency(double minHz, double maxHz) {
    return frequencies[peakIndex(minHz, maxHz)];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Spectrum s
        && Arrays.equals(frequencies, s.frequencies) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(frequencies) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Spectrum[" + values.length + " bins, " + frequencies[0] + ".."
        + frequencies[frequencies.length - 1] + " Hz]";
  }
}
