package io.github.drsn.model.eval;

import java.util.Arrays;

/**
 * A K-class confusion matrix: {@code count(t, p)} is the number of samples whose true class is {@code t}
 * (row) and whose predicted class is {@code p} (column), the layout of scikit-learn's
 * {@code confusion_matrix}.
 *
 * <p>For class {@code c}: TP = count(c, c), FP = column sum − TP, FN = row sum − TP, support = row sum.
 * <ul>
 *   <li>precision(c) = TP / (TP + FP)
 *   <li>recall(c) = TP / (TP + FN)
 *   <li>F1(c) = 2·TP / (2·TP + FP + FN), which equals 2·P·R / (P + R) whenever P + R &gt; 0
 *   <li>accuracy = Σ_c TP_c / N
 *   <li>macro-F1 = (1/K) Σ_c F1(c), the unweighted mean over all K classes, including classes that never
 *       occur (they contribute 0), as scikit-learn's {@code f1_score(average="macro", labels=range(K))}
 * </ul>
 * A ratio whose denominator is 0 is defined as 0, scikit-learn's {@code zero_division=0}: a class that is
 * never predicted has precision 0, a class with no samples has recall 0.
 *
 * <p>Instances are mutable accumulators ({@link #add}, {@link #addAll}) and not thread-safe; take a
 * {@link #copy()} or build a {@link ClassificationReport} to freeze one.
 */
public final class ConfusionMatrix {

  private final int numClasses;
  private final long[][] counts;

  /** Creates an empty matrix for {@code numClasses} classes labelled {@code 0 .. numClasses-1}. */
  public ConfusionMatrix(int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.counts = new long[numClasses][numClasses];
  }

  /**
   * Builds a matrix from explicit counts, rows = true class, columns = predicted class.
   *
   * @throws IllegalArgumentException if {@code counts} is empty, not square or has a negative entry
   */
  public static ConfusionMatrix ofCounts(long[][] counts) {
    if (counts == null || counts.length == 0) {
      throw new IllegalArgumentException("counts must be a non-empty square matrix");
    }
    ConfusionMatrix m = new ConfusionMatrix(counts.length);
    for (int t = 0; t < counts.length; t++) {
      if (counts[t] == null || counts[t].length != counts.length) {
        throw new IllegalArgumentException("counts must be square: row " + t + " has "
            + (counts[t] == null ? "no" : counts[t].length) + " entries, expected " + counts.length);
      }
      for (int p = 0; p < counts.length; p++) {
        if (counts[t][p] < 0) {
          throw new IllegalArgumentException("counts[" + t + "][" + p + "] is negative: " + counts[t][p]);
        }
        m.counts[t][p] = counts[t][p];
      }
    }
    return m;
  }

  /** Builds a matrix from parallel arrays of true and predicted class indices. */
  public static ConfusionMatrix of(int numClasses, int[] trueClasses, int[] predictedClasses) {
    ConfusionMatrix m = new ConfusionMatrix(numClasses);
    m.addAll(trueClasses, predictedClasses);
    return m;
  }

  /** Returns a new matrix whose counts are the element-wise sum of {@code a} and {@code b}. */
  public static ConfusionMatrix merge(ConfusionMatrix a, ConfusionMatrix b) {
    ConfusionMatrix sum = a.copy();
    sum.addAll(b);
    return sum;
  }

  /** Records one sample with true class {@code trueClass} predicted as {@code predictedClass}. */
  public void add(int trueClass, int predictedClass) {
    checkClass("trueClass", trueClass);
    checkClass("predictedClass", predictedClass);
    counts[trueClass][predictedClass]++;
  }

  /** Records {@code trueClasses[i]} predicted as {@code predictedClasses[i]} for every i. */
  public void addAll(int[] trueClasses, int[] predictedClasses) {
    if (trueClasses.length != predictedClasses.length) {
      throw new IllegalArgumentException("trueClasses has " + trueClasses.length
          + " entries but predictedClasses has " + predictedClasses.length);
    }
    // Validate everything first so a bad entry leaves the matrix unchanged.
    for (int i = 0; i < trueClasses.length; i++) {
      checkClass("trueClasses[" + i + "]", trueClasses[i]);
      checkClass("predictedClasses[" + i + "]", predictedClasses[i]);
    }
    for (int i = 0; i < trueClasses.length; i++) {
      counts[trueClasses[i]][predictedClasses[i]]++;
    }
  }

