package io.github.drsn.experiments.report;

import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.runtime.explain.Explanation;
import io.github.drsn.signals.Spectrum;
import io.github.drsn.signals.bearing.BearingAnalysis;
import io.github.drsn.signals.bearing.BearingEvidence;
import io.github.drsn.signals.bearing.DefectFamily;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of one explained recording ({@link io.github.drsn.runtime.explain.Explainer}): a Markdown page and
 * three PNG figures drawn with XChart like the other figures ({@link Plots}): the envelope spectrum with labelled
 * markers at the defect frequencies and their harmonics, the analysed window with its occlusion saliency, and the
 * shrinkage units' thresholds. Files are written atomically.
 */
public final class ExplanationReport {

  private static final Color[] FAMILY_COLOURS = {
    new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x9467BD)
  };

  private ExplanationReport() {}

  /**
   * Writes {@code <stem>.md}, {@code <stem>-envelope.png}, {@code <stem>-saliency.png} (when a window was
   * diagnosed) and {@code <stem>-thresholds.png} (when the model has shrinkage units) into {@code dir}.
   *
   * @param title the recording's name for headings
   * @return the Markdown file
   */
  public static Path write(Path dir, String stem, String title, Explanation e) throws IOException {
    Files.createDirectories(dir);
    envelope(dir.resolve(stem + "-envelope.png"), e, title);
    if (e.saliency() != null) {
      saliency(dir.resolve(stem + "-saliency.png"), e.saliency(), title);
    }
    if (!e.thresholds().isEmpty()) {
      thresholds(dir.resolve(stem + "-thresholds.png"), e.thresholds(), title);
    }
    Path md = dir.resolve(stem + ".md");
    AtomicFiles.writeString(md, markdown(stem, title, e));
    return md;
  }

  static String markdown(String stem, String title, Explanation e) {
    BearingEvidence ev = e.physics().evidence();
    StringBuilder s = new StringBuilder();
    s.append("# ").append(title).append("\n\n");
    s.append("| | |\n|---|---|\n");
    s.append("| network | ").append(e.diagnosis().label());
    if (e.diagnosis().candidate() >= 0) {
      s.append(String.format(Locale.ROOT, " (mean probability %.3f, family %s)", e.diagnosis().confidence(),
          e.networkFamily().label()));
    }
    s.append(" |\n");
    s.append("| physics | ").append(ev.verdictOrNull() == null ? "none (no conclusive evidence)"
        : ev.verdictOrNull().label()).append(String.format(Locale.ROOT, " (margin %.1f dB; rule: evidence >= %.1f dB,"
        + " margin >= %.1f dB) |\n", ev.marginDb(), ev.rule().minEvidenceDb(), ev.rule().minMarginDb()));
    s.append("| agreement | ").append(e.agreement().label()).append(" |\n");
    s.append("| fused | ").append(e.fused().label()).append(" — ").append(e.fused().basis())
        .append(e.fused().review() ? " **(review)**" : "").append(" |\n");
    if (e.severity() != null) {
      s.append(String.format(Locale.ROOT, "| severity | %.2f mm/s r.m.s. (10-1000 Hz)%s |%n",
          e.severity().velocityRmsMmPerS(), e.severity().zone() == null ? ", zone: machine group and foundation not"
              + " given" : ", ISO 20816-3 zone " + e.severity().zone() + " (" + e.severity().group() + ", "
              + e.severity().foundation() + ")"));
    }
    s.append("\n## Physics\n\n");
    s.append(String.format(Locale.ROOT, "Shaft %.3f Hz (%.1f rpm), %s. Bearing %s. Band %.0f-%.0f Hz (%s,"
        + " spectral kurtosis %.2f).%n%n", e.physics().shaftHz(), e.physics().shaftHz() * 60, e.physics().shaftSource(),
        e.physics().bearing(), ev.band().lowHz(), ev.band().highHz(), ev.bandChosenByKurtogram() ? "kurtogram"
            : "given", ev.band().kurtosis()));
    s.append("| family | line (Hz) | harmonics found (Hz) | harmonics (dB over local median) | evidence (dB) |\n");
    s.append("|---|---|---|---|---|\n");
    for (BearingEvidence.FamilyEvidence f : ev.families().values()) {
      s.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %s | %.1f |%n", f.family().label(), f.fundamentalHz(),
          join(f.harmonicHz(), "%.1f"), join(f.harmonicDb(), "%.1f"), f.evidenceDb()));
    }
    s.append(String.format(Locale.ROOT, "%nInner-race sidebands at BPFI ± f_r: %.1f dB.%n%n", ev.innerSidebandsDb()));
    s.append("![envelope spectrum](").append(stem).append("-envelope.png)\n\n");
    if (!e.thresholds().isEmpty()) {
      s.append("## Shrinkage thresholds\n\n| unit | mean threshold | threshold / mean abs feature | zeroed |\n"
          + "|---|---|---|---|\n");
      for (Explanation.UnitThresholds t : e.thresholds()) {
        s.append(String.format(Locale.ROOT, "| %d | %.4g | %.3f | %.1f %% |%n", t.unit(), t.meanThreshold(),
            t.thresholdToMeanAbs(), 100 * t.zeroedFraction()));
      }
      s.append("\n![thresholds](").append(stem).append("-thresholds.png)\n\n");
    }
    if (e.saliency() != null) {
      Explanation.Saliency sal = e.saliency();
      int peak = sal.peakStart();
      s.append(String.format(Locale.ROOT, "## Saliency%n%nWindow at %.3f s; probability of %s %.3f; the most salient"
          + " stretch is %.4f-%.4f s into the window (occluding %d samples at a time).%n%n![saliency](%s-saliency.png)%n",
          sal.windowStart() / sal.samplingRate(), sal.className(), sal.baseProbability(), peak / sal.samplingRate(),
          (peak + sal.stretch()) / sal.samplingRate(), sal.stretch(), stem));
    }
    return s.toString();
  }

  private static String join(double[] v, String format) {
    List<String> parts = new ArrayList<>();
    for (double x : v) {
      parts.add(String.format(Locale.ROOT, format, x));
    }
    return String.join(", ", parts);
  }

  private static void envelope(Path png, Explanation e, String title) throws IOException {
    BearingEvidence ev = e.physics().evidence();
    Spectrum s = ev.envelopeSpectrum();
    double top = 0;
    for (DefectFamily f : DefectFamily.values()) {
      top = Math.max(top, f.fundamentalOrder(e.physics().geometry()) * e.physics().shaftHz());
    }
    double maxHz = Math.min(s.frequency(s.size() - 1), (BearingAnalysis.HARMONICS + 0.5) * top);
    int n = 0;
    while (n < s.size() && s.frequency(n) <= maxHz) {
      n++;
    }
    double[] f = new double[n - 1];
    double[] db = new double[n - 1];
    double floor = Double.POSITIVE_INFINITY;
    double ceiling = Double.NEGATIVE_INFINITY;
    for (int k = 1; k < n; k++) {
      f[k - 1] = s.frequency(k);
      db[k - 1] = 10 * Math.log10(Math.max(s.value(k), Double.MIN_NORMAL));
      floor = Math.min(floor, db[k - 1]);
      ceiling = Math.max(ceiling, db[k - 1]);
    }
    XYChart chart = new XYChartBuilder().width(1000).height(500)
        .title(title + " — envelope spectrum, band " + Math.round(ev.band().lowHz()) + "-"
            + Math.round(ev.band().highHz()) + " Hz")
        .xAxisTitle("Frequency (Hz)").yAxisTitle("Power (dB)").build();
    Plots.style(chart);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    XYSeries spectrum = chart.addSeries("envelope", f, db);
    spectrum.setMarker(SeriesMarkers.NONE);
    spectrum.setLineColor(Color.DARK_GRAY);
    spectrum.setLineWidth(1f);
    int c = 0;
    for (BearingEvidence.FamilyEvidence fam : ev.families().values()) {
      double[] xs = fam.harmonicHz();
      double[] ys = new double[xs.length];
      for (int h = 0; h < xs.length; h++) {
        ys[h] = ceiling + 2;
      }
      String name = switch (fam.family()) {
        case OUTER -> "BPFO";
        case INNER -> "BPFI";
        case BALL -> "2xBSF";
        case CAGE -> "FTF";
      };
      XYSeries markers = chart.addSeries(String.format(Locale.ROOT, "%s %.1f Hz ×1-%d (%.1f dB)", name,
          fam.fundamentalHz(), xs.length, fam.evidenceDb()), xs, ys);
      markers.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      markers.setMarker(SeriesMarkers.TRIANGLE_DOWN);
      markers.setMarkerColor(FAMILY_COLOURS[c++ % FAMILY_COLOURS.length]);
    }
    chart.getStyler().setXAxisDecimalPattern("#0");
    chart.getStyler().setYAxisMin(floor - 2);
    chart.getStyler().setYAxisMax(ceiling + 5);
    Plots.writePng(png, BitmapEncoder.getBufferedImage(chart));
  }

  private static void saliency(Path png, Explanation.Saliency sal, String title) throws IOException {
    int n = sal.window().length;
    double[] t = new double[n];
    double[] x = new double[n];
    double amplitude = 0;
    double top = 0;
    for (int i = 0; i < n; i++) {
      t[i] = 1000.0 * i / sal.samplingRate();
      x[i] = sal.window()[i];
      amplitude = Math.max(amplitude, Math.abs(x[i]));
      top = Math.max(top, Math.abs(sal.perSample()[i]));
    }
    double[] overlay = new double[n];
    for (int i = 0; i < n; i++) {
      // drawn on the signal's scale: the largest |drop| reaches the largest |sample|
      overlay[i] = top > 0 ? sal.perSample()[i] / top * amplitude : 0;
    }
    XYChart chart = new XYChartBuilder().width(1000).height(450)
        .title(String.format(Locale.ROOT, "%s — window at %.3f s, occlusion saliency for %s (peak drop %.3f)", title,
            sal.windowStart() / sal.samplingRate(), sal.className(), top))
        .xAxisTitle("Time in window (ms)").yAxisTitle("Signal / scaled probability drop").build();
    Plots.style(chart);
    XYSeries signal = chart.addSeries("signal", t, x);
    signal.setMarker(SeriesMarkers.NONE);
    signal.setLineColor(new Color(0x888888));
    signal.setLineWidth(0.8f);
    XYSeries drop = chart.addSeries("saliency (drop of p)", t, overlay);
    drop.setMarker(SeriesMarkers.NONE);
    drop.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    drop.setFillColor(new Color(214, 39, 40, 90));
    drop.setLineColor(new Color(0xD62728));
    drop.setLineStyle(new BasicStroke(1.5f));
    Plots.writePng(png, BitmapEncoder.getBufferedImage(chart));
  }

  private static void thresholds(Path png, List<Explanation.UnitThresholds> units, String title) throws IOException {
    org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(900).height(450)
        .title(title + " — soft thresholds per residual shrinkage unit").xAxisTitle("Unit").yAxisTitle("Fraction")
        .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    List<String> names = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> zeroed = new ArrayList<>();
    for (Explanation.UnitThresholds u : units) {
      names.add(Integer.toString(u.unit()));
      ratio.add(Math.min(1, u.thresholdToMeanAbs()));
      zeroed.add(u.zeroedFraction());
    }
    chart.addSeries("threshold / mean |feature|", names, ratio);
    chart.addSeries("features set to zero", names, zeroed);
    Plots.writePng(png, BitmapEncoder.getBufferedImage(chart));
  }
}
