package io.github.drsn.experiments;

import io.github.drsn.model.layers.KernelChoice;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;

/**
 * How long and on what draws a network trains. Defaults ({@link #DEFAULTS}) are {@code drsn train}'s.
 *
 * @param epochs maximum epochs
 * @param batch windows per minibatch
 * @param batchesPerEpoch minibatches per epoch; 0 = as many as training windows / batch
 * @param sampling class-balanced draws or shuffled passes
 * @param patience stop after this many epochs without better validation accuracy; 0 = never
 * @param seed seed of initialisation, draws and training noise
 * @param evaluationSeed seed of the fixed validation/test noise, shared by all models
 * @param kernels implementation of the custom layers' passes ({@link KernelChoice}; null or absent in
 *     settings of an older drsn: AUTO); it changes neither the model nor the saved bundle, only where and
 *     how fast the passes run
 */
@JsonPropertyOrder({"epochs", "batch", "batches_per_epoch", "sampling", "patience", "seed", "evaluation_seed", "kernels"})
public record TrainingSettings(
    @JsonProperty("epochs") int epochs,
    @JsonProperty("batch") int batch,
    @JsonProperty("batches_per_epoch") int batchesPerEpoch,
    @JsonProperty("sampling") Sampling sampling,
    @JsonProperty("patience") int patience,
    @JsonProperty("seed") long seed,
    @JsonProperty("evaluation_seed") long evaluationSeed,
    @JsonProperty("kernels") KernelChoice kernels) {

  /** {@code drsn train}'s defaults: 12 epochs of class-balanced batches of 128, seed 1. */
  public static final TrainingSettings DEFAULTS =
      new TrainingSettings(12, 128, 0, Sampling.CLASS_BALANCED, 0, 1, RunConfig.DEFAULT_EVALUATION_SEED,
          KernelChoice.AUTO);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public TrainingSettings {
    if (kernels == null) {
      kernels = KernelChoice.AUTO;
    }
    if (sampling == null) {
      throw new IllegalArgumentException("training.sampling must be CLASS_BALANCED or SHUFFLED");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("training.epochs must be at least 1, got " + epochs);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("training.batch must be at least 1, got " + batch);
    }
    if (batchesPerEpoch < 0) {
      throw new IllegalArgumentException("training.batches_per_epoch must be >= 0 (0 = one pass), got "
          + batchesPerEpoch);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("training.patience must be >= 0 (0 = never stop early), got " + patience);
    }
  }

  /** Settings with the default kernels (AUTO). */
  public TrainingSettings(int epochs, int batch, int batchesPerEpoch, Sampling sampling, int patience, long seed,
      long evaluationSeed) {
    this(epochs, batch, batchesPerEpoch, sampling, patience, seed, evaluationSeed, KernelChoice.AUTO);
  }

  /** The same settings with another maximum number of epochs (e.g. to extend a resumed run). */
  public TrainingSettings withEpochs(int maxEpochs) {
    return new TrainingSettings(maxEpochs, batch, batchesPerEpoch, sampling, patience, seed, evaluationSeed,
        kernels);
  }
}