  /** Adds every count of {@code other} (same number of classes) into this matrix. */
  public void addAll(ConfusionMatrix other) {
    if (other.numClasses != numClasses) {
      throw new IllegalArgumentException("cannot merge a " + other.numClasses + "-class matrix into a "
          + numClasses + "-class matrix");
    }
    for (int t = 0; t < numClasses; t++) {
      for (int p = 0; p < numClasses; p++) {
        counts[t][p] += other.counts[t][p];
      }
    }
  }

  /** An independent copy. */
  public ConfusionMatrix copy() {
    return ofCounts(counts);
  }

  public int numClasses() {
    return numClasses;
  }

  /** Number of samples of true class {@code trueClass} predicted as {@code predictedClass}. */
  public long count(int trueClass, int predictedClass) {
    checkClass("trueClass", trueClass);
    checkClass("predictedClass", predictedClass);
    return counts[trueClass][predictedClass];
  }

  /** A copy of the counts, rows = true class, columns = predicted class. */
  public long[][] counts() {
    long[][] copy = new long[numClasses][];
    for (int t = 0; t < numClasses; t++) {
      copy[t] = counts[t].clone();
    }
    return copy;
  }

  /** Total number of samples N. */
  public long total() {
    long n = 0;
    for (long[] row : counts) {
      for (long v : row) {
        n += v;
      }
    }
    return n;
  }

  /** Number of samples whose true class is {@code c} (row sum). */
  public long support(int c) {
    checkClass("class", c);
    long s = 0;
    for (long v : counts[c]) {
      s += v;
    }
    return s;
  }

  /** Number of samples predicted as class {@code c} (column sum). */
  public long predictedCount(int c) {
    checkClass("class", c);
    long s = 0;
    for (long[] row : counts) {
      s += row[c];
    }
    return s;
  }

  /** precision(c) = TP / (TP + FP); 0 when class {@code c} is never predicted. */
  public double precision(int c) {
    return ratio(counts[c][c], predictedCount(c));
  }

  /** recall(c) = TP / (TP + FN); 0 when class {@code c} has no samples. */
  public double recall(int c) {
    return ratio(counts[c][c], support(c));
  }

  /** F1(c) = 2·TP / (2·TP + FP + FN); 0 when the denominator is 0. */
  public double f1(int c) {
    long tp = counts[c][c];
    long fp = predictedCount(c) - tp;
    long fn = support(c) - tp;
    return ratio(2 * tp, 2 * tp + fp + fn);
  }

  /**
   * accuracy = Σ_c TP_c / N.
   *
   * @throws IllegalStateException if the matrix holds no samples
   */
  public double accuracy() {
    long n = requireNonEmpty();
    long correct = 0;
    for (int c = 0; c < numClasses; c++) {
      correct += counts[c][c];
    }
    return (double) correct / n;
  }

  /**
   * macro-F1 = (1/K) Σ_c F1(c) over all K classes.
   *
   * @throws IllegalStateException if the matrix holds no samples
   */
  public double macroF1() {
    requireNonEmpty();
    double sum = 0;
    for (int c = 0; c < numClasses; c++) {
      sum += f1(c);
    }
    return sum / numClasses;
  }

  /** macro-precision = (1/K) Σ_c precision(c). @throws IllegalStateException if empty */
  public double macroPrecision() {
    requireNonEmpty();
    double sum = 0;
    for (int c = 0; c < numClasses; c++) {
      sum += precision(c);
    }
    return sum / numClasses;
  }

  /** macro-recall = (1/K) Σ_c recall(c) (the balanced accuracy). @throws IllegalStateException if empty */
  public double macroRecall() {
    requireNonEmpty();
    double sum = 0;
    for (int c = 0; c < numClasses; c++) {
      sum += recall(c);
    }
    return sum / numClasses;
  }

  private long requireNonEmpty() {
    long n = total();
    if (n == 0) {
      throw new IllegalStateException("the confusion matrix holds no samples");
    }
    return n;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }

  private void checkClass(String name, int c) {
    if (c < 0 || c >= numClasses) {
      throw new IllegalArgumentException(name + " = " + c + " is not a class index in [0, " + numClasses + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ConfusionMatrix[rows=true, cols=predicted]");
    for (long[] row : counts) {
      sb.append(System.lineSeparator()).append(Arrays.toString(row));
    }
    return sb.toString();
  }
}
