package io.github.drsn.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.signals.Envelope;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.Spectrum;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDrivetrainTest {

  private static final double FS = 12_800;
  private static final int N = 16_384;
  private final DrivetrainSimulator simulator = new DrivetrainSimulator(DrivetrainConfig.defaults());

  @Test
  void sameSeedGivesIdenticalDataAndOtherSeedsDiffer() {
    DrivetrainConfig small = DrivetrainConfig.defaults().withSamplesPerRecording(4096);
    Dataset a = SyntheticDrivetrain.dataset(small, 42);
    Dataset b = SyntheticDrivetrain.dataset(small, 42);
    Dataset c = SyntheticDrivetrain.dataset(small, 43);
    assertEquals(72, a.recordings().size());
    assertEquals(8, a.classCount());
    assertEquals(9, a.conditions().size());
    for (int i = 0; i < a.recordings().size(); i++) {
      assertEquals(a.recordings().get(i).id(), b.recordings().get(i).id());
      assertArrayEquals(a.recordings().get(i).channel(0), b.recordings().get(i).channel(0), 0.0);
      assertFalse(Arrays.equals(a.recordings().get(i).channel(0), c.recordings().get(i).channel(0)));
    }
    // a recording depends only on its own seed, not on which others were generated
    Recording r = a.recordings().get(37);
    HealthState state = HealthState.values()[37 / 9];
    double[] alone = simulator.simulate(state, r.condition().rpm(), r.condition().load(), 4096,
        SyntheticDrivetrain.recordingSeed(42, state, (37 % 9) / 3, 37 % 3));
    assertArrayEquals(alone, r.channel(0), 0.0);
  }

  private Spectrum bearingBandEnvelope(HealthState state, double rpm, double load) {
    double[] x = simulator.simulate(state, rpm, load, N, 11);
    return Envelope.spectrum(x, FS, 2500, 4000);
  }

  @Test
  void bearingFaultsShowEnvelopePeaksAtTheirDefectFrequencies() {
    var geometry = DrivetrainConfig.defaults().bearing();
    for (double rpm : new double[] {1500, 1800}) {
      var f = geometry.at(rpm);
      double resolution = FS / N;
      double inner = bearingBandEnvelope(HealthState.BEARING_INNER_RACE, rpm, 1.0).peakFrequency(40, 400);
      double outer = bearingBandEnvelope(HealthState.BEARING_OUTER_RACE, rpm, 1.0).peakFrequency(40, 400);
      double ball = bearingBandEnvelope(HealthState.BEARING_BALL, rpm, 1.0).peakFrequency(40, 400);
      System.out.printf("%.0f rpm envelope peaks: inner %.2f (BPFI %.2f), outer %.2f (BPFO %.2f), "
          + "ball %.2f (2BSF %.2f)%n",
          rpm, inner, f.bpfi(), outer, f.bpfo(), ball, 2 * f.bsf());
      // slip jitter and speed fluctuation move the peak by under a percent
      assertEquals(f.bpfi(), inner, Math.max(2 * resolution, 0.01 * f.bpfi()));
      assertEquals(f.bpfo(), outer, Math.max(2 * resolution, 0.01 * f.bpfo()));
      assertEquals(2 * f.bsf(), ball, Math.max(2 * resolution, 0.01 * 2 * f.bsf()));
    }
    Spectrum healthy = bearingBandEnvelope(HealthState.HEALTHY, 1800, 1.0);
    Spectrum inner = bearingBandEnvelope(HealthState.BEARING_INNER_RACE, 1800, 1.0);
    double bpfi = geometry.at(1800).bpfi();
    double innerLine = inner.value(inner.peakIndex(bpfi - 2, bpfi + 2));
    double healthyLine = healthy.value(healthy.peakIndex(bpfi - 2, bpfi + 2));
    assertTrue(innerLine > 5 * healthyLine,
        "the inner-race line should stand far above the healthy envelope at BPFI");
  }

  @Test
  void gearFaultsModulateTheMeshOncePerRevolution() {
    for (double rpm : new double[] {1200, 1800}) {
      double fr = rpm / 60;
      double mesh = 23 * fr;
      double healthy = meshEnvelopeAtShaftRate(HealthState.HEALTHY, rpm, mesh, fr);
      for (HealthState gear : new HealthState[] {HealthState.GEAR_ROOT_CRACK, HealthState.GEAR_SURFACE_PITTING,
          HealthState.GEAR_BROKEN_TOOTH, HealthState.GEAR_MISSING_TOOTH}) {
        double faulty = meshEnvelopeAtShaftRate(gear, rpm, mesh, fr);
        assertTrue(faulty > 8 * healthy, gear + " at " + rpm + " rpm: envelope of the mesh band at f_r " + faulty
            + " vs healthy " + healthy);
      }
      // broken and missing teeth also knock once per revolution on the gear-body resonance
      double healthyImpacts = gearBandAtShaftRate(HealthState.HEALTHY, rpm, fr);
      assertTrue(gearBandAtShaftRate(HealthState.GEAR_BROKEN_TOOTH, rpm, fr) > 4 * healthyImpacts);
      assertTrue(gearBandAtShaftRate(HealthState.GEAR_MISSING_TOOTH, rpm, fr) > 4 * healthyImpacts);
    }
  }

  private double meshEnvelopeAtShaftRate(HealthState state, double rpm, double mesh, double fr) {
    double[] x = simulator.simulate(state, rpm, 0.6, N, 5);
    Spectrum s = Envelope.spectrum(x, FS, mesh - 4.5 * fr, mesh + 4.5 * fr);
    return s.value(s.peakIndex(fr - 1, fr + 1));
  }

  private double gearBandAtShaftRate(HealthState state, double rpm, double fr) {
    double[] x = simulator.simulate(state, rpm, 0.6, N, 5);
    Spectrum s = Envelope.spectrum(x, FS, 1500, 2300);
    return s.value(s.peakIndex(fr - 1, fr + 1));
  }

  @Test
  void aPlainClassifierIsGoodCleanButNotPerfectInNoise() {
    // 8 states x 9 conditions x 50 windows of 2048 samples
    DrivetrainConfig config = DrivetrainConfig.defaults().withSamplesPerRecording(50 * 2048);
    Dataset data = SyntheticDrivetrain.dataset(config, 1);
    assertEquals(8 * 9, data.recordings().size());

    WindowedDataset windows = WindowedDataset.cut(data, SplitPlan.byTime(), new WindowSpec(2048, 2048, 2048));
    assertEquals(8 * 9 * 10, windows.windows(Region.TEST).size());
    double clean = NearestCentroidBaseline.accuracy(windows, null, 5);
    double minus4 = NearestCentroidBaseline.accuracy(windows, new NoiseSpec(NoiseType.GAUSSIAN, -4), 5);
    System.out.printf("nearest-centroid (log FFT amplitude) test accuracy: clean %.3f, -4 dB Gaussian %.3f "
        + "(chance 0.125)%n", clean, minus4);
    assertTrue(clean > 0.5, "clean accuracy " + clean + " should be well above chance 0.125");
    assertTrue(minus4 < 0.9, "at -4 dB a plain classifier should be far from perfect, got " + minus4);
    assertTrue(minus4 < clean - 0.2, "noise should matter: clean " + clean + " vs -4 dB " + minus4);
  }

  @Test
  void invalidConfigurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> simulator.simulate(HealthState.HEALTHY, 1800, 0, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> simulator.simulate(HealthState.HEALTHY, 10, 0.5, 100, 1));
    DrivetrainConfig d = DrivetrainConfig.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DrivetrainConfig(4000,
        d.speedsRpm(), d.loads(), 1000, d.pinionTeeth(), d.gearTeeth(), d.bearing(), 3200, 1900));
    assertTrue(e.getMessage().contains("Nyquist"), e.getMessage());
  }
}
