package io.github.drsn.model.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Target recordings are cut as the runtime cuts them, and unhealthy windows are left out. */
class TargetWindowsTest {

  private static final InputSpec SPEC = new InputSpec(1000, 100, 1, Normalization.Z_SCORE, Representation.TIME);

  @TempDir Path dir;

  private Path csv(String name, double[] samples) throws Exception {
    StringBuilder text = new StringBuilder("accel\n");
    for (double v : samples) {
      text.append(v).append('\n');
    }
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void windowsAreCutEveryHopAndADeadStretchIsLeftOut() throws Exception {
    double[] x = new double[450];
    for (int i = 0; i < 300; i++) {
      x[i] = Math.sin(0.3 * i) + 0.01 * i;
    }
    // samples 300..449 are 0: a dead sensor under every window that lies there entirely
    Path file = csv("a.csv", x);
    TargetWindows t = TargetWindows.read(List.of(file), 1000.0, List.of(), SPEC, HealthCheck.DEFAULT, 50);
    // starts 0, 50, ..., 350: 8 windows; those at 300 and 350 are all zeros (dead sensor), the one at 250 ends in
    // 50 zeros, a flat run at its minimum, which the runtime's health check reports as clipping
    assertEquals(1, t.files().size());
    assertEquals(5, t.files().get(0).windows());
    assertEquals(3, t.files().get(0).unhealthy());
    assertEquals(5, t.windows().size());
    float[] expected = new float[100];
    for (int l = 0; l < 100; l++) {
      expected[l] = (float) x[50 + l];
    }
    assertArrayEquals(expected, t.windows().get(1));
    assertEquals(FileDigests.sha256(file), t.files().get(0).sha256());
    assertEquals(50, t.describe().get("hop"));
  }

  @Test
  void aRecordingShorterThanAWindowIsNamedInTheError() throws Exception {
    Path file = csv("short.csv", new double[] {1, 2, 3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TargetWindows.read(List.of(file), 1000.0, List.of(), SPEC, HealthCheck.DEFAULT, 0));
    assertTrue(e.getMessage().startsWith(file + ": the recording has 3 samples"), e.getMessage());
  }
}
