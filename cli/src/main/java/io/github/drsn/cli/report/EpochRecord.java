package io.github.drsn.cli.report;

/**
 * What happened in one training epoch. Losses are the mean per-window loss the trainer reports (the
 * objective including L2 regularisation, as DL4J's score); NaN marks a value that was not measured (e.g.
 * no validation set).
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch
 * @param validationLoss loss on the validation windows after the epoch, or NaN
 * @param validationAccuracy fraction of validation windows classified correctly, in [0, 1], or NaN
 * @param learningRate learning rate used during the epoch
 * @param seconds wall time of the epoch in seconds, including validation
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
    double learningRate, double seconds) {

  /** @throws IllegalArgumentException on a non-positive epoch, accuracy outside [0, 1], negative time or rate */
  public EpochRecord {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
    if (!Double.isNaN(validationAccuracy) && (validationAccuracy < 0 || validationAccuracy > 1)) {
      throw new IllegalArgumentException("validationAccuracy must be in [0, 1] or NaN, got " + validationAccuracy);
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
    }
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("seconds must be finite and >= 0, got " + seconds);
    }
  }
}
