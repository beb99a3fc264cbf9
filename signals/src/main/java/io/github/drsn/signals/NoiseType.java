package io.github.drsn.signals;

/** Additive noise types of the benchmark (docs/protocol.md, "Noise"). */
public enum NoiseType {
  /** White, Gaussian amplitude distribution. */
  GAUSSIAN,
  /** White, Laplacian amplitude distribution (heavier tails; kurtosis 6). */
  LAPLACIAN,
  /** Gaussian with a 1/f power spectral density (-10 dB per decade), zero mean. */
  PINK
}
