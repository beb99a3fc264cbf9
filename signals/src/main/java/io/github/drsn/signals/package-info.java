/** Vibration preprocessing and analysis: spectra, envelope, STFT, windows, filters, resampling, normalisation, segmentation and noise at an exact SNR. */
package io.github.drsn.signals;
