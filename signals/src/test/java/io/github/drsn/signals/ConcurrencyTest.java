package io.github.drsn.signals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {

  @Test
  void concurrentSpectraOfMixedSizesMatchSingleThreadedResults() throws Exception {
    int[] sizes = {2048, 2047, 1000, 4096, 4095};
    double[][] signals = new double[sizes.length][];
    double[][] expected = new double[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      SplittableRandom rng = new SplittableRandom(i);
      signals[i] = new double[sizes[i]];
      for (int t = 0; t < sizes[i]; t++) {
        signals[i][t] = rng.nextGaussian();
      }
      expected[i] = Envelope.spectrum(signals[i], 12_000).values();
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int task = 0; task < 40; task++) {
        int i = task % sizes.length;
        results.add(pool.submit(() -> {
          for (int repeat = 0; repeat < 20; repeat++) {
            assertArrayEquals(expected[i], Envelope.spectrum(signals[i], 12_000).values(), 0);
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A JVM whose main thread ends after large FFTs must exit promptly: JTransforms' pool threads are
   * non-daemon and would keep it alive for a minute if they were ever used.
   */
  @Test
  void jvmExitsPromptlyAfterLargeTransforms(@TempDir Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("child.log");
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LargeTransformMain.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    boolean exited = process.waitFor(20, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    assertTrue(exited, "JVM still running 20 s after main returned (non-daemon FFT pool threads?); output: "
        + output);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("done"), output);
  }

  /** Entry point of the child JVM: transforms far above JTransforms' multi-threading thresholds. */
  public static final class LargeTransformMain {
    public static void main(String[] args) {
      double[] x = new double[1 << 20];
      for (int t = 0; t < x.length; t++) {
        x[t] = Math.sin(t * 0.01);
      }
      Fft.amplitudeSpectrum(x, 1000);
      Envelope.envelope(x);
      Fft.amplitudeSpectrum(java.util.Arrays.copyOf(x, 1_000_003), 1000);
      System.out.println("done");
    }
  }
}
