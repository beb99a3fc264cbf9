package io.github.drsn.signals;

/**
 * Tapering windows of the generalised-cosine family, w[k] = sum_j (-1)^j a_j cos(2 pi j k / M), k = 0..n-1,
 * with M = n - 1 for {@link Symmetry#SYMMETRIC} (filter design; w[0] = w[n-1]) and M = n for
 * {@link Symmetry#PERIODIC} (spectral analysis; the first n points of a symmetric window of n + 1).
 * Coefficients as in F. J. Harris, "On the use of windows for harmonic analysis with the discrete Fourier
 * transform", Proc. IEEE 66(1), 1978; the same definitions as {@code scipy.signal.get_window}.
 * A window of length 1 is {1}.
 */
public enum Window {
  /** w = 1. */
  RECTANGULAR(1.0),
  /** Hann: 0.5 - 0.5 cos(2 pi k / M). */
  HANN(0.5, 0.5),
  /** Hamming: 0.54 - 0.46 cos(2 pi k / M). */
  HAMMING(0.54, 0.46),
  /** Blackman: 0.42 - 0.5 cos(2 pi k / M) + 0.08 cos(4 pi k / M). */
  BLACKMAN(0.42, 0.5, 0.08);

  /** Whether the window is symmetric (denominator n - 1) or periodic (denominator n). */
  public enum Symmetry {
    /** w[k] = w[n-1-k]; for FIR design. */
    SYMMETRIC,
    /** DFT-even; for spectral analysis (Welch, STFT). */
    PERIODIC
  }

  private final double[] cosineTerms;

  Window(double... cosineTerms) {
    this.cosineTerms = cosineTerms;
  }

  /**
   * The n window coefficients.
   *
   * @param n window length
   * @param symmetry symmetric (filter design) or periodic (spectral analysis)
   * @return the n coefficients
   * @throws IllegalArgumentException if n is not positive or symmetry is null
   */
  public double[] coefficients(int n, Symmetry symmetry) {
    Checks.requirePositive("window length n", n);
    Checks.requireNonNull("symmetry", symmetry);
    double[] w = new double[n];
    if (n == 1) {
      w[0] = 1.0;
      return w;
    }
    int denominator = symmetry == Symmetry.SYMMETRIC ? n - 1 : n;
    for (int k = 0; k < n; k++) {
      double sum = 0;
      double sign = 1;
      for (int j = 0; j < cosineTerms.length; j++) {
        sum += sign * cosineTerms[j] * Math.cos(2 * Math.PI * j * k / denominator);
        sign = -sign;
      }
      w[k] = sum;
    }
    return w;
  }
}
