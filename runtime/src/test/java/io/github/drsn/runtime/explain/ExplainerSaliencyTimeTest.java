package io.github.drsn.runtime.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Explanation.Saliency#windowStart()} counts samples of the signal the windows were cut from (the recording
 * resampled to the model's rate: f_r·S for an order-domain model); its {@code samplingRate} is documented as "the
 * model's rate", and {@code explain --json} divides the one by the other to give {@code window_start_s} and
 * {@code peak_start_s}. The Explainer fills it with {@code inputSpec().samplingRate()}, which for an order-domain model
 * is the rate of its training recordings, not the rate of the windows, so every time it reports is off by that ratio.
 */
class ExplainerSaliencyTimeTest {

  private static final List<String> CLASSES = List.of("normal", "IR007", "B007", "OR007", "IR014", "OR014");

  @Test
  void anOrderDomainSaliencyIsTimedAtTheRateItsWindowsWereCutAt() {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, CLASSES.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    // Trained from 12 kHz recordings, 128 samples per shaft revolution.
    LeanDiagnoser orders = LeanDiagnoser.of(RandomBundles.random(layout, CLASSES, new InputSpec(12_000, 512, 1,
        Normalization.Z_SCORE, Representation.TIME, 128), 5));
    double[] x = ExplainerTest.outerRace(3, 1); // 12 kHz, shaft at 1797 rpm
    Explanation e = new Explainer(orders).explain(x, 12_000,
        Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(1797, "--rpm"));
    RecordingDiagnosis d = e.diagnosis();
    assertTrue(d.resampled(), "control: the recording is resampled to the order domain");
    assertEquals(1797 / 60.0 * 128, d.modelRate(), 1e-9, "control: windows at f_r*S");
    assertNotNull(e.saliency(), "control: the recording was diagnosed");
    // The window's start in seconds as the command line computes it must be the diagnosis' own time of that window.
    double windowSeconds = d.windows().stream().filter(w -> w.start() == e.saliency().windowStart()).findFirst()
        .orElseThrow().startSeconds();
    assertEquals(d.modelRate(), e.saliency().samplingRate(), 1e-9, "the saliency's rate");
    assertEquals(windowSeconds, e.saliency().windowStart() / e.saliency().samplingRate(), 1e-9,
        "window_start_s of explain --json");
  }
}
