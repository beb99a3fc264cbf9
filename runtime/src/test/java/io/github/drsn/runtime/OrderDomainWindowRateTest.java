package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Diagnoser#classify(float[], double)} promises that "a rate other than the model's is reported as
 * SAMPLING_RATE, never classified". An order-domain model's windows must be at f_r·S samples per second (S samples
 * per shaft revolution); {@link InputSpec#samplingRate()} is only the rate of its training recordings ("used only to
 * warn of a slower sensor"). The method compares the stated rate with that training rate, so a raw 12 kHz window, never
 * resampled to the order domain, is classified as if it were an order-domain window.
 */
class OrderDomainWindowRateTest {

  @TempDir Path dir;

  @Test
  void anOrderDomainModelDoesNotClassifyARawWindowStatedAtItsTrainingRecordingsRate() throws Exception {
    LeanDiagnoser base = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    Path file = dir.resolve("orders.drsn");
    RandomBundles.write(file, base.bundle().layout(), TestBundles.CLASSES,
        new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME, 128), 21);
    LeanDiagnoser orders = LeanDiagnoser.load(file);
    // 512 raw samples of a 12 kHz sensor: 43 ms, whatever the shaft speed; the model wants 4 revolutions (128 per rev).
    float[] raw = TestBundles.signal(512, 12_000, 4);
    Diagnosis d;
    try {
      d = orders.classify(raw, 12_000);
    } catch (IllegalArgumentException refused) {
      return; // refusing (no rate in Hz is the order domain's without a speed) keeps the promise too
    }
    assertNotEquals(Diagnosis.Outcome.CLASSIFIED, d.outcome(), "a raw 12 kHz window given to an order-domain model: "
        + d);
  }
}
