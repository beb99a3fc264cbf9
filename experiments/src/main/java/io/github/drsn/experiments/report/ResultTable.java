package io.github.drsn.experiments.report;

import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.io.CsvWriter;
import io.github.drsn.model.eval.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Mean ± sample std over seeds of the results of an experiment grid, one row per (dataset, model, noise,
 * SNR). The standard deviation uses n − 1 ({@link Summary}); with one seed it is undefined and printed as
 * nothing. Rows are sorted by dataset, noise, SNR (ascending, clean last) and model, names compared
 * case-insensitively, so the order does not depend on the order in which cells finished.
 */
public final class ResultTable {

  /**
   * The summary of one (dataset, model, noise, SNR) group.
   *
   * @param seeds the seeds that contributed, ascending
   * @param accuracyFinalEpoch the last epoch's test accuracy, or null unless every cell of the group has it
   */
  public record Row(String dataset, String model, String noise, double snrDb, List<Long> seeds, Summary accuracy,
      Summary macroF1, Summary trainSeconds, Summary accuracyFinalEpoch) {

    /** The summary of {@code metric}, or null when the group lacks it. */
    public Summary get(Metric metric) {
      return switch (metric) {
        case ACCURACY -> accuracy;
        case MACRO_F1 -> macroF1;
        case ACCURACY_FINAL_EPOCH -> accuracyFinalEpoch;
        case TRAIN_SECONDS -> trainSeconds;
      };
    }
  }

  static final Comparator<String> NAME_ORDER = Plots.NAME_ORDER;
  private static final Comparator<Row> ROW_ORDER = Comparator.comparing(Row::dataset, NAME_ORDER)
      .thenComparing(Row::noise, NAME_ORDER)
      .thenComparingDouble(Row::snrDb)
      .thenComparing(Row::model, NAME_ORDER);

  private final List<Row> rows;

  private ResultTable(List<Row> rows) {
    this.rows = rows;
  }

