/**
 * Core types of the data pipeline: recordings with their provenance, data sets of labelled recordings, and load
 * errors.
 */
package io.github.drsn.datasets;
