package io.github.drsn.model.train;

/**
 * What one training epoch produced. NaN marks a value that was not measured (e.g. no validation set).
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean minibatch score over the epoch (cross-entropy plus the L2 penalty, as DL4J reports it)
 * @param validationLoss mean cross-entropy −log p(true class) over the validation windows (no penalty), or NaN
 * @param validationAccuracy fraction of validation windows classified correctly, in [0, 1], or NaN
 * @param learningRate the learning rate at the start of the epoch (iteration schedules move it within)
 * @param seconds wall time of the epoch, validation included
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double validationLoss,
    double validationAccuracy,
    double learningRate,
    double seconds) {

  /** @throws IllegalArgumentException on a non-positive epoch, accuracy outside [0, 1], negative time or rate */
  public EpochRecord {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
    if (!Double.isNaN(validationAccuracy) && (validationAccuracy < 0 || validationAccuracy > 1)) {
      throw new IllegalArgumentException("validationAccuracy must be in [0, 1] or NaN, got " + validationAccuracy);
    }
    if (!(learningRate >= 0) && !Double.isNaN(learningRate) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
    }
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("seconds must be finite and >= 0, got " + seconds);
    }
  }
}
