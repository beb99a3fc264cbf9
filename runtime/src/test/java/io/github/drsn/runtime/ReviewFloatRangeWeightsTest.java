package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Bundle;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: the bundle reader checks "that every parameter is finite", but {@link LeanDiagnoser} runs in float32
 * ({@code Bundle.Member#floatParameters}): a double-precision bundle with a weight beyond the float range (1e39, finite
 * as a double) passes every check, loads, and then every window's probabilities are NaN, reported as "uncertain"
 * (even by {@link Diagnoser#classify(float[])}, which "never answers uncertain"). A service would watch a model that
 * can never answer, with no error at load time.
 */
class ReviewFloatRangeWeightsTest {

  @TempDir Path dir;

  @Test
  void aWeightBeyondTheFloatRangeIsRefusedAtLoadNotRunAsInfinity() throws Exception {
    Bundle trained = Bundle.read(TestBundles.small(dir, "m.drsn", 21));
    double[] p = trained.parameters();
    p[0] = 1e39;
    Bundle careless = new Bundle(trained.layout(), trained.classes(), trained.input(), Bundle.Precision.DOUBLE, p,
        "x", Instant.EPOCH, null, null, null);
    Path file = dir.resolve("double.drsn");
    careless.write(file);
    assertEquals(1e39, Bundle.read(file).parameters()[0], "control: the reader accepts the finite double weight");

    LeanDiagnoser lean;
    try {
      lean = LeanDiagnoser.load(file);
    } catch (RuntimeException refused) {
      assertTrue(refused.getMessage().contains(file.toString()), "a refusal names the bundle: "
          + refused.getMessage());
      return;
    }
    Diagnosis d = lean.classify(TestBundles.signal(512, 12_000, 3));
    assertEquals(Diagnosis.Outcome.CLASSIFIED, d.outcome(), "classify never answers uncertain: " + d);
    float sum = 0;
    for (float v : d.probabilities()) {
      assertTrue(Float.isFinite(v), "probabilities " + java.util.Arrays.toString(d.probabilities()));
      sum += v;
    }
    assertEquals(1f, sum, 1e-5f);
  }
}
