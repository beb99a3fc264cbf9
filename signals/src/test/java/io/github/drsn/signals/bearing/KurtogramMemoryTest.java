package io.github.drsn.signals.bearing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the kurtogram's transform is estimated to take, so that a long recording is refused and not an OutOfMemoryError. */
class KurtogramMemoryTest {

  @Test
  void aLengthOfSmallFactorsTakesSixtyFourBytesASampleAndAnyOtherABluesteinPowerOfTwo() {
    // 1024 = 2^10: the complex signal (16 n) and mixed-radix work (48 n).
    assertEquals(64L * 1024, Kurtogram.Transform.bytesNeeded(1024));
    assertEquals(64L * 120_000, Kurtogram.Transform.bytesNeeded(120_000), "2^6 * 3 * 5^4");
    // 7 is prime: Bluestein over the power of two >= 2*7 - 1 = 13, i.e. 16 points at 64 bytes, plus 16 n.
    assertEquals(16L * 7 + 64L * 16, Kurtogram.Transform.bytesNeeded(7));
    // 115 s at 48 kHz, 5.5 M samples = 2^5 * 5^6 * 11: Bluestein over 2^24 points, over a gigabyte.
    assertEquals(16L * 5_500_000 + 64L * (1 << 24), Kurtogram.Transform.bytesNeeded(5_500_000));
  }
}
