package io.github.drsn.experiments.report;

import java.util.Objects;

/**
 * A result published elsewhere that an experiment is compared with, e.g. the PyTorch reference of
 * REFERENCE-RESULTS.md or a value read off the DRSN paper's figures. Values are in percent, as published.
 *
 * @param label short name of the source, shown in column headers and plot legends, e.g. "PyTorch"
 * @param model model name as the experiment names it, e.g. "drsn-cw", so it lines up with our column
 * @param noise noise type, e.g. "gaussian"
 * @param snrDb signal-to-noise ratio in dB
 * @param seeds how many seeds the published value averages, or 0 when the source does not say
 * @param accuracyPercent test accuracy in percent
 * @param stdPercent its standard deviation over seeds in percent, or NaN when not published
 * @param selection which epoch's network the source tested, so it is set beside the matching one of ours
 */
public record PublishedResult(String label, String model, String noise, double snrDb, int seeds,
    double accuracyPercent, double stdPercent, Selection selection) {

  /** Which network of a training run a published accuracy belongs to. */
  public enum Selection {
    /** The epoch with the best validation accuracy (what our cells' {@code accuracy} is). */
    BEST_VALIDATION,
    /** The last epoch (our cells' {@code accuracy_final_epoch}; the PyTorch reference's choice). */
    FINAL_EPOCH,
    /** The source does not say; shown beside both accuracies. */
    UNSPECIFIED
  }

  /** A result whose source does not say which epoch it tested. */
  public PublishedResult(String label, String model, String noise, double snrDb, int seeds, double accuracyPercent,
      double stdPercent) {
    this(label, model, noise, snrDb, seeds, accuracyPercent, stdPercent, Selection.UNSPECIFIED);
  }

  /** @throws IllegalArgumentException on blank names, a non-finite SNR or an accuracy outside [0, 100] */
  public PublishedResult {
    for (String name : new String[] {label, model, noise}) {
      if (Objects.requireNonNull(name, "label, model and noise are required").isBlank()) {
        throw new IllegalArgumentException("a published result needs a label, model and noise; got '" + label
            + "', '" + model + "', '" + noise + "'");
      }
    }
    if (!Double.isFinite(snrDb)) {
      throw new IllegalArgumentException("published result " + label + "/" + model + ": snr_db must be finite");
    }
    snrDb += 0.0;
    if (!(accuracyPercent >= 0 && accuracyPercent <= 100)) {
      throw new IllegalArgumentException("published result " + label + "/" + model + " at " + snrDb
          + " dB: accuracy must be a percentage in [0, 100], got " + accuracyPercent);
    }
    if (stdPercent < 0) {
      throw new IllegalArgumentException("published result " + label + "/" + model + " at " + snrDb
          + " dB: std must be >= 0, got " + stdPercent);
    }
    Objects.requireNonNull(selection, "selection");
    if (seeds < 0) {
      throw new IllegalArgumentException("published result " + label + "/" + model + ": seeds must be >= 0");
    }
  }

  /**
   * True when this result belongs beside our {@code metric} at {@code noise}: same noise, and an accuracy of
   * the same epoch choice (a result of unspecified choice beside either accuracy, never beside other metrics).
   */
  public boolean comparesWith(String noise, Metric metric) {
    boolean sameEpoch = switch (metric) {
      case ACCURACY -> selection != Selection.FINAL_EPOCH;
      case ACCURACY_FINAL_EPOCH -> selection != Selection.BEST_VALIDATION;
      default -> false;
    };
    return sameEpoch && this.noise.equals(noise);
  }

  /** The column or legend name: model and source, e.g. "drsn-cw (PyTorch)". */
  public String series() {
    return model + " (" + label + ")";
  }
}
