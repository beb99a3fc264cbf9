package io.github.drsn.signals;

/**
 * Decimation and rational resampling by a polyphase linear-phase FIR (the method of
 * {@code scipy.signal.resample_poly}; P. P. Vaidyanathan, Multirate Systems and Filter Banks, 1993, ch. 4).
 *
 * <p>To change the rate by up/down the signal is conceptually upsampled by inserting up - 1 zeros,
 * low-pass filtered and kept every down-th sample; the polyphase form computes only the kept samples. The
 * anti-alias/anti-image filter is a Kaiser-window FIR with its passband to {@value #PASSBAND_FRACTION} of
 * the lower of the two Nyquist frequencies, its stopband from that Nyquist frequency up, and
 * {@value #STOPBAND_ATTENUATION_DB} dB of stopband attenuation (passband ripple below 0.001 dB): every
 * component that would alias is suppressed by at least that much, and content in the top 20 % below the
 * new Nyquist is attenuated but not aliased. The filter is applied centred (its group delay removed), so
 * the output is not delayed: output sample m is at time m down / (up fs_in). Output length is
 * ceil(n up / down). Thread-safe.
 *
 * <p>Edges: the filter needs input beyond both ends, which is unknown. The input is extended by odd
 * reflection about the end samples (as {@code scipy.signal.filtfilt} pads), which keeps constants and
 * linear trends exact, but no extension is right for every signal: the first and last
 * {@link #edgeSamples(int, int)} output samples depend on the extension. For a strong tone above the new
 * Nyquist frequency those samples carry a transient (whole-signal rejection ~45 dB instead of &gt; 90 dB for
 * 1 s at 48 kHz); trim them, or resample a whole recording before cutting windows.
 *
 * <p>Rate changes that are no such ratio (irrational, or reduced factors above {@value #MAX_FACTOR}) go through
 * {@link #resampleInterpolating}, band-limited interpolation with the same filter specification.
 */
public final class Resampling {

  /** Passband edge as a fraction of the lower Nyquist frequency. */
  public static final double PASSBAND_FRACTION = 0.8;
  /** Stopband attenuation of the anti-alias filter in dB. */
  public static final double STOPBAND_ATTENUATION_DB = 80.0;

  /** Filters kept by {@link #filterTaps}: a process resamples between a few rates; more are redesigned. */
  private static final int MAX_CACHED_FILTERS = 32;

  private static final java.util.concurrent.ConcurrentHashMap<Long, double[]> TAPS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Largest up or down factor accepted (the filter length grows with it). */
  public static final int MAX_FACTOR = 1000;
  /** Points per input sample at which the kernel of {@link #resampleInterpolating} is tabulated. */
  public static final int KERNEL_PHASES = 4096;

  /** A reduced rational rate change: fs_out / fs_in = up / down. */
  public record Ratio(int up, int down) {
    /** Validates that both factors are in [1, MAX_FACTOR]. */
    public Ratio {
      if (up < 1 || down < 1 || up > MAX_FACTOR || down > MAX_FACTOR) {
        throw new IllegalArgumentException("up and down must be in [1, " + MAX_FACTOR + "], got up " + up
            + ", down " + down);
      }
    }
  }

  private Resampling() {}

  /**
   * Low-pass below the new Nyquist frequency, then keep every {@code factor}-th sample:
   * {@code resampleRational(x, 1, factor)}.
   *
   * @param x samples (not modified)
   * @param factor keep one sample in factor
   * @return ceil(n / factor) samples at fs / factor
   */
  public static double[] decimate(double[] x, int factor) {
    Checks.requirePositive("decimation factor", factor);
    return resampleRational(x, 1, factor);
  }

  /**
   * Rational resampling by up/down (reduced first); up = down = 1 returns a copy. Named apart from
   * {@link #resample(double[], double, double)} so that rates given as int literals cannot select it.
   *
   * @param x samples (not modified)
   * @param up interpolation factor
   * @param down decimation factor
   * @return ceil(n up / down) samples at fs up / down
   */
  public static double[] resampleRational(double[] x, int up, int down) {
    Checks.requireSamples("x", x);
    Checks.requirePositive("up", up);
    Checks.requirePositive("down", down);
    int g = gcd(up, down);
    Ratio ratio = new Ratio(up / g, down / g);
    if (ratio.up() == 1 && ratio.down() == 1) {
      return x.clone();
    }
    return polyphase(x, ratio.up(), ratio.down());
  }

