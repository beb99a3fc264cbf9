package io.github.drsn.cli.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which classes a group of cells (one model, noise and SNR, several seeds) confuses: the test confusion
 * matrices of its cells summed over seeds, reduced to the largest off-diagonal counts. Answers "what are
 * the remaining errors?" without a figure per cell.
 */
public final class Confusions {

  /** One group's summed matrix. */
  private static final class Group {
    final List<String> classes;
    final long[][] counts;
    int seeds;

    Group(List<String> classes) {
      this.classes = List.copyOf(classes);
      this.counts = new long[classes.size()][classes.size()];
    }
  }

  private final Map<List<Object>, Group> groups = new TreeMap<>(Comparator
      .comparing((List<Object> k) -> (String) k.get(0))
      .thenComparing(k -> (String) k.get(1))
      .thenComparingDouble(k -> (Double) k.get(2))
      .thenComparing(k -> (String) k.get(3), String.CASE_INSENSITIVE_ORDER)
      .thenComparing(k -> (String) k.get(3)));

  /**
   * Adds one cell's test confusion matrix ({@code confusion[true][predicted]}).
   *
   * @throws IllegalArgumentException if the matrix is not square over {@code classes}, or the group already
   *     has other classes
   */
  public void add(String dataset, String model, String noise, double snrDb, List<String> classes, int[][] confusion) {
    int k = classes.size();
    if (confusion.length != k || java.util.Arrays.stream(confusion).anyMatch(row -> row.length != k)) {
      throw new IllegalArgumentException("confusion matrix of " + model + " at " + snrDb + " dB is not " + k + " x " + k);
    }
    Group group = groups.computeIfAbsent(List.of(dataset, noise, snrDb + 0.0, model), key -> new Group(classes));
    if (!group.classes.equals(classes)) {
      throw new IllegalArgumentException("cells of " + model + " at " + snrDb + " dB have different classes: "
          + group.classes + " and " + classes);
    }
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        group.counts[t][p] += confusion[t][p];
      }
    }
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
      long total = 0;
      long errors = 0;
      List<long[]> offDiagonal = new ArrayList<>();
      for (int t = 0; t < g.counts.length; t++) {
        for (int p = 0; p < g.counts.length; p++) {
          total += g.counts[t][p];
          if (t != p && g.counts[t][p] > 0) {
            errors += g.counts[t][p];
            offDiagonal.add(new long[] {g.counts[t][p], t, p});
          }
        }
      }
      offDiagonal.sort(Comparator.<long[]>comparingLong(c -> -c[0]).thenComparingLong(c -> c[1])
          .thenComparingLong(c -> c[2]));
      List<String> largest = new ArrayList<>();
      for (long[] c : offDiagonal.subList(0, Math.min(top, offDiagonal.size()))) {
        largest.add(g.classes.get((int) c[1]) + " → " + g.classes.get((int) c[2]) + ": " + c[0]);
      }
      List<Object> key = entry.getKey();
      double snr = (Double) key.get(2);
      rows.add(List.of((String) key.get(0), (String) key.get(1),
          Double.isInfinite(snr) ? "clean" : snr == Math.rint(snr) ? Long.toString((long) snr)
              : String.format(Locale.ROOT, "%.1f", snr),
          (String) key.get(3), Integer.toString(g.seeds), Long.toString(total), Long.toString(errors),
          largest.isEmpty() ? "–" : String.join("; ", largest)));
    }
    return Markdown.table(List.of("dataset", "noise", "SNR (dB)", "model", "seeds", "test windows", "errors",
        "largest confusions, true → predicted: windows"),
        List.of(false, false, true, false, true, true, true, false), rows);
  }
}
