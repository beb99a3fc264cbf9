/** The DL4J-backed {@link io.github.drsn.runtime.Diagnoser}: the reference implementation of the runtime's API. */
package io.github.drsn.model.diagnoser;
