package io.github.drsn.model.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable evaluation result: class names plus a frozen {@link ConfusionMatrix}, with the metrics derived
 * from it (accuracy, macro-F1, per-class precision/recall/F1; formulas and the 0/0 = 0 convention in
 * {@link ConfusionMatrix}). The layout follows scikit-learn's {@code classification_report}.
 */
public final class ClassificationReport {

  private final List<String> classNames;
  private final ConfusionMatrix matrix;

  private ClassificationReport(List<String> classNames, ConfusionMatrix matrix) {
    this.classNames = classNames;
    this.matrix = matrix;
  }

  /**
   * Freezes a copy of {@code matrix} with the names of its classes, index {@code i} naming class {@code i}.
   *
   * @throws IllegalArgumentException if the number of names differs from the number of classes, a name is
   *     blank or two names are equal
   */
  public static ClassificationReport of(List<String> classNames, ConfusionMatrix matrix) {
    Objects.requireNonNull(classNames, "classNames");
    Objects.requireNonNull(matrix, "matrix");
    if (classNames.size() != matrix.numClasses()) {
      throw new IllegalArgumentException(classNames.size() + " class names given for a "
          + matrix.numClasses() + "-class confusion matrix");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < classNames.size(); i++) {
      String name = classNames.get(i);
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("class name " + i + " is blank");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("class name '" + name + "' appears twice");
      }
    }
    return new ClassificationReport(List.copyOf(classNames), matrix.copy());
  }

  /** The class names, index {@code i} naming class {@code i}. */
  public List<String> classNames() {
    return classNames;
  }

  public int numClasses() {
    return classNames.size();
  }

  /** A copy of the confusion matrix (rows = true class, columns = predicted). */
  public ConfusionMatrix confusionMatrix() {
    return matrix.copy();
  }

  /** Confusion counts, rows = true class, columns = predicted class (a copy). */
  public long[][] confusionCounts() {
    return matrix.counts();
  }

  /** Number of evaluated samples N. */
  public long total() {
    return matrix.total();
  }

  /** Σ_c TP_c / N. @throws IllegalStateException if no samples were evaluated */
  public double accuracy() {
    return matrix.accuracy();
  }

  /** Unweighted mean of per-class F1 over all classes. @throws IllegalStateException if empty */
  public double macroF1() {
    return matrix.macroF1();
  }

  /** Unweighted mean of per-class precision. @throws IllegalStateException if empty */
  public double macroPrecision() {
    return matrix.macroPrecision();
  }

  /** Unweighted mean of per-class recall. @throws IllegalStateException if empty */
  public double macroRecall() {
    return matrix.macroRecall();
  }

  /** Metrics of class {@code c}. */
  public ClassMetrics classMetrics(int c) {
    return new ClassMetrics(classNames.get(c), matrix.precision(c), matrix.recall(c), matrix.f1(c),
        matrix.support(c));
  }

  /** Metrics of every class, in class-index order. */
  public List<ClassMetrics> perClass() {
    List<ClassMetrics> list = new ArrayList<>(numClasses());
    for (int c = 0; c < numClasses(); c++) {
      list.add(classMetrics(c));
    }
    return List.copyOf(list);
  }

  /** Pools the samples of two reports over the same classes (e.g. several test shards). */
  public ClassificationReport merge(ClassificationReport other) {
    if (!classNames.equals(other.classNames)) {
      throw new IllegalArgumentException("cannot merge reports over different classes: " + classNames
          + " vs " + other.classNames);
    }
    return new ClassificationReport(classNames, ConfusionMatrix.merge(matrix, other.matrix));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassificationReport other
        && classNames.equals(other.classNames)
        && matrix.equals(other.matrix);
  }

  @Override
  public int hashCode() {
    return 31 * classNames.hashCode() + matrix.hashCode();
  }

  @Override
  public String toString() {
    return "ClassificationReport[classes=" + classNames + ", n=" + total() + "]";
  }
}
