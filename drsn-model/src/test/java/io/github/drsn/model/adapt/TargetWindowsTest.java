package io.github.drsn.model.adapt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    TargetWindows t = TargetWindows.read(List.of(file), 1000.0, List.of(), SPEC, HealthCheck.DEFAULT, 50,
        TargetWindows.ShaftSpeeds.NONE);
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
  void anOrderDomainModelsTargetIsReadInOrdersOfEachFilesSpeedAndRefusedWithoutOne() throws Exception {
    // 100-sample windows at 20 samples per revolution (5 revolutions), trained on 1 kHz recordings.
    InputSpec orders = new InputSpec(1000, 100, 1, Normalization.Z_SCORE, Representation.TIME, 20);
    double[] x = new double[2000];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(2 * Math.PI * 3 * 25 * i / 1000.0) + 0.3 * Math.sin(0.77 * i); // order 3 at 1500 rpm
    }
    Path file = csv("pump.csv", x);
    TargetWindows t = TargetWindows.read(List.of(file), 1000.0, List.of(), orders, HealthCheck.DEFAULT, 0,
        f -> Optional.of(new SignalFiles.RecordedSpeed(1500, "--rpm")));
    // 2 s at 25 Hz are 50 revolutions, 1,000 samples at 20 per revolution: 10 windows
    assertEquals(10, t.windows().size());
    assertTrue(t.files().get(0).resampled());
    double[] inOrders = io.github.drsn.signals.OrderDomain.resample(x, 1000, 25, 20);
    for (int w = 0; w < 10; w++) {
      for (int l = 0; l < 100; l++) {
        assertEquals((float) inOrders[100 * w + l], t.windows().get(w)[l], 0f, "window " + w + " sample " + l);
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> described = ((List<Map<String, Object>>) t.describe().get("files")).get(0);
    assertEquals(1500.0, described.get("shaft_rpm"));
    assertEquals("--rpm", described.get("shaft_speed_source"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetWindows.read(List.of(file),
        1000.0, List.of(), orders, HealthCheck.DEFAULT, 0, TargetWindows.ShaftSpeeds.NONE));
    assertEquals(file + ": the model is order domain (20.0 samples per shaft revolution) and no shaft speed is known"
        + " for this file", e.getMessage());
  }

  @Test
  void aRecordingShorterThanAWindowIsNamedInTheError() throws Exception {
    Path file = csv("short.csv", new double[] {1, 2, 3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TargetWindows.read(List.of(file), 1000.0, List.of(), SPEC, HealthCheck.DEFAULT, 0,
            TargetWindows.ShaftSpeeds.NONE));
    assertTrue(e.getMessage().startsWith(file + ": the recording has 3 samples"), e.getMessage());
  }
}
