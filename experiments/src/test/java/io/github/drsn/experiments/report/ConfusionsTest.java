package io.github.drsn.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionsTest {

  private static final List<String> CLASSES = List.of("normal", "B007", "B021");

  @Test
  void sumsOverSeedsAndListsTheLargestConfusions() {
    Confusions confusions = new Confusions();
    confusions.add("cwru", "drsn-cw", "gaussian", -10, CLASSES, new int[][] {{5, 0, 0}, {0, 30, 6}, {1, 4, 40}});
    confusions.add("cwru", "drsn-cw", "gaussian", -10, CLASSES, new int[][] {{5, 0, 0}, {0, 33, 3}, {0, 7, 38}});
    confusions.add("cwru", "resnet", "gaussian", -10, CLASSES, new int[][] {{5, 0, 0}, {0, 36, 0}, {0, 0, 45}});
    confusions.add("cwru", "drsn-cw", "gaussian", -8.0, CLASSES, new int[][] {{5, 0, 0}, {0, 36, 0}, {0, 2, 43}});
    String md = confusions.toMarkdown(2);
    // Seeds 1 + 2: B021 -> B007 4 + 7 = 11, B007 -> B021 6 + 3 = 9, B021 -> normal 1; 172 windows, 21 errors,
    // of which 20 name the right family (ball): 171 / 172 = 99.4 %.
    assertTrue(md.contains("| cwru | gaussian | -10 | drsn-cw | 2 | 172 | 21 | 99.4 | B021 → B007: 11; B007 → B021: 9 |"),
        md);
    assertTrue(md.contains("| cwru | gaussian | -10 | resnet | 1 | 86 | 0 | 100.0 | – |"), md);
    // Rows in SNR order, -10 before -8.
    assertTrue(md.indexOf("| -10 | drsn-cw") < md.indexOf("| -8 | drsn-cw"), md);
    assertEquals("", new Confusions().toMarkdown(3));
  }

  @Test
  void familyAccuracyIsADashWhenNoFamilyHoldsTwoClasses() {
    Confusions confusions = new Confusions();
    confusions.add("synthetic", "m", "gaussian", 0, List.of("healthy", "bearing_inner_race", "gear_root_crack"),
        new int[][] {{9, 1, 0}, {0, 10, 0}, {2, 0, 8}});
    assertTrue(confusions.toMarkdown(1).contains("| synthetic | gaussian | 0 | m | 1 | 30 | 3 | – | gear_root_crack → "
        + "healthy: 2 |"), confusions.toMarkdown(1));
  }

  @Test
  void rejectsMismatchedMatricesAndClasses() {
    Confusions confusions = new Confusions();
    assertThrows(IllegalArgumentException.class,
        () -> confusions.add("cwru", "m", "gaussian", 0, CLASSES, new int[][] {{1, 0}, {0, 1}}));
    confusions.add("cwru", "m", "gaussian", 0, CLASSES, new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    assertThrows(IllegalArgumentException.class, () -> confusions.add("cwru", "m", "gaussian", 0,
        List.of("normal", "B007", "OR007"), new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
  }
}
