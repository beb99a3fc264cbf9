package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.model.eval.ClassMetrics;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.train.EpochRecord;
import java.awt.AWTError;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the report of a run into a directory:
 * <ul>
 *   <li>{@code report.json}: the machine-readable record (schema in {@link ReportJson});
 *   <li>{@code report.md}: the same for people, with the configuration, provenance, training history,
 *       per-class precision/recall/F1 and confusion matrices as Markdown tables;
 *   <li>{@code learning_curves.png} (when there is a history) and {@code confusion_<split>.png} per
 *       evaluation, linked from report.md, unless plots are turned off.
 * </ul>
 * Every file is written atomically. If the plots cannot be drawn (e.g. a JVM without fonts or without the
 * native font libraries) the JSON and Markdown are still written, report.md says why the figures are
 * missing and {@link Written#figureProblem()} carries the reason for the caller to print.
 */
public final class ReportWriter {

  /**
   * What {@link #write} produced.
   *
   * @param files the files written, report.json first and report.md last
   * @param figureProblem why the figures could not be drawn, if they could not
   */
  public record Written(List<Path> files, Optional<String> figureProblem) {
    /** Copies the list. */
    public Written {
      files = List.copyOf(files);
    }
  }

  /** File name of the JSON report. */
  public static final String JSON_FILE = "report.json";
  /** File name of the Markdown report. */
  public static final String MARKDOWN_FILE = "report.md";
  /** File name of the learning-curve figure. */
  public static final String LEARNING_CURVES_FILE = "learning_curves.png";

  private final boolean plots;

  /** A writer that also draws the figures. */
  public ReportWriter() {
    this(true);
  }

  /** @param plots whether to draw the PNG figures */
  public ReportWriter(boolean plots) {
    this.plots = plots;
  }

  /** File name of the confusion-matrix figure of {@code split}. */
  public static String confusionFile(String split) {
    return "confusion_" + split + ".png";
  }

  /**
   * Writes the report files into {@code directory} (created if missing), replacing earlier ones.
   *
   * @return the files written and whether the figures failed
   */
  public Written write(Path directory, RunReport report) throws IOException {
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    Path json = directory.resolve(JSON_FILE);
    AtomicFiles.writeString(json, Json.write(ReportJson.toJsonTree(report)));
    written.add(json);

    List<String> figures = new ArrayList<>();
    String plotProblem = null;
    if (plots) {
      try {
        if (!report.history().isEmpty()) {
          Plots.learningCurves(directory.resolve(LEARNING_CURVES_FILE), report.history(), report.title());
          figures.add(LEARNING_CURVES_FILE);
        }
        for (var entry : report.evaluations().entrySet()) {
          if (entry.getValue().total() == 0) {
            continue;
          }
          String file = confusionFile(entry.getKey());
          Plots.confusionMatrix(directory.resolve(file), entry.getValue(), "Confusion matrix, " + entry.getKey()
              + " (% of each true class, n = " + entry.getValue().total() + ")");
          figures.add(file);
        }
      } catch (RuntimeException | AWTError | UnsatisfiedLinkError | NoClassDefFoundError e) {
        // Fonts or AWT's native libraries missing on a bare server must not cost the run its numbers.
        plotProblem = e.toString();
      }
    }
    figures.forEach(f -> written.add(directory.resolve(f)));

    Path markdown = directory.resolve(MARKDOWN_FILE);
    AtomicFiles.writeString(markdown, markdown(report, figures, plotProblem));
    written.add(markdown);
    return new Written(written, Optional.ofNullable(plotProblem));
  }

  /** The Markdown text of a report, linking the figures named in {@code figures}. */
  static String markdown(RunReport report, List<String> figures, String plotProblem) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(report.title().replace("\n", " ")).append("\n\n");
    Provenance p = report.provenance();
    md.append("Produced by drsn ").append(p.projectVersion()).append(" on ").append(p.createdUtc())
        .append(" with seed ").append(p.seed()).append(" (Java ").append(p.javaVersion()).append(", ")
        .append(p.platform()).append(").\n\n");

    for (var entry : report.evaluations().entrySet()) {
      ClassificationReport r = entry.getValue();
      md.append(r.total() == 0
          ? "- **" + entry.getKey() + "**: no samples evaluated\n"
          : String.format(Locale.ROOT, "- **%s**: accuracy %.2f %%, macro-F1 %.4f over %d windows%n",
              entry.getKey(), 100 * r.accuracy(), r.macroF1(), r.total()));
    }
    if (!report.history().isEmpty()) {
      md.append(String.format(Locale.ROOT, "- training: %d epochs in %.1f s%n", report.history().epochs().size(),
          report.history().totalSeconds()));
    }
    md.append('\n');
    if (plotProblem != null) {
      md.append("> Figures could not be drawn: ").append(plotProblem.replace("\n", " ")).append("\n\n");
    }

    md.append("## Configuration\n\n");
    JsonNode configuration = Json.MAPPER.valueToTree(report.configuration());
    List<List<String>> configRows = new ArrayList<>();
    flatten("", configuration, configRows);
    if (configRows.isEmpty()) {
      md.append("(none given)\n\n");
    } else {
      md.append(Markdown.table(List.of("key", "value"), List.of(false, false), configRows)).append('\n');
    }

    md.append("## Data files\n\n");
    if (p.dataFiles().isEmpty()) {
      md.append("(none recorded)\n\n");
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (DataFile f : p.dataFiles()) {
        rows.add(List.of(f.path(), Long.toString(f.sizeBytes()), "`" + f.sha256() + "`"));
      }
      md.append(Markdown.table(List.of("file", "bytes", "SHA-256"), List.of(false, true, false), rows)).append('\n');
    }

    if (!report.history().isEmpty()) {
      md.append("## Training history\n\n");
      if (figures.contains(LEARNING_CURVES_FILE)) {
        md.append("![Learning curves](").append(LEARNING_CURVES_FILE).append(")\n\n");
      }
      List<List<String>> rows = new ArrayList<>();
      for (EpochRecord e : report.history().epochs()) {
        rows.add(List.of(Integer.toString(e.epoch()), fixed(e.trainLoss(), 4), fixed(e.validationLoss(), 4),
            percent(e.validationAccuracy()), significant(e.learningRate()),
            fixed(e.seconds(), 1)));
      }
      md.append(Markdown.table(
          List.of("epoch", "train loss", "validation loss", "validation accuracy (%)", "learning rate", "seconds"),
          List.of(true, true, true, true, true, true), rows)).append('\n');
    }

    for (var entry : report.evaluations().entrySet()) {
      appendEvaluation(md, entry.getKey(), entry.getValue(), figures);
    }
    return md.toString();
  }

  private static void appendEvaluation(StringBuilder md, String split, ClassificationReport r, List<String> figures) {
    md.append("## Evaluation: ").append(split).append("\n\n");
    if (r.total() == 0) {
      md.append("No samples were evaluated.\n\n");
      return;
    }
    md.append(String.format(Locale.ROOT, "Accuracy **%.2f %%**, macro-F1 **%.4f**, %d windows. ", 100 * r.accuracy(),
        r.macroF1(), r.total()));
    md.append("Precision, recall and F1 are 0 where their denominator is 0 (scikit-learn's zero_division=0); "
        + "macro averages weight every class equally.\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (ClassMetrics m : r.perClass()) {
      rows.add(List.of(m.className(), fixed(m.precision(), 4), fixed(m.recall(), 4), fixed(m.f1(), 4),
          Long.toString(m.support())));
    }
    rows.add(List.of("**macro average**", fixed(r.macroPrecision(), 4), fixed(r.macroRecall(), 4),
        fixed(r.macroF1(), 4), Long.toString(r.total())));
    md.append(Markdown.table(List.of("class", "precision", "recall", "F1", "support"),
        List.of(false, true, true, true, true), rows)).append('\n');

    md.append("Confusion matrix (rows: true class, columns: predicted class, counts):\n\n");
    List<String> header = new ArrayList<>();
    header.add("true \\ predicted");
    header.addAll(r.classNames());
    List<Boolean> align = new ArrayList<>();
    align.add(false);
    r.classNames().forEach(c -> align.add(true));
    long[][] counts = r.confusionCounts();
    List<List<String>> matrixRows = new ArrayList<>();
    for (int t = 0; t < counts.length; t++) {
      List<String> row = new ArrayList<>();
      row.add("**" + r.classNames().get(t) + "**");
      for (long v : counts[t]) {
        row.add(Long.toString(v));
      }
      matrixRows.add(row);
    }
    md.append(Markdown.table(header, align, matrixRows)).append('\n');
    String figure = confusionFile(split);
    if (figures.contains(figure)) {
      md.append("![Confusion matrix, ").append(split).append("](").append(figure).append(")\n\n");
    }
  }

  /** Flattens a JSON tree into (dotted.key, value) rows; arrays of scalars stay on one row. */
  private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), rows);
      }
    } else if (node.isArray() && containsContainers(node)) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix + "[" + i + "]", node.get(i), rows);
      }
    } else {
      rows.add(List.of(prefix, node.isTextual() ? node.asText() : node.toString()));
    }
  }

  private static boolean containsContainers(JsonNode array) {
    for (JsonNode element : array) {
      if (element.isContainerNode()) {
        return true;
      }
    }
    return false;
  }

  private static String fixed(double value, int decimals) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "–";
  }

  /** Three significant digits without trailing zeros: 0.1, 0.01, 0.00125. */
  private static String significant(double value) {
    if (!Double.isFinite(value)) {
      return "–";
    }
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f", 100 * fraction) : "–";
  }
}
