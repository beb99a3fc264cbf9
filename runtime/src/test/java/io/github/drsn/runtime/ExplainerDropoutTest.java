package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.runtime.explain.Explanation;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an adversarial review and fixed; what it did before the fix: {@link Explainer#crossCheck}, documented as what "a monitoring service use[s] on every recording",
 * throws "signal holds NaN; expected finite samples" (no position, no file) for a recording with one NaN sample (a
 * sensor dropout), which {@link Diagnoser#diagnose} diagnoses, reporting that one window NON_FINITE. Its javadoc
 * lists no such exception. The physics runs on the raw samples before the diagnosis and refuses them.
 */
class ExplainerDropoutTest {

  @TempDir Path dir;

  @Test
  void aRecordingWithOneNanSampleIsCrossCheckedAsDiagnoseDiagnosesIt() throws Exception {
    LeanDiagnoser diagnoser = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    double[] x = TestBundles.doubles(TestBundles.signal(24_000, 12_000, 3));
    x[5_000] = Double.NaN;
    RecordingDiagnosis plain = diagnoser.diagnose(x, 12_000);
    assertEquals(1, plain.health().get(HealthIssue.NON_FINITE), "control: diagnose reports the one window");
    Explainer.Request request = Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(1797, "given");
    Explanation e = assertDoesNotThrow(() -> new Explainer(diagnoser).crossCheck(x, 12_000, request));
    assertEquals(plain.outcome(), e.diagnosis().outcome());
    assertTrue(e.diagnosis().health().containsKey(HealthIssue.NON_FINITE));
  }
}
