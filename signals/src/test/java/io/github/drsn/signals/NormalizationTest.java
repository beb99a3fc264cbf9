package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NormalizationTest {

  private final double[] window = {3, -1, 4, 1, 5, 9, -2, 6};

  @Test
  void zScoreGivesZeroMeanAndUnitPopulationVariance() {
    double[] z = Normalization.Z_SCORE.apply(window);
    double mean = 0;
    double squares = 0;
    for (double v : z) {
      mean += v;
      squares += v * v;
    }
    assertEquals(0, mean / z.length, 1e-15);
    assertEquals(1, squares / z.length, 1e-14);
    // mean 25/8 = 3.125, population variance 173/8 - 3.125² = 11.859375
    assertEquals((9 - 3.125) / Math.sqrt(11.859375), z[5], 1e-14);
  }

  @Test
  void minMaxAndPlusMinusOneHitTheirRanges() {
    assertArrayEquals(new double[] {5 / 11.0, 1 / 11.0, 6 / 11.0, 3 / 11.0, 7 / 11.0, 1, 0, 8 / 11.0},
        Normalization.MIN_MAX.apply(window), 1e-15);
    double[] pm = Normalization.PLUS_MINUS_ONE.apply(window);
    assertEquals(-1, pm[6], 1e-15);
    assertEquals(1, pm[5], 1e-15);
    assertEquals(2 * 5 / 11.0 - 1, pm[0], 1e-15);
    assertArrayEquals(window, Normalization.NONE.apply(window));
  }

  @ParameterizedTest
  @EnumSource(value = Normalization.class, names = {"Z_SCORE", "MIN_MAX", "PLUS_MINUS_ONE"})
  void constantWindowsGiveZerosNotNan(Normalization mode) {
    for (double level : new double[] {0, 1e-300, 0.1, -7.3, 1e300}) {
      double[] constant = new double[37];
      java.util.Arrays.fill(constant, level);
      assertArrayEquals(new double[37], mode.apply(constant), 0, mode + " at " + level);
    }
    for (float level : new float[] {0, 1e-40f, 0.1f, -7.3f, 3e38f}) {
      float[] data = new float[41];
      java.util.Arrays.fill(data, level);
      mode.applyInPlace(data, 2, 37);
      for (int i = 2; i < 39; i++) {
        assertEquals(0f, data[i], mode + " at " + level);
      }
    }
  }

  @Test
  void inPlaceTouchesOnlyItsRangeAndMatchesTheDoubleVersion() {
    float[] data = new float[window.length + 2];
    for (int i = 0; i < window.length; i++) {
      data[i + 1] = (float) window[i];
    }
    data[0] = 100;
    data[data.length - 1] = -100;
    Normalization.Z_SCORE.applyInPlace(data, 1, window.length);
    double[] expected = Normalization.Z_SCORE.apply(window);
    for (int i = 0; i < window.length; i++) {
      assertEquals(expected[i], data[i + 1], 1e-6);
    }
    assertEquals(100f, data[0]);
    assertEquals(-100f, data[data.length - 1]);
  }

  @ParameterizedTest
  @EnumSource(value = Normalization.class, names = {"Z_SCORE", "MIN_MAX", "PLUS_MINUS_ONE"})
  void extremeMagnitudesNormaliseLikeOrdinaryOnes(Normalization mode) {
    double[] expected = mode.apply(window);
    for (double scale : new double[] {1e300, 1e-300, Double.MIN_NORMAL * 64}) {
      double[] scaled = new double[window.length];
      for (int i = 0; i < window.length; i++) {
        scaled[i] = window[i] * scale;
      }
      assertArrayEquals(expected, mode.apply(scaled), 1e-12, mode + " at scale " + scale);
    }
    double[] spanningTheRange = {-Double.MAX_VALUE, 0, Double.MAX_VALUE};
    double[] out = mode.apply(spanningTheRange);
    for (double v : out) {
      assertTrue(Double.isFinite(v), mode + " overflowed: " + java.util.Arrays.toString(out));
    }
  }

  @Test
  void inputIsNotModified() {
    double[] copy = window.clone();
    Normalization.PLUS_MINUS_ONE.apply(window);
    assertArrayEquals(copy, window);
  }

  @Test
  void badWindowsAreRejected() {
    assertMessage(() -> Normalization.Z_SCORE.apply(new double[0]), "window must not be empty");
    assertMessage(() -> Normalization.MIN_MAX.apply(new double[] {1, Double.NaN}), "window[1] is NaN");
    assertMessage(() -> Normalization.MIN_MAX.applyInPlace(new float[] {1, Float.POSITIVE_INFINITY}, 0, 2),
        "data[1] is Infinity");
    assertMessage(() -> Normalization.Z_SCORE.applyInPlace(new float[4], 2, 3), "does not fit");
    assertMessage(() -> Normalization.Z_SCORE.applyInPlace(new float[4], 0, 0), "length must be positive");
  }
}