  /**
   * Resamples from fsIn to fsOut Hz: by the polyphase filter when the rate change is a ratio up/down with both
   * factors at most {@link #MAX_FACTOR} ({@link #findRatio}), otherwise by
   * {@link #resampleInterpolating(double[], double, double) band-limited interpolation}, so that any two rates
   * work (6,104 Hz to 48,828 Hz is 12207/1526). Both have the same band edges and stopband attenuation.
   *
   * @param x samples at fsIn (not modified)
   * @param fsIn input sampling rate in Hz
   * @param fsOut output sampling rate in Hz
   * @return ceil(n fsOut / fsIn) samples at fsOut
   */
  public static double[] resample(double[] x, double fsIn, double fsOut) {
    Checks.requireSamples("x", x);
    java.util.Optional<Ratio> ratio = findRatio(fsIn, fsOut);
    return ratio.isPresent()
        ? resampleRational(x, ratio.get().up(), ratio.get().down())
        : resampleInterpolating(x, fsIn, fsOut);
  }

  /**
   * The reduced ratio up/down = fsOut/fsIn with both factors at most {@link #MAX_FACTOR}, e.g. 48000 -&gt;
   * 12000 is 1/4 and 12800 -&gt; 12000 is 15/16.
   *
   * @param fsIn input sampling rate in Hz
   * @param fsOut output sampling rate in Hz
   * @return the reduced ratio
   * @throws IllegalArgumentException if no such ratio matches within a relative 1e-12 (use
   *     {@link #resample(double[], double, double)}, which interpolates then)
   */
  public static Ratio ratio(double fsIn, double fsOut) {
    return findRatio(fsIn, fsOut).orElseThrow(() -> new IllegalArgumentException("the rate change " + fsIn
        + " Hz -> " + fsOut + " Hz is not a ratio up/down with up, down <= " + MAX_FACTOR));
  }

