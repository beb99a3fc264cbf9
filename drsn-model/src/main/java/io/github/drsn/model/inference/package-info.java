/** A plain-Java inference engine for trained DRSN networks: the same forward pass without per-op native overhead. */
package io.github.drsn.model.inference;
