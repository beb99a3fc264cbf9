/** Dependency-free micro-benchmarks (warm-up, then median of many timed calls) for the signals module. */
package io.github.drsn.signals.bench;
