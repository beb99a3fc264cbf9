package io.github.drsn.datasets.features;

import io.github.drsn.signals.Noise;
import io.github.drsn.signals.NoiseType;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Additive noise at a stated SNR (docs/protocol.md): SNR_dB = 10·log10(P_s / P_n), with P the mean square of
 * the clean window and of the noise, the noise scaled so that its power is exactly P_s / 10^(SNR_dB/10).
 *
 * <p>With {@code maxSnrDb} set, each use of a window draws its SNR uniformly from [snrDb, maxSnrDb]: one model
 * trained over a range of noise levels instead of a specialist for one (a model trained at −4 dB alone scored
 * 58 % on clean windows). A single SNR draws nothing from the generator, so its noise is what it always was.
 *
 * @param type noise colour/distribution
 * @param snrDb signal-to-noise ratio in dB, the lower end of a range
 * @param maxSnrDb the upper end of a range of SNRs, or NaN for the single SNR {@code snrDb}
 */
public record NoiseSpec(NoiseType type, double snrDb, double maxSnrDb) {

  /** The largest |SNR| accepted, in dB. */
  public static final double MAX_ABS_SNR_DB = 200;

  /** @throws IllegalArgumentException if an SNR is not a number of dB within ±{@link #MAX_ABS_SNR_DB} or the range is empty */
  public NoiseSpec {
    Objects.requireNonNull(type, "type");
    // Beyond ±200 dB the noise is 10^10 times the signal or below float's resolution of it: no experiment means
    // that, and at −1000 dB the noisy samples overflow float, the network's input type.
    if (!(Math.abs(snrDb) <= MAX_ABS_SNR_DB)) {
      throw new IllegalArgumentException("SNR must be a number of dB in [-" + (int) MAX_ABS_SNR_DB + ", "
          + (int) MAX_ABS_SNR_DB + "], got " + snrDb + " dB");
    }
    if (!Double.isNaN(maxSnrDb) && Math.abs(maxSnrDb) > MAX_ABS_SNR_DB) {
      throw new IllegalArgumentException("the upper SNR of a range must be in [-" + (int) MAX_ABS_SNR_DB + ", "
          + (int) MAX_ABS_SNR_DB + "] dB, got " + maxSnrDb + " dB");
    }
    if (!Double.isNaN(maxSnrDb) && !(Double.isFinite(maxSnrDb) && maxSnrDb > snrDb)) {
      throw new IllegalArgumentException("the upper SNR of a range must be finite and above its lower " + snrDb
          + " dB, got " + maxSnrDb + " dB");
    }
  }

  /**
   * Noise at one SNR.
   *
   * @param type noise colour/distribution
   * @param snrDb signal-to-noise ratio in dB
   */
  public NoiseSpec(NoiseType type, double snrDb) {
    this(type, snrDb, Double.NaN);
  }

  /** @return whether the SNR is drawn from a range */
  public boolean isRange() {
    return !Double.isNaN(maxSnrDb);
  }

  /**
   * @param random the generator of this window's randomness (not used for a single SNR)
   * @return the SNR of one use of a window
   */
  public double drawSnr(RandomGenerator random) {
    return isRange() ? snrDb + (maxSnrDb - snrDb) * random.nextDouble() : snrDb;
  }

  /**
   * Adds this noise to a window.
   *
   * @param clean the window (not modified)
   * @param random the generator of the SNR draw and the noise
   * @return the noisy window
   */
  public double[] addTo(double[] clean, RandomGenerator random) {
    return Noise.addAtSnr(clean, type, drawSnr(random), random);
  }

  @Override
  public String toString() {
    return type.name().toLowerCase(Locale.ROOT) + "@" + snrDb + (isRange() ? ".." + maxSnrDb : "") + "dB";
  }
}
