package io.github.drsn.experiments;

import io.github.drsn.model.layers.KernelChoice;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.train.TrainingRecipe;
import java.util.List;

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
 * @param labelSmoothing ε of label smoothing, targets (1 − ε)·onehot + ε/K; 0 = off
 * @param focalGamma γ of the focal loss −α_t (1 − p_t)^γ log p_t; 0 = cross-entropy
 * @param focalAlpha α per class of the focal loss, or null (α = 1)
 * @param flood flooding level b: the batch loss becomes |L − b| + b; 0 = off
 * @param dropout probability p of dropping a pooled feature before the classifier (training only); 0 = off
 * @param ema decay d of the weight EMA that is validated and exported instead of the live weights; 0 = off
 *     (see {@link TrainingRecipe} for the formulas and sources)
 * @param fgm ε of adversarial training on the input, relative to each window's RMS; 0 = off
 * @param spatialDropout probability p of dropping a whole channel inside each residual unit (training only); 0 = off
 * @param snapshots K cycle-end snapshots of a cyclic schedule kept as a snapshot ensemble; 0 = off
 * @param kernels implementation of the custom layers' passes ({@link KernelChoice}; null or absent in
 *     settings of an older drsn: AUTO); it changes neither the model nor the saved bundle, only where and
 *     how fast the passes run
 */
@JsonPropertyOrder({"epochs", "batch", "batches_per_epoch", "sampling", "patience", "seed", "evaluation_seed",
    "label_smoothing", "focal_gamma", "focal_alpha", "flood", "dropout", "ema", "fgm", "spatial_dropout", "snapshots",
    "kernels"})
public record TrainingSettings(
    @JsonProperty("epochs") int epochs,
    @JsonProperty("batch") int batch,
    @JsonProperty("batches_per_epoch") int batchesPerEpoch,
    @JsonProperty("sampling") Sampling sampling,
    @JsonProperty("patience") int patience,
    @JsonProperty("seed") long seed,
    @JsonProperty("evaluation_seed") long evaluationSeed,
    @JsonProperty("label_smoothing") double labelSmoothing,
    @JsonProperty("focal_gamma") double focalGamma,
    @JsonProperty("focal_alpha") List<Double> focalAlpha,
    @JsonProperty("flood") double flood,
    @JsonProperty("dropout") double dropout,
    @JsonProperty("ema") double ema,
    @JsonProperty("fgm") double fgm,
    @JsonProperty("spatial_dropout") double spatialDropout,
    @JsonProperty("snapshots") int snapshots,
    @JsonProperty("kernels") KernelChoice kernels) {

  /** {@code drsn train}'s defaults: 12 epochs of class-balanced batches of 128, seed 1. */
  public static final TrainingSettings DEFAULTS =
      new TrainingSettings(12, 128, 0, Sampling.CLASS_BALANCED, 0, 1, RunConfig.DEFAULT_EVALUATION_SEED);

  /** Settings without any training recipe (the baseline), with the default kernels (AUTO). */
  public TrainingSettings(int epochs, int batch, int batchesPerEpoch, Sampling sampling, int patience, long seed,
      long evaluationSeed) {
    this(epochs, batch, batchesPerEpoch, sampling, patience, seed, evaluationSeed, 0, 0, null, 0, 0, 0, 0, 0, 0,
        KernelChoice.AUTO);
  }

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
    if (focalAlpha != null) {
      if (focalAlpha.stream().anyMatch(java.util.Objects::isNull)) {
        throw new IllegalArgumentException("training.focal_alpha (--focal-alpha) must list one number per class, got "
            + focalAlpha);
      }
      focalAlpha = List.copyOf(focalAlpha);
    }
    try {
      new TrainingRecipe(labelSmoothing, focalGamma, alpha(focalAlpha), flood, dropout, ema, fgm, spatialDropout,
          snapshots);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("training: " + e.getMessage(), e);
    }
  }

  private static double[] alpha(List<Double> values) {
    return values == null ? null : values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The training recipes these settings ask for. */
  public TrainingRecipe recipe() {
    return new TrainingRecipe(labelSmoothing, focalGamma, alpha(focalAlpha), flood, dropout, ema, fgm, spatialDropout,
        snapshots);
  }

  /** The same settings with another maximum number of epochs (e.g. to extend a resumed run). */
  public TrainingSettings withEpochs(int maxEpochs) {
    return new TrainingSettings(maxEpochs, batch, batchesPerEpoch, sampling, patience, seed, evaluationSeed,
        labelSmoothing, focalGamma, focalAlpha, flood, dropout, ema, fgm, spatialDropout, snapshots, kernels);
  }
}
