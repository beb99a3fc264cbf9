package io.github.drsn.signals;

/** Argument validation shared by the module; every message names the offending input and what was expected. */
final class Checks {

  private Checks() {}

  static void requireSamples(String name, double[] x) {
    if (x == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (x.length == 0) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "] is " + x[i] + "; samples must be finite (no NaN or Inf)");
      }
    }
  }

  static void requireSamples(String name, float[] x, int offset, int length) {
    if (x == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (length <= 0) {
      throw new IllegalArgumentException(name + " length must be positive, got " + length);
    }
    if (offset < 0 || offset > x.length - length) {
      throw new IllegalArgumentException(name + " range [offset " + offset + ", length " + length
          + "] does not fit in an array of length " + x.length);
    }
    for (int i = offset; i < offset + length; i++) {
      if (!Float.isFinite(x[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "] is " + x[i] + "; samples must be finite (no NaN or Inf)");
      }
    }
  }

  static void requireSamplingRate(String name, double fs) {
    if (!(fs > 0) || !Double.isFinite(fs)) {
      throw new IllegalArgumentException(
          "sampling rate " + name + " must be positive and finite (Hz), got " + fs);
    }
  }

  static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  static void requireFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, got " + value);
    }
  }

  static void requireNotLonger(String windowName, int windowLength, String signalName, int signalLength) {
    if (windowLength > signalLength) {
      throw new IllegalArgumentException(windowName + " " + windowLength + " is longer than the "
          + signalName + " (" + signalLength + " samples)");
    }
  }

  static void requireNonNull(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }
}
