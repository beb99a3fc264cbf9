/**
 * Every diagnosis explained and cross-checked with the bearing's physics: the network's class beside the envelope
 * evidence at the defect frequencies, their agreement, a fused diagnosis by a documented rule, the learned
 * shrinkage thresholds, occlusion saliency and the ISO 20816-3 severity ({@link io.github.drsn.runtime.explain.Explainer}).
 */
package io.github.drsn.runtime.explain;
