/** Deep Residual Shrinkage Networks (Zhao et al., IEEE TII 2020) as Deeplearning4j networks: specs, builders, persistence. */
package io.github.drsn.model;
