package io.github.drsn.datasets.features;

import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Preprocessor;

import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.signals.Normalization;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Turns one clean window into model input, in the order of the benchmark protocol (docs/protocol.md):
 * (1) copy the window's samples, (2) add noise at the stated SNR, computed from the clean window's own power,
 * independently per channel, (3) the model's preprocessing ({@link Preprocessor}: optionally a spectrum, then the
 * per-window normalisation; z-score by default), the same that inference applies to a raw window.
 *
 * <p>Randomness comes only from the generator passed in: training passes a seeded stream that moves on
 * with every draw (fresh noise each epoch), evaluation passes {@link #evaluationRandom(long, Window)},
 * one fixed realisation per window that is identical across runs, models and epochs.
 *
 * <pre>{@code
 * WindowPipeline p = new WindowPipeline(new NoiseSpec(NoiseType.GAUSSIAN, -4), Normalization.Z_SCORE,
 *     Representation.TIME);
 * double[][] x = p.apply(recording, window, WindowPipeline.evaluationRandom(42, window));
 * }</pre>
 *
 * <p>A training pipeline may also {@link Augmentation augment} the clean window before the noise; evaluation
 * uses {@link #withoutAugmentation()}.
 *
 * @param noise the noise to add, or null for clean windows
 * @param normalization per-window normalisation applied last
 * @param representation time samples or a spectrum
 * @param augmentation random changes to the clean window before the noise ({@link Augmentation#NONE} for none)
 */
public record WindowPipeline(NoiseSpec noise, Normalization normalization, Representation representation,
    Augmentation augmentation) {

  /** @throws NullPointerException if normalisation or representation is null */
  public WindowPipeline {
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(representation, "representation");
    augmentation = augmentation == null ? Augmentation.NONE : augmentation;
  }

  /**
   * A pipeline without augmentation.
   *
   * @param noise the noise to add, or null for clean windows
   * @param normalization per-window normalisation applied last
   * @param representation time samples or a spectrum
   */
  public WindowPipeline(NoiseSpec noise, Normalization normalization, Representation representation) {
    this(noise, normalization, representation, Augmentation.NONE);
  }

  /** @return this pipeline without its augmentation: what validation and test windows go through */
  public WindowPipeline withoutAugmentation() {
    return augmentation.isNone() ? this : new WindowPipeline(noise, normalization, representation);
  }

  /** @return clean time windows, z-scored (the protocol's preprocessing without noise) */
  public static WindowPipeline clean() {
    return new WindowPipeline(null, Normalization.Z_SCORE, Representation.TIME);
  }

  /**
   * @param noise the noise to add
   * @return noisy time windows, z-scored after the noise (docs/protocol.md)
   */
  public static WindowPipeline noisy(NoiseSpec noise) {
    return new WindowPipeline(Objects.requireNonNull(noise, "noise"), Normalization.Z_SCORE, Representation.TIME);
  }

  /**
   * @param windowLength samples per window
   * @return values per channel after this pipeline
   */
  public int featureLength(int windowLength) {
    return representation.featureLength(windowLength);
  }

  /**
   * @param recording the recording the window belongs to
   * @param window the window
   * @param random source of the noise (unused for clean pipelines)
   * @return one array of {@link #featureLength} values per channel
   */
  public double[][] apply(Recording recording, Window window, RandomGenerator random) {
    double[][] out = noisy(recording, window, random);
    for (int c = 0; c < out.length; c++) {
      out[c] = Preprocessor.features(representation, normalization, out[c], recording.samplingRate());
    }
    return out;
  }

  /**
   * The window's samples with this pipeline's noise and no preprocessing: what a sensor would deliver, for
   * callers that preprocess themselves (a {@code Diagnoser}). Draws the same noise as {@link #apply}.
   *
   * @return one array of the window's length per channel
   */
  public double[][] noisy(Recording recording, Window window, RandomGenerator random) {
    if (!recording.id().equals(window.recordingId())) {
      throw new IllegalArgumentException("window " + window.key() + " does not belong to recording " + recording.id());
    }
    if (window.end() > recording.length()) {
      throw new IllegalArgumentException("window " + window.key() + " ends at " + window.end()
          + ", after the recording's " + recording.length() + " samples");
    }
    double[][] out = new double[recording.channelCount()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = Arrays.copyOfRange(recording.channel(c), window.start(), window.end());
    }
    augmentation.apply(out, recording.samplingRate(), random);
    if (noise != null) {
      for (int c = 0; c < out.length; c++) {
        out[c] = noise.addTo(out[c], random);
      }
    }
    return out;
  }

  /**
   * The pipeline on raw samples (for callers that hold windows as arrays).
   *
   * @param clean the clean samples (not modified)
   * @param samplingRate Hz, for the spectral representations
   * @param random source of the noise
   * @return the features
   */
  public double[] applyToSamples(double[] clean, double samplingRate, RandomGenerator random) {
    double[][] channel = {clean.clone()};
    augmentation.apply(channel, samplingRate, random);
    double[] x = noise == null ? channel[0] : noise.addTo(channel[0], random);
    return Preprocessor.features(representation, normalization, x, samplingRate);
  }

  /**
   * The generator of a window's one fixed evaluation noise realisation, derived from the seed and the
   * window's identity (recording id and start, not its position in a list), so that validation and test
   * inputs are the same in every run, for every model, in every epoch.
   *
   * @param seed the recorded evaluation seed
   * @param window the window
   * @return a generator used for that window only
   */
  public static RandomGenerator evaluationRandom(long seed, Window window) {
    long h = 0xcbf29ce484222325L;
    for (byte b : window.recordingId().getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    long mixed = new SplittableRandom(seed).nextLong() ^ new SplittableRandom(h).nextLong();
    return new SplittableRandom(mixed + 0x9e3779b97f4a7c15L * (window.start() + 1L));
  }
}
