package io.github.drsn.signals.bearing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where the envelope evidence fades on the synthetic impact trains of {@link SyntheticBearing} (4 s at 12 kHz,
 * SKF 6205, resonance 3 kHz): for each family and speed, the SNR sweep 0 to −24 dB in 3 dB steps over three noise
 * seeds, counting right, inconclusive and wrong verdicts. Prints the table (docs/results/physics/README.md quotes
 * it) and checks that no verdict is ever wrong: the evidence fades to inconclusive.
 */
@Tag("slow")
class EvidenceFadeTest {

  @Test
  void theVerdictFadesToInconclusiveNeverToWrong() {
    DefectFamily[] families = {DefectFamily.OUTER, DefectFamily.INNER, DefectFamily.BALL};
    double[] speeds = {15, 29.95, 45};
    StringBuilder table = new StringBuilder("| family | f_r (Hz) |");
    for (int snr = 0; snr >= -24; snr -= 3) {
      table.append(' ').append(snr).append(" |");
    }
    table.append('\n');
    int wrong = 0;
    for (DefectFamily family : families) {
      for (double fr : speeds) {
        table.append(String.format(Locale.ROOT, "| %s | %.2f |", family.label(), fr));
        for (int snr = 0; snr >= -24; snr -= 3) {
          int right = 0;
          for (long seed = 1; seed <= 3; seed++) {
            BearingEvidence e = BearingAnalysis.analyze(SyntheticBearing.signal(family, fr, 4, snr, seed),
                SyntheticBearing.FS, BearingGeometry.SKF_6205, fr, BearingAnalysis.Options.DEFAULT);
            if (e.verdictOrNull() == family) {
              right++;
            } else if (e.verdictOrNull() != null) {
              wrong++;
            }
          }
          table.append(' ').append(right).append("/3 |");
        }
        table.append('\n');
      }
    }
    System.out.println(table);
    assertTrue(wrong == 0, wrong + " wrong verdicts\n" + table);
  }
}
