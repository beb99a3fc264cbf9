package io.github.drsn.signals.bearing;

import io.github.drsn.signals.Spectrum;
import io.github.drsn.signals.Welch;
import io.github.drsn.signals.Window;
import java.util.Arrays;
import java.util.Locale;

/**
 * Estimates the shaft frequency from a vibration spectrum when no tachometer or speed is given: the
 * frequency f in [minHz, maxHz] maximising the mean prominence of its first three harmonics (each line's
 * power in a Welch spectrum at 0.5 Hz resolution, at least four 50 %-overlapping segments, over the median
 * within ±5 Hz, in dB), a harmonic-sum pitch estimate; refined to the third harmonic's interpolated peak ÷ 3. Imbalance and misalignment put lines at 1×, 2×, 3× the shaft speed in almost every rotating
 * machine; when none stands out by {@link #MIN_PROMINENCE_DB} the estimate fails rather than guess.
 */
public final class ShaftSpeed {

  /** Least mean prominence of the three harmonics for an estimate, dB. */
  public static final double MIN_PROMINENCE_DB = 6.0;

  private static final double RESOLUTION_HZ = 0.5;

  private static final int MIN_SEGMENTS = 4;

  private ShaftSpeed() {}

  /**
   * An estimate.
   *
   * @param hz the shaft frequency, Hz
   * @param prominenceDb the mean prominence of its three harmonics, dB
   */
  public record Estimate(double hz, double prominenceDb) {

    /** How the speed was found, for a person to read: "estimated from the spectrum (harmonics 9.1 dB over the floor)". */
    public String describe() {
      return String.format(Locale.ROOT, "estimated from the spectrum (harmonics %.1f dB over the floor)", prominenceDb);
    }
  }

  /** Default search range of {@link #estimate(double[], double)}, Hz (300-6000 rpm). */
  public static final double MIN_HZ = 5;
  /** Upper end of the default search range, Hz. */
  public static final double MAX_HZ = 100;

  /**
   * Estimates f_r in the default range [{@value #MIN_HZ}, {@value #MAX_HZ}] Hz, capped below fs/6.
   *
   * @see #estimate(double[], double, double, double)
   */
  public static Estimate estimate(double[] x, double fs) {
    return estimate(x, fs, MIN_HZ, Math.min(MAX_HZ, fs / 6 - 1));
  }

  /**
   * Estimates f_r in [minHz, maxHz].
   *
   * @param x acceleration samples (not modified)
   * @param fs sampling rate in Hz
   * @param minHz lowest shaft frequency considered (&gt; 0)
   * @param maxHz highest shaft frequency considered (3·maxHz below fs/2)
   * @throws IllegalArgumentException when the recording is too short for 0.25 Hz resolution, the range is
   *     bad, or no candidate stands out by {@link #MIN_PROMINENCE_DB} (the message says to give the speed)
   */
  public static Estimate estimate(double[] x, double fs, double minHz, double maxHz) {
    if (!(minHz > 0) || !(maxHz > minHz) || 3 * maxHz >= fs / 2) {
      throw new IllegalArgumentException("shaft search range [" + minHz + ", " + maxHz + "] Hz must satisfy 0 < min"
          + " < max and 3·max < fs/2 = " + fs / 2 + " Hz");
    }
    int segment = (int) Math.round(fs / RESOLUTION_HZ);
    int needed = segment / 2 * (MIN_SEGMENTS + 1);
    if (x == null || x.length < needed) {
      throw new IllegalArgumentException("cannot estimate the shaft speed: the recording has "
          + (x == null ? 0 : x.length) + " samples, " + MIN_SEGMENTS + " averages at " + RESOLUTION_HZ
          + " Hz resolution need " + needed + " (" + needed / fs + " s); give the speed (--rpm)");
    }
    int overlap = segment / 2;
    Spectrum s = Welch.psd(x, fs, segment, overlap, Window.HANN);
    double bin = s.binWidth();
    double[] logP = new double[s.size()];
    for (int k = 0; k < logP.length; k++) {
      logP[k] = 10 * Math.log10(Math.max(s.value(k), Double.MIN_NORMAL));
    }
    int radius = (int) Math.round(5 / bin);
    double bestHz = Double.NaN;
    double best = Double.NEGATIVE_INFINITY;
    for (int k = (int) Math.ceil(minHz / bin); k <= (int) Math.floor(maxHz / bin); k++) {
      double score = 0;
      for (int h = 1; h <= 3; h++) {
        int c = h * k;
        // the largest of the three bins nearest h·f (the harmonic of a line between bins spreads)
        double peak = Math.max(logP[c], Math.max(logP[c - 1], logP[Math.min(c + 1, logP.length - 1)]));
        score += peak - median(logP, c - radius, c + radius);
      }
      score /= 3;
      if (score > best) {
        best = score;
        bestHz = k * bin;
      }
    }
    if (!(best >= MIN_PROMINENCE_DB)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "cannot estimate the shaft speed: no line in"
          + " [%.1f, %.1f] Hz with harmonics stands out (best %.1f dB at %.2f Hz, needs %.1f dB); give the speed"
          + " (--rpm)", minHz, maxHz, best, bestHz, MIN_PROMINENCE_DB));
    }
    // Refine: the third harmonic's peak (parabolic interpolation in dB) divided by three.
    int c = (int) Math.round(3 * bestHz / bin);
    int peak = c;
    for (int k = c - 1; k <= c + 1; k++) {
      if (logP[k] > logP[peak]) {
        peak = k;
      }
    }
    double a = logP[peak - 1];
    double b = logP[peak];
    double d = logP[Math.min(peak + 1, logP.length - 1)];
    double denominator = a - 2 * b + d;
    double offset = denominator < 0 ? 0.5 * (a - d) / denominator : 0;
    return new Estimate((peak + offset) * bin / 3, best);
  }

  private static double median(double[] v, int from, int to) {
    int lo = Math.max(1, from);
    int hi = Math.min(v.length - 1, to);
    double[] part = Arrays.copyOfRange(v, lo, hi + 1);
    Arrays.sort(part);
    return part[part.length / 2];
  }
}
