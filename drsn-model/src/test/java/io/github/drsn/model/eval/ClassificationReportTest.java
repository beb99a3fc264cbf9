package io.github.drsn.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {

  private static final List<String> NAMES = List.of("normal", "IR007", "B007");

  @Test
  void perClassMetricsCarryNamesAndSupport() {
    ConfusionMatrix m = ConfusionMatrix.ofCounts(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}});
    ClassificationReport report = ClassificationReport.of(NAMES, m);
    List<ClassMetrics> rows = report.perClass();
    assertEquals(new ClassMetrics("IR007", 0.75, 0.5, 0.6, 6), rows.get(1));
    assertEquals("B007", rows.get(2).className());
    assertEquals(4, rows.get(2).support());
    assertEquals(0.75, report.accuracy(), 1e-12);
    assertEquals((10.0 / 13 + 0.6 + 8.0 / 9) / 3, report.macroF1(), 1e-12);

    // The report froze a copy: later changes to the accumulator do not leak in.
    m.add(0, 0);
    assertEquals(16, report.total());
  }

  @Test
  void mergePoolsSamplesOfTheSameClasses() {
    ClassificationReport a = ClassificationReport.of(NAMES, ConfusionMatrix.of(3, new int[] {0, 1}, new int[] {0, 2}));
    ClassificationReport b = ClassificationReport.of(NAMES, ConfusionMatrix.of(3, new int[] {2}, new int[] {2}));
    ClassificationReport both = a.merge(b);
    assertEquals(3, both.total());
    assertEquals(2.0 / 3, both.accuracy(), 1e-12);
    ClassificationReport other = ClassificationReport.of(List.of("x", "y", "z"), new ConfusionMatrix(3));
    assertThrows(IllegalArgumentException.class, () -> a.merge(other));
  }

  @Test
  void rejectsMismatchedOrDuplicateNames() {
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationReport.of(List.of("a", "b"), new ConfusionMatrix(3)));
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationReport.of(List.of("a", "a"), new ConfusionMatrix(2)));
    assertThrows(IllegalArgumentException.class,
        () -> ClassificationReport.of(List.of("a", " "), new ConfusionMatrix(2)));
  }
}
