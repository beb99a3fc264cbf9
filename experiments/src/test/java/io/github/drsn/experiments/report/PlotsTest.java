package io.github.drsn.experiments.report;

import io.github.drsn.model.train.EpochRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.eval.ConfusionMatrix;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

  @TempDir Path dir;

  @Test
  void learningCurvesArePngsOfTheExpectedSize() throws IOException {
    Path both = dir.resolve("curves.png");
    Plots.learningCurves(both, TrainingHistoryTest.sample(), "DRSN-CW");
    BufferedImage image = read(both);
    assertEquals(1280, image.getWidth());
    assertEquals(480 + 32, image.getHeight(), "two 640x480 charts under a 32-pixel caption band");

    // Without any validation accuracy only the loss panel is drawn.
    Path lossOnly = dir.resolve("loss.png");
    Plots.learningCurves(lossOnly, TrainingHistory.of(List.of(new EpochRecord(1, 1, Double.NaN, Double.NaN, 0.1, 1),
        new EpochRecord(2, 0.5, Double.NaN, Double.NaN, 0.1, 1))), "no validation");
    assertEquals(640, read(lossOnly).getWidth());
    assertThrows(IllegalArgumentException.class, () -> Plots.learningCurves(dir.resolve("x.png"), new TrainingHistory(), "x"));

    // A single epoch (a smoke run) still draws.
    Path single = dir.resolve("single.png");
    Plots.learningCurves(single, TrainingHistory.of(List.of(new EpochRecord(1, 2.3, 2.2, 0.3, 0.1, 5))), "one epoch");
    assertEquals(1280, read(single).getWidth());
  }

  @Test
  void epochCurvePanelsTileTwoPerRowAndGiveEachModelOneColourInEveryPanel() throws IOException {
    double[] plateau = {2.13, 2.13, 2.12, 2.12, 2.11};
    double[] falling = {2.13, 1.9, 1.5, 1.2, 1.0};
    Map<String, Map<String, List<double[]>>> panels = new LinkedHashMap<>();
    panels.put("-8 dB", Map.of("drsn-cw", List.of(plateau, falling)));
    panels.put("-4 dB", Map.of("resnet", List.of(falling)));
    panels.put("0 dB", Map.of("drsn-cw", List.of(falling), "resnet", List.of(plateau)));
    Path png = dir.resolve("panels.png");
    Plots.epochCurvePanels(png, "grid", "Training loss", panels);
    BufferedImage image = read(png);
    assertEquals(2 * 560, image.getWidth(), "two panels per row");
    assertEquals(32 + 2 * 400, image.getHeight(), "three panels make two rows under the caption band");

    // Models are coloured in name order with XChart's palette: drsn-cw the first colour, resnet the second.
    Color[] palette = new org.knowm.xchart.XYChartBuilder().build().getStyler().getSeriesColors();
    Rectangle first = new Rectangle(0, 32, 560, 400);
    Rectangle second = new Rectangle(560, 32, 560, 400);
    Rectangle third = new Rectangle(0, 432, 560, 400);
    assertTrue(count(image, first, palette[0]) > 100, "drsn-cw's colour missing from its panel");
    assertEquals(0, count(image, first, palette[1]), "resnet's colour in a panel without resnet");
    assertTrue(count(image, second, palette[1]) > 100, "resnet is not drawn in its own colour");
    assertEquals(0, count(image, second, palette[0]));
    assertTrue(count(image, third, palette[0]) > 100 && count(image, third, palette[1]) > 100);

    assertThrows(IllegalArgumentException.class, () -> Plots.epochCurvePanels(dir.resolve("none.png"), "x", "y", Map.of()));
    assertThrows(IllegalArgumentException.class, () -> Plots.epochCurvePanels(dir.resolve("empty.png"), "x", "y",
        Map.of("-8 dB", Map.of("drsn-cw", List.of()))));
  }

  /** Pixels of {@code colour} as drawn on white (XChart's palette is translucent), give or take 12 per channel. */
  private static int count(BufferedImage image, Rectangle area, Color colour) {
    double alpha = colour.getAlpha() / 255.0;
    int[] onWhite = {colour.getRed(), colour.getGreen(), colour.getBlue()};
    for (int i = 0; i < 3; i++) {
      onWhite[i] = (int) Math.round(onWhite[i] * alpha + 255 * (1 - alpha));
    }
    int n = 0;
    for (int y = area.y; y < area.y + area.height; y++) {
      for (int x = area.x; x < area.x + area.width; x++) {
        int rgb = image.getRGB(x, y);
        if (Math.abs(((rgb >> 16) & 0xFF) - onWhite[0]) <= 12 && Math.abs(((rgb >> 8) & 0xFF) - onWhite[1]) <= 12
            && Math.abs((rgb & 0xFF) - onWhite[2]) <= 12) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void heatMapColoursHighCellsDifferentlyFromLowCellsAndPutsClassZeroTopLeft() throws IOException {
    List<String> names = List.of("normal", "fault");
    Path diagonal = dir.resolve("diagonal.png");
    Path antiDiagonal = dir.resolve("anti.png");
    String title = "confusion";
    Plots.confusionMatrix(diagonal, ClassificationReport.of(names, ConfusionMatrix.ofCounts(new long[][] {{50, 0}, {0, 50}})), title);
    Plots.confusionMatrix(antiDiagonal, ClassificationReport.of(names, ConfusionMatrix.ofCounts(new long[][] {{0, 50}, {50, 0}})), title);
    BufferedImage a = read(diagonal);
    BufferedImage b = read(antiDiagonal);
    assertEquals(a.getWidth(), b.getWidth());

    // Same title, labels and colour scale: the pixels that differ are exactly the four cells.
    Rectangle cells = null;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if (a.getRGB(x, y) != b.getRGB(x, y)) {
          cells = cells == null ? new Rectangle(x, y, 1, 1) : cells.union(new Rectangle(x, y, 1, 1));
        }
      }
    }
    assertNotNull(cells, "the two heat maps are identical");
    assertTrue(cells.width > 100 && cells.height > 100, "cell area too small: " + cells);
    // Sample each cell near its corner, away from the value text in its centre.
    int left = cells.x + cells.width / 10;
    int right = cells.x + cells.width / 2 + cells.width / 10;
    int top = cells.y + cells.height / 10;
    int bottom = cells.y + cells.height / 2 + cells.height / 10;
    // Diagonal matrix: (true normal, predicted normal) is the top-left cell and is 100 %, so darker.
    assertTrue(luminance(a, left, top) < luminance(a, right, top) - 50, "top-left should be dark, top-right light");
    assertTrue(luminance(a, right, bottom) < luminance(a, left, bottom) - 50);
    assertTrue(luminance(b, right, top) < luminance(b, left, top) - 50);
    assertEquals(255, luminance(a, right, top), 1, "0 % is white");
  }

  @Test
  void metricVsSnrDrawsOneSeriesPerModel() throws IOException {
    Map<String, List<Plots.SnrPoint>> series = new LinkedHashMap<>();
    series.put("DRSN-CW", List.of(new Plots.SnrPoint(-10, 80, 2), new Plots.SnrPoint(-6, 95, 1)));
    series.put("ResNet", List.of(new Plots.SnrPoint(-6, 93, Double.NaN), new Plots.SnrPoint(-10, 75, 3)));
    Path png = dir.resolve("snr.png");
    Plots.metricVsSnr(png, "accuracy vs SNR", "Test accuracy (%)", series);
    BufferedImage image = read(png);
    assertEquals(800, image.getWidth());
    assertEquals(560, image.getHeight());
    assertThrows(IllegalArgumentException.class, () -> Plots.metricVsSnr(png, "t", "y", Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Plots.metricVsSnr(png, "t", "y", Map.of("m", List.of(new Plots.SnrPoint(0, Double.NaN, 0)))));
  }

  private static BufferedImage read(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals('P', bytes[1]);
    assertEquals('N', bytes[2]);
    assertEquals('G', bytes[3]);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " is not a readable image");
    return image;
  }

  private static double luminance(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
  }
}
