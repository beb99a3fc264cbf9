package io.github.drsn.experiments.report;

import io.github.drsn.model.eval.ConfusionMatrix;
import io.github.drsn.runtime.explain.FaultFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which classes a group of cells (one model, noise and SNR, several seeds) confuses: the test confusion
 * matrices of its cells summed over seeds, reduced to the largest off-diagonal counts. Answers "what are
 * the remaining errors?" without a figure per cell, and how many of them still name the right fault family
 * ({@link FaultFamily#sameFamily}: the right race at the wrong size), which is what a maintenance decision needs
 * and what the physics of {@code drsn explain} can check.
 */
public final class Confusions {

  /** A group, in table order: dataset, noise, SNR ascending, model. */
  private record Key(String dataset, String noise, double snrDb, String model) {}

  private static final Comparator<Key> ORDER = Comparator.comparing(Key::dataset).thenComparing(Key::noise)
      .thenComparingDouble(Key::snrDb).thenComparing(Key::model, String.CASE_INSENSITIVE_ORDER)
      .thenComparing(Key::model);

  /** One group's classes, summed matrix and number of cells. */
  private static final class Group {
    final List<String> classes;
    final ConfusionMatrix sum;
    int seeds;

    Group(List<String> classes) {
      this.classes = List.copyOf(classes);
      this.sum = new ConfusionMatrix(classes.size());
    }
  }

  private final Map<Key, Group> groups = new TreeMap<>(ORDER);

  /**
   * Adds one cell's test confusion matrix ({@code confusion[true][predicted]}).
   *
   * @throws IllegalArgumentException if the matrix is not square over {@code classes}, or the group already
   *     has other classes
   */
  public void add(String dataset, String model, String noise, double snrDb, List<String> classes, int[][] confusion) {
    if (confusion.length != classes.size()) {
      throw new IllegalArgumentException("confusion matrix of " + model + " at " + snrDb + " dB has "
          + confusion.length + " rows for " + classes.size() + " classes");
    }
    ConfusionMatrix cell = ConfusionMatrix.ofCounts(
        Arrays.stream(confusion).map(row -> Arrays.stream(row).asLongStream().toArray()).toArray(long[][]::new));
    Group group = groups.computeIfAbsent(new Key(dataset, noise, snrDb + 0.0, model), key -> new Group(classes));
    if (!group.classes.equals(classes)) {
      throw new IllegalArgumentException("cells of " + model + " at " + snrDb + " dB have different classes: "
          + group.classes + " and " + classes);
    }
    group.sum.addAll(cell);
    group.seeds++;
  }

  /**
   * A Markdown table, one row per group: the number of seeds, test windows, errors, and the {@code top}
   * largest confusions as "true → predicted: windows" (summed over seeds); empty when nothing was added.
   */
  public String toMarkdown(int top) {
    if (groups.isEmpty()) {
      return "";
    }
    List<List<String>> rows = new ArrayList<>();
    for (var entry : groups.entrySet()) {
      Group g = entry.getValue();
      int k = g.classes.size();
      List<int[]> offDiagonal = new ArrayList<>();
      long correct = 0;
      long rightFamily = 0;
      for (int t = 0; t < k; t++) {
        correct += g.sum.count(t, t);
        for (int p = 0; p < k; p++) {
          if (FaultFamily.sameFamily(g.classes.get(t), g.classes.get(p))) {
            rightFamily += g.sum.count(t, p);
          }
          if (t != p && g.sum.count(t, p) > 0) {
            offDiagonal.add(new int[] {t, p});
          }
        }
      }
      offDiagonal.sort(Comparator.<int[]>comparingLong(c -> -g.sum.count(c[0], c[1])));
      List<String> largest = new ArrayList<>();
      for (int[] c : offDiagonal.subList(0, Math.min(top, offDiagonal.size()))) {
        largest.add(g.classes.get(c[0]) + " → " + g.classes.get(c[1]) + ": " + g.sum.count(c[0], c[1]));
      }
      Key key = entry.getKey();
      rows.add(List.of(key.dataset(), key.noise(), ResultTable.snrLabel(key.snrDb()), key.model(),
          Integer.toString(g.seeds), Long.toString(g.sum.total()), Long.toString(g.sum.total() - correct),
          familiesMerge(g.classes) && g.sum.total() > 0
              ? String.format(java.util.Locale.ROOT, "%.1f", 100.0 * rightFamily / g.sum.total()) : "–",
          largest.isEmpty() ? "–" : String.join("; ", largest)));
    }
    return Markdown.table(List.of("dataset", "noise", "SNR (dB)", "model", "seeds", "test windows", "errors",
        "right family (%)", "largest confusions, true → predicted: windows"),
        List.of(false, false, true, false, true, true, true, true, false), rows);
  }

  /** Whether some family holds several of the classes, so that family accuracy can differ from accuracy. */
  private static boolean familiesMerge(List<String> classes) {
    for (int a = 0; a < classes.size(); a++) {
      for (int b = a + 1; b < classes.size(); b++) {
        if (FaultFamily.sameFamily(classes.get(a), classes.get(b))) {
          return true;
        }
      }
    }
    return false;
  }
}