  /**
   * Groups and summarises cell results.
   *
   * @throws IllegalArgumentException if there are no results or the same (group, seed) appears twice,
   *     which would silently weight one seed double
   */
  public static ResultTable of(List<CellResult> results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no cell results to summarise");
    }
    Map<List<Object>, List<CellResult>> groups = new LinkedHashMap<>();
    Set<List<Object>> seen = new HashSet<>();
    for (CellResult r : results) {
      List<Object> key = List.of(r.dataset(), r.model(), r.noise(), r.snrDb());
      List<Object> keyWithSeed = List.of(r.dataset(), r.model(), r.noise(), r.snrDb(), r.seed());
      if (!seen.add(keyWithSeed)) {
        throw new IllegalArgumentException("duplicate result for " + r.dataset() + "/" + r.model() + "/" + r.noise()
            + " at " + r.snrDb() + " dB with seed " + r.seed());
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<Row> rows = new ArrayList<>();
    for (List<CellResult> group : groups.values()) {
      CellResult first = group.get(0);
      rows.add(new Row(first.dataset(), first.model(), first.noise(), first.snrDb(),
          group.stream().map(CellResult::seed).sorted().toList(),
          Summary.of(group.stream().mapToDouble(CellResult::accuracy).toArray()),
          Summary.of(group.stream().mapToDouble(CellResult::macroF1).toArray()),
          Summary.of(group.stream().mapToDouble(CellResult::trainSeconds).toArray()),
          group.stream().anyMatch(c -> Double.isNaN(c.accuracyFinalEpoch())) ? null
              : Summary.of(group.stream().mapToDouble(CellResult::accuracyFinalEpoch).toArray())));
    }
    rows.sort(ROW_ORDER);
    return new ResultTable(List.copyOf(rows));
  }

  /** The rows in table order. */
  public List<Row> rows() {
    return rows;
  }

  /**
   * A Markdown table with one row per group: dataset, noise, SNR, model, number of seeds and
   * mean ± std of accuracy and macro-F1 (percent, 2 decimals) and training time (seconds, 1 decimal).
   */
  public String toMarkdown() {
    List<List<String>> cells = new ArrayList<>();
    for (Row r : rows) {
      cells.add(List.of(r.dataset(), r.noise(), snrLabel(r.snrDb()), r.model(), Integer.toString(r.seeds().size()),
          r.accuracy().format(100, 2), r.macroF1().format(100, 2), r.trainSeconds().format(1, 1)));
    }
    return Markdown.table(
        List.of("dataset", "noise", "SNR (dB)", "model", "seeds", "accuracy (%)", "macro-F1 (%)", "training time (s)"),
        List.of(false, false, true, false, true, true, true, true), cells);
  }

  /**
   * The layout of the paper's tables: one Markdown table per (dataset, noise) with SNR down the rows, models
   * across the columns and "mean ± std" of {@code metric} in the cells ("–" where a model has no result).
   */
  public String toPivotMarkdown(Metric metric) {
    Map<List<String>, List<Row>> byPanel = new LinkedHashMap<>();
    for (Row r : rows) {
      byPanel.computeIfAbsent(List.of(r.dataset(), r.noise()), k -> new ArrayList<>()).add(r);
    }
    StringBuilder md = new StringBuilder();
    for (var panel : byPanel.entrySet()) {
      List<String> models = panel.getValue().stream().map(Row::model).distinct().sorted(NAME_ORDER).toList();
      Map<Double, Map<String, String>> bySnr = new TreeMap<>();
      for (Row r : panel.getValue()) {
        bySnr.computeIfAbsent(r.snrDb(), k -> new LinkedHashMap<>()).put(r.model(), r.get(metric) == null ? "–"
            : r.get(metric).format(metric.scale(), metric == Metric.TRAIN_SECONDS ? 1 : 2));
      }
      md.append("**").append(panel.getKey().get(0)).append(", ").append(panel.getKey().get(1)).append(" noise: ")
          .append(metric.label()).append(", mean ± std over seeds**\n\n")
          .append(snrTable(models, bySnr)).append('\n');
    }
    return md.toString();
  }

  /**
   * Our {@code metric} ({@link Metric#ACCURACY} or {@link Metric#ACCURACY_FINAL_EPOCH}) next to the published
   * results that compare with it ({@link PublishedResult#comparesWith}): one Markdown table per (dataset,
   * noise) with such results, SNR down the rows, our models across and then one column per published series
   * ({@link PublishedResult#series()}, in the order given). Cells are "mean ± std (n)" in percent with one
   * decimal, n being the number of seeds ("–" where there is no value). Empty when nothing compares.
   */
  public String toComparisonMarkdown(List<PublishedResult> published, Metric metric) {
    if (metric != Metric.ACCURACY && metric != Metric.ACCURACY_FINAL_EPOCH) {
      throw new IllegalArgumentException("published results are accuracies; cannot set them beside " + metric);
    }
    if (rows.stream().allMatch(r -> r.get(metric) == null)) {
      return "";
    }
    Map<List<String>, List<Row>> byPanel = new LinkedHashMap<>();
    for (Row r : rows) {
      if (Double.isFinite(r.snrDb())) {
        byPanel.computeIfAbsent(List.of(r.dataset(), r.noise()), k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder md = new StringBuilder();
    for (var panel : byPanel.entrySet()) {
      String noise = panel.getKey().get(1);
      List<PublishedResult> theirs = published.stream().filter(p -> p.comparesWith(noise, metric)).toList();
      if (theirs.isEmpty()) {
        continue;
      }
      List<String> models = panel.getValue().stream().map(Row::model).distinct().sorted(NAME_ORDER).toList();
      List<String> series = theirs.stream().map(PublishedResult::series).distinct().toList();
      Map<Double, Map<String, String>> bySnr = new TreeMap<>();
      for (Row r : panel.getValue()) {
        Summary ours = r.get(metric);
        if (ours != null) {
          bySnr.computeIfAbsent(r.snrDb(), k -> new LinkedHashMap<>())
              .put(r.model(), ours.format(100, 1) + " (" + ours.n() + ")");
        }
      }
      for (PublishedResult p : theirs) {
        String value = String.format(Locale.ROOT, "%.1f", p.accuracyPercent())
            + (Double.isNaN(p.stdPercent()) ? "" : String.format(Locale.ROOT, " ± %.1f", p.stdPercent()))
            + (p.seeds() > 0 ? " (" + p.seeds() + ")" : "");
        if (bySnr.computeIfAbsent(p.snrDb(), k -> new LinkedHashMap<>()).put(p.series(), value) != null) {
          throw new IllegalArgumentException("published result " + p.series() + " at " + p.snrDb()
              + " dB is given twice");
        }
      }
      md.append("**").append(panel.getKey().get(0)).append(", ").append(noise)
          .append(" noise: ").append(metric == Metric.ACCURACY ? "test accuracy of the best validation epoch"
              : "test accuracy of the last epoch").append(" (%) next to published results; mean ± std (seeds)**\n\n");
      List<String> columns = new ArrayList<>(models);
      columns.addAll(series);
      md.append(snrTable(columns, bySnr)).append('\n');
    }
    return md.toString();
  }

  /** A Markdown table with SNR down the rows and {@code columns} across; "–" where a value is missing. */
  static String snrTable(List<String> columns, Map<Double, Map<String, String>> bySnr) {
    List<String> header = new ArrayList<>();
    header.add("SNR (dB)");
    header.addAll(columns);
    List<Boolean> align = new ArrayList<>();
    header.forEach(h -> align.add(true));
    List<List<String>> cells = new ArrayList<>();
    for (var snr : bySnr.entrySet()) {
      List<String> line = new ArrayList<>();
      line.add(snrLabel(snr.getKey()));
      for (String column : columns) {
        line.add(snr.getValue().getOrDefault(column, "–"));
      }
      cells.add(line);
    }
    return Markdown.table(header, align, cells);
  }

  /**
   * The curves of {@code metric} against SNR for one dataset and noise type, one per model, in percent for
   * accuracy and macro-F1; clean (infinite SNR) rows are left out. Feed it to {@link Plots#metricVsSnr}.
   */
  public Map<String, List<Plots.SnrPoint>> snrCurves(String dataset, String noise, Metric metric) {
    Map<String, List<Plots.SnrPoint>> curves = new TreeMap<>(NAME_ORDER);
    for (Row r : rows) {
      if (r.dataset().equals(dataset) && r.noise().equals(noise) && Double.isFinite(r.snrDb())
          && r.get(metric) != null) {
        Summary s = r.get(metric);
        curves.computeIfAbsent(r.model(), k -> new ArrayList<>())
            .add(new Plots.SnrPoint(r.snrDb(), s.mean() * metric.scale(), s.std() * metric.scale()));
      }
    }
    return curves;
  }

  /**
   * Draws {@code metric} against SNR for one dataset and noise type, one line per model with ± std error
   * bars, titled with the dataset, noise and number of seeds.
   *
   * @throws IllegalArgumentException if the table has no finite-SNR rows for that dataset and noise
   */
  public void writeSnrPlot(Path png, String dataset, String noise, Metric metric) throws IOException {
    writeSnrPlot(png, dataset, noise, metric, List.of());
  }

  /**
   * As {@link #writeSnrPlot(Path, String, String, Metric)}, with the published results that compare with
   * {@code metric} at this noise type ({@link PublishedResult#comparesWith}) drawn as dashed lines, one per {@link PublishedResult#series()},
   * with their published std as error bars.
   */
  public void writeSnrPlot(Path png, String dataset, String noise, Metric metric, List<PublishedResult> published)
      throws IOException {
    Map<String, List<Plots.SnrPoint>> curves = snrCurves(dataset, noise, metric);
    if (curves.isEmpty()) {
      throw new IllegalArgumentException("no results with a finite SNR for dataset '" + dataset + "' and noise '"
          + noise + "'");
    }
    IntSummaryStatistics seedCounts = rows.stream()
        .filter(r -> r.dataset().equals(dataset) && r.noise().equals(noise) && Double.isFinite(r.snrDb())
            && r.get(metric) != null)
        .mapToInt(r -> r.get(metric).n()).summaryStatistics();
    String seeds = seedCounts.getMin() == seedCounts.getMax() ? Integer.toString(seedCounts.getMax())
        : seedCounts.getMin() + "–" + seedCounts.getMax();
    Map<String, List<Plots.SnrPoint>> references = new LinkedHashMap<>();
    for (PublishedResult p : published) {
      if (p.comparesWith(noise, metric)) {
        references.computeIfAbsent(p.series(), k -> new ArrayList<>())
            .add(new Plots.SnrPoint(p.snrDb(), p.accuracyPercent(), p.stdPercent()));
      }
    }
    Plots.metricVsSnr(png, dataset + ", " + noise + " noise: " + metric.label() + " (mean ± std over " + seeds
        + " seeds)", metric.label(), curves, references);
  }

  /** Writes the accuracy, macro-F1 (and last-epoch) pivot tables and {@link #toMarkdown()}, atomically. */
  public void writeMarkdown(Path file) throws IOException {
    writeMarkdown(file, List.of(), "", "");
  }

  /**
   * Writes the accuracy, macro-F1 (and last-epoch) pivot tables; then, when some of {@code published}
   * compares, {@link #toComparisonMarkdown} for both accuracies under "Next to published results" with
   * {@code publishedNote} as its text; then {@code moreSections} (complete Markdown sections, e.g. from
   * {@link Confusions}); then {@link #toMarkdown()} under "All groups"; atomically.
   */
  public void writeMarkdown(Path file, List<PublishedResult> published, String publishedNote, String moreSections)
      throws IOException {
    String comparison = toComparisonMarkdown(published, Metric.ACCURACY)
        + toComparisonMarkdown(published, Metric.ACCURACY_FINAL_EPOCH);
    String comparisonSection = comparison.isEmpty() ? ""
        : "## Next to published results\n\n" + (publishedNote.isBlank() ? "" : publishedNote.strip() + "\n\n")
            + comparison;
    AtomicFiles.writeString(file, "# Results\n\nMean ± sample standard deviation (n − 1) over seeds; "
        + "a value without ± comes from a single seed.\n\n" + toPivotMarkdown(Metric.ACCURACY)
        + toPivotMarkdown(Metric.MACRO_F1) + finalEpochPivot() + comparisonSection + moreSections
        + "## All groups\n\n" + toMarkdown());
  }

  private String finalEpochPivot() {
    if (rows.stream().allMatch(r -> r.accuracyFinalEpoch() == null)) {
      return "";
    }
    return "The cells' accuracy is that of the epoch with the best validation accuracy. The network of the last "
        + "epoch, which some implementations report instead:\n\n" + toPivotMarkdown(Metric.ACCURACY_FINAL_EPOCH);
  }

  /**
   * Writes one CSV line per row with the columns {@code dataset, model, noise, snr_db, n_seeds, seeds,
   * accuracy_mean, accuracy_std, macro_f1_mean, macro_f1_std, train_seconds_mean, train_seconds_std,
   * accuracy_final_epoch_mean, accuracy_final_epoch_std} (the last two empty unless every seed recorded it);
   * fractions stay fractions, an undefined std is an empty field, clean data has {@code snr_db = inf}, and
   * {@code seeds} lists them separated by spaces.
   */
  public void writeCsv(Path file) throws IOException {
    List<List<String>> lines = new ArrayList<>();
    for (Row r : rows) {
      lines.add(List.of(r.dataset(), r.model(), r.noise(), number(r.snrDb()), Integer.toString(r.seeds().size()),
          String.join(" ", r.seeds().stream().map(String::valueOf).toList()),
          number(r.accuracy().mean()), number(r.accuracy().std()),
          number(r.macroF1().mean()), number(r.macroF1().std()),
          number(r.trainSeconds().mean()), number(r.trainSeconds().std()),
          r.accuracyFinalEpoch() == null ? "" : number(r.accuracyFinalEpoch().mean()),
          r.accuracyFinalEpoch() == null ? "" : number(r.accuracyFinalEpoch().std())));
    }
    CsvWriter.write(file, List.of("dataset", "model", "noise", "snr_db", "n_seeds", "seeds", "accuracy_mean",
        "accuracy_std", "macro_f1_mean", "macro_f1_std", "train_seconds_mean", "train_seconds_std",
        "accuracy_final_epoch_mean", "accuracy_final_epoch_std"), lines);
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    if (value == Double.POSITIVE_INFINITY) {
      return "inf";
    }
    return Double.toString(value);
  }

  /** "clean" for clean data, else the SNR in dB, without decimals when it is whole (shared by the tables). */
  public static String snrLabel(double snrDb) {
    if (snrDb == Double.POSITIVE_INFINITY) {
      return "clean";
    }
    return snrDb == Math.rint(snrDb) ? String.format(Locale.ROOT, "%d", (long) snrDb)
        : String.format(Locale.ROOT, "%.1f", snrDb);
  }
}
