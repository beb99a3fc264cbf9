/**
 * Deeplearning4j DataSetIterator adapters that stream windows, adding noise per batch instead of storing noisy
 * copies.
 */
package io.github.drsn.model.data;
