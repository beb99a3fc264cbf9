package io.github.drsn.experiments.report;

import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.train.EpochRecord;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG figures of a run, drawn with XChart off-screen (run the JVM with {@code -Djava.awt.headless=true} on
 * machines without a display; the drsn launcher and the tests do). Files are written atomically.
 */
public final class Plots {

  /** Model and group names in tables and legends: case-insensitive, ties in natural order. */
  static final java.util.Comparator<String> NAME_ORDER =
      String.CASE_INSENSITIVE_ORDER.thenComparing(java.util.Comparator.naturalOrder());

  /** One point of a curve over SNR: the mean of a metric over seeds and its sample std (NaN for one seed). */
  public record SnrPoint(double snrDb, double mean, double std) {}

  private static final Color[] HEAT_COLOURS = {
    new Color(0xFFFFFF), new Color(0xC6DBEF), new Color(0x6BAED6), new Color(0x2171B5)
  };
  private static final int MARKER_EPOCH_LIMIT = 40;

  private Plots() {}

  /**
   * Learning curves side by side: training and validation loss (left) and validation accuracy in percent
   * (right) against the epoch number. Unmeasured (NaN) values are left out; when no validation accuracy
   * was measured only the loss panel is drawn.
   *
   * @throws IllegalArgumentException if the history is empty
   */
  public static void learningCurves(Path png, TrainingHistory history, String title) throws IOException {
    List<EpochRecord> epochs = history.epochs();
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("cannot plot an empty training history");
    }
    double[] x = epochs.stream().mapToDouble(EpochRecord::epoch).toArray();
    boolean markers = epochs.size() <= MARKER_EPOCH_LIMIT;

    XYChart loss = new XYChartBuilder().width(640).height(480).title("Loss")
        .xAxisTitle("Epoch").yAxisTitle("Loss").build();
    style(loss);
    addEpochCurve(loss, "training loss", x, epochs.stream().mapToDouble(EpochRecord::trainLoss).toArray(), markers);
    addEpochCurve(loss, "validation loss", x, epochs.stream().mapToDouble(EpochRecord::validationLoss).toArray(),
        markers);

