/**
 * Runtime DL4J layers with hand-written forward and backward passes: the residual units, norms and stem
 * compute in plain-Java kernels ({@link io.github.drsn.model.layers.runtime.Kernels}) over whole batches;
 * the head's few remaining element-wise steps use ND4J ops ({@link io.github.drsn.model.layers.runtime.Ops}).
 */
package io.github.drsn.model.layers.runtime;
