package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpectrumTest {

  private final Spectrum spectrum = new Spectrum(new double[] {0, 10, 20, 30, 40}, new double[] {5, 1, 3, 3, 2});

  @Test
  void peaksAreSearchedInsideTheClosedRange() {
    assertEquals(0, spectrum.peakIndex(0, 40));
    assertEquals(2, spectrum.peakIndex(5, 40));
    assertEquals(30.0, spectrum.peakFrequency(25, 40));
    assertEquals(10.0, spectrum.binWidth());
    assertEquals(3, spectrum.nearestIndex(31));
    assertEquals(4, spectrum.nearestIndex(1000));
  }

  @Test
  void arraysAreCopiedInAndOut() {
    double[] values = {1, 2};
    Spectrum s = new Spectrum(new double[] {0, 1}, values);
    values[0] = 99;
    assertEquals(1.0, s.value(0));
    s.values()[0] = 99;
    assertEquals(1.0, s.value(0));
    assertNotSame(s.frequencies(), s.frequencies());
    assertEquals(new Spectrum(new double[] {0, 1}, new double[] {1, 2}), s);
  }

  @Test
  void badRangesAndShapesAreRejected() {
    assertMessage(() -> spectrum.peakIndex(11, 19), "no bin lies in [11.0, 19.0]");
    assertMessage(() -> spectrum.peakIndex(30, 20), "must not exceed");
    assertMessage(() -> new Spectrum(new double[] {0, 1}, new double[] {1}), "same length");
    assertMessage(() -> new Spectrum(new double[] {1, 0}, new double[] {1, 1}), "ascending");
    assertThrows(IllegalStateException.class, () -> new Spectrum(new double[] {0}, new double[] {1}).binWidth());
  }
}
