package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentationTest {

  @Test
  void startsStepByStrideAndStopBeforeCrossingTheEnd() {
    assertArrayEquals(new int[] {0, 3, 6}, Segmentation.windowStarts(0, 10, 4, 3));
    assertArrayEquals(new int[] {5, 9, 13}, Segmentation.windowStarts(5, 20, 4, 4));
    assertArrayEquals(new int[] {5}, Segmentation.windowStarts(5, 9, 4, 100));
    assertArrayEquals(new int[] {100, 612, 1124}, Segmentation.windowStarts(100, 100 + 3072, 2048, 512));
  }

  @Test
  void randomRegionsNeverCrossTheirBoundaryAndUseEveryWholeWindow() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int trial = 0; trial < 10_000; trial++) {
      int start = rng.nextInt(0, 10_000);
      int length = rng.nextInt(1, 5000);
      int window = rng.nextInt(1, length + 1);
      int stride = rng.nextInt(1, 3000);
      int end = start + length;
      int[] starts = Segmentation.windowStarts(start, end, window, stride);
      assertTrue(starts.length >= 1);
      assertEquals(start, starts[0]);
      for (int s : starts) {
        assertTrue(s >= start && s + window <= end, "window [" + s + ", " + (s + window) + ") crosses " + end);
      }
      int last = starts[starts.length - 1];
      assertTrue(last + stride + window > end, "a further whole window was dropped");
    }
  }

  @Test
  void adjacentRegionsShareNoSample() {
    int trainEnd = 7000;
    int[] train = Segmentation.windowStarts(0, trainEnd, 2048, 512);
    int[] test = Segmentation.windowStarts(trainEnd, 10_000, 2048, 2048);
    assertTrue(train[train.length - 1] + 2048 <= trainEnd);
    assertTrue(test[0] >= trainEnd);
  }

  @Test
  void windowsAreCopiedFromTheSignal() {
    double[] x = {0, 1, 2, 3, 4, 5, 6};
    double[][] w = Segmentation.windows(x, 1, 6, 2, 2);
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}}, w);
    w[0][0] = 9;
    assertEquals(1.0, x[1]);
  }

  @Test
  void windowLongerThanRegionAndOtherBadArgumentsAreRejected() {
    assertMessage(() -> Segmentation.windowStarts(0, 2047, 2048, 512),
        "windowLength 2048 is longer than the region [0, 2047) of 2047 samples");
    assertMessage(() -> Segmentation.windowStarts(10, 10, 1, 1), "region [10, 10) is empty");
    assertMessage(() -> Segmentation.windowStarts(-1, 10, 1, 1), "regionStart must be >= 0");
    assertMessage(() -> Segmentation.windowStarts(0, 10, 0, 1), "windowLength must be positive");
    assertMessage(() -> Segmentation.windowStarts(0, 10, 2, 0), "stride must be positive");
    assertMessage(() -> Segmentation.windows(new double[5], 0, 6, 2, 2), "regionEnd 6 exceeds the signal length 5");
  }
}
