package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shift table of a grid whose cells test their model on other data sets (a cell's {@code shift}): one row
 * per test set, one column per model and training level, test accuracy in % as mean ± sample standard deviation
 * over seeds, next to the accuracy on the model's own test windows.
 */
public final class ShiftTable {

  private static final String OWN = "own test windows";

  /** model group → test set → accuracies over seeds. */
  private final Map<String, Map<String, List<Double>>> groups = new TreeMap<>();
  private final Map<String, String> descriptions = new LinkedHashMap<>();

  /**
   * Adds a cell's results.
   *
   * @param group the cell's model and training level
   * @param ownAccuracy its accuracy on its own test windows
   * @param shift the cell's {@code shift} array: objects with {@code name}, {@code data} and {@code accuracy}
   */
  public void add(String group, double ownAccuracy, JsonNode shift) {
    Map<String, List<Double>> sets = groups.computeIfAbsent(group, k -> new LinkedHashMap<>());
    sets.computeIfAbsent(OWN, k -> new ArrayList<>()).add(ownAccuracy);
    for (JsonNode test : shift) {
      sets.computeIfAbsent(test.path("name").asText(), k -> new ArrayList<>()).add(test.path("accuracy").asDouble());
      descriptions.putIfAbsent(test.path("name").asText(), test.path("data").asText());
    }
  }

  /** @return the Markdown section, or "" when no cell has shift results */
  public String toMarkdown() {
    if (groups.isEmpty()) {
      return "";
    }
    List<String> sets = new ArrayList<>();
    sets.add(OWN);
    sets.addAll(descriptions.keySet());
    StringBuilder md = new StringBuilder("## Under shift\n\nEach cell's best-validation model on the test windows of"
        + " other data sets at the cell's noise level, through the runtime; test accuracy in %, mean ± std (seeds).\n\n"
        + "| test set |");
    groups.keySet().forEach(g -> md.append(' ').append(g).append(" |"));
    md.append("\n| --- |");
    groups.keySet().forEach(g -> md.append(" ---: |"));
    md.append('\n');
    for (String set : sets) {
      md.append("| ").append(set).append(" |");
      for (Map<String, List<Double>> g : groups.values()) {
        List<Double> values = g.get(set);
        md.append(' ').append(values == null ? "–" : format(values)).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
    descriptions.forEach((name, data) -> md.append("- ").append(name).append(": ").append(data).append('\n'));
    return md.append('\n').toString();
  }

  static String format(List<Double> fractions) {
    double mean = fractions.stream().mapToDouble(v -> v).average().orElse(Double.NaN);
    if (fractions.size() == 1) {
      return String.format(Locale.ROOT, "%.1f (1)", 100 * mean);
    }
    double ss = 0;
    for (double v : fractions) {
      ss += (v - mean) * (v - mean);
    }
    return String.format(Locale.ROOT, "%.1f ± %.1f (%d)", 100 * mean, 100 * Math.sqrt(ss / (fractions.size() - 1)),
        fractions.size());
  }
}
