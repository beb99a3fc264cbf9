package io.github.drsn.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * Digital Butterworth filters as cascades of second-order sections (SOS), designed like
 * {@code scipy.signal.butter(..., output='sos')}: analog prototype poles p_k = exp(i pi (2k + n + 1) / (2n)),
 * k = 0..n-1; analog frequency transformation (low-pass s = W p, high-pass s = W / p, band-pass
 * s² - s p B + W0² = 0 with B = W2 - W1, W0² = W1 W2); bilinear transform z = (2 fs + s) / (2 fs - s) with
 * the edges pre-warped, W = 2 fs tan(pi f / fs), so the digital response is exactly -3.01 dB at the cutoff
 * (at both band edges for band-pass). Each section is scaled to unit gain at DC (low-pass), Nyquist
 * (high-pass) or the band centre 2 atan(W0 / 2 fs) (band-pass). Sections keep the cascade numerically
 * stable at high orders where a single transfer-function polynomial would not be.
 * A band-pass of order n has 2n poles (n sections), as in scipy. Instances are immutable and thread-safe.
 */
public final class Butterworth {

  /** Highest supported prototype order. */
  public static final int MAX_ORDER = 32;

  /** Filter response type. */
  public enum Type {
    /** Passes DC, -3 dB at the cutoff. */
    LOW_PASS,
    /** Passes the Nyquist frequency, -3 dB at the cutoff. */
    HIGH_PASS,
    /** Passes the band between two -3 dB edges. */
    BAND_PASS
  }

  private final Type type;
  private final int order;
  private final double fs;
  /** Rows {b0, b1, b2, a1, a2} with a0 = 1, direct form II transposed. */
  private final double[][] sections;

  private Butterworth(Type type, int order, double fs, double[][] sections) {
    this.type = type;
    this.order = order;
    this.fs = fs;
    this.sections = sections;
  }

  /**
   * Low-pass of the given order with -3 dB at {@code cutoffHz}, 0 &lt; cutoffHz &lt; fs/2.
   *
   * @param order number of poles, 1..{@value #MAX_ORDER}
   * @param cutoffHz -3 dB frequency in Hz
   * @param fs sampling rate in Hz
   * @return the designed filter
   * @throws IllegalArgumentException if order, cutoff or fs is out of range
   */
  public static Butterworth lowPass(int order, double cutoffHz, double fs) {
    validate(order, fs);
    validateEdge("cutoffHz", cutoffHz, fs);
    double w = prewarp(cutoffHz, fs);
    List<Complex> poles = new ArrayList<>();
    for (Complex p : prototypePoles(order)) {
      poles.add(p.times(w));
    }
    return new Butterworth(Type.LOW_PASS, order, fs, build(Type.LOW_PASS, poles, fs, 0.0));
  }

  /**
   * High-pass of the given order with -3 dB at {@code cutoffHz}, 0 &lt; cutoffHz &lt; fs/2.
   *
   * @param order number of poles, 1..{@value #MAX_ORDER}
   * @param cutoffHz -3 dB frequency in Hz
   * @param fs sampling rate in Hz
   * @return the designed filter
   * @throws IllegalArgumentException if order, cutoff or fs is out of range
   */
  public static Butterworth highPass(int order, double cutoffHz, double fs) {
    validate(order, fs);
    validateEdge("cutoffHz", cutoffHz, fs);
    double w = prewarp(cutoffHz, fs);
    List<Complex> poles = new ArrayList<>();
    for (Complex p : prototypePoles(order)) {
      poles.add(new Complex(w, 0).dividedBy(p));
    }
    return new Butterworth(Type.HIGH_PASS, order, fs, build(Type.HIGH_PASS, poles, fs, Math.PI));
  }

