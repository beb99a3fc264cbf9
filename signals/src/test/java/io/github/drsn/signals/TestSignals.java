package io.github.drsn.signals;

/** Small measurement helpers shared by the tests (kept independent of the code under test). */
final class TestSignals {

  private TestSignals() {}

  static double[] sine(int n, double fs, double hz, double amplitude, double phase) {
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = amplitude * Math.sin(2 * Math.PI * hz * t / fs + phase);
    }
    return x;
  }

  static double[] add(double[] a, double[] b) {
    double[] s = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i];
    }
    return s;
  }

  /**
   * Amplitude of the component at {@code hz} in x[from, to) by direct projection onto e^{-i 2 pi f t}:
   * exact for a tone with a whole number of cycles in the range.
   */
  static double toneAmplitude(double[] x, double fs, double hz, int from, int to) {
    double re = 0;
    double im = 0;
    for (int t = from; t < to; t++) {
      double angle = 2 * Math.PI * hz * t / fs;
      re += x[t] * Math.cos(angle);
      im -= x[t] * Math.sin(angle);
    }
    return 2 * Math.hypot(re, im) / (to - from);
  }

  static double rms(double[] x, int from, int to) {
    double sum = 0;
    for (int t = from; t < to; t++) {
      sum += x[t] * x[t];
    }
    return Math.sqrt(sum / (to - from));
  }

  static double maxAbsDifference(double[] a, double[] b, int from, int to) {
    double max = 0;
    for (int t = from; t < to; t++) {
      max = Math.max(max, Math.abs(a[t] - b[t]));
    }
    return max;
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  /** Prints a figure the report quotes; surefire shows it in the console output. */
  static void report(String what, double value) {
    System.out.printf("MEASURED %s = %.9f%n", what, value);
  }
}
