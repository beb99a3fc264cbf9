package io.github.drsn.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {

  @TempDir Path dir;

  static List<CellResult> cells() {
    List<CellResult> cells = new ArrayList<>();
    // DRSN-CW at -6 dB: accuracies 0.90, 0.92, 0.94 -> mean 92 %, sample std 2 %.
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -6, 1, 0.90, 0.88, 100));
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -6, 2, 0.92, 0.90, 110));
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -6, 3, 0.94, 0.92, 120));
    cells.add(new CellResult("cwru", "ResNet", "gaussian", -6, 1, 0.85, 0.80, 90));
    cells.add(new CellResult("cwru", "ResNet", "gaussian", -10, 1, 0.60, 0.55, 90));
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -10, 1, 0.70, 0.65, 95));
    cells.add(new CellResult("cwru", "DRSN-CW", "laplacian", Double.POSITIVE_INFINITY, 1, 0.99, 0.99, 80));
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -0.0, 1, 0.97, 0.96, 80));
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", 0.0, 2, 0.99, 0.98, 80));
    return cells;
  }

  @Test
  void summarisesOverSeedsWithSampleStd() {
    ResultTable table = ResultTable.of(cells());
    ResultTable.Row drsn = table.rows().stream()
        .filter(r -> r.model().equals("DRSN-CW") && r.snrDb() == -6).findFirst().orElseThrow();
    assertEquals(List.of(1L, 2L, 3L), drsn.seeds());
    assertEquals(0.92, drsn.accuracy().mean(), 1e-12);
    assertEquals(0.02, drsn.accuracy().std(), 1e-12);
    assertEquals(110, drsn.trainSeconds().mean(), 1e-12);
    assertEquals(10, drsn.trainSeconds().std(), 1e-12);
    // -0.0 and 0.0 dB are one group of two seeds.
    assertEquals(2, table.rows().stream().filter(r -> r.snrDb() == 0).findFirst().orElseThrow().seeds().size());
  }

  @Test
  void orderDoesNotDependOnInputOrder() {
    List<CellResult> shuffled = new ArrayList<>(cells());
    Collections.shuffle(shuffled, new Random(3));
    assertEquals(ResultTable.of(cells()).rows(), ResultTable.of(shuffled).rows());
    List<String> order = ResultTable.of(shuffled).rows().stream()
        .map(r -> r.noise() + " " + r.snrDb() + " " + r.model()).toList();
    assertEquals(List.of("gaussian -10.0 DRSN-CW", "gaussian -10.0 ResNet", "gaussian -6.0 DRSN-CW",
        "gaussian -6.0 ResNet", "gaussian 0.0 DRSN-CW", "laplacian Infinity DRSN-CW"), order);
  }

  @Test
  void markdownAndPivotShowMeanPlusMinusStd() {
    ResultTable table = ResultTable.of(cells());
    String md = table.toMarkdown();
    assertTrue(md.contains("| cwru | gaussian | -6 | DRSN-CW | 3 | 92.00 ± 2.00 | 90.00 ± 2.00 | 110.0 ± 10.0 |"), md);
    assertTrue(md.contains("| cwru | gaussian | -6 | ResNet | 1 | 85.00 | 80.00 | 90.0 |"), md);
    assertTrue(md.contains("| cwru | laplacian | clean | DRSN-CW |"), md);
    String pivot = table.toPivotMarkdown(Metric.ACCURACY);
    assertTrue(pivot.contains("| SNR (dB) | DRSN-CW | ResNet |"), pivot);
    assertTrue(pivot.contains("| -6 | 92.00 ± 2.00 | 85.00 |"), pivot);
    assertTrue(pivot.contains("| 0 | 98.00 ± 1.41 | – |"), pivot);
  }

  @Test
  void csvHasOneLinePerGroupWithEmptyStdForOneSeed() throws IOException {
    Path csv = dir.resolve("results.csv");
    ResultTable.of(cells()).writeCsv(csv);
    List<String> lines = Files.readAllLines(csv);
    assertEquals("dataset,model,noise,snr_db,n_seeds,seeds,accuracy_mean,accuracy_std,macro_f1_mean,macro_f1_std,"
        + "train_seconds_mean,train_seconds_std,accuracy_final_epoch_mean,accuracy_final_epoch_std", lines.get(0));
    assertEquals(7, lines.size());
    assertTrue(lines.contains("cwru,ResNet,gaussian,-6.0,1,1,0.85,,0.8,,90.0,,,"), lines.toString());
    String[] drsn = lines.get(3).split(",");
    assertEquals(List.of("cwru", "DRSN-CW", "gaussian", "-6.0", "3", "1 2 3"), List.of(drsn).subList(0, 6));
    assertEquals(0.92, Double.parseDouble(drsn[6]), 1e-12);
    assertEquals(0.02, Double.parseDouble(drsn[7]), 1e-12);
    assertTrue(lines.get(6).startsWith("cwru,DRSN-CW,laplacian,inf,"), lines.get(6));
    Path md = dir.resolve("results.md");
    ResultTable.of(cells()).writeMarkdown(md);
    assertTrue(Files.readString(md).startsWith("# Results"));
  }

  @Test
  void snrCurvesFeedThePlot() throws IOException {
    Map<String, List<Plots.SnrPoint>> curves = ResultTable.of(cells())
        .snrCurves("cwru", "gaussian", Metric.ACCURACY);
    assertEquals(List.of("DRSN-CW", "ResNet"), List.copyOf(curves.keySet()));
    assertEquals(new Plots.SnrPoint(-6, 92, 2), round(curves.get("DRSN-CW").get(1)));
    assertTrue(Double.isNaN(curves.get("ResNet").get(0).std()));
    Path png = dir.resolve("snr.png");
    Plots.metricVsSnr(png, "CWRU, gaussian", "Test accuracy (%)", curves);
    assertTrue(Files.size(png) > 1000);
    Path direct = dir.resolve("direct.png");
    ResultTable.of(cells()).writeSnrPlot(direct, "cwru", "gaussian", Metric.MACRO_F1);
    assertTrue(Files.size(direct) > 1000);
    assertThrows(IllegalArgumentException.class,
        () -> ResultTable.of(cells()).writeSnrPlot(direct, "cwru", "laplacian", Metric.ACCURACY));
  }

  @Test
  void comparisonPutsPublishedResultsBesideOurs() throws IOException {
    List<PublishedResult> published = List.of(
        new PublishedResult("PyTorch", "DRSN-CW", "gaussian", -10, 3, 84.9, 1.1),
        new PublishedResult("PyTorch", "DRSN-CW", "gaussian", -6, 3, 90.04, Double.NaN),
        new PublishedResult("paper", "DRSN-CW", "gaussian", -4, 0, 80.3, Double.NaN),
        new PublishedResult("PyTorch", "DRSN-CW", "pink", 0, 1, 99.5, Double.NaN));
    String md = ResultTable.of(cells()).toComparisonMarkdown(published, Metric.ACCURACY);
    assertTrue(md.contains("| SNR (dB) | DRSN-CW | ResNet | DRSN-CW (PyTorch) | DRSN-CW (paper) |"), md);
    assertTrue(md.contains("| -10 | 70.0 (1) | 60.0 (1) | 84.9 ± 1.1 (3) | – |"), md);
    assertTrue(md.contains("| -6 | 92.0 ± 2.0 (3) | 85.0 (1) | 90.0 (3) | – |"), md);
    assertTrue(md.contains("| -4 | – | – | – | 80.3 |"), md);
    assertTrue(md.contains("| 0 | 98.0 ± 1.4 (2) | – | – | – |"), md);
    // Pink is published but this table has no pink cells; laplacian has no published values: no panels.
    assertTrue(!md.contains("pink") && !md.contains("laplacian"), md);
    assertEquals("", ResultTable.of(cells()).toComparisonMarkdown(List.of(), Metric.ACCURACY));

    Path summary = dir.resolve("summary.md");
    ResultTable.of(cells()).writeMarkdown(summary, published, "- PyTorch: REFERENCE-RESULTS.md", "## Extra\n\n");
    String text = Files.readString(summary);
    assertTrue(text.indexOf("## Next to published results\n\n- PyTorch: REFERENCE-RESULTS.md") > 0, text);
    assertTrue(text.indexOf("## Next to published results") < text.indexOf("## Extra"), text);
    assertTrue(text.indexOf("## Extra") < text.indexOf("## All groups"), text);
    Path png = dir.resolve("with-published.png");
    ResultTable.of(cells()).writeSnrPlot(png, "cwru", "gaussian", Metric.ACCURACY, published);
    assertTrue(Files.size(png) > 1000);

    List<PublishedResult> twice = List.of(published.get(0), published.get(0));
    assertThrows(IllegalArgumentException.class,
        () -> ResultTable.of(cells()).toComparisonMarkdown(twice, Metric.ACCURACY));
    assertThrows(IllegalArgumentException.class,
        () -> new PublishedResult("PyTorch", "DRSN-CW", "gaussian", -10, 3, 184.9, 1.1));
    assertThrows(IllegalArgumentException.class,
        () -> new PublishedResult("PyTorch", "DRSN-CW", "gaussian", Double.NaN, 3, 84.9, 1.1));
  }

  @Test
  void lastEpochAccuracyIsSummarisedOnlyWhereEverySeedHasIt() throws IOException {
    List<CellResult> cells = new ArrayList<>();
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -8, 1, 0.90, 0.88, 100, 0.89));
    cells.add(new CellResult("cwru", "DRSN-CW", "gaussian", -8, 2, 0.92, 0.90, 110, 0.93));
    cells.add(new CellResult("cwru", "ResNet", "gaussian", -8, 1, 0.85, 0.80, 90, 0.86));
    cells.add(new CellResult("cwru", "ResNet", "gaussian", -8, 2, 0.87, 0.80, 90));
    ResultTable table = ResultTable.of(cells);
    String pivot = table.toPivotMarkdown(Metric.ACCURACY_FINAL_EPOCH);
    assertTrue(pivot.contains("| -8 | 91.00 ± 2.83 | – |"), pivot);
    List<PublishedResult> lastEpochOnly = List.of(new PublishedResult("PyTorch", "ResNet", "gaussian", -8, 3, 92.5, 0.4,
        PublishedResult.Selection.FINAL_EPOCH));
    String last = table.toComparisonMarkdown(lastEpochOnly, Metric.ACCURACY_FINAL_EPOCH);
    assertTrue(last.contains("test accuracy of the last epoch"), last);
    assertTrue(last.contains("| -8 | 91.0 ± 2.8 (2) | – | 92.5 ± 0.4 (3) |"), last);
    // A last-epoch result is not set beside best-validation accuracies; an unspecified one beside both
    // accuracies, and nothing published beside other metrics (their plots draw no references).
    assertEquals("", table.toComparisonMarkdown(lastEpochOnly, Metric.ACCURACY));
    PublishedResult unspecified = new PublishedResult("paper", "ResNet", "gaussian", -8, 0, 90, Double.NaN);
    assertTrue(unspecified.comparesWith("gaussian", Metric.ACCURACY)
        && unspecified.comparesWith("gaussian", Metric.ACCURACY_FINAL_EPOCH));
    assertFalse(unspecified.comparesWith("gaussian", Metric.MACRO_F1)
        || unspecified.comparesWith("pink", Metric.ACCURACY));
    Path csv = dir.resolve("final.csv");
    table.writeCsv(csv);
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).endsWith(",accuracy_final_epoch_mean,accuracy_final_epoch_std"), lines.get(0));
    assertTrue(lines.get(1).startsWith("cwru,DRSN-CW,") && lines.get(1).contains(",0.91,"), lines.get(1));
    assertTrue(lines.get(2).endsWith(",,"), lines.get(2));
    assertThrows(IllegalArgumentException.class,
        () -> new CellResult("cwru", "m", "gaussian", 0, 1, 0.5, 0.5, 1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> table.toComparisonMarkdown(List.of(), Metric.MACRO_F1));
    // Cells without the last epoch: no such table at all.
    assertEquals("", ResultTable.of(cells()).toComparisonMarkdown(List.of(), Metric.ACCURACY_FINAL_EPOCH));
  }

  @Test
  void rejectsDuplicateSeedsAndBadCells() {
    List<CellResult> dup = new ArrayList<>(cells());
    dup.add(new CellResult("cwru", "DRSN-CW", "gaussian", -6, 2, 0.5, 0.5, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultTable.of(dup));
    assertTrue(e.getMessage().contains("seed 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ResultTable.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new CellResult("cwru", "m", "gaussian", Double.NaN, 1, 0.5, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new CellResult("cwru", "m", "gaussian", 0, 1, 95, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new CellResult(" ", "m", "gaussian", 0, 1, 0.5, 0.5, 1));
  }

  private static Plots.SnrPoint round(Plots.SnrPoint p) {
    return new Plots.SnrPoint(p.snrDb(), Math.round(p.mean() * 1e9) / 1e9, Math.round(p.std() * 1e9) / 1e9);
  }
}