  /**
   * Band-pass from a prototype of the given order (2 order poles) with -3 dB at {@code lowHz} and
   * {@code highHz}, 0 &lt; lowHz &lt; highHz &lt; fs/2.
   *
   * @param order prototype order; the filter has 2 order poles
   * @param lowHz lower -3 dB edge in Hz
   * @param highHz upper -3 dB edge in Hz
   * @param fs sampling rate in Hz
   * @return the designed filter
   * @throws IllegalArgumentException if order, edges or fs is out of range
   */
  public static Butterworth bandPass(int order, double lowHz, double highHz, double fs) {
    validate(order, fs);
    validateEdge("lowHz", lowHz, fs);
    validateEdge("highHz", highHz, fs);
    if (!(lowHz < highHz)) {
      throw new IllegalArgumentException("band-pass needs lowHz < highHz, got lowHz " + lowHz
          + " and highHz " + highHz);
    }
    double w1 = prewarp(lowHz, fs);
    double w2 = prewarp(highHz, fs);
    double bandwidth = w2 - w1;
    double centreSquared = w1 * w2;
    List<Complex> poles = new ArrayList<>();
    for (Complex p : prototypePoles(order)) {
      Complex half = p.times(bandwidth / 2);
      Complex root = half.times(half).minus(new Complex(centreSquared, 0)).sqrt();
      poles.add(half.plus(root));
      poles.add(half.minus(root));
    }
    double centre = 2 * Math.atan(Math.sqrt(centreSquared) / (2 * fs));
    return new Butterworth(Type.BAND_PASS, order, fs, build(Type.BAND_PASS, poles, fs, centre));
  }

  /** The response type. */
  public Type type() {
    return type;
  }

  /** The prototype order. */
  public int order() {
    return order;
  }

  /** The sampling rate in Hz the filter was designed for. */
  public double samplingRate() {
    return fs;
  }

  /** A copy of the sections, rows {b0, b1, b2, a0 = 1, a1, a2} as in scipy's sos layout. */
  public double[][] sos() {
    double[][] copy = new double[sections.length][];
    for (int i = 0; i < sections.length; i++) {
      double[] s = sections[i];
      copy[i] = new double[] {s[0], s[1], s[2], 1.0, s[3], s[4]};
    }
    return copy;
  }

  /**
   * |H(e^{i 2 pi f / fs})|, the magnitude response of {@link #filter} at {@code hz}.
   *
   * @param hz frequency in Hz
   * @return the linear magnitude of one (causal) pass
   */
  public double magnitudeAt(double hz) {
    Checks.requireFinite("hz", hz);
    double omega = 2 * Math.PI * hz / fs;
    double magnitude = 1;
    for (double[] s : sections) {
      magnitude *= sectionMagnitude(s, omega);
    }
    return magnitude;
  }

  /**
   * 20 log10 {@link #magnitudeAt}.
   *
   * @param hz frequency in Hz
   * @return the gain of one (causal) pass in dB
   */
  public double gainDb(double hz) {
    return 20 * Math.log10(magnitudeAt(hz));
  }

  /**
   * Causal filtering from rest (zero initial state), like {@code scipy.signal.sosfilt}.
   *
   * @param x samples (not modified)
   * @return the filtered signal, same length
   */
  public double[] filter(double[] x) {
    Checks.requireSamples("x", x);
    double[] y = x.clone();
    for (double[] s : sections) {
      runSection(s, y, 0, 0, false);
    }
    return y;
  }

  /**
   * Zero-phase filtering, like {@code scipy.signal.sosfiltfilt} (same output to rounding): the signal is
   * extended at both ends by an odd reflection of 3 (2 sections + 1 - first-order sections) samples,
   * filtered forward and backward with each section started in its steady state for the edge value, and
   * cropped. The response is |H|² (so -6.02 dB at a
   * cutoff) with no phase shift and no delay.
   *
   * @param x samples (not modified)
   * @return the zero-phase filtered signal, same length
   * @throws IllegalArgumentException if x is not longer than the padding
   */
  public double[] filtfilt(double[] x) {
    Checks.requireSamples("x", x);
    int pad = paddingLength();
    if (x.length <= pad) {
      throw new IllegalArgumentException("signal x has " + x.length + " samples; filtfilt needs more than the "
          + pad + "-sample edge padding of this " + sections.length + "-section filter");
    }
    int n = x.length;
    double[] ext = new double[n + 2 * pad];
    for (int i = 0; i < pad; i++) {
      ext[i] = 2 * x[0] - x[pad - i];
      ext[pad + n + i] = 2 * x[n - 1] - x[n - 2 - i];
    }
    System.arraycopy(x, 0, ext, pad, n);
    double[][] steady = steadyStates();
    applyWithInitialState(ext, steady, false);
    applyWithInitialState(ext, steady, true);
    double[] y = new double[n];
    System.arraycopy(ext, pad, y, 0, n);
    return y;
  }

