/**
 * Lean embedded inference of trained DRSN bundles: a plain-Java forward pass behind a thread-safe
 * {@link io.github.drsn.runtime.Diagnoser}, streaming diagnosis, input-health checks and the JVM-wide Vector API
 * switch ({@link io.github.drsn.runtime.VectorApi}).
 */
package io.github.drsn.runtime;
