/**
 * Ensemble data cleaning: cross-validated ensembles score every training window against its label, and the windows
 * whose label the ensemble does not believe are listed for review
 * ({@link io.github.drsn.model.clean.EnsembleCleaning});
 * time-block folds without leakage ({@link io.github.drsn.model.clean.BlockFolds}); seeded label noise to validate the
 * method against known errors ({@link io.github.drsn.model.clean.LabelFlips}).
 */
package io.github.drsn.model.clean;