  /** scipy's sosfiltfilt default: 3 (2 sections + 1 - first-order sections), i.e. 3 (order + 1) for low/high-pass. */
  private int paddingLength() {
    int firstOrder = 0;
    for (double[] s : sections) {
      if (s[2] == 0 && s[4] == 0) {
        firstOrder++;
      }
    }
    return 3 * (2 * sections.length + 1 - firstOrder);
  }

  private void applyWithInitialState(double[] y, double[][] steady, boolean backward) {
    double edge = backward ? y[y.length - 1] : y[0];
    for (int i = 0; i < sections.length; i++) {
      runSection(sections[i], y, steady[i][0] * edge, steady[i][1] * edge, backward);
    }
  }

  /** Runs one DF-II-transposed section in place, optionally from the end towards the start. */
  private static void runSection(double[] s, double[] y, double z1Start, double z2Start, boolean backward) {
    double b0 = s[0];
    double b1 = s[1];
    double b2 = s[2];
    double a1 = s[3];
    double a2 = s[4];
    double z1 = z1Start;
    double z2 = z2Start;
    int n = y.length;
    for (int j = 0; j < n; j++) {
      int t = backward ? n - 1 - j : j;
      double in = y[t];
      double out = b0 * in + z1;
      z1 = b1 * in - a1 * out + z2;
      z2 = b2 * in - a2 * out;
      y[t] = out;
    }
  }

  /**
   * Per-section states {z1, z2} that make the cascade's response to a unit step start in steady state
   * ({@code scipy.signal.sosfilt_zi}): section i sees the step scaled by the DC gains of sections before it.
   */
  private double[][] steadyStates() {
    double[][] zi = new double[sections.length][2];
    double inputLevel = 1;
    for (int i = 0; i < sections.length; i++) {
      double[] s = sections[i];
      double gain = (s[0] + s[1] + s[2]) / (1 + s[3] + s[4]);
      double z2 = s[2] - s[4] * gain;
      double z1 = s[1] - s[3] * gain + z2;
      zi[i][0] = z1 * inputLevel;
      zi[i][1] = z2 * inputLevel;
      inputLevel *= gain;
    }
    return zi;
  }

  private static void validate(int order, double fs) {
    if (order < 1 || order > MAX_ORDER) {
      throw new IllegalArgumentException("Butterworth order must be in [1, " + MAX_ORDER + "], got " + order);
    }
    Checks.requireSamplingRate("fs", fs);
  }

  private static void validateEdge(String name, double hz, double fs) {
    if (!(hz > 0 && hz < fs / 2)) {
      throw new IllegalArgumentException(name + " must lie strictly between 0 and the Nyquist frequency "
          + fs / 2 + " Hz, got " + hz);
    }
  }

  private static double prewarp(double hz, double fs) {
    return 2 * fs * Math.tan(Math.PI * hz / fs);
  }

  private static List<Complex> prototypePoles(int order) {
    List<Complex> poles = new ArrayList<>(order);
    for (int k = 0; k < order; k++) {
      double angle = Math.PI * (2 * k + order + 1) / (2.0 * order);
      poles.add(new Complex(Math.cos(angle), Math.sin(angle)));
    }
    return poles;
  }

