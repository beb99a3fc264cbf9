package io.github.drsn.model.clean;

import io.github.drsn.datasets.split.Window;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * K-fold cross-validation over overlapping windows without leakage. Windows of one recording overlap (length 2048,
 * stride 512: each sample lies in four windows), so folds drawn window by window would put copies of a held-out
 * window's samples into its fold's training set, and the ensemble would score windows it has, in part, memorised.
 * Instead each recording's windows, in time order, are cut into K contiguous time blocks whose window counts differ
 * by at most one, and the blocks of each recording go to the K folds in a seeded random
 * order, so every fold holds about 1/K of every recording (and so of every class). Training for fold f then uses the
 * windows of the other folds that share no sample with any held-out window of fold f ("purged" K-fold, López de
 * Prado 2018, ch. 7): about (length/stride − 1) windows on each side of every boundary of the held-out block are left
 * out.
 *
 * <p>A recording with fewer than K windows fills only some folds; every window still lies in exactly one held-out
 * fold.
 */
public final class BlockFolds {

  private final List<Window> windows;
  private final int folds;
  private final int[] foldOf;

  private BlockFolds(List<Window> windows, int folds, int[] foldOf) {
    this.windows = windows;
    this.folds = folds;
    this.foldOf = foldOf;
  }

  /**
   * Assigns windows to folds.
   *
   * @param windows the windows to cross-validate (usually a data set's training region), any order
   * @param folds K, at least 2
   * @param seed chooses the order in which each recording's blocks go to the folds
   * @throws IllegalArgumentException if K is below 2 or there are fewer windows than folds
   */
  public static BlockFolds of(List<Window> windows, int folds, long seed) {
    if (folds < 2) {
      throw new IllegalArgumentException("folds must be at least 2 (K-fold cross-validation), got " + folds);
    }
    if (windows.size() < folds) {
      throw new IllegalArgumentException(folds + " folds need at least " + folds + " windows, got " + windows.size());
    }
    Map<Integer, List<Integer>> byRecording = new LinkedHashMap<>();
    for (int i = 0; i < windows.size(); i++) {
      byRecording.computeIfAbsent(windows.get(i).recordingIndex(), r -> new ArrayList<>()).add(i);
    }
    int[] foldOf = new int[windows.size()];
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> recordings = new ArrayList<>(byRecording.keySet());
    Collections.sort(recordings);
    for (int recording : recordings) {
      List<Integer> indices = byRecording.get(recording);
      indices.sort((a, b) -> Integer.compare(windows.get(a).start(), windows.get(b).start()));
      int[] order = permutation(folds, random);
      int n = indices.size();
      for (int p = 0; p < n; p++) {
        // Block b holds positions [⌈b·n/K⌉, ⌈(b+1)·n/K⌉): contiguous in time, sizes differing by at most one.
        int block = (int) ((long) p * folds / n);
        foldOf[indices.get(p)] = order[block];
      }
    }
    return new BlockFolds(List.copyOf(windows), folds, foldOf);
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = p[i];
      p[i] = p[j];
      p[j] = swap;
    }
    return p;
  }

  /** @return K */
  public int folds() {
    return folds;
  }

  /** @return the windows, in the order given */
  public List<Window> windows() {
    return windows;
  }

  /**
   * @param index a window's position in {@link #windows()}
   * @return the fold in which that window is held out
   */
  public int foldOf(int index) {
    return foldOf[index];
  }

  /** @return the windows held out in {@code fold}, in the order of {@link #windows()} */
  public List<Window> heldOut(int fold) {
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      if (foldOf[i] == fold) {
        out.add(windows.get(i));
      }
    }
    return out;
  }

  /**
   * The windows that train the models scoring {@code fold}: those of the other folds that share no sample with a
   * window held out in {@code fold}.
   */
  public List<Window> training(int fold) {
    // The held-out windows of one recording are one contiguous block, so their union is one sample interval.
    Map<Integer, int[]> heldExtent = new LinkedHashMap<>();
    for (int i = 0; i < windows.size(); i++) {
      if (foldOf[i] == fold) {
        Window w = windows.get(i);
        heldExtent.merge(w.recordingIndex(), new int[] {w.start(), w.end()},
            (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
    }
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      Window w = windows.get(i);
      int[] held = heldExtent.get(w.recordingIndex());
      boolean overlaps = held != null && w.start() < held[1] && held[0] < w.end();
      if (foldOf[i] != fold && !overlaps) {
        out.add(w);
      }
    }
    return out;
  }
}
