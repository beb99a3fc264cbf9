package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.signals.Normalization;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by an adversarial review and fixed; what it did before the fix: class names are only checked to be distinct, so a model may have a class named "unknown",
 * "uncertain" or "unhealthy input", the labels the runtime gives outcomes that are not a class (runtime Diagnosis and
 * RecordingDiagnosis). A window classified as such a class then prints, and lands in predict's text output and
 * score's diagnosis column, exactly as the abstention does: a user cannot tell "the model says class 'unknown'" from
 * "the model does not know". A manifest may well name a class "unknown" (an unidentified fault).
 */
class ReservedClassNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"unknown", "uncertain", "unhealthy input"})
  void aClassNamedLikeAnOutcomeIsRefused(String name) {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 1, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    InputSpec input = new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RandomBundles.random(layout, List.of("normal", "inner", name, "ball"), input, 1),
        "a model with a class named '" + name + "' is accepted");
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }
}
