package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one rule for a recording's shaft speed: given, else recorded, else estimated when asked, else refused. */
class ShaftSpeedsTest {

  private static final double FS = 12_000;
  private static final InputSpec ORDERS = new InputSpec(FS, 512, 1, Normalization.Z_SCORE, Representation.TIME, 128);
  private static final Optional<ShaftSpeeds.Speed> GIVEN = Optional.of(new ShaftSpeeds.Speed(1800, "--rpm"));
  private static final Optional<ShaftSpeeds.Speed> RECORDED =
      Optional.of(new ShaftSpeeds.Speed(1797, "file variable X105RPM"));

  /** 1x/2x/3x lines of a 1500 rpm shaft over 5 s (4 Welch averages at 0.5 Hz need 60,000 samples), plus noise. */
  private static double[] turning() {
    double[] x = new double[60_000];
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < x.length; i++) {
      double t = i / FS;
      x[i] = Math.sin(2 * Math.PI * 25 * t) + 0.5 * Math.sin(2 * Math.PI * 50 * t)
          + 0.3 * Math.sin(2 * Math.PI * 75 * t) + 0.3 * random.nextGaussian();
    }
    return x;
  }

  @Test
  void theGivenSpeedComesBeforeTheRecordedOneAndNeitherIsEverEstimated() {
    double[] samples = turning();
    for (boolean estimate : new boolean[] {false, true}) {
      assertEquals(GIVEN.get(), ShaftSpeeds.resolve("a.csv", ORDERS, GIVEN, RECORDED, estimate, samples, FS));
      assertEquals(RECORDED.get(), ShaftSpeeds.resolve("a.csv", ORDERS, Optional.empty(), RECORDED, estimate, samples,
          FS));
    }
    assertEquals(GIVEN, ShaftSpeeds.known(GIVEN, RECORDED));
    assertEquals(RECORDED, ShaftSpeeds.known(Optional.empty(), RECORDED));
    assertEquals(Optional.empty(), ShaftSpeeds.known(Optional.empty(), Optional.empty()));
    assertEquals(RECORDED.get(), ShaftSpeeds.require("a.csv", ORDERS, Optional.empty(), RECORDED));
    assertEquals(30, GIVEN.get().hz(), 0);
  }

  @Test
  void anUnknownSpeedIsEstimatedOnlyWhenAskedAndLabelledSo() {
    ShaftSpeeds.Speed estimated = ShaftSpeeds.resolve("a.csv", ORDERS, Optional.empty(), Optional.empty(), true,
        turning(), FS);
    assertEquals(1500, estimated.rpm(), 3);
    assertTrue(estimated.source().startsWith("estimated from the spectrum"), estimated.source());
  }

  @Test
  void anUnknownSpeedNotAskedToBeEstimatedIsRefusedNamingTheFileAndHowToGiveIt() {
    ShaftSpeeds.UnknownSpeedException e = assertThrows(ShaftSpeeds.UnknownSpeedException.class,
        () -> ShaftSpeeds.resolve("pump.csv", ORDERS, Optional.empty(), Optional.empty(), false, turning(), FS));
    assertEquals("pump.csv: the model is order domain (128 samples per shaft revolution) and no shaft speed is known"
        + " for this file: give the shaft speed, or ask for it to be estimated from the spectrum", e.getMessage());
    assertEquals("the model is order domain (128 samples per shaft revolution) and no shaft speed is known for this"
        + " file", e.reason());
    // the same refusal without the samples, and without a name or a model
    assertEquals(e.getMessage(), assertThrows(ShaftSpeeds.UnknownSpeedException.class,
        () -> ShaftSpeeds.require("pump.csv", ORDERS, Optional.empty(), Optional.empty())).getMessage());
    assertEquals("no shaft speed is known for this recording: give the shaft speed, or ask for it to be estimated"
        + " from the spectrum", assertThrows(IllegalArgumentException.class,
        () -> ShaftSpeeds.require(null, null, Optional.empty(), Optional.empty())).getMessage());
  }

  @Test
  void aSpeedIsFiniteAndPositive() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> new ShaftSpeeds.Speed(bad, "--rpm"));
    }
  }
}
