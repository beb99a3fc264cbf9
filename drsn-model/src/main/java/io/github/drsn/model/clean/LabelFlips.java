package io.github.drsn.model.clean;

import io.github.drsn.datasets.split.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded label noise for validating a cleaning method against known errors: exactly round(f·n) of n windows, chosen
 * uniformly without replacement, each get a class drawn uniformly from the other C − 1 classes ("symmetric" label
 * noise, the usual benchmark of learning with noisy labels, e.g. Northcutt, Jiang &amp; Chuang, "Confident Learning",
 * JAIR 70, 2021).
 *
 * @param windows the windows with their labels after flipping, in the original order
 * @param originalClasses each window's class before flipping
 * @param flipped whether each window's label was flipped
 */
public record LabelFlips(List<Window> windows, int[] originalClasses, boolean[] flipped) {

  /**
   * @param windows the windows with their true labels
   * @param classes C, the number of classes (at least 2)
   * @param fraction f in [0, 1)
   * @param seed chooses the windows and their new classes
   * @throws IllegalArgumentException if f is outside [0, 1) or there are fewer than two classes
   */
  public static LabelFlips flip(List<Window> windows, int classes, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("the fraction of labels to flip must be in [0, 1), got " + fraction);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("flipping a label needs at least 2 classes, got " + classes);
    }
    int n = windows.size();
    int count = (int) Math.round(fraction * n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    // The first `count` places of a partial Fisher-Yates shuffle: a uniform sample without replacement.
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] original = new int[n];
    boolean[] flipped = new boolean[n];
    List<Window> out = new ArrayList<>(windows);
    for (int i = 0; i < n; i++) {
      original[i] = windows.get(i).classIndex();
    }
    for (int i = 0; i < count; i++) {
      int k = order[i];
      Window w = windows.get(k);
      // One of the other C − 1 classes, uniformly: draw from C − 1 and skip over the true class.
      int other = random.nextInt(classes - 1);
      int label = other >= w.classIndex() ? other + 1 : other;
      out.set(k, new Window(w.recordingIndex(), w.recordingId(), w.region(), w.start(), w.length(), label));
      flipped[k] = true;
    }
    return new LabelFlips(List.copyOf(out), original, flipped);
  }

  /** @return how many labels were flipped */
  public int count() {
    int c = 0;
    for (boolean f : flipped) {
      c += f ? 1 : 0;
    }
    return c;
  }
}
