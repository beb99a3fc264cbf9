/**
 * Adaptation of a trained model to unlabeled recordings of another operating condition: {@link
 * io.github.drsn.model.adapt.NormStatistics} (AdaBN), {@link io.github.drsn.model.adapt.PseudoLabels} (self-training
 * on confident predictions) and {@link io.github.drsn.model.adapt.Adaptation}, which combines them behind a guard.
 */
package io.github.drsn.model.adapt;
