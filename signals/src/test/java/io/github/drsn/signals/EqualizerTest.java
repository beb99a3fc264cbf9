package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EqualizerTest {

  private static final double FS = 12_000;
  private static final int N = 4096;

  /** Tones on exact bins, so that each comes out scaled by the bell's gain at its frequency. */
  private static double gainDb(double hz, double centre, double gainDb, double octaves) {
    double[] x = TestSignals.sine(N, FS, hz, 1, 0.4);
    double[] y = Equalizer.bell(x, FS, centre, gainDb, octaves);
    return TestSignals.db(TestSignals.rms(y, 0, N) / TestSignals.rms(x, 0, N));
  }

  @Test
  void theBellHasItsGainAtTheCentreHalfAtHalfItsWidthAndNoneFarAway() {
    double bin = FS / N;
    double centre = 1000 * bin;
    assertEquals(9, gainDb(centre, centre, 9, 1), 1e-9);
    // Half the dB gain half the width (0.5 octave) away: the tone sits on a bin, the edge is computed exactly.
    double halfWidthAway = Math.rint(centre * Math.pow(2, 0.5) / bin) * bin;
    double expected = 9 * Math.exp(-0.5 * Math.pow(Math.log(halfWidthAway / centre) / Math.log(2)
        / (1 / (2 * Math.sqrt(2 * Math.log(2)))), 2));
    assertEquals(expected, gainDb(halfWidthAway, centre, 9, 1), 1e-9);
    assertEquals(4.5, expected, 0.05);
    assertEquals(0, gainDb(100 * bin, centre, 9, 1), 1e-6);
    assertEquals(-12, gainDb(centre, centre, -12, 2), 1e-9);
  }

  @Test
  void zeroGainChangesNothingAndTheMeanIsKept() {
    double[] x = TestSignals.add(TestSignals.sine(N, FS, 700, 1, 0.1), new double[N]);
    for (int i = 0; i < N; i++) {
      x[i] += 0.5;
    }
    double[] y = Equalizer.bell(x, FS, 2000, 0, 1);
    assertTrue(TestSignals.maxAbsDifference(x, y, 0, N) < 1e-12);
    double[] z = Equalizer.bell(x, FS, 700, 12, 1);
    assertEquals(java.util.Arrays.stream(x).average().orElseThrow(), java.util.Arrays.stream(z).average().orElseThrow(),
        1e-12);
  }

  @Test
  void badParametersAreRejected() {
    double[] x = new double[64];
    assertMessage(() -> Equalizer.bell(x, FS, 7000, 6, 1), "centre frequency must be in (0, 6000.0]");
    assertMessage(() -> Equalizer.bell(x, FS, 1000, Double.NaN, 1), "gain must be finite");
    assertMessage(() -> Equalizer.bell(x, FS, 1000, 6, 0), "width > 0 octaves");
  }
}