  /**
   * Maps analog poles through the bilinear transform and groups them into sections: each complex pole with
   * its conjugate, real poles in pairs, a last lone real pole as a first-order section. Zeros follow from
   * the type: low-pass at z = -1, high-pass at z = +1, band-pass one of each per section.
   */
  private static double[][] build(Type type, List<Complex> analogPoles, double fs, double referenceOmega) {
    Complex twoFs = new Complex(2 * fs, 0);
    List<Complex> complexPoles = new ArrayList<>();
    List<Double> realPoles = new ArrayList<>();
    for (Complex s : analogPoles) {
      Complex z = twoFs.plus(s).dividedBy(twoFs.minus(s));
      if (Math.abs(z.im) <= 1e-12 * Math.max(1, z.abs())) {
        realPoles.add(z.re);
      } else if (z.im > 0) {
        complexPoles.add(z);
      }
    }
    List<double[]> result = new ArrayList<>();
    for (Complex p : complexPoles) {
      result.add(section(type, new double[] {-2 * p.re, p.re * p.re + p.im * p.im}, true, referenceOmega));
    }
    realPoles.sort(null);
    for (int i = 0; i + 1 < realPoles.size(); i += 2) {
      double r1 = realPoles.get(i);
      double r2 = realPoles.get(i + 1);
      result.add(section(type, new double[] {-(r1 + r2), r1 * r2}, true, referenceOmega));
    }
    if (realPoles.size() % 2 == 1) {
      double r = realPoles.get(realPoles.size() - 1);
      result.add(section(type, new double[] {-r, 0}, false, referenceOmega));
    }
    int expectedPoles = analogPoles.size();
    int builtPoles = 2 * complexPoles.size() + realPoles.size();
    if (builtPoles != expectedPoles) {
      throw new IllegalStateException("pole pairing failed: " + builtPoles + " of " + expectedPoles + " poles");
    }
    return result.toArray(new double[0][]);
  }

  private static double[] section(Type type, double[] a, boolean secondOrder, double referenceOmega) {
    double[] b;
    if (secondOrder) {
      b = switch (type) {
        case LOW_PASS -> new double[] {1, 2, 1};
        case HIGH_PASS -> new double[] {1, -2, 1};
        case BAND_PASS -> new double[] {1, 0, -1};
      };
    } else {
      b = switch (type) {
        case LOW_PASS -> new double[] {1, 1, 0};
        case HIGH_PASS -> new double[] {1, -1, 0};
        case BAND_PASS -> throw new IllegalStateException("band-pass sections are always second order");
      };
    }
    double[] s = {b[0], b[1], b[2], a[0], a[1]};
    double gain = sectionMagnitude(s, referenceOmega);
    s[0] /= gain;
    s[1] /= gain;
    s[2] /= gain;
    return s;
  }

  private static double sectionMagnitude(double[] s, double omega) {
    // H(e^{iw}) = (b0 + b1 e^{-iw} + b2 e^{-2iw}) / (1 + a1 e^{-iw} + a2 e^{-2iw})
    double c1 = Math.cos(omega);
    double s1 = -Math.sin(omega);
    double c2 = Math.cos(2 * omega);
    double s2 = -Math.sin(2 * omega);
    double numRe = s[0] + s[1] * c1 + s[2] * c2;
    double numIm = s[1] * s1 + s[2] * s2;
    double denRe = 1 + s[3] * c1 + s[4] * c2;
    double denIm = s[3] * s1 + s[4] * s2;
    return Math.hypot(numRe, numIm) / Math.hypot(denRe, denIm);
  }

  /** Minimal complex arithmetic for the design; not part of the API. */
  private record Complex(double re, double im) {
    Complex plus(Complex o) {
      return new Complex(re + o.re, im + o.im);
    }

    Complex minus(Complex o) {
      return new Complex(re - o.re, im - o.im);
    }

    Complex times(double k) {
      return new Complex(re * k, im * k);
    }

    Complex times(Complex o) {
      return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    Complex dividedBy(Complex o) {
      double d = o.re * o.re + o.im * o.im;
      return new Complex((re * o.re + im * o.im) / d, (im * o.re - re * o.im) / d);
    }

    double abs() {
      return Math.hypot(re, im);
    }

    Complex sqrt() {
      double r = abs();
      double real = Math.sqrt((r + re) / 2);
      double imag = Math.copySign(Math.sqrt((r - re) / 2), im);
      return new Complex(real, imag);
    }
  }
}
