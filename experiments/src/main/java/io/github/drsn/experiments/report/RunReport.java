package io.github.drsn.experiments.report;

import io.github.drsn.model.eval.ClassificationReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything {@link ReportWriter} puts into a run's report.
 *
 * @param title a one-line description, e.g. "DRSN-CW, gaussian noise at -6 dB, seed 1"
 * @param configuration the run's exact configuration as the caller's own JSON-able tree (maps, lists,
 *     strings, numbers, booleans, enums, records); keys in the order given
 * @param provenance versions, date, seed and hashed data files
 * @param history per-epoch training record (may be empty, e.g. for an evaluation-only run)
 * @param evaluations metrics per data split, in the order given, keyed by a snake_case split name such as
 *     {@code validation}, {@code test} or {@code test_final_epoch}
 * @param outcome how training ended, e.g. {@code best_epoch}, {@code stop_reason}; empty for an
 *     evaluation-only report
 */
public record RunReport(String title, Map<String, Object> configuration, Provenance provenance,
    TrainingHistory history, Map<String, ClassificationReport> evaluations, Map<String, Object> outcome) {

  /** A report without a training outcome (e.g. of an evaluation). */
  public RunReport(String title, Map<String, Object> configuration, Provenance provenance,
      TrainingHistory history, Map<String, ClassificationReport> evaluations) {
    this(title, configuration, provenance, history, evaluations, Map.of());
  }

  private static final Pattern SPLIT_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** Validates and takes ordered, unmodifiable copies. */
  public RunReport {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(provenance, "provenance");
    configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    history = TrainingHistory.of(history.epochs());
    for (String split : evaluations.keySet()) {
      if (!SPLIT_NAME.matcher(split).matches()) {
        throw new IllegalArgumentException("split name '" + split + "' must be snake_case ([a-z][a-z0-9_]*): "
            + "it becomes a JSON key and part of a file name");
      }
    }
    evaluations = Collections.unmodifiableMap(new LinkedHashMap<>(evaluations));
    outcome = Collections.unmodifiableMap(new LinkedHashMap<>(outcome));
  }

  /** The history (a copy, since {@link TrainingHistory} is appendable). */
  @Override
  public TrainingHistory history() {
    return TrainingHistory.of(history.epochs());
  }
}
