package io.github.drsn.signals.bearing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.signals.Spectrum;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BearingEvidence#atShaftHarmonic} on hand-placed lines: f_r = 20 Hz, an envelope spectrum of 1.25 Hz bins
 * (f_r/16, as the analysis resolves it), so a line is "at" k·f_r within ±0.625 Hz. BPFO of the SKF 6205 is
 * 3.585 f_r = 71.7 Hz.
 */
class ShaftHarmonicTest {

  private static final double SHAFT_HZ = 20;

  /** Evidence whose outer-race harmonics are at {@code hz} with levels {@code db}; the other families 1 dB. */
  private static BearingEvidence outer(double[] hz, double[] db, VerdictRule rule) {
    BearingGeometry.DefectFrequencies f = BearingGeometry.SKF_6205.at(SHAFT_HZ * 60);
    Map<DefectFamily, BearingEvidence.FamilyEvidence> families = new EnumMap<>(DefectFamily.class);
    for (DefectFamily family : DefectFamily.values()) {
      double f0 = family.fundamentalOrder(BearingGeometry.SKF_6205) * SHAFT_HZ;
      families.put(family, family == DefectFamily.OUTER
          ? new BearingEvidence.FamilyEvidence(family, f0, hz, db, (db[0] + db[1] + db[2]) / 3)
          : new BearingEvidence.FamilyEvidence(family, f0, new double[] {f0, 2 * f0, 3 * f0},
              new double[] {1, 1, 1}, 1));
    }
    double[] bins = new double[400];
    double[] flat = new double[bins.length];
    for (int k = 0; k < bins.length; k++) {
      bins[k] = 1.25 * k;
      flat[k] = 1;
    }
    return new BearingEvidence(SHAFT_HZ, f, new Kurtogram.Band(2000, 4000, 5), true, new Spectrum(bins, flat),
        families, 0, BearingAnalysis.verdict(families, rule), rule);
  }

  @Test
  void aNoiseLevelHarmonicThatLandsOnAShaftHarmonicDoesNotFlagARealComb() {
    // 71.25 and 142.5 Hz (3.56 and 7.13 f_r, off any shaft harmonic) at 14 and 10 dB: a real outer-race comb. The
    // third harmonic's search found only noise (1.2 dB); its largest bin happens to be 220 Hz = 11 f_r.
    double[] hz = {71.25, 142.5, 220.0};
    double[] db = {14.0, 10.0, 1.2};
    BearingEvidence e = outer(hz, db, VerdictRule.DEFAULT);
    assertEquals(DefectFamily.OUTER, e.verdictOrNull(), "mean 8.4 dB >= 6, 7.4 dB ahead: conclusive");
    assertFalse(e.atShaftHarmonic(DefectFamily.OUTER), "a 1.2 dB line is below the verdict's 6 dB floor");
    // Under a rule whose floor is 0 dB, the same line is evidence, and it does sit on 11 f_r.
    assertTrue(outer(hz, db, new VerdictRule(0, 5)).atShaftHarmonic(DefectFamily.OUTER));
  }

  @Test
  void aStrongHarmonicOnAShaftHarmonicFlagsTheComb() {
    // The missing tooth's once-per-revolution comb: the first line found at 70 Hz (3.5 f_r, within 2 % of BPFO),
    // the second searched at 140 Hz finds 7 f_r at 12 dB, the third is weak.
    BearingEvidence e = outer(new double[] {70.0, 140.0, 213.75}, new double[] {9.0, 12.0, 4.0},
        VerdictRule.DEFAULT);
    assertEquals(DefectFamily.OUTER, e.verdictOrNull());
    assertTrue(e.atShaftHarmonic(DefectFamily.OUTER));
    // Exactly at the floor still counts; just below it does not.
    assertTrue(outer(new double[] {70.0, 140.0, 213.75}, new double[] {9.0, 6.0, 4.0}, VerdictRule.DEFAULT)
        .atShaftHarmonic(DefectFamily.OUTER));
    assertFalse(outer(new double[] {70.0, 140.0, 213.75}, new double[] {9.0, 5.99, 4.0}, VerdictRule.DEFAULT)
        .atShaftHarmonic(DefectFamily.OUTER));
  }
}
