package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static io.github.drsn.signals.TestSignals.report;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NoiseTest {

  private static final double[] SNRS_DB = {-4, 0, 4};

  /** A bearing-like clean window: two tones and a harmonic, 2048 samples at 12 kHz. */
  private static double[] cleanWindow() {
    return TestSignals.add(TestSignals.sine(2048, 12_000, 157, 1.0, 0.2),
        TestSignals.add(TestSignals.sine(2048, 12_000, 3100, 0.3, 1.0), TestSignals.sine(2048, 12_000, 314, 0.1, 0)));
  }

  @ParameterizedTest
  @EnumSource(NoiseType.class)
  void noiseAddedAtTargetSnrMeasuresWithin0p01Db(NoiseType type) {
    double[] clean = cleanWindow();
    for (double target : SNRS_DB) {
      double[] noisy = Noise.addAtSnr(clean, type, target, new SplittableRandom(5));
      double measured = Noise.snrDb(clean, noisy);
      report(type + " SNR at " + target + " dB", measured);
      assertEquals(target, measured, 0.01, type + " at " + target + " dB");

      float[] window = new float[clean.length + 4];
      for (int i = 0; i < clean.length; i++) {
        window[i + 2] = (float) clean[i];
      }
      double[] cleanAsFloat = new double[clean.length];
      for (int i = 0; i < clean.length; i++) {
        cleanAsFloat[i] = window[i + 2];
      }
      Noise.addAtSnrInPlace(window, 2, clean.length, type, target, new SplittableRandom(5));
      double[] noisyFloat = new double[clean.length];
      for (int i = 0; i < clean.length; i++) {
        noisyFloat[i] = window[i + 2];
      }
      double measuredFloat = Noise.snrDb(cleanAsFloat, noisyFloat);
      report(type + " in-place float SNR at " + target + " dB", measuredFloat);
      assertEquals(target, measuredFloat, 0.01, type + " in place at " + target + " dB");
      assertEquals(0f, window[0]);
      assertEquals(0f, window[window.length - 1]);
    }
  }

  @ParameterizedTest
  @EnumSource(NoiseType.class)
  void generatedNoiseHasUnitPowerAndIsReproducibleFromTheSeed(NoiseType type) {
    for (int n : new int[] {2, 3, 2048, 2049}) {
      double[] a = Noise.generate(type, n, new SplittableRandom(42));
      double[] b = Noise.generate(type, n, new SplittableRandom(42));
      double[] c = Noise.generate(type, n, new SplittableRandom(43));
      assertArrayEquals(a, b, 0, "same seed, same noise");
      assertFalse(Arrays.equals(a, c), "different seed, different noise");
      assertEquals(1.0, Fft.meanPower(a), 1e-12);
    }
    double[] clean = cleanWindow();
    assertArrayEquals(Noise.addAtSnr(clean, type, -4, new SplittableRandom(9)),
        Noise.addAtSnr(clean, type, -4, new SplittableRandom(9)), 0);
  }

  @Test
  void laplacianKurtosisIsSixAndGaussianThree() {
    double laplacian = kurtosis(Noise.generate(NoiseType.LAPLACIAN, 1_000_000, new SplittableRandom(1)));
    double gaussian = kurtosis(Noise.generate(NoiseType.GAUSSIAN, 1_000_000, new SplittableRandom(1)));
    report("Laplacian kurtosis", laplacian);
    report("Gaussian kurtosis", gaussian);
    // Standard error of the sample kurtosis at n = 1e6 is about 0.05 (Laplace) and 0.005 (Gaussian).
    assertEquals(6.0, laplacian, 0.25);
    assertEquals(3.0, gaussian, 0.03);
  }

  @Test
  void pinkNoisePsdFallsTenDbPerDecadeOverTwoDecades() {
    double fs = 10_000;
    double[] pink = Noise.generate(NoiseType.PINK, 1 << 19, new SplittableRandom(17));
    double slope = psdSlopeDbPerDecade(pink, fs, 10, 1000);
    report("pink PSD slope dB/decade over 10-1000 Hz", slope);
    assertEquals(-10.0, slope, 1.0);
    double whiteSlope = psdSlopeDbPerDecade(Noise.generate(NoiseType.GAUSSIAN, 1 << 19, new SplittableRandom(17)),
        fs, 10, 1000);
    report("Gaussian PSD slope dB/decade over 10-1000 Hz", whiteSlope);
    assertEquals(0.0, whiteSlope, 1.0);
    double mean = Arrays.stream(pink).sum() / pink.length;
    assertEquals(0.0, mean, 1e-12, "DC bin is zero");
  }

  /** Least-squares slope of 10 log10(PSD) against log10(f) over [lowHz, highHz], in dB per decade. */
  private static double psdSlopeDbPerDecade(double[] x, double fs, double lowHz, double highHz) {
    Spectrum psd = Welch.psd(x, fs, 16_384, 8192, Window.HANN);
    // Average in 40 log-spaced bands so the upper decade, which holds most bins, does not dominate the fit.
    int bands = 40;
    double[] logF = new double[bands];
    double[] logP = new double[bands];
    int used = 0;
    for (int b = 0; b < bands; b++) {
      double lo = lowHz * Math.pow(highHz / lowHz, (double) b / bands);
      double hi = lowHz * Math.pow(highHz / lowHz, (double) (b + 1) / bands);
      double sum = 0;
      double fSum = 0;
      int count = 0;
      for (int k = 1; k < psd.size(); k++) {
        if (psd.frequency(k) >= lo && psd.frequency(k) < hi) {
          sum += psd.value(k);
          fSum += psd.frequency(k);
          count++;
        }
      }
      if (count > 0) {
        logF[used] = Math.log10(fSum / count);
        logP[used] = 10 * Math.log10(sum / count);
        used++;
      }
    }
    double mf = 0;
    double mp = 0;
    for (int i = 0; i < used; i++) {
      mf += logF[i];
      mp += logP[i];
    }
    mf /= used;
    mp /= used;
    double num = 0;
    double den = 0;
    for (int i = 0; i < used; i++) {
      num += (logF[i] - mf) * (logP[i] - mp);
      den += (logF[i] - mf) * (logF[i] - mf);
    }
    return num / den;
  }

  private static double kurtosis(double[] x) {
    double mean = Arrays.stream(x).sum() / x.length;
    double m2 = 0;
    double m4 = 0;
    for (double v : x) {
      double d = v - mean;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    m2 /= x.length;
    m4 /= x.length;
    return m4 / (m2 * m2);
  }

  @Test
  void snrOfIdenticalSignalsIsInfinite() {
    double[] clean = cleanWindow();
    assertTrue(Double.isInfinite(Noise.snrDb(clean, clean.clone())));
  }

  @Test
  void badInputIsRejected() {
    SplittableRandom rng = new SplittableRandom(1);
    assertMessage(() -> Noise.addAtSnr(new double[8], NoiseType.GAUSSIAN, 0, rng), "zero power");
    assertMessage(() -> Noise.addAtSnr(new double[0], NoiseType.GAUSSIAN, 0, rng), "clean must not be empty");
    assertMessage(() -> Noise.addAtSnr(new double[] {1, Double.NaN}, NoiseType.GAUSSIAN, 0, rng), "clean[1] is NaN");
    assertMessage(() -> Noise.addAtSnr(new double[] {1}, NoiseType.GAUSSIAN, Double.NaN, rng), "snrDb must be finite");
    assertMessage(() -> Noise.addAtSnr(new double[] {1}, null, 0, rng), "noise type");
    assertMessage(() -> Noise.addAtSnr(new double[] {1}, NoiseType.GAUSSIAN, 0, null), "rng");
    assertMessage(() -> Noise.generate(NoiseType.PINK, 1, rng), "pink noise needs n >= 2");
    assertMessage(() -> Noise.generate(NoiseType.GAUSSIAN, 0, rng), "noise length n must be positive");
    assertMessage(() -> Noise.snrDb(new double[] {1, 2}, new double[] {1}), "same length");
    assertMessage(() -> Noise.snrDb(new double[] {0, 0}, new double[] {1, 1}), "zero power");
    assertMessage(() -> Noise.addAtSnrInPlace(new float[4], 3, 2, NoiseType.GAUSSIAN, 0, rng), "does not fit");
    assertMessage(() -> Noise.addAtSnrInPlace(new float[] {Float.NaN}, 0, 1, NoiseType.GAUSSIAN, 0, rng),
        "window[0] is NaN");
  }
}
