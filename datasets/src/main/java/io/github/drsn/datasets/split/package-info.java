/** Leakage-free splits (by time, by recording, by operating condition) and the windows cut inside each split region. */
package io.github.drsn.datasets.split;
