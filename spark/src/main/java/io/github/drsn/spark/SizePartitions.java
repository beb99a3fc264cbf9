package io.github.drsn.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Groups recordings into partitions of similar total size, not of similar file count, so that one long recording
 * does not hold a stage while the other cores idle: the longest-processing-time-first rule (Graham, "Bounds on
 * multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2), 1969): files by decreasing size, each to the
 * partition with the fewest bytes so far. Its largest partition is at most 4/3 of the optimum's (plus one file), and
 * a file larger than the mean partition ends up alone.
 */
public final class SizePartitions {

  private SizePartitions() {
  }

  /**
   * The files in at most {@code partitions} groups (fewer when there are fewer files), each group in path order,
   * groups in the order of their first path.
   *
   * @throws IllegalArgumentException if {@code partitions} is below 1
   */
  public static List<List<RecordingInputs.Sized>> of(List<RecordingInputs.Sized> files, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    int n = Math.min(partitions, files.size());
    List<List<RecordingInputs.Sized>> groups = new ArrayList<>();
    long[] bytes = new long[n];
    PriorityQueue<Integer> lightest = new PriorityQueue<>(
        Comparator.<Integer>comparingLong(g -> bytes[g]).thenComparingInt(g -> g));
    for (int g = 0; g < n; g++) {
      groups.add(new ArrayList<>());
      lightest.add(g);
    }
    List<RecordingInputs.Sized> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(RecordingInputs.Sized::bytes).reversed()
        .thenComparing(RecordingInputs.Sized::path));
    for (RecordingInputs.Sized file : bySize) {
      int g = lightest.poll();
      groups.get(g).add(file);
      bytes[g] += file.bytes();
      lightest.add(g);
    }
    groups.forEach(g -> g.sort(Comparator.comparing(RecordingInputs.Sized::path)));
    groups.sort(Comparator.comparing(g -> g.get(0).path()));
    return groups;
  }
}
