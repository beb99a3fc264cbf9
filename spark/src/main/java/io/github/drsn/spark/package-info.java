/**
 * Scale-out on Apache Spark (docs/spark.md): {@link io.github.drsn.spark.ScoringJob} diagnoses archives of recordings
 * with the lean runtime in the executors, one row per file (and per window), and {@link io.github.drsn.spark.GridJob}
 * runs an experiment grid's cells one per task through {@link io.github.drsn.experiments.ExperimentRunner}.
 */
package io.github.drsn.spark;
