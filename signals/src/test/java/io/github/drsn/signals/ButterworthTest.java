package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ButterworthTest {

  private static final double FS = 12_000;
  private static final double HALF_POWER_DB = 10 * Math.log10(0.5);

  /** Closed-form bilinear Butterworth magnitude: |H|² = 1 / (1 + v^(2n)), v the pre-warped prototype frequency. */
  private static double expectedMagnitude(double prototypeFrequency, int order) {
    return 1 / Math.sqrt(1 + Math.pow(Math.abs(prototypeFrequency), 2 * order));
  }

  private static double warped(double hz) {
    return Math.tan(Math.PI * hz / FS);
  }

  @Test
  void lowAndHighPassAreMinus3DbAtCutoffAndMatchTheClosedForm() {
    for (int order = 1; order <= 12; order++) {
      Butterworth low = Butterworth.lowPass(order, 1000, FS);
      Butterworth high = Butterworth.highPass(order, 1000, FS);
      assertEquals(HALF_POWER_DB, low.gainDb(1000), 1e-9, "low order " + order);
      assertEquals(HALF_POWER_DB, high.gainDb(1000), 1e-9, "high order " + order);
      assertEquals(1.0, low.magnitudeAt(0), 1e-12);
      assertEquals(1.0, high.magnitudeAt(FS / 2), 1e-12);
      assertEquals((order + 1) / 2, low.sos().length);
      for (double hz = 50; hz < FS / 2; hz += 250) {
        double v = warped(hz) / warped(1000);
        assertEquals(expectedMagnitude(v, order), low.magnitudeAt(hz), 1e-9, "low " + order + " at " + hz);
        assertEquals(expectedMagnitude(1 / v, order), high.magnitudeAt(hz), 1e-9, "high " + order + " at " + hz);
      }
    }
  }

  @Test
  void bandPassIsMinus3DbAtBothEdgesAndMatchesTheClosedForm() {
    for (int order = 1; order <= 8; order++) {
      Butterworth band = Butterworth.bandPass(order, 2000, 3500, FS);
      assertEquals(order, band.sos().length);
      assertEquals(HALF_POWER_DB, band.gainDb(2000), 1e-9, "order " + order);
      assertEquals(HALF_POWER_DB, band.gainDb(3500), 1e-9, "order " + order);
      double w1 = warped(2000);
      double w2 = warped(3500);
      for (double hz = 50; hz < FS / 2; hz += 250) {
        double w = warped(hz);
        double prototype = (w * w - w1 * w2) / (w * (w2 - w1));
        assertEquals(expectedMagnitude(prototype, order), band.magnitudeAt(hz), 1e-9, order + " at " + hz);
      }
    }
  }

  @Test
  void highOrderNarrowFiltersStayStable() {
    Butterworth[] filters = {
        Butterworth.lowPass(Butterworth.MAX_ORDER, 5, 48_000),
        Butterworth.highPass(Butterworth.MAX_ORDER, 23_000, 48_000),
        Butterworth.bandPass(16, 100, 110, 48_000)};
    for (Butterworth f : filters) {
      for (double[] s : f.sos()) {
        double a1 = s[4];
        double a2 = s[5];
        // Jury conditions for a second-order denominator 1 + a1 z^-1 + a2 z^-2: both poles inside |z| = 1.
        assertTrue(Math.abs(a2) < 1 && Math.abs(a1) < 1 + a2, f.type() + " section unstable");
      }
      double[] impulse = new double[500_000];
      impulse[0] = 1;
      double[] response = f.filter(impulse);
      double peak = 0;
      for (double v : response) {
        peak = Math.max(peak, Math.abs(v));
      }
      double tail = Math.abs(response[response.length - 1]);
      assertTrue(peak > 0 && tail < 1e-6 * peak, f.type() + " impulse response does not decay: " + tail);
    }
    assertEquals(HALF_POWER_DB, filters[0].gainDb(5), 1e-4);
    assertEquals(HALF_POWER_DB, filters[1].gainDb(23_000), 1e-4);
    assertEquals(HALF_POWER_DB, filters[2].gainDb(110), 1e-4);
  }

  @Test
  void causalFilterHasTheDesignedSteadyStateGainAtCutoff() {
    Butterworth low = Butterworth.lowPass(4, 1000, FS);
    double[] y = low.filter(TestSignals.sine(12_000, FS, 1000, 1, 0));
    assertEquals(Math.sqrt(0.5), TestSignals.toneAmplitude(y, FS, 1000, 6000, 12_000), 1e-6);
  }

  @Test
  void filtfiltSquaresTheMagnitudeAndHasNoDelay() {
    Butterworth low = Butterworth.lowPass(4, 1000, FS);
    double[] atCutoff = low.filtfilt(TestSignals.sine(12_000, FS, 1000, 1, 0));
    assertEquals(0.5, TestSignals.toneAmplitude(atCutoff, FS, 1000, 3000, 9000), 1e-6, "-6.02 dB at cutoff");

    double[] x = TestSignals.sine(12_000, FS, 100, 1, 0.4);
    double[] zeroPhase = low.filtfilt(x);
    double[] causal = low.filter(x);
    double expectedGain = Math.pow(low.magnitudeAt(100), 2);
    double[] inPhase = new double[x.length];
    for (int t = 0; t < x.length; t++) {
      inPhase[t] = expectedGain * x[t];
    }
    // Away from the edges the output is the input scaled by |H|², with no shift; the padded edges settle fast.
    double middle = TestSignals.maxAbsDifference(zeroPhase, inPhase, 600, x.length - 600);
    double edges = TestSignals.maxAbsDifference(zeroPhase, inPhase, 0, x.length);
    assertTrue(middle < 1e-9, "filtfilt deviates from the in-phase input by " + middle);
    assertTrue(edges < 0.01, "filtfilt edge transient " + edges);
    assertTrue(TestSignals.maxAbsDifference(causal, x, 6000, 12_000) > 0.05, "the causal filter should lag");
  }

  @Test
  void filtfiltKeepsAPulseCentred() {
    int n = 4001;
    double[] pulse = new double[n];
    for (int t = 0; t < n; t++) {
      double d = (t - 2000) / 30.0;
      pulse[t] = Math.exp(-d * d);
    }
    double[] zeroPhase = Butterworth.lowPass(6, 200, FS).filtfilt(pulse);
    double[] causal = Butterworth.lowPass(6, 200, FS).filter(pulse);
    assertEquals(2000.0, centroid(zeroPhase), 0.01);
    assertTrue(centroid(causal) > 2005, "causal group delay expected, centroid " + centroid(causal));
  }

  @Test
  void filtfiltPassesAConstantUnchangedThroughTheEdges() {
    double[] constant = new double[200];
    java.util.Arrays.fill(constant, 3.25);
    double[] y = Butterworth.lowPass(4, 500, FS).filtfilt(constant);
    assertEquals(0.0, TestSignals.maxAbsDifference(constant, y, 0, 200), 1e-9);
  }

  /**
   * Reference values from scipy 1.17.1 for x_t = sin(0.05 t) + 0.5 cos(1.3 t + 0.2) + 0.01 t, t = 0..499:
   * {@code signal.sosfiltfilt(signal.butter(5, 1000, fs=12000, output='sos'), x)} (and 'highpass' 4 at 300 Hz,
   * 'bandpass' 3 at [1500, 2500] Hz; sosfilt for the causal rows), at samples 0, 1, 2, 100, 250, 497, 498, 499.
   */
  @Test
  void filtersReproduceScipyOutputs() {
    double[] x = new double[500];
    for (int t = 0; t < x.length; t++) {
      x[t] = Math.sin(0.05 * t) + 0.5 * Math.cos(1.3 * t + 0.2) + 0.01 * t;
    }
    int[] at = {0, 1, 2, 100, 250, 497, 498, 499};
    assertSamples(new double[] {0.48962213482303396, 0.3749487607880772, 0.2791485188251006, 0.041073170415541344,
        2.433678770669241, 4.665852195847039, 4.697092537579704, 4.725243280616232},
        Butterworth.lowPass(5, 1000, FS).filtfilt(x), at);
    assertSamples(new double[] {0.0002865758585295724, 0.0024374370421653504, 0.009695176866564074,
        -0.06178410056254156, 2.078239119745565, 4.358139182166651, 4.412432599444564, 4.464016530449199},
        Butterworth.lowPass(5, 1000, FS).filter(x), at);
    assertSamples(new double[] {0.01612688574240645, -0.3934323127200793, -0.8548666727586781, -0.08753049131106802,
        0.022565571934984666, 0.39218793698560317, 0.5187931149575267, -0.020656009336557674},
        Butterworth.highPass(4, 300, FS).filtfilt(x), at);
    assertSamples(new double[] {0.39901183852957, -0.08606367969319537, -0.4471701222240803, 0.03808318050649606,
        0.14738898129532824, 0.4042739770679953, 0.37253839334574934, -0.21807755011874852},
        Butterworth.highPass(4, 300, FS).filter(x), at);
    assertSamples(new double[] {-0.003655977751764461, -0.5061395061753384, -0.4548304902386539,
        -0.04794405826795779, 0.012354912386055586, 0.18372459068498437, 0.3231594231136766, 0.01890327124383643},
        Butterworth.bandPass(3, 1500, 2500, FS).filtfilt(x), at);
    assertSamples(new double[] {0.005549561041087204, 0.015336806884975851, -0.004500567482361641,
        -0.2350047678992217, -0.2919841940025814, -0.36993125160321155, -0.10026243004547365, 0.3162608477602934},
        Butterworth.bandPass(3, 1500, 2500, FS).filter(x), at);
  }

  private static void assertSamples(double[] expected, double[] actual, int[] at) {
    for (int i = 0; i < at.length; i++) {
      assertEquals(expected[i], actual[at[i]], 1e-12, "sample " + at[i]);
    }
  }

  private static double centroid(double[] x) {
    double weighted = 0;
    double total = 0;
    for (int t = 0; t < x.length; t++) {
      weighted += t * x[t];
      total += x[t];
    }
    return weighted / total;
  }

  @Test
  void badDesignsAndSignalsAreRejected() {
    assertMessage(() -> Butterworth.lowPass(0, 100, FS), "order must be in [1, 32], got 0");
    assertMessage(() -> Butterworth.lowPass(33, 100, FS), "order");
    assertMessage(() -> Butterworth.lowPass(4, 6000, FS), "cutoffHz must lie strictly between 0 and the Nyquist");
    assertMessage(() -> Butterworth.highPass(4, 0, FS), "cutoffHz");
    assertMessage(() -> Butterworth.highPass(4, 100, 0), "sampling rate fs");
    assertMessage(() -> Butterworth.bandPass(4, 300, 300, FS), "lowHz < highHz");
    assertMessage(() -> Butterworth.bandPass(4, 300, 7000, FS), "highHz");
    Butterworth low = Butterworth.lowPass(4, 100, FS);
    assertMessage(() -> low.filtfilt(new double[15]), "filtfilt needs more than the 15-sample edge padding");
    assertMessage(() -> low.filter(new double[] {Double.NaN}), "x[0] is NaN");
  }
}
