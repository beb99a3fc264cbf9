package io.github.drsn.experiments.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How well each group of cells fits its data by the end of training: the training loss (the mean
 * cross-entropy over the last epoch's batches) and the validation loss of the last epoch, each the mean over
 * the group's seeds, from the cells' per-epoch history.
 *
 * <p>Why it belongs next to the accuracies: it tells underfitting from overfitting. When the validation loss
 * is not above the training loss (no overfitting, as when noise is drawn afresh for every batch), a lower
 * training loss should go with a higher test accuracy, and comparing two networks becomes comparing how far
 * each gets in fitting the noisy training data within the step budget.
 */
public final class LastEpochLosses {

  private record Panel(String dataset, String noise) {}

  private record Losses(List<Double> train, List<Double> validation) {}

  private final Map<Panel, Map<Double, Map<String, Losses>>> panels = new TreeMap<>(
      java.util.Comparator.comparing(Panel::dataset, ResultTable.NAME_ORDER)
          .thenComparing(Panel::noise, ResultTable.NAME_ORDER));

  /**
   * Adds one cell's last-epoch losses; a NaN (not measured) is left out of its mean.
   */
  public void add(String dataset, String noise, double snrDb, String model, double trainLoss, double validationLoss) {
    Losses losses = panels.computeIfAbsent(new Panel(dataset, noise), k -> new TreeMap<>())
        .computeIfAbsent(snrDb + 0.0, k -> new TreeMap<>(ResultTable.NAME_ORDER))
        .computeIfAbsent(model, k -> new Losses(new ArrayList<>(), new ArrayList<>()));
    if (Double.isFinite(trainLoss)) {
      losses.train().add(trainLoss);
    }
    if (Double.isFinite(validationLoss)) {
      losses.validation().add(validationLoss);
    }
  }

  /**
   * One table per (dataset, noise): SNR down, models across, each entry "training / validation (seeds)" with
   * three decimals ("–" for a loss no seed measured); empty when nothing was added.
   */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    for (var panel : panels.entrySet()) {
      TreeSet<String> models = new TreeSet<>(ResultTable.NAME_ORDER);
      panel.getValue().values().forEach(m -> models.addAll(m.keySet()));
      Map<Double, Map<String, String>> bySnr = new TreeMap<>();
      for (var snr : panel.getValue().entrySet()) {
        Map<String, String> row = new TreeMap<>(ResultTable.NAME_ORDER);
        snr.getValue().forEach((model, losses) -> row.put(model, mean(losses.train()) + " / "
            + mean(losses.validation()) + " (" + Math.max(losses.train().size(), losses.validation().size()) + ")"));
        bySnr.put(snr.getKey(), row);
      }
      md.append("**").append(panel.getKey().dataset()).append(", ").append(panel.getKey().noise())
          .append(" noise: training / validation loss of the last epoch, mean over seeds (seeds)**\n\n")
          .append(ResultTable.snrTable(new ArrayList<>(models), bySnr)).append('\n');
    }
    return md.toString();
  }

  private static String mean(List<Double> values) {
    return values.isEmpty() ? "–"
        : String.format(Locale.ROOT, "%.3f", values.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
  }
}
