package io.github.drsn.model.eval;

/**
 * Precision, recall and F1 of one class, with its support (number of true samples), as defined in
 * {@link ConfusionMatrix}.
 *
 * @param className the class's display name
 * @param precision TP / (TP + FP), 0 when the class is never predicted
 * @param recall TP / (TP + FN), 0 when the class has no samples
 * @param f1 2·TP / (2·TP + FP + FN), 0 when the denominator is 0
 * @param support number of samples whose true class is this one
 */
public record ClassMetrics(String className, double precision, double recall, double f1, long support) {}
