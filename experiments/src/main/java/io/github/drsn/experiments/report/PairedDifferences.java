package io.github.drsn.experiments.report;

import io.github.drsn.model.eval.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each model against a baseline model, seed by seed: for every (dataset, noise, SNR) and every seed that both
 * ran, the difference d = accuracy(model) − accuracy(baseline), summarised as mean ± sample std of d over those
 * seeds and the number of seeds with d &gt; 0.
 *
 * <p>Why pair: under one seed both networks train on the same class-balanced draws with the same noise
 * realisations, and every model is tested on the same noisy test windows (one evaluation seed), so the seed's
 * luck of the draw largely cancels in d. Two group means with overlapping spreads can still hide a consistent
 * difference, and a mean difference can come from one seed; the paired table shows both. It does not test
 * significance: with three seeds it cannot.
 */
public final class PairedDifferences {

  private record Key(String dataset, String noise, double snrDb, String model) {}

  /** Panels (dataset, noise) in the order of the other tables. */
  private static final Comparator<List<String>> PANEL_ORDER = Comparator.<List<String>, String>comparing(
      p -> p.get(0), ResultTable.NAME_ORDER).thenComparing(p -> p.get(1), ResultTable.NAME_ORDER);

  private final String baseline;
  private final Map<Key, Map<Long, CellResult>> cells = new LinkedHashMap<>();

  /**
   * @param results the grid's cell results
   * @param baseline the model every other model is compared with, as named in the cells
   */
  public PairedDifferences(List<CellResult> results, String baseline) {
    this.baseline = Objects.requireNonNull(baseline, "baseline");
    for (CellResult r : results) {
      cells.computeIfAbsent(new Key(r.dataset(), r.noise(), r.snrDb(), r.model()), k -> new TreeMap<>())
          .put(r.seed(), r);
    }
  }

  /**
   * The differences of {@code metric} ({@link Metric#ACCURACY} or
   * {@link Metric#ACCURACY_FINAL_EPOCH}) in percentage points over the seeds both groups have, or
   * null when they share no seed (or a shared cell lacks the metric).
   */
  public Summary difference(String dataset, String noise, double snrDb, String model, Metric metric) {
    double[] differences = perSeed(dataset, noise, snrDb, model, metric);
    return differences == null ? null : Summary.of(differences);
  }

  /** How many of the shared seeds put {@code model} ahead of the baseline on {@code metric} (a tie is not). */
  public int seedsAhead(String dataset, String noise, double snrDb, String model, Metric metric) {
    double[] differences = perSeed(dataset, noise, snrDb, model, metric);
    return differences == null ? 0 : ahead(differences);
  }

  private static int ahead(double[] differences) {
    return (int) Arrays.stream(differences).filter(d -> d > 0).count();
  }

  /** model − baseline in percentage points, one per shared seed (ascending), or null as in {@link #difference}. */
  private double[] perSeed(String dataset, String noise, double snrDb, String model, Metric metric) {
    Map<Long, CellResult> ours = cells.getOrDefault(new Key(dataset, noise, snrDb, model), Map.of());
    Map<Long, CellResult> theirs = cells.getOrDefault(new Key(dataset, noise, snrDb, baseline), Map.of());
    List<Double> differences = new ArrayList<>();
    for (var seed : ours.entrySet()) {
      CellResult base = theirs.get(seed.getKey());
      if (base != null) {
        double d = value(seed.getValue(), metric) - value(base, metric);
        if (Double.isNaN(d)) {
          return null;
        }
        differences.add(100 * d);
      }
    }
    return differences.isEmpty() ? null : differences.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A Markdown section "Against &lt;baseline&gt;, seed by seed": per (dataset, noise) with the baseline, one table
   * for the last epoch's accuracy (when the cells have it) and one for the best validation epoch's, SNR down the
   * rows, one column per other model; cells "+1.2 ± 0.8 (2/3)": mean ± std of the difference in percentage points,
   * then seeds ahead / seeds paired. Empty when no model shares a seed with the baseline.
   */
  public String toMarkdown() {
    Map<List<String>, TreeSet<Double>> snrsByPanel = new TreeMap<>(PANEL_ORDER);
    Map<List<String>, TreeSet<String>> modelsByPanel = new TreeMap<>(PANEL_ORDER);
    for (Key k : cells.keySet()) {
      List<String> panel = List.of(k.dataset(), k.noise());
      snrsByPanel.computeIfAbsent(panel, p -> new TreeSet<>()).add(k.snrDb());
      if (!k.model().equals(baseline)) {
        modelsByPanel.computeIfAbsent(panel, p -> new TreeSet<>(ResultTable.NAME_ORDER)).add(k.model());
      }
    }
    StringBuilder md = new StringBuilder();
    for (Metric metric : List.of(Metric.ACCURACY_FINAL_EPOCH, Metric.ACCURACY)) {
      for (var panel : snrsByPanel.entrySet()) {
        List<String> models = List.copyOf(modelsByPanel.getOrDefault(panel.getKey(), new TreeSet<>()));
        String dataset = panel.getKey().get(0);
        String noise = panel.getKey().get(1);
        Map<Double, Map<String, String>> bySnr = new TreeMap<>();
        boolean any = false;
        for (double snr : panel.getValue()) {
          Map<String, String> line = bySnr.computeIfAbsent(snr, s -> new LinkedHashMap<>());
          for (String model : models) {
            double[] differences = perSeed(dataset, noise, snr, model, metric);
            if (differences != null) {
              any = true;
              Summary d = Summary.of(differences);
              line.put(column(model), signed(d.mean())
                  + (d.hasStd() ? String.format(Locale.ROOT, " ± %.1f", d.std()) : "")
                  + " (" + ahead(differences) + "/" + d.n() + ")");
            }
          }
        }
        if (any) {
          md.append("**").append(dataset).append(", ").append(noise).append(" noise: ")
              .append(metric == Metric.ACCURACY ? "test accuracy of the best validation epoch"
                  : "test accuracy of the last epoch")
              .append(", model − ").append(baseline)
              .append(" (percentage points) per seed: mean ± std (seeds ahead/seeds)**\n\n")
              .append(ResultTable.snrTable(models.stream().map(this::column).toList(), bySnr)).append('\n');
        }
      }
    }
    if (md.isEmpty()) {
      return "";
    }
    return "## Against " + baseline + ", seed by seed\n\nFor each seed both ran, the difference of test accuracy"
        + " between a model and " + baseline + "; under one seed both train on the same draws and noise, and all"
        + " models are tested on the same noisy windows, so much of a seed's luck cancels in the difference (not all:"
        + " initial weights and training paths still differ). Then how many of those seeds put the model ahead. No"
        + " significance test: three seeds cannot give one.\n\n" + md;
  }

  /** "+1.3", "-0.4"; a mean that rounds to zero is "0.0", with no sign it does not have at this precision. */
  static String signed(double points) {
    String text = String.format(Locale.ROOT, "%+.1f", points);
    return text.equals("-0.0") || text.equals("+0.0") ? "0.0" : text;
  }

  private String column(String model) {
    return model + " − " + baseline;
  }

  private static double value(CellResult cell, Metric metric) {
    return switch (metric) {
      case ACCURACY -> cell.accuracy();
      case ACCURACY_FINAL_EPOCH -> cell.accuracyFinalEpoch();
      default -> throw new IllegalArgumentException("paired differences are of accuracies, not " + metric);
    };
  }
}
