/**
 * From a clean window to model input: noise at a stated SNR, optional spectral representation, per-window
 * normalisation.
 */
package io.github.drsn.datasets.features;
