package io.github.drsn.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void sampleStdUsesNMinusOne() {
    // mean 0.92; squared deviations 0.0004 + 0 + 0.0004 = 0.0008; / (3 - 1) = 0.0004; sqrt = 0.02
    Summary s = Summary.of(0.90, 0.92, 0.94);
    assertEquals(3, s.n());
    assertEquals(0.92, s.mean(), 1e-12);
    assertEquals(0.02, s.std(), 1e-12);
    assertEquals(0.90, s.min());
    assertEquals(0.94, s.max());
    assertEquals("92.00 ± 2.00", s.format(100, 2));
    // Population std would be sqrt(0.0008 / 3) = 0.01633; make sure that is not what we compute.
    assertTrue(Math.abs(s.std() - Math.sqrt(0.0008 / 3)) > 1e-3);
  }

  @Test
  void singleValueHasNoStd() {
    Summary s = Summary.of(List.of(0.5));
    assertEquals(0.5, s.mean());
    assertTrue(Double.isNaN(s.std()));
    assertFalse(s.hasStd());
    assertEquals("0.500", s.format(1, 3));
  }

  @Test
  void equalValuesHaveZeroStd() {
    assertEquals(0.0, Summary.of(0.1, 0.1, 0.1, 0.1).std());
  }

  @Test
  void rejectsEmptyAndNonFinite() {
    assertThrows(IllegalArgumentException.class, Summary::of);
    assertThrows(IllegalArgumentException.class, () -> Summary.of(1.0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Summary.of(Double.POSITIVE_INFINITY));
  }
}
