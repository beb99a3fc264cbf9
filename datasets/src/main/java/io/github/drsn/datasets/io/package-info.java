/**
 * File formats the command line reads and writes (NumPy .npy, WAV, CSV), the project's one Jackson
 * {@link com.fasterxml.jackson.databind.ObjectMapper} factory ({@link io.github.drsn.datasets.io.JsonMappers}), and
 * atomic file replacement, so an interrupted run never leaves a half-written output behind.
 */
package io.github.drsn.datasets.io;
