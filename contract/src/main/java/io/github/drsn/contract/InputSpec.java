package io.github.drsn.contract;

import io.github.drsn.signals.Normalization;
import java.util.Objects;

/**
 * What a model expects: windows of {@code windowLength} samples per channel at {@code samplingRate} Hz,
 * turned into {@code representation} and normalised per window and channel with {@code normalization}
 * (the bundle's {@code input} section).
 *
 * @param samplingRate the model's sampling rate in Hz
 * @param windowLength raw samples per window and channel
 * @param channels input channels
 * @param normalization per-window normalisation, applied after the representation
 * @param representation time samples or a spectrum
 */
public record InputSpec(double samplingRate, int windowLength, int channels, Normalization normalization,
    Representation representation) {

  /** @throws IllegalArgumentException for a non-finite or non-positive rate, or a non-positive length or channel count */
  public InputSpec {
    if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
      throw new IllegalArgumentException("sampling rate must be finite and > 0 Hz, got " + samplingRate);
    }
    if (windowLength < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "window length and channels must be positive, got " + windowLength + " and " + channels);
    }
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(representation, "representation");
  }

  /** Values per channel that the network receives. */
  public int featureLength() {
    return representation.featureLength(windowLength);
  }

  /** Raw samples of one window over all channels: channels × windowLength. */
  public int windowSamples() {
    return channels * windowLength;
  }
}
