package io.github.drsn.signals.bearing;

import java.util.ArrayList;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Spectral kurtosis over a bank of frequency bands, to find the band where bearing impacts ring (J. Antoni,
 * "Fast computation of the kurtogram for the detection of transient faults", MSSP 21(1), 2007; R. B. Randall
 * and J. Antoni, MSSP 25(2), 2011, Sec. 3.4).
 *
 * <p>Bands: [0, fs/2] cut into 2, 3, 4, 6, 8, 12, 16, 24, 32, ... equal bands (Antoni's 1/3-binary tree),
 * stopping before the width falls below {@code minBandwidthHz} (a band must be wide enough for the
 * envelope to carry the harmonics sought). Each band is isolated by an ideal (brick-wall) filter in the
 * DFT of the whole signal, shifted to base band and transformed back at a reduced rate, giving the complex
 * envelope c_t; its spectral kurtosis is K = mean|c|⁴ / (mean|c|²)² − 2, zero for Gaussian noise and large
 * for a train of impacts. The band with the largest K is chosen (the first of equal values).
 *
 * <p>Thread-safe; each call allocates its own transforms.
 */
public final class Kurtogram {

  private static final int MAX_SPLIT = 256;

  private Kurtogram() {}

  /**
   * One band of the bank.
   *
   * @param lowHz lower edge in Hz
   * @param highHz upper edge in Hz
   * @param kurtosis spectral kurtosis of its complex envelope
   */
  public record Band(double lowHz, double highHz, double kurtosis) {
    /** Band width in Hz. */
    public double widthHz() {
      return highHz - lowHz;
    }

    /** Centre frequency in Hz. */
    public double centreHz() {
      return 0.5 * (lowHz + highHz);
    }
  }

  /**
   * The envelope of one band, sampled at a reduced rate.
   *
   * @param samples |c_t|, the band's envelope
   * @param samplingRate its rate in Hz (at least twice the band width)
   */
  public record BandEnvelope(double[] samples, double samplingRate) {}

  /**
   * The whole bank and the most impulsive band.
   *
   * @param bands every band examined, coarse to fine
   * @param best the band of largest spectral kurtosis
   */
  public record Result(List<Band> bands, Band best) {}

  /** The one-sided DFT of a signal, kept to filter many bands from one transform. */
  public static final class Transform {
    private final double[] full;
    private final int n;
    private final double fs;

    private Transform(double[] full, int n, double fs) {
      this.full = full;
      this.n = n;
      this.fs = fs;
    }

    /**
     * The DFT of x.
     *
     * @throws IllegalArgumentException if x has fewer than 64 samples, holds NaN/Inf, or fs is not positive
     */
    public static Transform of(double[] x, double fs) {
      if (x == null || x.length < 64) {
        throw new IllegalArgumentException("signal has " + (x == null ? 0 : x.length)
            + " samples; the kurtogram needs at least 64");
      }
      if (!(fs > 0) || Double.isInfinite(fs)) {
        throw new IllegalArgumentException("sampling rate must be finite and > 0 Hz, got " + fs);
      }
      long needed = bytesNeeded(x.length);
      Runtime runtime = Runtime.getRuntime();
      long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
      if (needed > available * 0.8) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a signal of %,d samples needs about"
            + " %d MB for its transform, more than this JVM can spare (%d MB of a %d MB heap); analyse a shorter"
            + " stretch (%,d samples, %.0f s, or fewer) or raise the heap (e.g. DRSN_JAVA_OPTS=-Xmx4g)", x.length,
            needed >> 20, available >> 20, runtime.maxMemory() >> 20, maxSamples((long) (available * 0.8)),
            maxSamples((long) (available * 0.8)) / fs));
      }
      double[] full = new double[2 * x.length];
      double mean = 0;
      for (double v : x) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("signal holds " + v + "; expected finite samples");
        }
        mean += v;
      }
      mean /= x.length;
      for (int i = 0; i < x.length; i++) {
        full[2 * i] = x[i] - mean;
      }
      new DoubleFFT_1D(x.length).complexForward(full);
      return new Transform(full, x.length, fs);
    }

    /**
     * Bytes the transform of n samples takes, generously: the complex signal (16·n) and JTransforms' work arrays, which
     * for a length with a prime factor above 5 use Bluestein's algorithm over the power of two ≥ 2n − 1 (about 64 bytes
     * per point of it), else about 48 bytes per sample.
     */
    static long bytesNeeded(int n) {
      long m = n;
      for (int p : new int[] {2, 3, 5}) {
        while (m % p == 0) {
          m /= p;
        }
      }
      long work = m == 1 ? 48L * n : 64L * Long.highestOneBit(2L * n - 1) * 2;
      return 16L * n + work;
    }

    /** A length whose transform fits in {@code bytes} whatever its factors: {@link #bytesNeeded} is at most 272·n. */
    private static long maxSamples(long bytes) {
      return bytes / 272;
    }

    /** Sampling rate in Hz. */
    public double samplingRate() {
      return fs;
    }

    /** Signal length. */
    public int length() {
      return n;
    }

    /**
     * The complex envelope's magnitude in [lowHz, highHz]: bins of the band moved to base band (doubled, as
     * in the analytic signal) and inverse-transformed over 2·(band bins) points, so its rate is
     * 2·(band bins)·fs/n ≥ 2·width.
     *
     * @throws IllegalArgumentException if the band is empty or outside [0, fs/2]
     */
    public BandEnvelope envelope(double lowHz, double highHz) {
      if (!(lowHz >= 0) || !(highHz > lowHz) || highHz > fs / 2 + 1e-9) {
        throw new IllegalArgumentException("band [" + lowHz + ", " + highHz + "] Hz must satisfy 0 <= low < high <= "
            + fs / 2 + " Hz (half the sampling rate)");
      }
      int k0 = (int) Math.ceil(lowHz * n / fs);
      int k1 = Math.min((int) Math.floor(highHz * n / fs), n / 2);
      int bins = k1 - k0 + 1;
      if (bins < 4) {
        throw new IllegalArgumentException("band [" + lowHz + ", " + highHz + "] Hz holds " + Math.max(bins, 0)
            + " DFT bins of a " + n + "-sample signal; widen it");
      }
      int m = 2 * bins;
      double[] c = new double[2 * m];
      for (int k = k0; k <= k1; k++) {
        c[2 * (k - k0)] = 2 * full[2 * k];
        c[2 * (k - k0) + 1] = 2 * full[2 * k + 1];
      }
      new DoubleFFT_1D(m).complexInverse(c, false);
      double[] e = new double[m];
      // Scale 1/n: the IDFT of the original length, so amplitudes match the signal's.
      for (int t = 0; t < m; t++) {
        e[t] = Math.hypot(c[2 * t], c[2 * t + 1]) / n;
      }
      return new BandEnvelope(e, fs * m / n);
    }
  }

  /**
   * Spectral kurtosis K = mean|c|⁴ / (mean|c|²)² − 2 of an envelope; 0 for a Gaussian signal's band.
   */
  public static double kurtosis(double[] envelope) {
    double m2 = 0;
    double m4 = 0;
    for (double v : envelope) {
      double p = v * v;
      m2 += p;
      m4 += p * p;
    }
    m2 /= envelope.length;
    m4 /= envelope.length;
    return m2 > 0 ? m4 / (m2 * m2) - 2 : 0;
  }

  /**
   * Runs the bank on a signal.
   *
   * @param x samples (not modified)
   * @param fs sampling rate in Hz
   * @param minBandwidthHz narrowest band examined, &gt; 0 and at most fs/4
   * @throws IllegalArgumentException for bad samples or rates, or a minimum width above fs/4
   */
  public static Result compute(double[] x, double fs, double minBandwidthHz) {
    return compute(Transform.of(x, fs), minBandwidthHz);
  }

  /** As {@link #compute(double[], double, double)} on a transform already made. */
  public static Result compute(Transform transform, double minBandwidthHz) {
    double fs = transform.samplingRate();
    if (!(minBandwidthHz > 0) || minBandwidthHz > fs / 4) {
      throw new IllegalArgumentException("minimum band width " + minBandwidthHz + " Hz must be in (0, fs/4 = "
          + fs / 4 + "]");
    }
    List<Band> bands = new ArrayList<>();
    Band best = null;
    for (int split = 2; split <= MAX_SPLIT; split = nextSplit(split)) {
      double width = fs / 2 / split;
      if (width < minBandwidthHz || width * transform.length() / fs < 8) {
        break;
      }
      for (int b = 0; b < split; b++) {
        double low = b * width;
        double high = b == split - 1 ? fs / 2 : (b + 1) * width;
        Band band = new Band(low, high, kurtosis(transform.envelope(low, high).samples()));
        bands.add(band);
        if (best == null || band.kurtosis() > best.kurtosis()) {
          best = band;
        }
      }
    }
    return new Result(List.copyOf(bands), best);
  }

  /** 2, 3, 4, 6, 8, 12, ...: alternately ×1.5 and ×4/3. */
  private static int nextSplit(int split) {
    return Integer.bitCount(split) == 1 ? split * 3 / 2 : split * 4 / 3;
  }
}
