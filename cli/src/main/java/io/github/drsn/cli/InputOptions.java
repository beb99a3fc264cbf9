package io.github.drsn.cli;

import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.experiments.InputSettings;
import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.NoiseType;
import picocli.CommandLine.Option;

/**
 * What the model's input is made of, window by window: the noise added to it (docs/protocol.md: SNR_dB =
 * 10·log10(P_s/P_n) per window, the noise scaled to exactly P_s/10^(SNR/10)), then the input representation and
 * the per-window normalisation.
 */
public final class InputOptions {

  /** Noise kinds on the command line; {@code none} means clean windows. */
  public enum Kind {
    none,
    gaussian,
    laplacian,
    pink
  }

  @Option(
      names = "--noise",
      paramLabel = "KIND",
      description = "Additive noise: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Kind noise = Kind.gaussian;

  @Option(names = "--snr", paramLabel = "DB", description = "Signal-to-noise ratio in dB (default: ${DEFAULT-VALUE}).")
  double snrDb = -4;

  @Option(
      names = "--normalization",
      paramLabel = "MODE",
      description = "Per-window normalisation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Normalization normalization = Normalization.Z_SCORE;

  @Option(
      names = "--input",
      paramLabel = "REPR",
      description = "What the model sees of a window: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Representation representation = Representation.TIME;

  /** The SNR in dB given by {@code --snr}. */
  public double snrDb() {
    return snrDb;
  }

  /** The noise specification, or null for clean windows. */
  public NoiseSpec noiseSpec() {
    return noiseSpec(snrDb);
  }

  /** The noise specification at another SNR (for sweeps), or null for clean windows. */
  public NoiseSpec noiseSpec(double snr) {
    return switch (noise) {
      case none -> null;
      case gaussian -> new NoiseSpec(NoiseType.GAUSSIAN, snr);
      case laplacian -> new NoiseSpec(NoiseType.LAPLACIAN, snr);
      case pink -> new NoiseSpec(NoiseType.PINK, snr);
    };
  }

  /** The window pipeline: noise, then representation, then normalisation. */
  public WindowPipeline pipeline() {
    return new WindowPipeline(noiseSpec(), normalization, representation);
  }

  /** The input settings these options give (the library's form, recorded in run settings), without augmentation. */
  public InputSettings settings() {
    WindowPipeline pipeline = pipeline();
    return new InputSettings(
        pipeline.noise() == null ? InputSettings.Noise.none : InputSettings.Noise.of(pipeline.noise().type()),
        snrDb, pipeline.normalization(), pipeline.representation());
  }

  /** E.g. {@code "gaussian -4 dB"} or {@code "none"}. */
  public String describe() {
    return noise == Kind.none ? "none" : noise + " " + snrDb + " dB";
  }
}
