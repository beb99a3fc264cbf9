package io.github.drsn.signals;

/**
 * Linear-phase low-pass FIR design by the Kaiser window method (J. F. Kaiser, "Nonrecursive digital filter
 * design using the I0-sinh window function", Proc. IEEE ISCAS 1974; length and beta formulas as in
 * Oppenheim and Schafer, Discrete-Time Signal Processing, 3rd ed., eqs. 7.62-7.63).
 */
final class KaiserFir {

  private KaiserFir() {}

  /**
   * Odd-length symmetric low-pass taps, normalised so they sum to {@code dcGain}.
   *
   * @param passEdge passband edge as a fraction of the Nyquist frequency, 0 &lt; passEdge &lt; stopEdge
   * @param stopEdge stopband edge as a fraction of the Nyquist frequency, stopEdge &lt;= 1
   * @param attenuationDb stopband attenuation (and passband ripple 20 log10(1 + 10^(-A/20))), A &gt; 21
   */
  static double[] lowPass(double passEdge, double stopEdge, double attenuationDb, double dcGain) {
    double transition = Math.PI * (stopEdge - passEdge);
    int order = (int) Math.ceil((attenuationDb - 8) / (2.285 * transition));
    if (order % 2 == 1) {
      order++;
    }
    double beta = attenuationDb > 50
        ? 0.1102 * (attenuationDb - 8.7)
        : 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
    double cutoff = (passEdge + stopEdge) / 2;
    int length = order + 1;
    int middle = order / 2;
    double[] taps = new double[length];
    double norm = besselI0(beta);
    double sum = 0;
    for (int k = 0; k < length; k++) {
      int offset = k - middle;
      double ideal = offset == 0 ? cutoff : Math.sin(Math.PI * cutoff * offset) / (Math.PI * offset);
      double ratio = (double) offset / middle;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / norm;
      taps[k] = ideal * window;
      sum += taps[k];
    }
    for (int k = 0; k < length; k++) {
      taps[k] *= dcGain / sum;
    }
    return taps;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series (converges for all x). */
  static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double quarterSquare = x * x / 4;
    for (int k = 1; k < 500 && term > 1e-17 * sum; k++) {
      term *= quarterSquare / ((double) k * k);
      sum += term;
    }
    return sum;
  }
}
