package io.github.drsn.model.layers.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vector API reductions against the scalar ones; the summation order differs, so they agree to rounding. */
class VectorDotsTest {

  @Test
  void theTestsRunTheVectorKernelsAsTheLauncherDoes() {
    // surefire adds the module (drsn-model's POM), as ./drsn and bin/drsn do: the gradient checks cover this path.
    assertTrue(Kernels.VECTOR, "jdk.incubator.vector is not in the boot layer of the test JVM");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 8, 13, 128, 1023, 1024})
  void pairedTripleDotAgreesWithTheScalarLoops(int length) {
    SplittableRandom rng = new SplittableRandom(length);
    double[][] v = new double[5][length];
    for (double[] row : v) {
      for (int j = 0; j < length; j++) {
        row[j] = rng.nextDouble(-1, 1);
      }
    }
    double[] scalar = new double[8];
    double[] vector = new double[8];
    scalar[1] = vector[1] = 0.5; // accumulates into what is there
    Kernels.pairedTripleDot(v[0], v[1], v[2], v[3], v[4], length, scalar, 1, 4);
    VectorDots.pairedTripleDot(v[0], v[1], v[2], v[3], v[4], length, vector, 1, 4);
    for (int i = 0; i < 8; i++) {
      assertEquals(scalar[i], vector[i], 1e-13 * Math.max(1, length), "gradW[" + i + "], length " + length);
    }
    // A hand-checked case: e0 = 1, e1 = 2, taps a = j, b = 1, c = -1 give Σj, L, -L and twice those.
    double[] ones = new double[length];
    double[] twos = new double[length];
    double[] ramp = new double[length];
    double[] minus = new double[length];
    for (int j = 0; j < length; j++) {
      ones[j] = 1;
      twos[j] = 2;
      ramp[j] = j;
      minus[j] = -1;
    }
    double[] g = new double[6];
    VectorDots.pairedTripleDot(ones, twos, ramp, ones, minus, length, g, 0, 3);
    double rampSum = length * (length - 1) / 2.0;
    assertEquals(rampSum, g[0]);
    assertEquals(length, g[1]);
    assertEquals(-length, g[2]);
    assertEquals(2 * rampSum, g[3]);
    assertEquals(2.0 * length, g[4]);
    assertEquals(-2.0 * length, g[5]);
    assertEquals(rampSum, VectorDots.dot(ramp, 0, ones, 0, length));
    assertEquals(Kernels.dot(v[0], 0, v[1], 0, length), VectorDots.dot(v[0], 0, v[1], 0, length),
        1e-13 * Math.max(1, length));
  }
}
