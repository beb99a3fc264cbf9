package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: a one-channel model trained on CWRU's drive end (names [DE]) and a service's recording of one sensor named
 * "acc". {@code SignalFiles.chooseChannels} (predict, explain, adapt, Spark) and {@code WindowedDataset.inModelOrder}
 * (the data-set path) take a recording's only channel under any name; the runtime's {@link Diagnoser#channelsByName}
 * refuses it, so a service and {@code drsn predict} disagree on the same recording.
 */
class ReviewChannelsByNameTest {

  @TempDir Path dir;

  @Test
  void aOneChannelNamedModelTakesTheOnlyChannelAsPredictDoes() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8}, 1, 3, 2,
        TestBundles.CLASSES.size(), NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path file = dir.resolve("de.drsn");
    RandomBundles.write(file, layout, TestBundles.CLASSES,
        new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME, 0, List.of("DE")), 5);
    LeanDiagnoser diagnoser = LeanDiagnoser.load(file);
    double[] acc = TestBundles.doubles(TestBundles.signal(4096, 12_000, 1));
    // predict on a CSV whose only column is "acc" answers (basis "the file's only channel acc, though the model was
    // trained on DE"); the runtime throws "pump-7 has channels [acc] but the model expects [DE] ... [DE] is missing".
    assertSame(acc, diagnoser.channelsByName(Map.of("acc", acc), "pump-7")[0]);
  }
}
