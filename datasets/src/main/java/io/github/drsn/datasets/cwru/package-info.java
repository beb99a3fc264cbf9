/**
 * The Case Western Reserve University bearing data: file catalogue, bearing geometry and the 10-class benchmark
 * task.
 */
package io.github.drsn.datasets.cwru;
