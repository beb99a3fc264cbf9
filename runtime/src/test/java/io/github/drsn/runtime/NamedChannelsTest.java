package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-channel model that records its channels' names (drive end, fan end) takes a service's named channels by
 * name: swapped channels are put back in order, a missing one is refused naming both sides, and a bundle written
 * before names were recorded still loads and diagnoses arrays as before.
 */
class NamedChannelsTest {

  @TempDir Path dir;

  private static final ModelLayout TWO = new ModelLayout(Architecture.DRSN_CW, 512, 2, new int[] {4, 8}, 1, 3, 2,
      TestBundles.CLASSES.size(), NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
  private static final InputSpec NAMED = new InputSpec(12_000, 512, 2, Normalization.Z_SCORE, Representation.TIME, 0,
      List.of("DE", "FE"));

  @Test
  void swappedChannelsAreReorderedByNameAndAMissingOneIsRefused() throws Exception {
    Path file = dir.resolve("named.drsn");
    RandomBundles.write(file, TWO, TestBundles.CLASSES, NAMED, 3);
    LeanDiagnoser diagnoser = LeanDiagnoser.load(file);
    assertEquals(List.of("DE", "FE"), diagnoser.inputSpec().channelNames());
    double[] de = TestBundles.doubles(TestBundles.signal(4096, 12_000, 1));
    double[] fe = TestBundles.doubles(TestBundles.signal(4096, 12_000, 2));
    RecordingDiagnosis inOrder = diagnoser.diagnose(new double[][] {de, fe}, 12_000, RecordingDiagnosis.Options.DEFAULT);
    RecordingDiagnosis wrongOrder = diagnoser.diagnose(new double[][] {fe, de}, 12_000,
        RecordingDiagnosis.Options.DEFAULT);

    Map<String, double[]> swapped = new LinkedHashMap<>();
    swapped.put("X097_FE_time", fe);
    swapped.put("X097_DE_time", de);
    double[][] chosen = diagnoser.channelsByName(swapped, "97.mat");
    assertSame(de, chosen[0]);
    assertSame(fe, chosen[1]);
    RecordingDiagnosis byName = diagnoser.diagnose(swapped, "97.mat", 12_000, Double.NaN,
        RecordingDiagnosis.Options.DEFAULT);
    assertArrayEquals(inOrder.meanProbabilities(), byName.meanProbabilities());
    // The random network does answer differently for the swapped inputs: the order matters.
    assertTrue(!java.util.Arrays.equals(inOrder.meanProbabilities(), wrongOrder.meanProbabilities()));

    Map<String, double[]> noFanEnd = new LinkedHashMap<>();
    noFanEnd.put("DE", de);
    noFanEnd.put("BA", fe);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> diagnoser.diagnose(noFanEnd, "pump-7", 12_000, Double.NaN, RecordingDiagnosis.Options.DEFAULT));
    assertTrue(missing.getMessage().contains("pump-7 has channels [DE, BA] but the model expects [DE, FE]")
        && missing.getMessage().contains("[FE] is missing"), missing.getMessage());
  }

  @Test
  void aBundleWithoutNamesLoadsAndTakesOneChannelButRefusesSeveralByName() throws Exception {
    Path file = dir.resolve("old.drsn");
    RandomBundles.write(file, TWO, TestBundles.CLASSES, NAMED.withChannelNames(List.of()), 3);
    LeanDiagnoser old = LeanDiagnoser.load(file);
    assertEquals(List.of(), old.inputSpec().channelNames());
    double[] a = TestBundles.doubles(TestBundles.signal(4096, 12_000, 1));
    double[] b = TestBundles.doubles(TestBundles.signal(4096, 12_000, 2));
    // As before: arrays in the model's order.
    assertEquals(TestBundles.CLASSES.size(), old.diagnose(new double[][] {a, b}, 12_000,
        RecordingDiagnosis.Options.DEFAULT).meanProbabilities().length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> old.channelsByName(Map.of("DE", a, "FE", b), "x"));
    assertTrue(e.getMessage().contains("records no channel names"), e.getMessage());
    LeanDiagnoser one = LeanDiagnoser.load(TestBundles.small(dir, "one.drsn", 4));
    assertSame(a, one.channelsByName(Map.of("acc", a), "x")[0]);
  }
}
