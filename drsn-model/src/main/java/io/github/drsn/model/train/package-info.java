/** Epoch-based training of a DL4J network with validation, early stopping and resumable checkpoints. */
package io.github.drsn.model.train;
