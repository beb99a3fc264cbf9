package io.github.drsn.model.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The folds of {@link BlockFolds} on the protocol's overlapping training windows (length 2048, stride 512) of the
 * synthetic drivetrain: no leakage, full coverage, contiguous blocks, seeded.
 */
class BlockFoldsTest {

  private static List<Window> train;

  @BeforeAll
  static void cut() {
    train = WindowedDataset.cut(SyntheticDrivetrain.dataset(42), SplitPlan.byTime(), WindowSpec.benchmark())
        .windows(Region.TRAIN);
  }

  @Test
  void everyWindowIsHeldOutInExactlyOneFoldAndNoTrainingWindowSharesASampleWithIt() {
    int k = 4;
    BlockFolds folds = BlockFolds.of(train, k, 7);
    Set<String> seen = new HashSet<>();
    for (int f = 0; f < k; f++) {
      for (Window w : folds.heldOut(f)) {
        assertTrue(seen.add(w.key()), w.key() + " is held out in two folds");
      }
      Map<Integer, List<Window>> heldByRecording = new HashMap<>();
      folds.heldOut(f).forEach(h -> heldByRecording.computeIfAbsent(h.recordingIndex(), r -> new ArrayList<>()).add(h));
      for (Window t : folds.training(f)) {
        for (Window h : heldByRecording.getOrDefault(t.recordingIndex(), List.of())) {
          boolean overlap = t.start() < h.end() && h.start() < t.end();
          assertFalse(overlap, "fold " + f + " trains on " + t.key() + ", which overlaps held-out " + h.key());
        }
      }
    }
    assertEquals(train.size(), seen.size(), "every training window is held out once");
  }

  @Test
  void eachRecordingsBlockLiesInOneFoldAndEveryFoldHasABlockOfEveryRecording() {
    int k = 3;
    BlockFolds folds = BlockFolds.of(train, k, 11);
    Map<Integer, List<Integer>> foldSequence = new HashMap<>();
    for (int i = 0; i < train.size(); i++) {
      foldSequence.computeIfAbsent(train.get(i).recordingIndex(), r -> new ArrayList<>()).add(folds.foldOf(i));
    }
    for (Map.Entry<Integer, List<Integer>> e : foldSequence.entrySet()) {
      // Windows come in time order: the fold may change only K − 1 times (one contiguous block per fold).
      List<Integer> seq = e.getValue();
      int changes = 0;
      for (int i = 1; i < seq.size(); i++) {
        changes += seq.get(i).equals(seq.get(i - 1)) ? 0 : 1;
      }
      assertEquals(k - 1, changes, "recording " + e.getKey() + ": folds in time order " + seq);
      assertEquals(k, new HashSet<>(seq).size());
      // Block sizes differ by at most one window.
      int[] count = new int[k];
      seq.forEach(f -> count[f]++);
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (int c : count) {
        min = Math.min(min, c);
        max = Math.max(max, c);
      }
      assertTrue(max - min <= 1, "block sizes " + java.util.Arrays.toString(count));
    }
  }

  @Test
  void purgingLeavesOutTheThreeOverlappingWindowsOnEachSideOfAHeldOutBlock() {
    // Length 2048, stride 512: a window overlaps the 3 windows before and after it. A block in the middle of a
    // recording therefore loses 3 + 3 training windows, one at either end of the recording 3.
    int k = 3;
    BlockFolds folds = BlockFolds.of(train, k, 3);
    for (int f = 0; f < k; f++) {
      int purged = train.size() - folds.heldOut(f).size() - folds.training(f).size();
      int expected = 0;
      Map<Integer, int[]> range = new HashMap<>();
      for (int i = 0; i < train.size(); i++) {
        int r = train.get(i).recordingIndex();
        int[] a = range.computeIfAbsent(r, x -> new int[] {Integer.MAX_VALUE, -1, Integer.MAX_VALUE, -1});
        a[0] = Math.min(a[0], i);
        a[1] = Math.max(a[1], i);
        if (folds.foldOf(i) == f) {
          a[2] = Math.min(a[2], i);
          a[3] = Math.max(a[3], i);
        }
      }
      for (int[] a : range.values()) {
        expected += Math.min(3, a[2] - a[0]) + Math.min(3, a[1] - a[3]);
      }
      assertEquals(expected, purged, "fold " + f);
      assertTrue(purged > 0);
    }
  }

  @Test
  void theSeedChoosesTheOrderOfTheBlocks() {
    BlockFolds a = BlockFolds.of(train, 3, 5);
    BlockFolds b = BlockFolds.of(train, 3, 5);
    BlockFolds c = BlockFolds.of(train, 3, 6);
    int[] fa = new int[train.size()];
    int[] fb = new int[train.size()];
    int[] fc = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      fa[i] = a.foldOf(i);
      fb[i] = b.foldOf(i);
      fc[i] = c.foldOf(i);
    }
    assertEquals(java.util.Arrays.toString(fa), java.util.Arrays.toString(fb));
    assertNotEquals(java.util.Arrays.toString(fa), java.util.Arrays.toString(fc));
  }

  @Test
  void fewerThanTwoFoldsOrMoreFoldsThanWindowsAreRefused() {
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> BlockFolds.of(train, 1, 1));
    assertTrue(one.getMessage().contains("at least 2"), one.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BlockFolds.of(train.subList(0, 2), 3, 1));
  }
}
