package io.github.drsn.runtime;

import io.github.drsn.signals.Envelope;
import io.github.drsn.signals.Fft;
import io.github.drsn.signals.Normalization;
import java.util.Objects;

/**
 * Turns a raw window into network input as the model was trained (datasets' {@code WindowPipeline} without
 * noise): per channel, the {@link Representation} (time samples, or a spectrum by drsn-signals), then the
 * per-window {@link Normalization} with statistics in double precision. Time windows are processed without
 * allocation; spectral representations allocate their FFT buffers. Thread-safe (stateless).
 */
public final class Preprocessor {

  private final InputSpec spec;

  /** @param spec the model's input */
  public Preprocessor(InputSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /** The input it prepares. */
  public InputSpec spec() {
    return spec;
  }

  /**
   * Writes the features of {@code window} into {@code features}.
   *
   * @param window {@link InputSpec#windowSamples()} samples, channel-major
   * @param features receives channels × {@link InputSpec#featureLength()} values, channel-major
   * @throws IllegalArgumentException if a length is wrong or the window holds NaN/Inf
   */
  public void apply(float[] window, float[] features) {
    int length = spec.windowLength();
    int featureLength = spec.featureLength();
    if (window.length != spec.windowSamples()) {
      throw new IllegalArgumentException("window has " + window.length + " samples, the model expects "
          + spec.channels() + " x " + length);
    }
    if (features.length != spec.channels() * featureLength) {
      throw new IllegalArgumentException("features array has " + features.length + " values, expected "
          + spec.channels() * featureLength);
    }
    for (int c = 0; c < spec.channels(); c++) {
      int in = c * length;
      int out = c * featureLength;
      if (spec.representation() == Representation.TIME) {
        normalize(window, in, features, out, length, spec.normalization());
      } else {
        double[] x = new double[length];
        for (int l = 0; l < length; l++) {
          x[l] = window[in + l];
        }
        double[] spectrum = spec.representation() == Representation.FFT_AMPLITUDE
            ? Fft.amplitudeSpectrum(x, spec.samplingRate()).values()
            : Envelope.spectrum(x, spec.samplingRate()).values();
        for (int l = 0; l < featureLength; l++) {
          features[out + l] = (float) spectrum[l];
        }
        normalize(features, out, features, out, featureLength, spec.normalization());
      }
    }
  }

  /**
   * dst = normalisation of src over {@code length} values, with the conventions of
   * {@link Normalization} (population standard deviation; a constant window maps to zeros).
   */
  static void normalize(float[] src, int srcOffset, float[] dst, int dstOffset, int length, Normalization mode) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < length; i++) {
      float v = src[srcOffset + i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("window sample " + i + " is " + v + "; samples must be finite");
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    double shift;
    double scale;
    switch (mode) {
      case NONE -> {
        System.arraycopy(src, srcOffset, dst, dstOffset, length);
        return;
      }
      case Z_SCORE -> {
        double mean = sum / length;
        double squares = 0;
        for (int i = 0; i < length; i++) {
          double d = src[srcOffset + i] - mean;
          squares += d * d;
        }
        double std = Math.sqrt(squares / length);
        shift = mean;
        scale = std > 0 && max > min ? 1 / std : 0;
      }
      case MIN_MAX -> {
        shift = min;
        scale = max > min ? 1 / (max - min) : 0;
      }
      case PLUS_MINUS_ONE -> {
        shift = (min + max) / 2;
        scale = max > min ? 2 / (max - min) : 0;
      }
      default -> throw new IllegalStateException("unhandled normalisation " + mode);
    }
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = (float) ((src[srcOffset + i] - shift) * scale);
    }
  }
}
