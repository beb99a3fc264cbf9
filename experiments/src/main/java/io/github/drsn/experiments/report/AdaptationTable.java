package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The adaptation table of a grid whose cells adapt their model without labels to their test windows (a cell's
 * {@code adaptation}): one row per model and method, the test accuracy and the fault-family accuracy in % before
 * and after adaptation as mean ± sample standard deviation over seeds, and how many adapted models the guard of
 * {@code drsn adapt} would have refused.
 */
public final class AdaptationTable {

  /** One model and method over seeds. */
  private static final class Row {
    final List<Double> sourceAccuracy = new ArrayList<>();
    final List<Double> accuracy = new ArrayList<>();
    final List<Double> sourceFamily = new ArrayList<>();
    final List<Double> family = new ArrayList<>();
    int refused;
  }

  /** model → method → row. */
  private final Map<String, Map<String, Row>> rows = new TreeMap<>();

  /**
   * Adds a cell's results.
   *
   * @param model the cell's model group
   * @param adaptation the cell's {@code adaptation} array: objects with {@code method}, {@code source_accuracy},
   *     {@code accuracy}, {@code source_family_accuracy}, {@code family_accuracy} and {@code refused}
   */
  public void add(String model, JsonNode adaptation) {
    for (JsonNode a : adaptation) {
      Row row = rows.computeIfAbsent(model, k -> new LinkedHashMap<>())
          .computeIfAbsent(a.path("method").asText(), k -> new Row());
      row.sourceAccuracy.add(a.path("source_accuracy").asDouble());
      row.accuracy.add(a.path("accuracy").asDouble());
      row.sourceFamily.add(a.path("source_family_accuracy").asDouble());
      row.family.add(a.path("family_accuracy").asDouble());
      row.refused += a.path("refused").asBoolean() ? 1 : 0;
    }
  }

  /** @return the Markdown section, or "" when no cell has adaptation results */
  public String toMarkdown() {
    if (rows.isEmpty()) {
      return "";
    }
    List<List<String>> table = new ArrayList<>();
    rows.forEach((model, methods) -> methods.forEach((method, r) -> table.add(List.of(model, method,
        ShiftTable.format(r.sourceAccuracy), ShiftTable.format(r.accuracy), ShiftTable.format(r.sourceFamily),
        ShiftTable.format(r.family), r.refused + " of " + r.accuracy.size()))));
    return "## Adapted without labels\n\nEach cell's best-validation model adapted to its own test windows without"
        + " their labels (the transductive setting; the windows carry their evaluation noise), then scored on them:"
        + " class and fault-family accuracy in %, mean ± std (seeds). The guard column counts adapted models that"
        + " `drsn adapt` would have refused (they are scored anyway).\n\n"
        + Markdown.table(List.of("model", "method", "accuracy before", "accuracy after", "family before",
            "family after", "guard refused"), List.of(false, false, true, true, true, true, true), table) + "\n";
  }
}
