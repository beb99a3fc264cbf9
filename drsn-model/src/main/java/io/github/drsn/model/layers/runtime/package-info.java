/** Runtime DL4J layers with hand-written forward and backward passes over whole tensors of native ND4J ops. */
package io.github.drsn.model.layers.runtime;
