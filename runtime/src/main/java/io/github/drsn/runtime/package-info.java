/** Lean embedded inference of trained DRSN bundles: a plain-Java forward pass behind a thread-safe {@link io.github.drsn.runtime.Diagnoser}, streaming diagnosis and input-health checks. */
package io.github.drsn.runtime;
