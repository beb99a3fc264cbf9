package io.github.drsn.signals.bearing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The envelope verdict on signals whose defect frequencies are known. */
class BearingAnalysisTest {

  private static BearingEvidence analyze(double[] x, double shaftHz) {
    return BearingAnalysis.analyze(x, SyntheticBearing.FS, BearingGeometry.SKF_6205, shaftHz,
        BearingAnalysis.Options.DEFAULT);
  }

  @Test
  void everyFamilyIsNamedAtSeveralSpeedsDownToMinus10dB() {
    for (DefectFamily family : DefectFamily.values()) {
      if (family == DefectFamily.CAGE) {
        continue; // a cage defect is a modulation, not an impact train; not simulated here
      }
      for (double shaftHz : new double[] {15, 29.95, 45}) {
        for (double snr : new double[] {Double.POSITIVE_INFINITY, 0, -10}) {
          BearingEvidence e = analyze(SyntheticBearing.signal(family, shaftHz, 4, snr, 7), shaftHz);
          assertEquals(family, e.verdictOrNull(), () -> String.format(Locale.ROOT, "%s at %.2f Hz, %s dB: %s",
              family, shaftHz, snr, describe(e)));
        }
      }
    }
  }

  @Test
  void pureNoiseGivesNoVerdict() {
    for (long seed = 1; seed <= 5; seed++) {
      double[] noise = new double[48_000];
      java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
      for (int i = 0; i < noise.length; i++) {
        noise[i] = r.nextGaussian();
      }
      BearingEvidence e = analyze(noise, 29.95);
      assertNull(e.verdictOrNull(), describe(e));
      for (BearingEvidence.FamilyEvidence f : e.families().values()) {
        assertTrue(f.evidenceDb() < 3, describe(e));
      }
    }
  }

  @Test
  void innerRaceShowsSidebandsAtTheShaftSpeed() {
    BearingEvidence e = analyze(SyntheticBearing.signal(DefectFamily.INNER, 29.95, 4, 0, 3), 29.95);
    assertTrue(e.innerSidebandsDb() > 6, describe(e));
    BearingEvidence outer = analyze(SyntheticBearing.signal(DefectFamily.OUTER, 29.95, 4, 0, 3), 29.95);
    assertTrue(outer.innerSidebandsDb() < 3, describe(outer));
  }

  @Test
  void theKurtogramPicksTheResonanceBand() {
    double[] x = SyntheticBearing.signal(DefectFamily.OUTER, 29.95, 4, -5, 11);
    Kurtogram.Result r = Kurtogram.compute(x, SyntheticBearing.FS, 400);
    Kurtogram.Band best = r.best();
    assertTrue(best.lowHz() <= SyntheticBearing.RESONANCE_HZ && best.highHz() >= SyntheticBearing.RESONANCE_HZ,
        best.toString());
    assertTrue(best.kurtosis() > 0.5, best.toString());
    // Bands far from the resonance hold only Gaussian noise: spectral kurtosis near 0.
    Kurtogram.Band far = r.bands().stream().filter(b -> b.lowHz() >= 4500 && b.widthHz() >= 1000).findFirst()
        .orElseThrow();
    assertEquals(0, far.kurtosis(), 0.15);
  }

  @Test
  void aGivenBandIsUsedAndChecked() {
    double[] x = SyntheticBearing.signal(DefectFamily.OUTER, 29.95, 4, 0, 5);
    BearingEvidence e = BearingAnalysis.analyze(x, SyntheticBearing.FS, BearingGeometry.SKF_6205, 29.95,
        BearingAnalysis.Options.DEFAULT.withBand(2000, 4000));
    assertEquals(2000, e.band().lowHz());
    assertEquals(DefectFamily.OUTER, e.verdictOrNull());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> BearingAnalysis.analyze(x,
        SyntheticBearing.FS, BearingGeometry.SKF_6205, 29.95, BearingAnalysis.Options.DEFAULT.withBand(5000, 7000)));
    assertTrue(bad.getMessage().contains("half the sampling rate"), bad.getMessage());
  }

  @Test
  void badInputIsNamed() {
    double[] x = new double[48_000];
    IllegalArgumentException speed = assertThrows(IllegalArgumentException.class, () -> analyze(x, 0));
    assertTrue(speed.getMessage().contains("shaft frequency"), speed.getMessage());
    IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
        () -> analyze(new double[600], 29.95));
    assertTrue(shortOne.getMessage().contains("needs at least"), shortOne.getMessage());
  }

  @Test
  void theShaftSpeedIsEstimatedFromItsHarmonicsOrRefused() {
    double[] x = SyntheticBearing.signal(DefectFamily.INNER, 29.95, 8, 0, 2);
    ShaftSpeed.Estimate e = ShaftSpeed.estimate(x, SyntheticBearing.FS, 5, 100);
    assertEquals(29.95, e.hz(), 0.25);
    double[] noise = new double[96_000];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = r.nextGaussian();
    }
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ShaftSpeed.estimate(noise, SyntheticBearing.FS, 5, 100));
    assertTrue(none.getMessage().contains("give the speed"), none.getMessage());
  }

  static String describe(BearingEvidence e) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "band [%.0f, %.0f] K=%.2f verdict=%s:",
        e.band().lowHz(), e.band().highHz(), e.band().kurtosis(), e.verdictOrNull()));
    for (BearingEvidence.FamilyEvidence f : e.families().values()) {
      s.append(String.format(Locale.ROOT, " %s %.1f dB %s", f.family().label(), f.evidenceDb(),
          java.util.Arrays.toString(f.harmonicDb())));
    }
    return s.append(String.format(Locale.ROOT, " sidebands %.1f dB", e.innerSidebandsDb())).toString();
  }
}
