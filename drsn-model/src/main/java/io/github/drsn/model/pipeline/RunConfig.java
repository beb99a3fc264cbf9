package io.github.drsn.model.pipeline;

import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.Sampling;
import java.util.Objects;

/**
 * Everything a training run needs besides the data.
 *
 * @param architecture which network
 * @param spec its sizes, normalisation, optimiser, schedule and initialisation seed
 * @param pipeline noise, input representation and normalisation applied to every window
 * @param batchSize examples per minibatch (docs/protocol.md: 128)
 * @param batchesPerEpoch minibatches per epoch; 0 means ceil(training windows / batch size)
 * @param sampling class-balanced draws (default) or shuffled passes over the training windows
 * @param epochs maximum number of epochs
 * @param patience epochs without a better validation accuracy before stopping; 0 never stops early
 * @param seed fixes which windows each epoch draws and their noise (epoch e uses a seed derived from
 *     (seed, e), so a resumed run sees the same data as an uninterrupted one)
 * @param evaluationSeed fixes the one noise realisation of each validation/test window; keep it equal
 *     across models and seeds so they are compared on the same inputs
 */
public record RunConfig(
    Architecture architecture,
    ModelSpec spec,
    WindowPipeline pipeline,
    int batchSize,
    int batchesPerEpoch,
    Sampling sampling,
    int epochs,
    int patience,
    long seed,
    long evaluationSeed) {

  /** The evaluation seed used unless a run says otherwise (recorded in every report). */
  public static final long DEFAULT_EVALUATION_SEED = 20200701L;

  public RunConfig {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(sampling, "sampling");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (batchesPerEpoch < 0) {
      throw new IllegalArgumentException("batches per epoch must be >= 0 (0 = one pass), got " + batchesPerEpoch);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0 (0 = never stop early), got " + patience);
    }
  }

  /** The seed of epoch {@code epoch}'s draws and noise: a SplitMix64 mix of (seed, epoch). */
  public long epochSeed(int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
