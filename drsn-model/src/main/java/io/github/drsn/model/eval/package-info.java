/**
 * Classification metrics in plain Java (confusion matrix, precision/recall/F1, accuracy, macro-F1, mean ± std
 * over seeds), with no Deeplearning4j types in the API so reports and tools can use them without a backend.
 */
package io.github.drsn.model.eval;
