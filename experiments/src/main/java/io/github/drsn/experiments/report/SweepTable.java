package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cross-SNR table of a grid whose cells test their model at several noise levels (a cell's {@code sweep}):
 * one row per test level, one column per model and training level, test accuracy in % as mean ± sample standard
 * deviation over seeds. Shows what the single-level cells cannot: how a model trained at one level (or over a
 * range) does at every other.
 */
public final class SweepTable {

  /** training group ("model, trained at level") → test level (∞ = clean) → accuracies over seeds. */
  private final Map<String, TreeMap<Double, List<Double>>> groups = new TreeMap<>();

  /**
   * Adds a cell's sweep.
   *
   * @param model the cell's model variant
   * @param trainedAt a label of the cell's training noise, e.g. {@code "gaussian -4 dB"}
   * @param sweep the cell's {@code sweep} array: objects with {@code snr_db} (null for clean) and {@code accuracy}
   */
  public void add(String model, String trainedAt, JsonNode sweep) {
    TreeMap<Double, List<Double>> byLevel = groups.computeIfAbsent(model + ", trained " + trainedAt,
        k -> new TreeMap<>());
    for (JsonNode point : sweep) {
      double level = point.path("snr_db").isNull() ? Double.POSITIVE_INFINITY : point.path("snr_db").asDouble();
      byLevel.computeIfAbsent(level, k -> new ArrayList<>()).add(point.path("accuracy").asDouble());
    }
  }

  /** @return the Markdown section, or "" when no cell has a sweep */
  public String toMarkdown() {
    if (groups.isEmpty()) {
      return "";
    }
    TreeMap<Double, Boolean> levels = new TreeMap<>();
    groups.values().forEach(g -> g.keySet().forEach(l -> levels.put(l, true)));
    StringBuilder md = new StringBuilder("## Accuracy at every noise level\n\nEach cell's best-validation model"
        + " tested at every level of the sweep (the same test windows and evaluation noise as the cells), test"
        + " accuracy in %, mean ± std (seeds).\n\n| test level |");
    groups.keySet().forEach(g -> md.append(' ').append(g).append(" |"));
    md.append("\n| ---: |");
    groups.keySet().forEach(g -> md.append(" ---: |"));
    md.append('\n');
    for (double level : levels.keySet()) {
      md.append("| ").append(ResultTable.snrLabel(level)).append(Double.isFinite(level) ? " dB" : "").append(" |");
      for (TreeMap<Double, List<Double>> g : groups.values()) {
        List<Double> values = g.get(level);
        md.append(' ').append(values == null ? "–" : format(values)).append(" |");
      }
      md.append('\n');
    }
    return md.append('\n').toString();
  }

  private static String format(List<Double> fractions) {
    return ShiftTable.format(fractions);
  }
}
