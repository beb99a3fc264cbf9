package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static io.github.drsn.signals.TestSignals.db;
import static io.github.drsn.signals.TestSignals.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplingTest {

  private static final double FS_IN = 48_000;
  private static final int FACTOR = 4;
  private static final double FS_OUT = FS_IN / FACTOR;
  /** One second of output; the middle half is measured so edge transients cannot flatter or spoil results. */
  private static final int N_IN = 48_000;
  private static final int FROM = 3000;
  private static final int TO = 9000;

  @ParameterizedTest
  @ValueSource(doubles = {50, 1000, 3000, 4500, 4700})
  void decimationByFourKeepsToneBelowNewNyquistWithin0p1Db(double hz) {
    double[] y = Resampling.decimate(TestSignals.sine(N_IN, FS_IN, hz, 1, 0.3), FACTOR);
    assertEquals(N_IN / FACTOR, y.length);
    double errorDb = db(TestSignals.toneAmplitude(y, FS_OUT, hz, FROM, TO));
    report("decimate-by-4 passband error dB at " + hz + " Hz", errorDb);
    assertTrue(Math.abs(errorDb) < 0.1, "passband error " + errorDb + " dB at " + hz + " Hz");
    // Zero delay: the output is the tone sampled at the new instants.
    double[] ideal = TestSignals.sine(N_IN / FACTOR, FS_OUT, hz, 1, 0.3);
    assertTrue(TestSignals.maxAbsDifference(ideal, y, FROM, TO) < 0.012, "decimated tone is shifted or distorted");
  }

  @ParameterizedTest
  @ValueSource(doubles = {6000, 6100, 7500, 9000, 12_000, 15_000, 21_000, 23_900})
  void decimationByFourSuppressesToneAboveNewNyquistBy60Db(double hz) {
    double[] y = Resampling.decimate(TestSignals.sine(N_IN, FS_IN, hz, 1, 0.3), FACTOR);
    // RMS of everything that comes through, relative to the tone's RMS: catches the alias wherever it lands.
    // Measured over the whole output except the samples the edge extension touches.
    int edge = Resampling.edgeSamples(1, FACTOR);
    double rejectionDb = -db(TestSignals.rms(y, edge, y.length - edge) / Math.sqrt(0.5));
    double wholeDb = -db(TestSignals.rms(y, 0, y.length) / Math.sqrt(0.5));
    report("decimate-by-4 rejection dB at " + hz + " Hz (edges excluded)", rejectionDb);
    report("decimate-by-4 rejection dB at " + hz + " Hz (whole output)", wholeDb);
    assertTrue(rejectionDb >= 60, "only " + rejectionDb + " dB rejection at " + hz + " Hz");
  }

  @ParameterizedTest
  @CsvSource({"48000, 12000, 1, 4", "12800, 12000, 15, 16", "12000, 48000, 4, 1", "44100, 48000, 160, 147"})
  void rationalResamplingKeepsToneFrequencyAndAmplitude(double fsIn, double fsOut, int up, int down) {
    assertEquals(new Resampling.Ratio(up, down), Resampling.ratio(fsIn, fsOut));
    int n = (int) fsIn;
    double hz = 1000;
    double[] y = Resampling.resample(TestSignals.sine(n, fsIn, hz, 0.8, 1.1), fsIn, fsOut);
    assertEquals((int) Math.ceil((double) n * up / down), y.length);
    int m = y.length;
    Spectrum s = Fft.amplitudeSpectrum(java.util.Arrays.copyOfRange(y, m / 4, m / 4 + (int) fsOut / 2), fsOut);
    assertEquals(hz, s.peakFrequency(0, fsOut / 2), 1e-9);
    double amplitudeDb = db(TestSignals.toneAmplitude(y, fsOut, hz, m / 4, m / 4 + (int) fsOut / 2) / 0.8);
    report("resample " + fsIn + "->" + fsOut + " amplitude error dB", amplitudeDb);
    assertEquals(0, amplitudeDb, 0.01);
    double[] ideal = TestSignals.sine(m, fsOut, hz, 0.8, 1.1);
    assertTrue(TestSignals.maxAbsDifference(ideal, y, m / 4, 3 * m / 4) < 1e-3, "resampled tone is shifted");
  }

  @Test
  void onlyTheEdgeSamplesDependOnWhatLiesOutsideTheSignal() {
    SplittableRandom rng = new SplittableRandom(4);
    double[] longer = new double[8000];
    for (int i = 0; i < longer.length; i++) {
      longer[i] = rng.nextGaussian();
    }
    int offset = 400;
    double[] inner = java.util.Arrays.copyOfRange(longer, offset, offset + 6000);
    for (int[] ratio : new int[][] {{1, 4}, {15, 16}}) {
      int up = ratio[0];
      int down = ratio[1];
      double[] yInner = Resampling.resampleRational(inner, up, down);
      double[] yLonger = Resampling.resampleRational(longer, up, down);
      int shift = offset * up / down;
      int edge = Resampling.edgeSamples(up, down);
      for (int m = edge; m < yInner.length - edge; m++) {
        assertEquals(yLonger[m + shift], yInner[m], 1e-12, up + "/" + down + " output " + m);
      }
      assertTrue(Math.abs(yLonger[shift] - yInner[0]) > 1e-6, "the edge sample should differ");
    }
  }

  @Test
  void outputsFartherThanTheReachFromBothEndsOfAStretchAreTheWholeSignals() {
    SplittableRandom rng = new SplittableRandom(6);
    double[] whole = new double[9000];
    for (int i = 0; i < whole.length; i++) {
      whole[i] = rng.nextGaussian();
    }
    // Factor 4 down: the 203-tap filter reaches 101 input samples either side, plus one.
    assertEquals(102, Resampling.reachInputSamples(48_000, 12_000));
    assertEquals(0, Resampling.reachInputSamples(12_000, 12_000));
    // 12 kHz to 3,200 Hz is 4/15 (polyphase): a stretch starting at a multiple of 15 keeps the whole signal's grid.
    int reach = Resampling.reachInputSamples(12_000, 3_200);
    int from = 15 * 100;
    double[] stretch = java.util.Arrays.copyOfRange(whole, from, from + 4000);
    double[] y = Resampling.resample(whole, 12_000, 3_200);
    double[] yStretch = Resampling.resample(stretch, 12_000, 3_200);
    int shift = from * 4 / 15;
    int first = (int) Math.ceil(reach * 4 / 15.0);
    int last = (int) Math.floor((stretch.length - 1 - reach) * 4 / 15.0);
    for (int m = first; m <= last; m++) {
      assertEquals(y[m + shift], yStretch[m], 0.0, "output " + m + " of the stretch");
    }
    assertTrue(Math.abs(y[shift] - yStretch[0]) > 1e-6, "the stretch's first output sees its edge");
    // 12 kHz to 3,193.6 Hz (24.95 Hz x 128) is 499/1875: band-limited interpolation, reach in input samples too.
    double step = 12_000 / 3_193.6;
    int reachInterpolating = Resampling.reachInputSamples(12_000, 3_193.6);
    for (double t = from + reachInterpolating; t < from + stretch.length - 1 - reachInterpolating; t += 97.3) {
      assertEquals(Resampling.interpolate(whole, t, step, 1)[0], Resampling.interpolate(stretch, t - from, step, 1)[0],
          1e-12, "time " + t);
    }
    double inside = from + reachInterpolating / 2.0;
    assertTrue(Math.abs(Resampling.interpolate(whole, inside, step, 1)[0]
        - Resampling.interpolate(stretch, inside - from, step, 1)[0]) > 1e-6, "within the reach the edge matters");
  }

  @Test
  void edgeSamplesCoverHalfTheFilterInOutputSamples() {
    // The 80 dB Kaiser design for factor 4 has 203 taps: 101 either side of the centre, 26 output samples.
    assertEquals(26, Resampling.edgeSamples(1, 4));
    assertEquals(0, Resampling.edgeSamples(5, 5));
    assertTrue(Resampling.edgeSamples(15, 16) > 0);
  }

  @Test
  void constantSignalStaysConstantUpToEdges() {
    double[] x = new double[1000];
    java.util.Arrays.fill(x, 2.5);
    double[] y = Resampling.resampleRational(x, 15, 16);
    for (double v : y) {
      assertEquals(2.5, v, 2.5e-3);
    }
  }

  @Test
  void unitRatioReturnsACopy() {
    double[] x = {1, 2, 3};
    double[] y = Resampling.resampleRational(x, 3, 3);
    assertArrayEquals(x, y);
    y[0] = 7;
    assertEquals(1.0, x[0]);
  }

  @Test
  void shortSignalsStillResample() {
    assertEquals(3, Resampling.decimate(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 4).length);
    assertEquals(1, Resampling.resampleRational(new double[] {1}, 1, 2).length);
  }

  @Test
  void badFactorsAndRatesAreRejected() {
    double[] x = new double[100];
    assertMessage(() -> Resampling.decimate(x, 0), "decimation factor must be positive");
    assertMessage(() -> Resampling.resampleRational(x, 0, 3), "up must be positive");
    assertMessage(() -> Resampling.resampleRational(x, 1001, 1), "up and down must be in [1, 1000]");
    assertMessage(() -> Resampling.resample(x, 0.0, 12_000.0), "sampling rate fsIn");
    assertMessage(() -> Resampling.resample(x, 12_000.0, -1.0), "sampling rate fsOut");
    assertMessage(() -> Resampling.ratio(1, Math.PI), "is not a ratio up/down");
    assertMessage(() -> Resampling.decimate(new double[0], 4), "x must not be empty");
  }

  /** 6,104 Hz -> 48,828 Hz is 12207/1526, beyond the polyphase filter's factors; an irrational ratio too. */
  @ParameterizedTest
  @CsvSource({"6104, 48828, 500", "48828, 6104, 2000", "12000, 16970.562748477141, 1000", "25600, 12000, 3000"})
  void anyRateChangeKeepsToneFrequencyPhaseAndAmplitude(double fsIn, double fsOut, double hz) {
    int n = (int) (2 * fsIn);
    double[] y = Resampling.resample(TestSignals.sine(n, fsIn, hz, 0.8, 1.1), fsIn, fsOut);
    assertEquals(Math.ceil(n * fsOut / fsIn), y.length, 1e-9);
    int m = y.length;
    double amplitudeDb = db(TestSignals.toneAmplitude(y, fsOut, hz, m / 4, 3 * m / 4) / 0.8);
    report("resample " + fsIn + "->" + fsOut + " amplitude error dB at " + hz + " Hz", amplitudeDb);
    assertEquals(0, amplitudeDb, 0.01);
    double[] ideal = TestSignals.sine(m, fsOut, hz, 0.8, 1.1);
    double error = TestSignals.maxAbsDifference(ideal, y, m / 8, 7 * m / 8);
    report("resample " + fsIn + "->" + fsOut + " max abs error", error);
    assertTrue(error < 2e-4, "the resampled tone departs from the ideal by " + error);
  }

  @ParameterizedTest
  @ValueSource(doubles = {3052, 3200, 4000, 9000, 20_000})
  void interpolationSuppressesToneAboveTheNewNyquistBy75Db(double hz) {
    double fsIn = 48_828;
    double fsOut = 6104;
    double[] y = Resampling.resampleInterpolating(TestSignals.sine(48_828, fsIn, hz, 1, 0.3), fsIn, fsOut);
    int edge = 60;
    double rejectionDb = -db(TestSignals.rms(y, edge, y.length - edge) / Math.sqrt(0.5));
    report("interpolating 48828->6104 rejection dB at " + hz + " Hz", rejectionDb);
    assertTrue(rejectionDb >= 75, "only " + rejectionDb + " dB rejection at " + hz + " Hz");
  }

  @Test
  void interpolationAgreesWithThePolyphaseFilterOnARationalRatio() {
    double[] x = TestSignals.add(TestSignals.sine(N_IN, FS_IN, 1000, 1, 0.3), TestSignals.sine(N_IN, FS_IN, 3300, 0.5, 2));
    double[] polyphase = Resampling.resampleRational(x, 1, FACTOR);
    double[] interpolated = Resampling.resampleInterpolating(x, FS_IN, FS_OUT);
    assertEquals(polyphase.length, interpolated.length);
    assertTrue(TestSignals.maxAbsDifference(polyphase, interpolated, 30, polyphase.length - 30) < 3e-4);
  }

  @Test
  void interpolationKeepsConstantsAndLinearTrendsAndShortSignals() {
    double[] ramp = new double[1000];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = 2 + 0.001 * i;
    }
    double[] y = Resampling.resampleInterpolating(ramp, 1000, 1000 * Math.E);
    for (int m = 0; m < y.length; m++) {
      double t = m / Math.E;
      assertEquals(2 + 0.001 * t, y[m], 1e-3, "sample " + m);
    }
    assertEquals(1, Resampling.resampleInterpolating(new double[] {5}, 1000, 700).length);
    assertEquals(5, Resampling.resampleInterpolating(new double[] {5}, 1000, 700)[0], 1e-3);
  }

  /** A step of f reads the signal f times faster: a 1 kHz tone becomes f kHz, centred stretches keep the centre. */
  @ParameterizedTest
  @ValueSource(doubles = {0.9, 0.97, 1.03, 1.1})
  void interpolateStretchesTimeAboutTheCentre(double f) {
    int n = 4096;
    double fs = 12_000;
    double[] x = TestSignals.sine(n, fs, 1000, 1, 0.2);
    double centre = (n - 1) / 2.0;
    double[] y = Resampling.interpolate(x, centre * (1 - f), f, n);
    double[] ideal = new double[n];
    for (int m = 0; m < n; m++) {
      ideal[m] = Math.sin(2 * Math.PI * 1000 * (centre + f * (m - centre)) / fs + 0.2);
    }
    // Away from the ends, where odd reflection stands in for samples the window does not have.
    int margin = (int) Math.ceil(Math.abs(f - 1) * n / 2) + 40;
    assertTrue(TestSignals.maxAbsDifference(ideal, y, margin, n - margin) < 2e-4);
  }

  @Test
  void aRatioIsDesignedOnceAndItsFilterReusedWithIdenticalResults() {
    double[] x = TestSignals.sine(2048, 12_000, 1_000, 0.5, 0.3);
    double[] first = Resampling.resampleRational(x, 48, 25);
    assertSame(Resampling.filterTaps(48, 25), Resampling.filterTaps(48, 25), "the 48/25 filter is kept");
    assertArrayEquals(first, Resampling.resampleRational(x, 48, 25), 0.0);
    // Many other ratios later (more than are kept), the 48/25 filter is redesigned and gives the same samples.
    for (int up = 2; up < 60; up++) {
      Resampling.filterTaps(up, up + 1);
    }
    assertArrayEquals(first, Resampling.resampleRational(x, 48, 25), 0.0);
  }
}
