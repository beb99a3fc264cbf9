package io.github.drsn.model.bundle;

import io.github.drsn.datasets.features.InputRepresentation;
import io.github.drsn.signals.Normalization;
import java.util.Objects;

/**
 * What a bundled model expects of its input, and how raw samples become model input: windows of
 * {@code windowLength} samples at {@code samplingRate} Hz with {@code channels} channels, turned into
 * {@code representation} and normalised per window with {@code normalization}.
 */
public record InputSpec(
    double samplingRate,
    int windowLength,
    int channels,
    Normalization normalization,
    InputRepresentation representation) {

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
}