    double[] accuracy = epochs.stream().mapToDouble(e -> 100 * e.validationAccuracy()).toArray();
    if (Arrays.stream(accuracy).noneMatch(Double::isFinite)) {
      loss.setTitle(title + " — loss");
      writePng(png, BitmapEncoder.getBufferedImage(loss));
      return;
    }
    XYChart acc = new XYChartBuilder().width(640).height(480).title("Validation accuracy")
        .xAxisTitle("Epoch").yAxisTitle("Accuracy (%)").build();
    style(acc);
    acc.getStyler().setLegendVisible(false);
    addEpochCurve(acc, "validation accuracy", x, accuracy, markers);
    writePng(png, tiled(List.of(loss, acc), 2, title));
  }

  /**
   * Training curves of a grid, one panel per group (e.g. per SNR): each panel draws one line per run over
   * its epochs (e.g. the training loss of each seed), in the colour of its model, the same colour in every
   * panel (models in name order take XChart's palette in turn, as in {@link #metricVsSnr}); the legend names
   * each model once. Panels are tiled two per row under one caption. Shows at a
   * glance which runs left the initial loss plateau and when.
   *
   * @param panels panel title → model → one curve per run (value per epoch, epoch 1 first; NaN: not drawn)
   * @throws IllegalArgumentException if there are no panels or a panel has no curve
   */
  public static void epochCurvePanels(Path png, String title, String yAxisTitle,
      Map<String, Map<String, List<double[]>>> panels) throws IOException {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no panels to plot");
    }
    List<String> models = panels.values().stream().flatMap(m -> m.keySet().stream()).distinct()
        .sorted(NAME_ORDER).toList();
    List<XYChart> charts = new ArrayList<>();
    for (var panel : panels.entrySet()) {
      if (panel.getValue().values().stream().allMatch(List::isEmpty)) {
        throw new IllegalArgumentException("panel '" + panel.getKey() + "' has no curve");
      }
      XYChart chart = new XYChartBuilder().width(560).height(400).title(panel.getKey())
          .xAxisTitle("Epoch").yAxisTitle(yAxisTitle).build();
      style(chart);
      Color[] palette = chart.getStyler().getSeriesColors();
      for (var model : panel.getValue().entrySet()) {
        Color colour = palette[models.indexOf(model.getKey()) % palette.length];
        boolean inLegend = false;
        List<double[]> curves = model.getValue();
        for (int run = 0; run < curves.size(); run++) {
          double[] epochs = new double[curves.get(run).length];
          Arrays.setAll(epochs, i -> i + 1);
          // Series names must be unique within a chart; each model is named once in the legend.
          String name = run == 0 ? model.getKey() : model.getKey() + " #" + (run + 1);
          XYSeries series = addEpochCurve(chart, name, epochs, curves.get(run), false);
          if (series != null) {
            series.setLineColor(colour);
            series.setShowInLegend(!inLegend);
            inLegend = true;
          }
        }
      }
      charts.add(chart);
    }
    writePng(png, tiled(charts, 2, title));
  }

  /**
   * Confusion-matrix heat map: true class on the vertical axis (first class at the top), predicted class
   * on the horizontal axis, each row normalised to percent of its true class (so the diagonal is the
   * per-class recall) on a fixed 0–100 % colour scale; every cell shows its percentage.
   */
  public static void confusionMatrix(Path png, ClassificationReport report, String title) throws IOException {
    int k = report.numClasses();
    long[][] counts = report.confusionCounts();
    List<String> predicted = report.classNames();
    // XChart draws y index 0 at the bottom; reverse so the first class is on top, as in a printed matrix.
    List<String> trueTopDown = new ArrayList<>(report.classNames());
    Collections.reverse(trueTopDown);
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      long rowSum = 0;
      for (long v : counts[t]) {
        rowSum += v;
      }
      for (int p = 0; p < k; p++) {
        double percent = rowSum == 0 ? 0 : 100.0 * counts[t][p] / rowSum;
        cells.add(new Number[] {p, k - 1 - t, percent});
      }
    }
    int side = Math.max(420, Math.min(1400, 120 + 64 * k));
    HeatMapChart chart = new HeatMapChartBuilder().width(side + 140).height(side).title(title)
        .xAxisTitle("Predicted class").yAxisTitle("True class").build();
    var styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setChartTitleBoxVisible(false);
    styler.setLegendVisible(true);
    styler.setRangeColors(HEAT_COLOURS);
    styler.setMin(0);
    styler.setMax(100);
    styler.setShowValue(true);
    styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, k > 12 ? 9 : 12));
    styler.setValueFontColor(Color.BLACK);
    styler.setHeatMapValueDecimalPattern("0.0");
    styler.setPlotGridLinesVisible(false);
    styler.setDrawBorder(true);
    if (predicted.stream().mapToInt(String::length).max().orElse(0) * k > 60) {
      styler.setXAxisLabelRotation(45);
    }
    chart.addSeries("% of true class", predicted, trueTopDown, cells);
    writePng(png, BitmapEncoder.getBufferedImage(chart));
  }

  /**
   * A metric against SNR, one line per model, with error bars of ± one sample std over seeds (none for a
   * single seed). Points are drawn in increasing SNR. With several models, each model's points are shifted
   * sideways by a few hundredths of the SNR range ("dodged") so that error bars at the same SNR stay
   * visible; the shift is at most ±1.5 % of the range and the tick labels stay at the true SNR values.
   *
   * @param yAxisTitle e.g. "Test accuracy (%)"; values are plotted as given
   * @throws IllegalArgumentException if there are no series or a series has no points
   */
  public static void metricVsSnr(Path png, String title, String yAxisTitle, Map<String, List<SnrPoint>> seriesByModel)
      throws IOException {
    metricVsSnr(png, title, yAxisTitle, seriesByModel, Map.of());
  }

  /**
   * As {@link #metricVsSnr(Path, String, String, Map)}, plus published results drawn as dashed lines with
   * open markers at their true SNR (not dodged), error bars where a std is given (NaN: none).
   */
  public static void metricVsSnr(Path png, String title, String yAxisTitle, Map<String, List<SnrPoint>> seriesByModel,
      Map<String, List<SnrPoint>> publishedSeries) throws IOException {
    if (seriesByModel.isEmpty()) {
      throw new IllegalArgumentException("no series to plot");
    }
    XYChart chart = new XYChartBuilder().width(800).height(560).title(title)
        .xAxisTitle("SNR (dB)").yAxisTitle(yAxisTitle).build();
    style(chart);
    // Many lines (e.g. one per shrinkage unit) would hide the data under an inside legend.
    chart.getStyler().setLegendPosition(seriesByModel.size() > 8
        ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.InsideSE);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    double minSnr = seriesByModel.values().stream().flatMap(List::stream).mapToDouble(SnrPoint::snrDb).min().orElse(0);
    double maxSnr = seriesByModel.values().stream().flatMap(List::stream).mapToDouble(SnrPoint::snrDb).max().orElse(0);
    int models = seriesByModel.size();
    double dodgeStep = models > 1 ? 0.03 * Math.max(maxSnr - minSnr, 1) / (models - 1) : 0;
    int index = 0;
    for (var entry : seriesByModel.entrySet()) {
      double dodge = (index++ - (models - 1) / 2.0) * dodgeStep;
      addSnrSeries(chart, entry.getKey(), entry.getValue(), dodge).setMarker(SeriesMarkers.CIRCLE);
    }
    List<String> modelNames = new ArrayList<>(seriesByModel.keySet());
    Color[] palette = chart.getStyler().getSeriesColors();
    for (var entry : publishedSeries.entrySet()) {
      XYSeries series = addSnrSeries(chart, entry.getKey(), entry.getValue(), 0);
      series.setMarker(SeriesMarkers.DIAMOND);
      series.setLineStyle(SeriesLines.DASH_DASH);
      // "drsn-cw (PyTorch)" takes the colour of our "drsn-cw", so each comparison reads as one colour.
      int model = modelNames.indexOf(entry.getKey().replaceFirst(" \\([^)]*\\)$", ""));
      if (model >= 0) {
        Color colour = palette[model % palette.length];
        series.setLineColor(colour);
        series.setMarkerColor(colour);
      }
    }
    writePng(png, BitmapEncoder.getBufferedImage(chart));
  }

  /** Adds {@code points} in increasing SNR, shifted by {@code dodge} dB, with ± std error bars (NaN: none). */
  /**
   * The learning-rate range test's curve: raw and smoothed loss against the learning rate on a logarithmic axis,
   * with the suggested steepest rate and the suggested cycle's bounds as vertical lines. Points whose loss is not
   * finite (a diverged last step) are left out, and the loss axis is cut at 4 × the first smoothed loss so that a
   * diverging tail does not flatten the curve.
   *
   * @throws IllegalArgumentException if the sweep has no point
   */
  public static void lrRangeTest(Path png, io.github.drsn.model.train.LrRangeTest.Result result, String title)
      throws IOException {
    var points = result.points();
    if (points.isEmpty()) {
      throw new IllegalArgumentException("cannot plot an empty learning-rate sweep");
    }
    double cap = 4 * points.get(0).smoothedLoss();
    List<Double> lr = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    List<Double> smooth = new ArrayList<>();
    double low = Double.POSITIVE_INFINITY;
    for (var p : points) {
      if (Double.isFinite(p.loss()) && Double.isFinite(p.smoothedLoss())) {
        lr.add(p.learningRate());
        raw.add(Math.min(p.loss(), cap));
        smooth.add(Math.min(p.smoothedLoss(), cap));
        low = Math.min(low, Math.min(p.loss(), p.smoothedLoss()));
      }
    }
    XYChart chart = new XYChartBuilder().width(800).height(520).title(title)
        .xAxisTitle("Learning rate (log scale)").yAxisTitle("Training loss").build();
    style(chart);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("0.#E0");
    if (!lr.isEmpty()) {
      chart.addSeries("loss", lr, raw).setMarker(SeriesMarkers.NONE);
      chart.addSeries("smoothed loss", lr, smooth).setMarker(SeriesMarkers.NONE);
      double top = smooth.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      double bottom = Double.isFinite(low) ? low : 0;
      for (var line : List.of(Map.entry("steepest " + String.format(java.util.Locale.ROOT, "%.2g", result.steepestLr()),
              result.steepestLr()),
          Map.entry("cycle base " + String.format(java.util.Locale.ROOT, "%.2g", result.cycleBase()), result.cycleBase()),
          Map.entry("cycle max " + String.format(java.util.Locale.ROOT, "%.2g", result.cycleMax()), result.cycleMax()))) {
        XYSeries s = chart.addSeries(line.getKey(), new double[] {line.getValue(), line.getValue()},
            new double[] {bottom, Math.max(top, cap / 4)});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
      }
    }
    writePng(png, BitmapEncoder.getBufferedImage(chart));
  }

  private static XYSeries addSnrSeries(XYChart chart, String name, List<SnrPoint> unsorted, double dodge) {
    List<SnrPoint> points = new ArrayList<>(unsorted);
    if (points.isEmpty()) {
      throw new IllegalArgumentException("series '" + name + "' has no points");
    }
    points.sort((a, b) -> Double.compare(a.snrDb(), b.snrDb()));
    double[] x = points.stream().mapToDouble(p -> p.snrDb() + dodge).toArray();
    double[] y = points.stream().mapToDouble(SnrPoint::mean).toArray();
    double[] err = points.stream().mapToDouble(p -> Double.isFinite(p.std()) ? p.std() : 0).toArray();
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("series '" + name + "' has a non-finite point at index " + i
            + " (SNR " + x[i] + ", value " + y[i] + ")");
      }
    }
    return chart.addSeries(name, x, y, err);
  }

  static void style(XYChart chart) {
    var styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(0xDDDDDD));
    styler.setChartTitleBoxVisible(false);
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    styler.setLegendBorderColor(new Color(0xCCCCCC));
    styler.setMarkerSize(6);
    styler.setDecimalPattern("#,##0.###");
  }

  /**
   * XChart gives an axis whose data x values are equally spaced (as epochs are) one tick per value, thinned
   * only when labels would collide, so 20–40 epochs come out as a crowded row of labels. An invisible,
   * legend-less point at a fraction of an epoch breaks the equal spacing and lets XChart choose round tick
   * values (1, 5, 10, ...) as for any numeric axis; it lies on the first epoch's value, so the axis ranges
   * do not change.
   */
  private static void roundEpochTicks(XYChart chart, double firstEpoch, double yAtFirstEpoch) {
    XYSeries spacer = chart.addSeries(" ", new double[] {firstEpoch + 0.01}, new double[] {yAtFirstEpoch});
    spacer.setMarker(SeriesMarkers.NONE);
    spacer.setLineStyle(SeriesLines.NONE);
    spacer.setShowInLegend(false);
  }

  /**
   * Adds the finite points of a curve over epochs and returns the series; a curve with none is left out
   * (null). The first curve of a chart also gets the tick spacer of {@link #roundEpochTicks}.
   */
  private static XYSeries addEpochCurve(XYChart chart, String name, double[] x, double[] y, boolean markers) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i])) {
        xs.add(x[i]);
        ys.add(y[i]);
      }
    }
    if (xs.isEmpty()) {
      return null;
    }
    boolean first = chart.getSeriesMap().isEmpty();
    XYSeries series = chart.addSeries(name, xs, ys);
    series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    if (first && xs.size() > 1) {
      roundEpochTicks(chart, xs.get(0), ys.get(0));
    }
    return series;
  }

  /** Charts in rows of {@code columns}, each cell the size of the largest chart, under one caption band. */
  private static BufferedImage tiled(List<? extends Chart<?, ?>> charts, int columns, String caption) {
    List<BufferedImage> images = charts.stream().map(BitmapEncoder::getBufferedImage).toList();
    int cellWidth = images.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
    int cellHeight = images.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
    int cols = Math.min(columns, images.size());
    int rows = (images.size() + cols - 1) / cols;
    int band = 32;
    BufferedImage all = new BufferedImage(cols * cellWidth, band + rows * cellHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, all.getWidth(), all.getHeight());
      g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
          java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      // A caption wider than the image (one panel, long grid name) is set smaller rather than cut off.
      Font font = charts.get(0).getStyler().getChartTitleFont();
      g.setFont(font);
      while (g.getFontMetrics().stringWidth(caption) > all.getWidth() - 8 && font.getSize2D() > 8) {
        font = font.deriveFont(font.getSize2D() - 1);
        g.setFont(font);
      }
      java.awt.FontMetrics metrics = g.getFontMetrics();
      g.drawString(caption, Math.max(4, (all.getWidth() - metrics.stringWidth(caption)) / 2),
          (band + metrics.getAscent()) / 2);
      for (int i = 0; i < images.size(); i++) {
        g.drawImage(images.get(i), (i % cols) * cellWidth, band + (i / cols) * cellHeight, null);
      }
    } finally {
      g.dispose();
    }
    return all;
  }

  static void writePng(Path png, BufferedImage image) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new IOException("no PNG writer available in this JVM");
    }
    AtomicFiles.write(png, bytes.toByteArray());
  }
}
