package io.github.drsn.signals.bearing;

import io.github.drsn.signals.Spectrum;
import java.util.Map;
import java.util.Optional;

/**
 * What the envelope spectrum says about a bearing: the frequencies sought, the band analysed, the evidence
 * per defect family and the verdict ({@link BearingAnalysis} computes it).
 *
 * @param shaftHz the shaft frequency f_r used, Hz
 * @param frequencies the defect frequencies in Hz at that speed
 * @param band the band whose envelope was analysed (chosen by the kurtogram, or given)
 * @param bandChosenByKurtogram true when the kurtogram chose the band, false when it was given
 * @param envelopeSpectrum Welch power spectrum of that band's envelope (units²/Hz)
 * @param families evidence per family, in {@link DefectFamily} order
 * @param innerSidebandsDb mean level of the lines at BPFI ± f_r over the local median, dB
 * @param verdict the family the evidence names, or null for none
 * @param rule the rule that gave the verdict
 */
public record BearingEvidence(double shaftHz, BearingGeometry.DefectFrequencies frequencies, Kurtogram.Band band,
    boolean bandChosenByKurtogram, Spectrum envelopeSpectrum, Map<DefectFamily, FamilyEvidence> families,
    double innerSidebandsDb, DefectFamily verdictOrNull, VerdictRule rule) {

  /**
   * Evidence for one family.
   *
   * @param family the family
   * @param fundamentalHz the kinematic line sought (BPFO, BPFI, 2·BSF or FTF), Hz
   * @param harmonicHz where the peak of each harmonic was found, Hz
   * @param harmonicDb each harmonic's peak over the local median of the envelope spectrum, dB
   * @param evidenceDb the mean of {@code harmonicDb}
   */
  public record FamilyEvidence(DefectFamily family, double fundamentalHz, double[] harmonicHz, double[] harmonicDb,
      double evidenceDb) {}

  /** The verdict, empty when no family has conclusive evidence. */
  public Optional<DefectFamily> verdict() {
    return Optional.ofNullable(verdictOrNull);
  }

  /** The evidence of one family. */
  public FamilyEvidence evidence(DefectFamily family) {
    return families.get(family);
  }

  /**
   * Whether one of the family's harmonics was found at a shaft harmonic k·f_r (k ≥ 1), within half a bin of the
   * envelope spectrum. Bearing lines are not integer shaft orders (BPFO, BPFI and 2·BSF of the SKF 6205 are 3.585,
   * 5.415 and 4.714 orders), but anything that happens once per revolution is: a missing or broken gear tooth,
   * looseness, a rub, and the gear mesh with its sidebands (z·f_r ± k·f_r). The search windows around a family's
   * harmonics (±2 % for the first, ±1.5 bins around h·f₁ for the others) can reach such a line, which then counts as
   * the family's evidence without singling out the bearing.
   *
   * <p>Only harmonics whose own evidence reaches the verdict's floor ({@link VerdictRule#minEvidenceDb()} of
   * {@link #rule()}) count: a harmonic in the noise has its "peak" at the largest bin of its search window, wherever
   * that is, so its position says nothing, and it adds little to the evidence the verdict rests on.
   */
  public boolean atShaftHarmonic(DefectFamily family) {
    double halfBin = 0.5 * envelopeSpectrum.binWidth();
    FamilyEvidence e = evidence(family);
    for (int h = 0; h < e.harmonicHz().length; h++) {
      double hz = e.harmonicHz()[h];
      double k = Math.rint(hz / shaftHz);
      if (e.harmonicDb()[h] >= rule.minEvidenceDb() && k >= 1 && Math.abs(hz - k * shaftHz) <= halfBin) {
        return true;
      }
    }
    return false;
  }

  /** The strongest family's lead over the second, dB. */
  public double marginDb() {
    double best = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (FamilyEvidence e : families.values()) {
      if (e.evidenceDb() > best) {
        second = best;
        best = e.evidenceDb();
      } else if (e.evidenceDb() > second) {
        second = e.evidenceDb();
      }
    }
    return best - second;
  }
}