  /**
   * As {@link #ratio(double, double)}, empty when the rate change has no such ratio.
   *
   * @param fsIn input sampling rate in Hz
   * @param fsOut output sampling rate in Hz
   * @return the reduced ratio, if both factors are at most {@link #MAX_FACTOR}
   */
  public static java.util.Optional<Ratio> findRatio(double fsIn, double fsOut) {
    Checks.requireSamplingRate("fsIn", fsIn);
    Checks.requireSamplingRate("fsOut", fsOut);
    double target = fsOut / fsIn;
    for (int down = 1; down <= MAX_FACTOR; down++) {
      long up = Math.round(target * down);
      if (up >= 1 && up <= MAX_FACTOR && Math.abs(up - target * down) <= 1e-12 * target * down) {
        int g = gcd((int) up, down);
        return java.util.Optional.of(new Ratio((int) up / g, down / g));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Resamples by any ratio, rational or not, by band-limited interpolation (J. O. Smith, "Digital Audio
   * Resampling Home Page", CCRMA 2002): output sample m lies at input time t = m fsIn / fsOut and is
   * <pre>  y[m] = Σ_k x[k] · c · h(c (t − k)),   c = min(1, fsOut / fsIn)</pre>
   * where h is the Kaiser-windowed sinc low-pass with the polyphase filter's specification (passband to
   * {@value #PASSBAND_FRACTION} of the lower Nyquist frequency, {@value #STOPBAND_ATTENUATION_DB} dB from that
   * Nyquist frequency up). Scaling its argument by c moves the cut-off below the new Nyquist frequency when
   * decimating, so the cost per input sample stays ~52 multiply-adds for every ratio. h is tabulated at
   * {@value #KERNEL_PHASES} points per sample and interpolated linearly (error below 1e-7 of full scale). Edges
   * are extended by odd reflection, as in {@link #resampleRational}.
   *
   * @param x samples at fsIn (not modified)
   * @param fsIn input sampling rate in Hz
   * @param fsOut output sampling rate in Hz
   * @return ceil(n fsOut / fsIn) samples at fsOut
   * @throws IllegalArgumentException if a rate is not finite and positive, or the output would exceed
   *     {@link Integer#MAX_VALUE} - 8 samples
   */
  public static double[] resampleInterpolating(double[] x, double fsIn, double fsOut) {
    Checks.requireSamples("x", x);
    Checks.requireSamplingRate("fsIn", fsIn);
    Checks.requireSamplingRate("fsOut", fsOut);
    double rho = fsOut / fsIn;
    double exactLength = x.length * rho;
    // A relative 1e-12 of slack keeps ratios that are integers in exact arithmetic from gaining a sample.
    double outLength = Math.ceil(exactLength - 1e-12 * exactLength);
    if (outLength > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(x.length + " samples at " + fsIn + " Hz become " + (long) outLength
          + " samples at " + fsOut + " Hz, more than an array holds");
    }
    return interpolate(x, 0, fsIn / fsOut, (int) Math.max(1, outLength));
  }

  /**
   * Band-limited values of x between and beyond its samples: {@code y[m] = x(start + m·step)}, with x(t) the
   * signal reconstructed by the kernel of {@link #resampleInterpolating} (low-passed below the output's Nyquist
   * frequency when step &gt; 1) and extended by odd reflection beyond its ends. A step of 1/f stretches time by
   * f (a machine running f times slower); used for speed and rate jitter.
   *
   * @param x samples (not modified)
   * @param start position of the first output in input samples (may be negative)
   * @param step input samples between outputs, finite and &gt; 0
   * @param count outputs wanted, &gt;= 1
   * @return {@code count} values
   */
  public static double[] interpolate(double[] x, double start, double step, int count) {
    Checks.requireSamples("x", x);
    if (!(step > 0) || !Double.isFinite(step) || !Double.isFinite(start)) {
      throw new IllegalArgumentException("step must be finite and > 0 and start finite, got step " + step
          + ", start " + start);
    }
    Checks.requirePositive("count", count);
    double c = Math.min(1, 1 / step);
    double[] table = InterpolationKernel.TABLE;
    double halfWidth = InterpolationKernel.HALF_WIDTH / c;
    int n = x.length;
    double[] y = new double[count];
    double scale = c * KERNEL_PHASES;
    for (int m = 0; m < y.length; m++) {
      double t = start + m * step;
      long first = (long) Math.ceil(t - halfWidth);
      long last = (long) Math.floor(t + halfWidth);
      double sum = 0;
      for (long k = first; k <= last; k++) {
        double position = Math.abs(t - k) * scale;
        int j = (int) position;
        if (j >= table.length - 1) {
          continue;
        }
        double weight = table[j] + (position - j) * (table[j + 1] - table[j]);
        sum += weight * extended(x, n, k);
      }
      y[m] = c * sum;
    }
    return y;
  }

  /** x[k] for any k, the signal extended by odd reflection about its end samples. */
  private static double extended(double[] x, int n, long k) {
    if (k < 0) {
      return 2 * x[0] - x[(int) Math.min(-k, n - 1)];
    }
    if (k >= n) {
      return 2 * x[n - 1] - x[(int) Math.max(2L * (n - 1) - k, 0)];
    }
    return x[(int) k];
  }

  /** The prototype low-pass (cut-off at the input's Nyquist, c = 1) of resampleInterpolating, tabulated once. */
  private static final class InterpolationKernel {
    static final int HALF_WIDTH;
    static final double[] TABLE;

    static {
      double transition = Math.PI * (1 - PASSBAND_FRACTION);
      int order = (int) Math.ceil((STOPBAND_ATTENUATION_DB - 8) / (2.285 * transition));
      order += order % 2;
      HALF_WIDTH = order / 2;
      double beta = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);
      double cutoff = (1 + PASSBAND_FRACTION) / 2;
      double norm = KaiserFir.besselI0(beta);
      TABLE = new double[HALF_WIDTH * KERNEL_PHASES + 2];
      for (int j = 0; j <= HALF_WIDTH * KERNEL_PHASES; j++) {
        double u = (double) j / KERNEL_PHASES;
        double ideal = j == 0 ? cutoff : Math.sin(Math.PI * cutoff * u) / (Math.PI * u);
        double r = u / HALF_WIDTH;
        TABLE[j] = ideal * KaiserFir.besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
      }
    }
  }

  /**
   * Output samples at each end of {@link #resampleRational(double[], int, int)} that depend on the edge extension:
   * ceil(half filter length / down), e.g. 25 for decimation by 4.
   *
   * @param up interpolation factor
   * @param down decimation factor
   * @return the number of output samples at each end to distrust
   */
  public static int edgeSamples(int up, int down) {
    Checks.requirePositive("up", up);
    Checks.requirePositive("down", down);
    int g = gcd(up, down);
    Ratio ratio = new Ratio(up / g, down / g);
    if (ratio.up() == 1 && ratio.down() == 1) {
      return 0;
    }
    int halfLength = (filterTaps(ratio.up(), ratio.down()).length - 1) / 2;
    return (halfLength + ratio.down() - 1) / ratio.down();
  }

  /**
   * Input samples either side of an output sample of {@link #resample(double[], double, double)} that its value
   * depends on: the anti-alias filter's half-length in input samples (half the polyphase filter's taps / up, or the
   * interpolation kernel's half-width / min(1, fsOut / fsIn)), rounded up, plus one. An output whose input time lies at
   * least this far inside both ends of x does not depend on the edge extension, so a stretch of a longer signal
   * resampled alone gives the longer signal's values there (bit for bit by the polyphase filter when the stretch
   * starts at a multiple of the reduced down factor): what lets a stream resample window by window.
   *
   * @param fsIn input sampling rate in Hz
   * @param fsOut output sampling rate in Hz
   * @return 0 when the rates are equal, else the reach in input samples
   * @throws IllegalArgumentException if the reach exceeds what an array holds (a downsampling by ~10^8 or more)
   */
  public static int reachInputSamples(double fsIn, double fsOut) {
    java.util.Optional<Ratio> ratio = findRatio(fsIn, fsOut);
    if (ratio.isPresent()) {
      int up = ratio.get().up();
      int down = ratio.get().down();
      if (up == 1 && down == 1) {
        return 0;
      }
      int halfLength = (filterTaps(up, down).length - 1) / 2;
      return (halfLength + up - 1) / up + 1;
    }
    double reach = Math.ceil(InterpolationKernel.HALF_WIDTH / Math.min(1, fsOut / fsIn)) + 1;
    if (!(reach < Integer.MAX_VALUE - 8)) {
      throw new IllegalArgumentException("the rate change " + fsIn + " Hz -> " + fsOut + " Hz needs " + reach
          + " input samples of context, more than an array holds");
    }
    return (int) reach;
  }

  /**
   * The anti-alias FIR used for up/down (reduced), with DC gain up; exposed for inspection and tests. Shared and
   * read-only: a stream resamples every hop by the same ratio, and designing the filter (up to tens of thousands of
   * Kaiser-windowed sinc taps for ratios near 1000) cost more than filtering one window.
   */
  static double[] filterTaps(int up, int down) {
    long key = ((long) up << 32) | down;
    double[] taps = TAPS.get(key);
    if (taps == null) {
      int slower = Math.max(up, down);
      taps = KaiserFir.lowPass(PASSBAND_FRACTION / slower, 1.0 / slower, STOPBAND_ATTENUATION_DB, up);
      if (TAPS.size() >= MAX_CACHED_FILTERS) {
        TAPS.clear();
      }
      TAPS.putIfAbsent(key, taps);
    }
    return taps;
  }


  private static double[] polyphase(double[] x, int up, int down) {
    double[] h = filterTaps(up, down);
    int delay = (h.length - 1) / 2;
    int n = x.length;
    // Input samples needed beyond each end: the filter reaches delay upsampled samples either side.
    int pad = delay / up + 2;
    double[] ext = new double[n + 2 * pad];
    for (int i = 1; i <= pad; i++) {
      ext[pad - i] = 2 * x[0] - x[Math.min(i, n - 1)];
      ext[pad + n - 1 + i] = 2 * x[n - 1] - x[Math.max(n - 1 - i, 0)];
    }
    System.arraycopy(x, 0, ext, pad, n);
    int outLength = (int) Math.ceil((double) n * up / down);
    double[] y = new double[outLength];
    long offset = (long) pad * up + delay;
    for (int m = 0; m < outLength; m++) {
      // y[m] = sum_k h[k] u[m down + delay - k], u = ext upsampled; only k with u-index divisible by up count.
      long centre = (long) m * down + offset;
      int k = (int) (centre % up);
      long index = (centre - k) / up;
      double sum = 0;
      for (; k < h.length; k += up, index--) {
        sum += h[k] * ext[(int) index];
      }
      y[m] = sum;
    }
    return y;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
