/**
 * The model bundle: one file holding a trained network's weights (plain NumPy arrays), its architecture,
 * classes, expected input and preprocessing, training configuration, provenance and metrics (JSON). Loading
 * never deserialises Java objects or DL4J's polymorphic JSON, so a bundle from an untrusted source cannot
 * run code.
 */
package io.github.drsn.model.bundle;
