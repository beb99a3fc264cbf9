package io.github.drsn.signals.bearing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.signals.bearing.Severity.Foundation;
import io.github.drsn.signals.bearing.Severity.MachineGroup;
import io.github.drsn.signals.bearing.Severity.Units;
import io.github.drsn.signals.bearing.Severity.Zone;
import org.junit.jupiter.api.Test;

/** ISO 20816-3 velocity and zones. */
class SeverityTest {

  private static double[] sine(double amplitude, double hz, double fs, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = amplitude * Math.sin(2 * Math.PI * hz * i / fs);
    }
    return x;
  }

  @Test
  void aSineInGIntegratesToTheAnalyticVelocity() {
    // a = 0.5 g at 100 Hz: v_rms = 0.5 · 9.80665 / (√2 · 2π · 100) m/s = 5.5182 mm/s
    double v = Severity.velocityRmsMmPerS(sine(0.5, 100, 12_000, 12_000), 12_000, Units.G);
    assertEquals(0.5 * 9.80665 / (Math.sqrt(2) * 2 * Math.PI * 100) * 1000, v, 1e-6);
    assertEquals(5.5182, v, 1e-4);
    double ms2 = Severity.velocityRmsMmPerS(sine(2, 250, 10_000, 20_000), 10_000, Units.M_PER_S2);
    assertEquals(2 / (Math.sqrt(2) * 2 * Math.PI * 250) * 1000, ms2, 1e-6);
    double mms = Severity.velocityRmsMmPerS(sine(3, 50, 8_000, 8_000), 8_000, Units.MM_PER_S);
    assertEquals(3 / Math.sqrt(2), mms, 1e-9);
  }

  @Test
  void linesOutsideTenToAThousandHertzDoNotCount() {
    assertEquals(0, Severity.velocityRmsMmPerS(sine(1, 5, 12_000, 12_000), 12_000, Units.G), 1e-9);
    assertEquals(0, Severity.velocityRmsMmPerS(sine(1, 2000, 12_000, 12_000), 12_000, Units.G), 1e-9);
  }

  @Test
  void zoneBoundariesAreThoseOfIso20816Part3() {
    assertEquals(java.util.List.of(1.4, 2.8, 4.5), box(Severity.boundaries(MachineGroup.GROUP_2, Foundation.RIGID)));
    assertEquals(java.util.List.of(2.3, 4.5, 7.1), box(Severity.boundaries(MachineGroup.GROUP_2, Foundation.FLEXIBLE)));
    assertEquals(java.util.List.of(2.3, 4.5, 7.1), box(Severity.boundaries(MachineGroup.GROUP_1, Foundation.RIGID)));
    assertEquals(java.util.List.of(3.5, 7.1, 11.0), box(Severity.boundaries(MachineGroup.GROUP_1, Foundation.FLEXIBLE)));
    assertEquals(Zone.A, Severity.zone(1.39, MachineGroup.GROUP_2, Foundation.RIGID));
    assertEquals(Zone.B, Severity.zone(1.4, MachineGroup.GROUP_2, Foundation.RIGID));
    assertEquals(Zone.C, Severity.zone(2.8, MachineGroup.GROUP_2, Foundation.RIGID));
    assertEquals(Zone.D, Severity.zone(4.5, MachineGroup.GROUP_2, Foundation.RIGID));
    assertEquals(Zone.C, Severity.zone(10.9, MachineGroup.GROUP_1, Foundation.FLEXIBLE));
    assertEquals(Zone.D, Severity.zone(11.0, MachineGroup.GROUP_1, Foundation.FLEXIBLE));
  }

  @Test
  void withoutAMachineThereIsAVelocityButNoZone() {
    Severity.Assessment a = Severity.assess(sine(0.5, 100, 12_000, 12_000), 12_000, Units.G, null, Foundation.RIGID);
    assertEquals(5.5182, a.velocityRmsMmPerS(), 1e-4);
    assertNull(a.zone());
    assertEquals(Zone.C, Severity.assess(sine(0.5, 100, 12_000, 12_000), 12_000, Units.G, MachineGroup.GROUP_1,
        Foundation.RIGID).zone());
  }

  @Test
  void badUnitsAndRatesAreNamed() {
    IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> Units.parse("inch/s"));
    assertTrue(u.getMessage().contains("'inch/s'") && u.getMessage().contains("m/s2"), u.getMessage());
    assertEquals(Units.M_PER_S2, Units.parse("M/S2"));
    IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
        () -> Severity.velocityRmsMmPerS(new double[2000], 1000, Units.G));
    assertTrue(rate.getMessage().contains("1000.0 Hz"), rate.getMessage());
  }

  private static java.util.List<Double> box(double[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }
}
