/**
 * Training runs and experiment grids as a library, without any command-line code: {@link
 * io.github.drsn.experiments.RunSettings} (typed, JSON) define a run, {@link io.github.drsn.experiments.TrainingJob}
 * trains it into a folder with its bundle, report and provenance, and {@link
 * io.github.drsn.experiments.ExperimentRunner} runs a grid of them ({@link io.github.drsn.experiments.ExperimentConfig})
 * resumably and summarises it.
 */
package io.github.drsn.experiments;
