package io.github.drsn.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  private static Recording recording(double rate, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.sin(0.01 * i);
    }
    return new Recording("pump-7", "normal", rate, List.of("accel"), new double[][] {x}, OperatingCondition.UNKNOWN,
        null, Map.of());
  }

  /** A rate change with no ratio of factors up to 1000 (a data logger's 6,104.0137 Hz) is interpolated. */
  @Test
  void anyRateChangeIsMadeAndKeepsTheSignal() {
    Recording r = Resampler.toRate(recording(6_104.0137, 20_000), 48_828.125);
    assertEquals(Math.ceil(20_000 * 48_828.125 / 6_104.0137), r.length(), 1e-9);
    double step = 6_104.0137 / 48_828.125;
    for (int m = 1000; m < r.length() - 1000; m += 997) {
      assertEquals(Math.sin(0.01 * m * step), r.channel(0)[m], 1e-4, "sample " + m);
    }
    assertEquals("6104.0137", r.attributes().get("resampledFromHz"));
  }

  @Test
  void aRateChangeTooLargeForAnArrayNamesTheRecording() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Resampler.toRate(recording(1, 20_000), 1e9));
    assertTrue(e.getMessage().startsWith("recording pump-7: "), e.getMessage());
  }

  @Test
  void integerRatiosDecimateAndSayFromWhichRate() {
    Recording r = Resampler.toRate(recording(48_000, 48_000), 12_000);
    assertEquals(12_000, r.length());
    assertEquals("48000", r.attributes().get("resampledFromHz"));
  }
}
