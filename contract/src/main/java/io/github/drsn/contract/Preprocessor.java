package io.github.drsn.contract;

import io.github.drsn.signals.Envelope;
import io.github.drsn.signals.Fft;
import io.github.drsn.signals.Normalization;
import java.util.Objects;

/**
 * Turns a raw window into network input, the one definition of a model's preprocessing: per channel, the
 * {@link Representation} (time samples, or a spectrum by drsn-signals), then the per-window {@link Normalization}
 * (statistics in double precision). Training applies it after adding noise (datasets' {@code WindowPipeline},
 * through {@link #features(Representation, Normalization, double[], double)}); inference applies it to the raw
 * window ({@link #apply}). Time windows are processed without allocation; spectral representations allocate
 * their FFT buffers. An order-domain model's windows (already at S samples per revolution, {@link InputSpec}) give
 * spectra at the rate S, with bins in shaft orders. Thread-safe (stateless).
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
   * The features of one channel's window in double precision: the representation, then the normalisation.
   *
   * @param samples the window's samples of one channel (not modified)
   * @param samplingRate Hz, for the spectral representations (S, samples per revolution, in the order domain: the
   *     spectrum's bins are then in shaft orders)
   * @return {@link Representation#featureLength} values
   * @throws IllegalArgumentException if the window is empty or holds NaN/Inf
   */
  public static double[] features(Representation representation, Normalization normalization, double[] samples,
      double samplingRate) {
    double[] features = switch (representation) {
      case TIME -> samples;
      case FFT_AMPLITUDE -> Fft.amplitudeSpectrum(samples, samplingRate).values();
      case ENVELOPE_SPECTRUM -> Envelope.spectrum(samples, samplingRate).values();
    };
    return normalization.apply(features);
  }

  /** Working memory of {@link #apply(float[], float[], double[])}: one double per feature of a channel. */
  public double[] newScratch() {
    return new double[Normalization.scratchLength(Math.max(spec.windowLength(), spec.featureLength()))];
  }

  /**
   * Writes the features of {@code window} into {@code features} (allocating its working memory).
   *
   * @see #apply(float[], float[], double[])
   */
  public void apply(float[] window, float[] features) {
    apply(window, features, newScratch());
  }

  /**
   * Writes the features of {@code window} into {@code features}; for time windows without allocating.
   *
   * @param window {@link InputSpec#windowSamples()} samples, channel-major
   * @param features receives channels × {@link InputSpec#featureLength()} values, channel-major
   * @param scratch from {@link #newScratch()}, overwritten
   * @throws IllegalArgumentException if a length is wrong or the window holds NaN/Inf
   */
  public void apply(float[] window, float[] features, double[] scratch) {
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
        System.arraycopy(window, in, features, out, length);
      } else {
        double[] x = new double[length];
        for (int l = 0; l < length; l++) {
          x[l] = window[in + l];
        }
        // As in training: the spectrum is normalised in double precision, then rounded once.
        double[] normalised = features(spec.representation(), spec.normalization(), x, spec.featureRate());
        for (int l = 0; l < featureLength; l++) {
          features[out + l] = (float) normalised[l];
        }
        continue;
      }
      spec.normalization().applyInPlace(features, out, featureLength, scratch);
    }
  }
}
