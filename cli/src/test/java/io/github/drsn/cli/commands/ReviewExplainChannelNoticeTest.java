package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: docs/manifest.md and README say a one-channel model given a file whose only channel has another name "takes
 * it and says so". predict says so (its "channels" line, channels_chosen); explain chooses the channel with the same
 * SignalFiles.chooseChannels but drops its basis, so it diagnoses the other sensor without a word.
 */
class ReviewExplainChannelNoticeTest {

  @TempDir Path dir;

  @Test
  void explainSaysItTookAChannelUnderAnotherName() throws Exception {
    List<String> classes = List.of("normal", "inner", "outer", "ball");
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, classes.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path model = dir.resolve("model.drsn");
    RandomBundles.random(layout, classes, new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME, 0,
        List.of("drive_end_sensor")), 7).write(model);
    SplittableRandom random = new SplittableRandom(3);
    StringBuilder csv = new StringBuilder("vib\n");
    for (int i = 0; i < 12_000; i++) {
      csv.append(Math.sin(2 * Math.PI * 157 * i / 12_000.0) + 0.3 * random.nextGaussian()).append('\n');
    }
    Path file = Files.writeString(dir.resolve("pump.csv"), csv);

    CliRun predict = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", file.toString());
    assertEquals(0, predict.exitCode(), predict.toString());
    assertTrue(predict.out().contains("though the model was trained on drive_end_sensor"), predict.out());

    CliRun explain = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--bearing", "skf-6205", file.toString());
    assertEquals(0, explain.exitCode(), explain.toString());
    assertTrue((explain.out() + explain.err()).contains("drive_end_sensor"), explain.toString());
  }
}
