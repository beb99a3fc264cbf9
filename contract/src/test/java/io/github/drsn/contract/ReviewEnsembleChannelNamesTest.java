package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.signals.Normalization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review: Bundle.ensembleOf compares each member's channel names with the first member's only. When the first member
 * records none (a bundle written before names were recorded), members trained on [DE, FE] and on [FE, DE] join one
 * ensemble, whose mean then averages networks that read the two inputs in opposite orders; the ensemble records no
 * names, so nothing downstream can tell.
 */
class ReviewEnsembleChannelNamesTest {

  private static final ModelLayout LAYOUT = new ModelLayout(Architecture.DRSN_CW, 64, 2, new int[] {4, 8}, 1, 3, 2, 3,
      NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
  private static final InputSpec DE_FE = new InputSpec(12_000, 64, 2, Normalization.Z_SCORE, Representation.TIME, 0,
      List.of("DE", "FE"));

  @Test
  void membersWithSwappedChannelNamesAreRefusedWhateverTheFirstRecords() {
    List<String> classes = List.of("a", "b", "c");
    Bundle unnamed = RandomBundles.random(LAYOUT, classes, DE_FE.withChannelNames(List.of()), 1);
    Bundle deFe = RandomBundles.random(LAYOUT, classes, DE_FE, 2);
    Bundle feDe = RandomBundles.random(LAYOUT, classes, DE_FE.withChannelNames(List.of("FE", "DE")), 3);
    // Control: without the unnamed first member the swap is refused (BundleTest).
    assertThrows(IllegalArgumentException.class, () -> ensemble(deFe, feDe));
    assertThrows(IllegalArgumentException.class, () -> ensemble(unnamed, deFe, feDe));
  }

  private static Bundle ensemble(Bundle... parts) {
    return Bundle.ensembleOf(List.of(parts), "test", Instant.parse("2026-01-01T00:00:00Z"), Map.of("k", 1L),
        Map.of("members_from", List.of("x", "y", "z")), Map.of());
  }
}
