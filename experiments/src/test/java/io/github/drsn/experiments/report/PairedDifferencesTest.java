package io.github.drsn.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.model.eval.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedDifferencesTest {

  private static CellResult cell(String model, double snr, long seed, double best, double last) {
    return new CellResult("cwru", model, "gaussian", snr, seed, best, best, 100, last);
  }

  // At -10 dB: drsn-cw - resnet = +2, -1, +3 points (last epoch) over seeds 1-3; convnet ran seed 1 only.
  // At -4 dB: drsn-cw has seeds 1 and 2, resnet seeds 2 and 3: one shared seed.
  private static final List<CellResult> GRID = List.of(
      cell("resnet", -10, 1, 0.80, 0.80), cell("resnet", -10, 2, 0.85, 0.86), cell("resnet", -10, 3, 0.82, 0.81),
      cell("drsn-cw", -10, 1, 0.83, 0.82), cell("drsn-cw", -10, 2, 0.85, 0.85), cell("drsn-cw", -10, 3, 0.84, 0.84),
      cell("convnet", -10, 1, 0.70, 0.71),
      cell("resnet", -4, 2, 0.97, 0.97), cell("resnet", -4, 3, 0.98, 0.98),
      cell("drsn-cw", -4, 1, 0.99, 0.99), cell("drsn-cw", -4, 2, 0.96, 0.965));

  @Test
  void differencesArePairedBySeed() {
    PairedDifferences paired = new PairedDifferences(GRID, "resnet");

    Summary last = paired.difference("cwru", "gaussian", -10, "drsn-cw", Metric.ACCURACY_FINAL_EPOCH);
    assertEquals(3, last.n());
    assertEquals(4.0 / 3, last.mean(), 1e-9);
    // Sample std of (2, -1, 3): deviations 2/3, -7/3, 5/3 -> (4 + 49 + 25) / 9 / 2 = 78 / 18.
    assertEquals(Math.sqrt(78.0 / 18), last.std(), 1e-9);
    assertEquals(2, paired.seedsAhead("cwru", "gaussian", -10, "drsn-cw", Metric.ACCURACY_FINAL_EPOCH));

    Summary best = paired.difference("cwru", "gaussian", -10, "drsn-cw", Metric.ACCURACY);
    assertEquals((3 + 0 + 2) / 3.0, best.mean(), 1e-9);
    assertEquals(2, paired.seedsAhead("cwru", "gaussian", -10, "drsn-cw", Metric.ACCURACY),
        "a tie (seed 2) is not ahead");

    Summary shared = paired.difference("cwru", "gaussian", -4, "drsn-cw", Metric.ACCURACY_FINAL_EPOCH);
    assertEquals(1, shared.n(), "only seed 2 ran for both");
    assertEquals(-0.5, shared.mean(), 1e-9);
    assertNull(paired.difference("cwru", "gaussian", -4, "convnet", Metric.ACCURACY));
  }

  @Test
  void aCellWithoutTheLastEpochLeavesThatDifferenceOut() {
    List<CellResult> cells = List.of(cell("resnet", 0, 1, 0.9, 0.9),
        new CellResult("cwru", "drsn-cw", "gaussian", 0, 1, 0.95, 0.95, 100));
    PairedDifferences paired = new PairedDifferences(cells, "resnet");
    assertNull(paired.difference("cwru", "gaussian", 0, "drsn-cw", Metric.ACCURACY_FINAL_EPOCH));
    assertEquals(5.0, paired.difference("cwru", "gaussian", 0, "drsn-cw", Metric.ACCURACY).mean(), 1e-9);
    assertThrows(IllegalArgumentException.class,
        () -> paired.difference("cwru", "gaussian", 0, "drsn-cw", Metric.MACRO_F1));
  }

  @Test
  void theSectionTabulatesBothEpochsWithSeedsAhead() {
    String md = new PairedDifferences(GRID, "resnet").toMarkdown();
    assertTrue(md.startsWith("## Against resnet, seed by seed\n"), md);
    String lastTable = """
        **cwru, gaussian noise: test accuracy of the last epoch, model − resnet (percentage points) per seed: \
        mean ± std (seeds ahead/seeds)**

        | SNR (dB) | convnet − resnet | drsn-cw − resnet |
        | ---: | ---: | ---: |
        | -10 | -9.0 (0/1) | +1.3 ± 2.1 (2/3) |
        | -4 | – | -0.5 (0/1) |
        """;
    assertTrue(md.contains(lastTable), md);
    assertTrue(md.indexOf("last epoch, model") < md.indexOf("best validation epoch, model"), md);
    assertTrue(md.contains("| -10 | -10.0 (0/1) | +1.7 ± 1.5 (2/3) |"), md);
  }

  @Test
  void aMeanDifferenceThatRoundsToZeroHasNoSign() {
    // Seed by seed +1.0 and -1.06 points: the mean, -0.03, shows as 0.0, not "-0.0".
    List<CellResult> grid = List.of(cell("resnet", -2, 1, 0.90, 0.90), cell("resnet", -2, 2, 0.90, 0.90),
        cell("drsn-cw", -2, 1, 0.91, 0.91), cell("drsn-cw", -2, 2, 0.8894, 0.8894));
    String md = new PairedDifferences(grid, "resnet").toMarkdown();
    assertTrue(md.contains("| -2 | 0.0 ± 1.5 (1/2) |"), md);
    assertEquals("+0.1", PairedDifferences.signed(0.06));
    assertEquals("-0.1", PairedDifferences.signed(-0.06));
    assertEquals("0.0", PairedDifferences.signed(0.04));
  }

  @Test
  void nothingToSayWithoutTheBaseline() {
    assertEquals("", new PairedDifferences(GRID, "drsn-cs").toMarkdown());
  }
}
