package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One diagnoser shared by 8 threads gives exactly the sequential results: no shared mutable state. */
class ConcurrencyTest {

  @TempDir Path dir;

  @Test
  void eightThreadsTimesTenThousandWindowsMatchASequentialRun() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 7));
    int count = 10_000;
    float[][] windows = new float[count][];
    SplittableRandom random = new SplittableRandom(1);
    float[] base = TestBundles.signal(512 * 64, 12_000, 2);
    for (int n = 0; n < count; n++) {
      int start = random.nextInt(base.length - 512);
      windows[n] = new float[512];
      double gain = 0.5 + random.nextDouble();
      for (int i = 0; i < 512; i++) {
        windows[n][i] = (float) (base[start + i] * gain + 0.1 * random.nextGaussian());
      }
    }
    int[] labels = new int[count];
    float[][] probabilities = new float[count][4];
    for (int n = 0; n < count; n++) {
      labels[n] = d.predict(windows[n], probabilities[n]);
    }
    int[] perClass = new int[4];
    for (int label : labels) {
      perClass[label]++;
    }
    assertTrue(perClass[0] < count && perClass[1] < count && perClass[2] < count && perClass[3] < count,
        "the test needs windows of more than one class: " + java.util.Arrays.toString(perClass));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[][]>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t * 1250;
        futures.add(pool.submit(() -> {
          float[][] out = new float[count][4];
          for (int i = 0; i < count; i++) {
            int n = (i + offset) % count;
            d.predict(windows[n], out[n]);
          }
          return out;
        }));
      }
      for (Future<float[][]> f : futures) {
        float[][] out = f.get();
        for (int n = 0; n < count; n++) {
          assertArrayEquals(probabilities[n], out[n], "window " + n);
          assertEquals(labels[n], Diagnosis.argMax(out[n]));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
