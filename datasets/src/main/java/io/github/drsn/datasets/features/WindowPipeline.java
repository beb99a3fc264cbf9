package io.github.drsn.datasets.features;

import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.signals.Envelope;
import io.github.drsn.signals.Fft;
import io.github.drsn.signals.Noise;
import io.github.drsn.signals.Normalization;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Turns one clean window into model input, in the order of the benchmark protocol (docs/protocol.md):
 * (1) copy the window's samples, (2) add noise at the stated SNR, computed from the clean window's own power,
 * independently per channel, (3) optionally take a spectrum, (4) normalise (per window and channel; z-score by
 * default).
 *
 * <p>Randomness comes only from the generator passed in: training passes a seeded stream that moves on
 * with every draw (fresh noise each epoch), evaluation passes {@link #evaluationRandom(long, Window)},
 * one fixed realisation per window that is identical across runs, models and epochs.
 *
 * <pre>{@code
 * WindowPipeline p = new WindowPipeline(new NoiseSpec(NoiseType.GAUSSIAN, -4), Normalization.Z_SCORE,
 *     InputRepresentation.TIME);
 * double[][] x = p.apply(recording, window, WindowPipeline.evaluationRandom(42, window));
 * }</pre>
 *
 * @param noise the noise to add, or null for clean windows
 * @param normalization per-window normalisation applied last
 * @param representation time samples or a spectrum
 */
public record WindowPipeline(NoiseSpec noise, Normalization normalization, InputRepresentation representation) {

  /** @throws NullPointerException if normalisation or representation is null */
  public WindowPipeline {
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(representation, "representation");
  }

  /** @return clean time windows, z-scored (the protocol's preprocessing without noise) */
  public static WindowPipeline clean() {
    return new WindowPipeline(null, Normalization.Z_SCORE, InputRepresentation.TIME);
  }

  /**
   * @param noise the noise to add
   * @return noisy time windows, z-scored after the noise (docs/protocol.md)
   */
  public static WindowPipeline noisy(NoiseSpec noise) {
    return new WindowPipeline(Objects.requireNonNull(noise, "noise"), Normalization.Z_SCORE, InputRepresentation.TIME);
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
    if (!recording.id().equals(window.recordingId())) {
      throw new IllegalArgumentException("window " + window.key() + " does not belong to recording " + recording.id());
    }
    if (window.end() > recording.length()) {
      throw new IllegalArgumentException("window " + window.key() + " ends at " + window.end()
          + ", after the recording's " + recording.length() + " samples");
    }
    double[][] out = new double[recording.channelCount()][];
    for (int c = 0; c < out.length; c++) {
      double[] x = Arrays.copyOfRange(recording.channel(c), window.start(), window.end());
      out[c] = applyToSamples(x, recording.samplingRate(), random);
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
    double[] x = noise == null ? clean.clone() : Noise.addAtSnr(clean, noise.type(), noise.snrDb(), random);
    double[] features = switch (representation) {
      case TIME -> x;
      case FFT_AMPLITUDE -> Fft.amplitudeSpectrum(x, samplingRate).values();
      case ENVELOPE_SPECTRUM -> Envelope.spectrum(x, samplingRate).values();
    };
    return normalization.apply(features);
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
