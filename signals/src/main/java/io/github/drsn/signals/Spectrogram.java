package io.github.drsn.signals;

import java.util.Arrays;

/**
 * A short-time spectrum: {@code magnitudes[i][k]} is the amplitude at time {@code times[i]} (s, frame
 * centre) and frequency {@code frequencies[k]} (Hz). Immutable: arrays are copied in and out.
 *
 * @param times frame centre times in seconds
 * @param frequencies bin frequencies in Hz
 * @param magnitudes one row per frame, one column per frequency
 */
public record Spectrogram(double[] times, double[] frequencies, double[][] magnitudes) {

  /** Validates shapes and copies all arrays. */
  public Spectrogram {
    Checks.requireSamples("times", times);
    Checks.requireSamples("frequencies", frequencies);
    Checks.requireNonNull("magnitudes", magnitudes);
    if (magnitudes.length != times.length) {
      throw new IllegalArgumentException("magnitudes has " + magnitudes.length + " rows but there are "
          + times.length + " times");
    }
    double[][] copy = new double[magnitudes.length][];
    for (int i = 0; i < magnitudes.length; i++) {
      Checks.requireSamples("magnitudes[" + i + "]", magnitudes[i]);
      if (magnitudes[i].length != frequencies.length) {
        throw new IllegalArgumentException("magnitudes[" + i + "] has " + magnitudes[i].length
            + " columns but there are " + frequencies.length + " frequencies");
      }
      copy[i] = magnitudes[i].clone();
    }
    times = times.clone();
    frequencies = frequencies.clone();
    magnitudes = copy;
  }

  /** A copy of the frame times in seconds. */
  @Override
  public double[] times() {
    return times.clone();
  }

  /** A copy of the frequency axis in Hz. */
  @Override
  public double[] frequencies() {
    return frequencies.clone();
  }

  /** A deep copy of the magnitudes. */
  @Override
  public double[][] magnitudes() {
    double[][] copy = new double[magnitudes.length][];
    for (int i = 0; i < magnitudes.length; i++) {
      copy[i] = magnitudes[i].clone();
    }
    return copy;
  }

  /** Number of frames. */
  public int frameCount() {
    return times.length;
  }

  /** The spectrum of frame i. */
  public Spectrum frame(int i) {
    return new Spectrum(frequencies, magnitudes[i]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Spectrogram s && Arrays.equals(times, s.times)
        && Arrays.equals(frequencies, s.frequencies) && Arrays.deepEquals(magnitudes, s.magnitudes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(times) + Arrays.hashCode(frequencies)) + Arrays.deepHashCode(magnitudes);
  }

  @Override
  public String toString() {
    return "Spectrogram[" + times.length + " frames x " + frequencies.length + " bins]";
  }
}
