package io.github.drsn.model.train;

/**
 * What one training epoch produced.
 *
 * @param epoch zero-based epoch index
 * @param trainLoss mean minibatch score over the epoch (cross-entropy plus the L2 penalty, as DL4J reports it)
 * @param validationLoss mean cross-entropy −log p(true class) over the validation windows (no penalty)
 * @param validationAccuracy fraction of validation windows classified correctly
 * @param learningRate the learning rate in force at the end of the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double validationLoss,
    double validationAccuracy,
    double learningRate,
    double seconds) {}
