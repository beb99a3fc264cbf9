/** DL4J layer configurations of the DRSN building blocks (residual shrinkage units, stem, head, normalisation). */
package io.github.drsn.model.layers;
