package io.github.drsn.datasets.features;

import io.github.drsn.signals.NoiseType;
import java.util.Locale;
import java.util.Objects;

/**
 * Additive noise at a stated SNR (docs/protocol.md): SNR_dB = 10·log10(P_s / P_n), with P the mean square of
 * the clean window and of the noise, the noise scaled so that its power is exactly P_s / 10^(SNR_dB/10).
 *
 * @param type noise colour/distribution
 * @param snrDb signal-to-noise ratio in dB
 */
public record NoiseSpec(NoiseType type, double snrDb) {

  /** @throws IllegalArgumentException if the SNR is not finite */
  public NoiseSpec {
    Objects.requireNonNull(type, "type");
    if (!Double.isFinite(snrDb)) {
      throw new IllegalArgumentException("SNR must be a finite number of dB, got " + snrDb);
    }
  }

  @Override
  public String toString() {
    return type.name().toLowerCase(Locale.ROOT) + "@" + snrDb + "dB";
  }
}
