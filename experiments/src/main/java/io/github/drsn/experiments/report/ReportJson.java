package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.model.eval.ClassMetrics;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.eval.ConfusionMatrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a run report ({@code report.json}, format version 1). Keys are stable snake_case:
 * <pre>
 * {
 *   "format": "drsn-run-report", "format_version": 1, "title": "...",
 *   "configuration": { ...the caller's tree... },
 *   "provenance": {"project_version", "created_utc", "seed", "java_version", "platform",
 *                  "data_files": [{"path", "sha256", "size_bytes"}]},
 *   "training_seconds": 123.4,
 *   "history": {"epochs": [{"epoch", "train_loss", "validation_loss", "validation_accuracy",
 *                           "learning_rate", "seconds"}]},
 *   "outcome": {"best_epoch", "epochs_completed", "stop_reason", "warnings": ["..."]},  (training runs only)
 *   "metrics": {"test": {"classes": [...], "samples": N, "accuracy", "macro_f1", "macro_precision",
 *                        "macro_recall", "per_class": [{"class", "precision", "recall", "f1", "support"}],
 *                        "confusion": [[...], ...]},
 *               "test_final_epoch": {...the same, for the network of the last epoch...}}
 * }
 * </pre>
 * {@code confusion[t][p]} counts samples of true class {@code t} predicted as {@code p}; metric
 * definitions are those of {@link ConfusionMatrix}. Unmeasured numbers are {@code null}.
 */
public final class ReportJson {

  /** Value of the {@code format} key. */
  public static final String FORMAT = "drsn-run-report";
  /** Incremented whenever a key is renamed or removed; adding keys keeps the version. */
  public static final int FORMAT_VERSION = 1;

  private ReportJson() {}

  /** The whole report as a JSON tree. */
  public static ObjectNode toJsonTree(RunReport report) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("title", report.title());
    root.set("configuration", Json.MAPPER.valueToTree(report.configuration()));
    root.set("provenance", provenance(report.provenance()));
    Json.putNumber(root, "training_seconds", report.history().totalSeconds());
    root.set("history", report.history().toJsonTree());
    if (!report.outcome().isEmpty()) {
      root.set("outcome", Json.MAPPER.valueToTree(report.outcome()));
    }
    ObjectNode metrics = root.putObject("metrics");
    report.evaluations().forEach((split, evaluation) -> metrics.set(split, metrics(evaluation)));
    return root;
  }

  /** The provenance object. */
  public static ObjectNode provenance(Provenance p) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("project_version", p.projectVersion());
    node.put("created_utc", p.createdUtc().toString());
    node.put("seed", p.seed());
    node.put("java_version", p.javaVersion());
    node.put("platform", p.platform());
    ArrayNode files = node.putArray("data_files");
    for (DataFile f : p.dataFiles()) {
      files.addObject().put("path", f.path()).put("sha256", f.sha256()).put("size_bytes", f.sizeBytes());
    }
    return node;
  }

  /** The metrics object of one evaluation. Accuracy and macro-F1 are null when no samples were evaluated. */
  public static ObjectNode metrics(ClassificationReport r) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    ArrayNode classes = node.putArray("classes");
    r.classNames().forEach(classes::add);
    node.put("samples", r.total());
    boolean empty = r.total() == 0;
    Json.putNumber(node, "accuracy", empty ? Double.NaN : r.accuracy());
    Json.putNumber(node, "macro_f1", empty ? Double.NaN : r.macroF1());
    Json.putNumber(node, "macro_precision", empty ? Double.NaN : r.macroPrecision());
    Json.putNumber(node, "macro_recall", empty ? Double.NaN : r.macroRecall());
    ArrayNode perClass = node.putArray("per_class");
    for (ClassMetrics m : r.perClass()) {
      perClass.addObject()
          .put("class", m.className())
          .put("precision", m.precision())
          .put("recall", m.recall())
          .put("f1", m.f1())
          .put("support", m.support());
    }
    ArrayNode confusion = node.putArray("confusion");
    for (long[] row : r.confusionCounts()) {
      ArrayNode rowNode = confusion.addArray();
      for (long v : row) {
        rowNode.add(v);
      }
    }
    return node;
  }

  /**
   * Rebuilds an evaluation from its metrics object: the class names and confusion counts are read and
   * every metric is recomputed from them (the stored numbers are for readers of the file).
   *
   * @throws IllegalArgumentException if {@code classes} or {@code confusion} is missing or inconsistent
   */
  public static ClassificationReport parseMetrics(JsonNode node) {
    JsonNode classes = Json.required(node, "classes");
    JsonNode confusion = Json.required(node, "confusion");
    if (!classes.isArray() || !confusion.isArray() || confusion.size() != classes.size()) {
      throw new IllegalArgumentException("'confusion' must be a " + classes.size() + " x " + classes.size()
          + " array matching 'classes'");
    }
    List<String> names = new ArrayList<>();
    classes.forEach(c -> names.add(c.asText()));
    long[][] counts = new long[names.size()][names.size()];
    for (int t = 0; t < names.size(); t++) {
      JsonNode row = confusion.get(t);
      if (!row.isArray() || row.size() != names.size()) {
        throw new IllegalArgumentException("confusion row " + t + " does not have " + names.size() + " entries");
      }
      for (int p = 0; p < names.size(); p++) {
        if (!row.get(p).canConvertToLong()) {
          throw new IllegalArgumentException("confusion[" + t + "][" + p + "] is not an integer: " + row.get(p));
        }
        counts[t][p] = row.get(p).asLong();
      }
    }
    return ClassificationReport.of(names, ConfusionMatrix.ofCounts(counts));
  }

  /** Parses a report.json file into a tree. */
  public static JsonNode read(Path reportJson) throws IOException {
    JsonNode root = Json.MAPPER.readTree(reportJson.toFile());
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException(reportJson + ": not a " + FORMAT + " file");
    }
    int version = root.path("format_version").asInt();
    if (version != FORMAT_VERSION) {
      throw new IOException(reportJson + ": format_version " + version + " is not supported (expected "
          + FORMAT_VERSION + ")");
    }
    return root;
  }

  /** The evaluation of {@code split} (e.g. "test") stored in a report.json file. */
  public static ClassificationReport readMetrics(Path reportJson, String split) throws IOException {
    JsonNode metrics = read(reportJson).path("metrics").get(split);
    if (metrics == null) {
      throw new IOException(reportJson + ": no metrics for split '" + split + "'");
    }
    try {
      return parseMetrics(metrics);
    } catch (IllegalArgumentException e) {
      throw new IOException(reportJson + ": " + e.getMessage(), e);
    }
  }
}
