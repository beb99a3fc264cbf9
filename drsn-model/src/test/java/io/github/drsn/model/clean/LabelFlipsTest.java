package io.github.drsn.model.clean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LabelFlips}: how many, which, to what, and seeded. */
class LabelFlipsTest {

  private static final int CLASSES = 4;

  private static List<Window> windows(int n) {
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Window(i % 7, "r" + (i % 7), Region.TRAIN, 512 * (i / 7), 2048, i % CLASSES));
    }
    return out;
  }

  @Test
  void exactlyRoundFTimesNWindowsGetAnotherClassAndTheRestKeepTheirs() {
    List<Window> original = windows(1003);
    for (double f : new double[] {0.05, 0.10, 0.0}) {
      LabelFlips flips = LabelFlips.flip(original, CLASSES, f, 17);
      int expected = (int) Math.round(f * 1003); // 50 (50.15), 100 (100.3), 0
      assertEquals(expected, flips.count());
      int changed = 0;
      for (int i = 0; i < original.size(); i++) {
        Window before = original.get(i);
        Window after = flips.windows().get(i);
        assertEquals(before.key(), after.key(), "the windows stay in place");
        assertEquals(before.classIndex(), flips.originalClasses()[i]);
        if (flips.flipped()[i]) {
          assertNotEquals(before.classIndex(), after.classIndex(), "a flipped label names another class");
          assertTrue(after.classIndex() >= 0 && after.classIndex() < CLASSES);
          changed++;
        } else {
          assertEquals(before.classIndex(), after.classIndex());
        }
      }
      assertEquals(expected, changed);
    }
  }

  @Test
  void theSameSeedFlipsTheSameWindowsToTheSameClassesAndAnotherSeedOthers() {
    List<Window> original = windows(400);
    LabelFlips a = LabelFlips.flip(original, CLASSES, 0.1, 3);
    LabelFlips b = LabelFlips.flip(original, CLASSES, 0.1, 3);
    LabelFlips c = LabelFlips.flip(original, CLASSES, 0.1, 4);
    assertArrayEquals(a.flipped(), b.flipped());
    assertEquals(a.windows(), b.windows());
    assertNotEquals(a.windows(), c.windows());
  }

  @Test
  void everyOtherClassIsATarget() {
    // 4 classes: the new label of a flipped window is uniform over the 3 others, so over 2,000 flips each of the
    // three appears 2000/3 ≈ 667 times (binomial standard deviation 21): all within ±100.
    List<Window> zeros = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      zeros.add(new Window(0, "r", Region.TRAIN, i, 8, 0));
    }
    LabelFlips flips = LabelFlips.flip(zeros, CLASSES, 0.5, 9);
    int[] counts = new int[CLASSES];
    flips.windows().forEach(w -> counts[w.classIndex()]++);
    assertEquals(2000, counts[0]);
    for (int k = 1; k < CLASSES; k++) {
      assertTrue(Math.abs(counts[k] - 2000 / 3.0) < 100, "class " + k + ": " + counts[k]);
    }
  }

  @Test
  void aFractionOutsideZeroToOneOrASingleClassIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> LabelFlips.flip(windows(10), CLASSES, 1.0, 1));
    assertThrows(IllegalArgumentException.class, () -> LabelFlips.flip(windows(10), CLASSES, -0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> LabelFlips.flip(windows(10), 1, 0.1, 1));
  }
}
