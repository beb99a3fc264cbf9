package io.github.drsn.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  private static final double EPS = 1e-12;

  /**
   * Rows = true, columns = predicted:
   * <pre>
   *        p0 p1 p2
   *   t0 [  5  1  0 ]   support 6
   *   t1 [  2  3  1 ]   support 6
   *   t2 [  0  0  4 ]   support 4
   *          7  4  5    predicted counts
   * </pre>
   * class 0: TP 5, FP 2, FN 1 -> P 5/7, R 5/6, F1 10/13
   * class 1: TP 3, FP 1, FN 3 -> P 3/4, R 1/2, F1 6/10
   * class 2: TP 4, FP 1, FN 0 -> P 4/5, R 1,   F1 8/9
   * accuracy = 12/16 = 0.75; macro-F1 = (10/13 + 3/5 + 8/9) / 3 = 0.752706552706...
   */
  private static ConfusionMatrix handMatrix() {
    return ConfusionMatrix.ofCounts(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}});
  }

  @Test
  void metricsMatchHandComputation() {
    ConfusionMatrix m = handMatrix();
    assertEquals(16, m.total());
    assertEquals(0.75, m.accuracy(), EPS);
    assertEquals(5.0 / 7, m.precision(0), EPS);
    assertEquals(5.0 / 6, m.recall(0), EPS);
    assertEquals(10.0 / 13, m.f1(0), EPS);
    assertEquals(3.0 / 4, m.precision(1), EPS);
    assertEquals(0.5, m.recall(1), EPS);
    assertEquals(0.6, m.f1(1), EPS);
    assertEquals(0.8, m.precision(2), EPS);
    assertEquals(1.0, m.recall(2), EPS);
    assertEquals(8.0 / 9, m.f1(2), EPS);
    assertEquals((10.0 / 13 + 0.6 + 8.0 / 9) / 3, m.macroF1(), EPS);
    assertEquals(0.752706552706, m.macroF1(), 1e-11);
    assertEquals((5.0 / 7 + 0.75 + 0.8) / 3, m.macroPrecision(), EPS);
    assertEquals((5.0 / 6 + 0.5 + 1.0) / 3, m.macroRecall(), EPS);
    // F1 via counts agrees with the harmonic mean of P and R.
    for (int c = 0; c < 3; c++) {
      double p = m.precision(c);
      double r = m.recall(c);
      assertEquals(2 * p * r / (p + r), m.f1(c), EPS);
    }
  }

  @Test
  void addBuildsTheSameMatrixAsCounts() {
    int[] truth = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2};
    int[] pred = {0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2};
    assertEquals(handMatrix(), ConfusionMatrix.of(3, truth, pred));

    ConfusionMatrix one = new ConfusionMatrix(3);
    one.add(1, 2);
    one.add(1, 2);
    assertEquals(2, one.count(1, 2));
    assertEquals(0, one.count(2, 1));
    assertEquals(2, one.support(1));
    assertEquals(2, one.predictedCount(2));
  }

  @Test
  void zeroDivisionIsZeroAndAbsentClassesCountInMacroF1() {
    // Class 2 never occurs and is never predicted, yet it still counts in the macro mean.
    // class 0: TP 2, FP 1, FN 0 -> F1 4/5; class 1: TP 1, FP 0, FN 1 -> F1 2/3; class 2: 0/0 -> 0.
    ConfusionMatrix m = ConfusionMatrix.ofCounts(new long[][] {{2, 0, 0}, {1, 1, 0}, {0, 0, 0}});
    assertEquals(0.0, m.precision(2));
    assertEquals(0.0, m.recall(2));
    assertEquals(0.0, m.f1(2));
    assertEquals((0.8 + 2.0 / 3 + 0.0) / 3, m.macroF1(), EPS);
    assertEquals(0.75, m.accuracy(), EPS);

    // A class that occurs but is never predicted: precision 0/0 = 0, recall 0/1 = 0.
    ConfusionMatrix missed = ConfusionMatrix.ofCounts(new long[][] {{3, 0}, {1, 0}});
    assertEquals(0.0, missed.precision(1));
    assertEquals(0.0, missed.recall(1));
    assertEquals(0.0, missed.f1(1));
    assertEquals(0.75, missed.precision(0), EPS);
    assertEquals(1.0, missed.recall(0), EPS);
  }

  @Test
  void emptyMatrixHasNoAccuracy() {
    ConfusionMatrix m = new ConfusionMatrix(4);
    assertEquals(0, m.total());
    assertEquals(0.0, m.f1(0));
    assertThrows(IllegalStateException.class, m::accuracy);
    assertThrows(IllegalStateException.class, m::macroF1);
  }

  @Test
  void mergeAddsCountsAndLeavesInputsAlone() {
    ConfusionMatrix a = ConfusionMatrix.ofCounts(new long[][] {{1, 2}, {3, 4}});
    ConfusionMatrix b = ConfusionMatrix.ofCounts(new long[][] {{10, 0}, {0, 20}});
    ConfusionMatrix sum = ConfusionMatrix.merge(a, b);
    assertArrayEquals(new long[][] {{11, 2}, {3, 24}}, sum.counts());
    assertArrayEquals(new long[][] {{1, 2}, {3, 4}}, a.counts());
    assertEquals(35.0 / 40, sum.accuracy(), EPS);
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.merge(a, new ConfusionMatrix(3)));
  }

  @Test
  void countsAndCopyAreDefensive() {
    ConfusionMatrix m = handMatrix();
    m.counts()[0][0] = 99;
    assertEquals(5, m.count(0, 0));
    ConfusionMatrix copy = m.copy();
    copy.add(0, 0);
    assertEquals(5, m.count(0, 0));
    assertNotEquals(m, copy);
  }

  @Test
  void rejectsBadInput() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(3, 0));
    assertTrue(e.getMessage().contains("trueClass = 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.add(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(new long[][] {{1, 2}}));
    assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(new long[][] {{-1}}));
    assertThrows(IllegalArgumentException.class, () -> m.addAll(new int[] {0, 1}, new int[] {0}));
    // A bad entry in a batch leaves the matrix unchanged.
    assertThrows(IllegalArgumentException.class, () -> m.addAll(new int[] {0, 7}, new int[] {0, 0}));
    assertEquals(0, m.total());
  }
}
