/**
 * File formats the command line reads and writes (NumPy .npy, WAV, CSV) and atomic file replacement, so an
 * interrupted run never leaves a half-written output behind.
 */
package io.github.drsn.datasets.io;
