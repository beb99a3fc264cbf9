/**
 * From a windowed data set to a trained, evaluated network: the training run of docs/protocol.md (noise per
 * draw, class-balanced batches, validation each epoch, early stopping) and evaluation on fixed noise.
 */
package io.github.drsn.model.pipeline;
