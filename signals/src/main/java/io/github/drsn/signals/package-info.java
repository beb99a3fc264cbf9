/**
 * Vibration preprocessing and analysis (spectra, envelope, STFT, windows, filters, resampling,
 * normalisation, segmentation, noise at an exact SNR), pure Java on JTransforms.
 */
package io.github.drsn.signals;
