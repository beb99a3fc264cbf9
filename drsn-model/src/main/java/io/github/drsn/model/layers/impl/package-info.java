/**
 * The DL4J layer implementations behind the configurations in {@code io.github.drsn.model.layers} (what DL4J
 * instantiates from a configuration; unrelated to the {@code drsn-runtime} module), with hand-written forward
 * and backward passes: the residual units, norms and stem compute in plain-Java kernels
 * ({@link io.github.drsn.model.layers.impl.Kernels}) over whole batches; the head's few remaining element-wise
 * steps use ND4J ops ({@link io.github.drsn.model.layers.impl.Ops}). Each runtime also has a second implementation
 * in whole-tensor ND4J ops ({@link io.github.drsn.model.layers.impl.Nd4jKernels},
 * {@link io.github.drsn.model.layers.impl.ResidualUnitNd4j}) that runs on the device of a GPU backend; which one a
 * runtime uses is {@link io.github.drsn.model.layers.KernelChoice} (prefer the Java kernels on the CPU, the ND4J
 * ones on a GPU; AUTO does so).
 */
package io.github.drsn.model.layers.impl;
