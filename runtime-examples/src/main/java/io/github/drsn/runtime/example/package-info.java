/** A runnable monitoring-service loop that streams a recording through a {@link io.github.drsn.runtime.StreamingDiagnoser}. */
package io.github.drsn.runtime.example;
