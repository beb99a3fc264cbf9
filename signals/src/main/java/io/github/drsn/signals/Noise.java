package io.github.drsn.signals;

import java.util.random.RandomGenerator;

/**
 * Noise at an exact signal-to-noise ratio, per the benchmark protocol (docs/protocol.md, "Noise"):
 * SNR_dB = 10 log10(P_s / P_n) with P = mean(x²); the generated noise is rescaled so that its power is
 * exactly P_s / 10^(SNR_dB / 10) (up to floating-point rounding). All randomness comes from the caller's
 * generator, so the same seed gives the same noise; draws happen in a fixed order (one Gaussian per
 * sample for {@link NoiseType#GAUSSIAN} and {@link NoiseType#PINK}, two exponentials per sample for
 * {@link NoiseType#LAPLACIAN}).
 */
public final class Noise {

  private Noise() {}

  /**
   * n samples of unit-power noise, mean(v²) = 1.
   * <ul>
   *   <li>GAUSSIAN: i.i.d. N(0, 1), rescaled.</li>
   *   <li>LAPLACIAN: i.i.d. E1 - E2 with E1, E2 ~ Exp(1) (a standard Laplace variate), rescaled.</li>
   *   <li>PINK: white Gaussian noise shaped in the frequency domain, X_k / sqrt(k) for k &gt;= 1 and
   *       X_0 = 0, so the PSD falls as 1/f (-10 dB/decade) and the mean is zero; rescaled. Needs n &gt;= 2.</li>
   * </ul>
   *
   * @param type noise distribution and colour
   * @param n number of samples
   * @param rng source of randomness (advanced by the draws)
   * @return n samples with mean square 1
   */
  public static double[] generate(NoiseType type, int n, RandomGenerator rng) {
    Checks.requireNonNull("noise type", type);
    Checks.requirePositive("noise length n", n);
    Checks.requireNonNull("rng", rng);
    double[] v = new double[n];
    switch (type) {
      case GAUSSIAN -> {
        for (int i = 0; i < n; i++) {
          v[i] = rng.nextGaussian();
        }
      }
      case LAPLACIAN -> {
        for (int i = 0; i < n; i++) {
          v[i] = rng.nextExponential() - rng.nextExponential();
        }
      }
      case PINK -> v = pink(n, rng);
      default -> throw new IllegalStateException("unhandled noise type " + type);
    }
    double power = meanSquare(v, 0, n);
    if (!(power > 0)) {
      throw new IllegalStateException("generated " + type + " noise has zero power");
    }
    double scale = 1 / Math.sqrt(power);
    for (int i = 0; i < n; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /**
   * clean + noise with mean(noise²) = mean(clean²) / 10^(snrDb / 10).
   *
   * @param clean the clean signal (not modified)
   * @param type noise distribution and colour
   * @param snrDb target SNR in dB
   * @param rng source of randomness
   * @return a new array, clean plus scaled noise
   * @throws IllegalArgumentException if clean is empty, non-finite or all zeros (SNR undefined), or snrDb
   *     is not finite
   */
  public static double[] addAtSnr(double[] clean, NoiseType type, double snrDb, RandomGenerator rng) {
    Checks.requireSamples("clean", clean);
    Checks.requireFinite("snrDb", snrDb);
    double amplitude = noiseAmplitude(meanSquare(clean, 0, clean.length), snrDb);
    double[] noise = generate(type, clean.length, rng);
    double[] noisy = new double[clean.length];
    for (int i = 0; i < clean.length; i++) {
      noisy[i] = clean[i] + amplitude * noise[i];
    }
    return noisy;
  }

  /**
   * {@link #addAtSnr} on {@code window[offset .. offset + length)} in place (powers in double precision).
   *
   * @param window array holding the clean window; noise is added in place
   * @param offset first sample of the window
   * @param length number of samples in the window
   * @param type noise distribution and colour
   * @param snrDb target SNR in dB
   * @param rng source of randomness
   */
  public static void addAtSnrInPlace(float[] window, int offset, int length, NoiseType type, double snrDb,
      RandomGenerator rng) {
    Checks.requireSamples("window", window, offset, length);
    Checks.requireFinite("snrDb", snrDb);
    double power = 0;
    for (int i = offset; i < offset + length; i++) {
      power += (double) window[i] * window[i];
    }
    double amplitude = noiseAmplitude(power / length, snrDb);
    double[] noise = generate(type, length, rng);
    for (int i = 0; i < length; i++) {
      window[offset + i] = (float) (window[offset + i] + amplitude * noise[i]);
    }
  }

  /**
   * Measured SNR in dB, 10 log10(mean(clean²) / mean((noisy - clean)²)); +Infinity when noisy equals clean.
   *
   * @param clean the clean signal
   * @param noisy the clean signal plus noise
   * @return the SNR in dB
   * @throws IllegalArgumentException if the arrays are empty, non-finite, of different lengths, or clean
   *     is all zeros
   */
  public static double snrDb(double[] clean, double[] noisy) {
    Checks.requireSamples("clean", clean);
    Checks.requireSamples("noisy", noisy);
    if (clean.length != noisy.length) {
      throw new IllegalArgumentException("clean (" + clean.length + ") and noisy (" + noisy.length
          + ") must have the same length");
    }
    double signal = meanSquare(clean, 0, clean.length);
    if (!(signal > 0)) {
      throw new IllegalArgumentException("clean signal has zero power; the SNR is undefined");
    }
    double noise = 0;
    for (int i = 0; i < clean.length; i++) {
      double d = noisy[i] - clean[i];
      noise += d * d;
    }
    noise /= clean.length;
    return 10 * Math.log10(signal / noise);
  }

  private static double noiseAmplitude(double signalPower, double snrDb) {
    if (!(signalPower > 0)) {
      throw new IllegalArgumentException("clean signal has zero power; noise at an SNR is undefined");
    }
    return Math.sqrt(signalPower / Math.pow(10, snrDb / 10));
  }

  private static double[] pink(int n, RandomGenerator rng) {
    if (n < 2) {
      throw new IllegalArgumentException("pink noise needs n >= 2 samples (the DC bin is zero), got " + n);
    }
    double[] white = new double[n];
    for (int i = 0; i < n; i++) {
      white[i] = rng.nextGaussian();
    }
    double[] half = RealFft.forwardHalf(white);
    half[0] = 0;
    half[1] = 0;
    for (int k = 1; k < RealFft.halfLength(n); k++) {
      double gain = 1 / Math.sqrt(k);
      half[2 * k] *= gain;
      half[2 * k + 1] *= gain;
    }
    return RealFft.inverseHalf(half, n);
  }

  private static double meanSquare(double[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += x[i] * x[i];
    }
    return sum / (to - from);
  }
}
