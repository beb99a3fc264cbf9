package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.features.Augmentation;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.Normalization;

/**
 * What the network sees of a window: additive noise at an SNR (BENCHMARK.md: SNR_dB = 10·log10(P_s/P_n) per
 * window), then the input representation, then per-window normalisation. Defaults ({@link #DEFAULTS}) are
 * {@code drsn train}'s: Gaussian noise at -4 dB, the time signal, z-score.
 *
 * <p>Training for shift: {@code snr_max_db} makes every use of a training window draw its SNR from
 * [snr_db, snr_max_db] (one model for many noise levels), and {@code augmentation} changes clean training
 * windows at random as other machines and sessions would ({@link Augmentation}); validation and test windows are
 * never augmented.
 *
 * <p>Order domain: {@code samples_per_rev} S resamples every recording to S samples per shaft revolution before
 * windowing (datasets' {@code Resampler.toOrders}; each recording needs its speed), and the model records S in its
 * bundle so that the runtime does the same ({@code contract.InputSpec}).
 *
 * @param noise none (clean windows), gaussian, laplacian or pink
 * @param snrDb signal-to-noise ratio in dB (unused without noise); the lower end of a range
 * @param snrMaxDb the upper end of a range of SNRs, or null for the single SNR {@code snrDb}
 * @param normalization per-window normalisation
 * @param representation what the model sees of a window
 * @param augmentation random changes to clean training windows (null: none)
 * @param samplesPerRev S, samples per shaft revolution of an order-domain model (null: windows at the data's rate)
 */
@JsonPropertyOrder({"noise", "snr_db", "snr_max_db", "normalization", "representation", "augmentation",
    "samples_per_rev"})
public record InputSettings(
    @JsonProperty("noise") Noise noise,
    @JsonProperty("snr_db") double snrDb,
    @JsonProperty("snr_max_db") Double snrMaxDb,
    @JsonProperty("normalization") Normalization normalization,
    @JsonProperty("representation") Representation representation,
    @JsonProperty("augmentation") Augmentation augmentation,
    @JsonProperty("samples_per_rev") @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Double samplesPerRev) {

  /** Settings that are not order domain. */
  public InputSettings(Noise noise, double snrDb, Double snrMaxDb, Normalization normalization,
      Representation representation, Augmentation augmentation) {
    this(noise, snrDb, snrMaxDb, normalization, representation, augmentation, null);
  }

  /**
   * Settings at one SNR, without augmentation.
   *
   * @param noise none (clean windows), gaussian, laplacian or pink
   * @param snrDb signal-to-noise ratio in dB (unused without noise)
   * @param normalization per-window normalisation
   * @param representation what the model sees of a window
   */
  public InputSettings(Noise noise, double snrDb, Normalization normalization, Representation representation) {
    this(noise, snrDb, null, normalization, representation, null);
  }

  /** {@code drsn train}'s defaults. */
  public static final InputSettings DEFAULTS =
      new InputSettings(Noise.gaussian, -4, Normalization.Z_SCORE, Representation.TIME);

  /** Noise kinds; {@code none} means clean windows. */
  public enum Noise {
    none(null),
    gaussian(NoiseType.GAUSSIAN),
    laplacian(NoiseType.LAPLACIAN),
    pink(NoiseType.PINK);

    private final NoiseType type;

    Noise(NoiseType type) {
      this.type = type;
    }

    /** The signal library's noise type; null for {@link #none}. */
    public NoiseType type() {
      return type;
    }

    /** The kind of a noise type; {@link #none} for null. */
    public static Noise of(NoiseType type) {
      for (Noise n : values()) {
        if (n.type == type) {
          return n;
        }
      }
      throw new IllegalArgumentException("no noise kind for " + type);
    }
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public InputSettings {
    if (noise == null || normalization == null || representation == null) {
      throw new IllegalArgumentException("input.noise, input.normalization and input.representation must not be"
          + " null");
    }
    if (!Double.isFinite(snrDb)) {
      throw new IllegalArgumentException("input.snr_db must be a finite number of dB, got " + snrDb);
    }
    if (snrMaxDb != null && !(Double.isFinite(snrMaxDb) && snrMaxDb > snrDb)) {
      throw new IllegalArgumentException("input.snr_max_db must be a finite number of dB above input.snr_db ("
          + snrDb + "), got " + snrMaxDb);
    }
    if (snrMaxDb != null && noise == Noise.none) {
      throw new IllegalArgumentException("input.snr_max_db (" + snrMaxDb + ") needs a noise type; input.noise is"
          + " none");
    }
    augmentation = augmentation == null || augmentation.isNone() ? null : augmentation;
    if (samplesPerRev != null && !(samplesPerRev >= 8 && samplesPerRev <= 1e5)) {
      throw new IllegalArgumentException("input.samples_per_rev (--samples-per-rev) must be in [8, 100000] samples per"
          + " shaft revolution, got " + samplesPerRev);
    }
  }

  /** S for an order-domain model, else 0 (as {@code InputSpec.samplesPerRevolution}). */
  public double samplesPerRevolution() {
    return samplesPerRev == null ? 0 : samplesPerRev;
  }

  /** The data set as the model sees it: in the order domain when {@link #samplesPerRev} is set, else unchanged. */
  public io.github.drsn.datasets.Dataset view(io.github.drsn.datasets.Dataset dataset) {
    return samplesPerRev == null ? dataset : io.github.drsn.datasets.Resampler.toOrders(dataset, samplesPerRev);
  }

  /** The noise specification, or null for clean windows. */
  public NoiseSpec noiseSpec() {
    return noise == Noise.none ? null : new NoiseSpec(noise.type(), snrDb, snrMaxDb == null ? Double.NaN : snrMaxDb);
  }

  /** The window pipeline: augmentation (training only), noise, then representation, then normalisation. */
  public WindowPipeline pipeline() {
    return new WindowPipeline(noiseSpec(), normalization, representation, augmentation);
  }

  /** E.g. {@code "gaussian -4.0 dB"}, {@code "gaussian -10.0..10.0 dB, augmented (polarity)"} or {@code "none"}. */
  public String describe() {
    String level = noise == Noise.none ? "none"
        : noise + " " + snrDb + (snrMaxDb == null ? "" : ".." + snrMaxDb) + " dB";
    String orders = samplesPerRev == null ? "" : String.format(java.util.Locale.ROOT, ", order domain %s samples/rev",
        samplesPerRev == Math.rint(samplesPerRev) ? Long.toString(samplesPerRev.longValue()) : samplesPerRev.toString());
    return (augmentation == null ? level : level + ", augmented (" + augmentation.describe() + ")") + orders;
  }
}
