package io.github.drsn.experiments.report;

import java.util.Objects;

/**
 * The outcome of one cell of an experiment grid: one model trained and tested once on one dataset, noise
 * type, SNR and seed.
 *
 * @param dataset dataset name, e.g. "cwru"
 * @param model model name, e.g. "DRSN-CW"
 * @param noise noise type as reported, e.g. "gaussian" (a label: the noise enum lives in the signals module)
 * @param snrDb signal-to-noise ratio in dB, or {@link Double#POSITIVE_INFINITY} for clean data
 * @param seed the run's master seed
 * @param accuracy test accuracy in [0, 1]
 * @param macroF1 test macro-F1 in [0, 1]
 * @param trainSeconds wall time of training in seconds
 * @param accuracyFinalEpoch test accuracy in [0, 1] of the network of the last epoch (the cell's
 *     {@code accuracy} is that of the best validation epoch), or NaN when the cell did not record it
 */
public record CellResult(String dataset, String model, String noise, double snrDb, long seed, double accuracy,
    double macroF1, double trainSeconds, double accuracyFinalEpoch) {

  /** A result without the last epoch's accuracy. */
  public CellResult(String dataset, String model, String noise, double snrDb, long seed, double accuracy,
      double macroF1, double trainSeconds) {
    this(dataset, model, noise, snrDb, seed, accuracy, macroF1, trainSeconds, Double.NaN);
  }

  /** @throws IllegalArgumentException on blank names, a NaN SNR, or metrics/time out of range */
  public CellResult {
    requireName("dataset", dataset);
    requireName("model", model);
    requireName("noise", noise);
    if (Double.isNaN(snrDb) || snrDb == Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("snrDb must be finite or +Infinity (clean), got " + snrDb);
    }
    snrDb += 0.0; // -0.0 becomes 0.0, so both land in the same group
    requireFraction("accuracy", accuracy);
    requireFraction("macroF1", macroF1);
    if (!Double.isNaN(accuracyFinalEpoch)) {
      requireFraction("accuracyFinalEpoch", accuracyFinalEpoch);
    }
    if (!(trainSeconds >= 0) || Double.isInfinite(trainSeconds)) {
      throw new IllegalArgumentException("trainSeconds must be finite and >= 0, got " + trainSeconds);
    }
  }

  private static void requireName(String what, String value) {
    if (Objects.requireNonNull(value, what).isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  private static void requireFraction(String what, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1], got " + value);
    }
  }
}
