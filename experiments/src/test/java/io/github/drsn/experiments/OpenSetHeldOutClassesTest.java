package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open-set grid whose {@code held_out} names a class the data set lacks (a typo: "bearing_bal"): the grid must be
 * refused before its first cell trains, naming {@code open_set.held_out}, not after the cells of the classes before
 * the typo have trained (held-out classes are the innermost loop, so a grid of 3 seeds x levels trains many).
 */
@Tag("slow")
class OpenSetHeldOutClassesTest {

  @TempDir Path dir;

  @Test
  void aHeldOutClassTheDataLacksIsRefusedBeforeAnyCellTrains() throws Exception {
    // One tiny cell per held-out class: synthetic data, 256-sample windows, one epoch of two batches of 32.
    Path file = Files.writeString(dir.resolve("open-set.json"), "{\"name\": \"g\", \"data\": {\"window\": 256,"
        + " \"train_stride\": 256}, \"model\": {\"channels\": [4, 8], \"units\": 1, \"schedule\": \"step:0.05@0\"},"
        + " \"models\": [{\"name\": \"drsn-cw\"}], \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [0]}],"
        + " \"seeds\": [1], \"training\": {\"batch\": 32, \"batches_per_epoch\": 2, \"epochs\": 1},"
        + " \"open_set\": {\"held_out\": [\"bearing_ball\", \"bearing_bal\"], \"evaluate\": [{\"type\": \"none\"}]}}");
    ExperimentConfig config;
    try {
      config = ExperimentConfig.read(file);
    } catch (IllegalArgumentException refusedOnRead) {
      assertTrue(refusedOnRead.getMessage().contains("held_out")
          && refusedOnRead.getMessage().contains("bearing_bal"), refusedOnRead.getMessage());
      return;
    }
    Path out = dir.resolve("out");
    List<String> log = new ArrayList<>();
    ExperimentRunner runner = new ExperimentRunner(config, out).log(log::add);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run(0));
    assertTrue(e.getMessage().contains("held_out") && e.getMessage().contains("bearing_bal"), e.getMessage());
    // Before: the bearing_ball cell trained and was written before the typo was found.
    assertFalse(Files.exists(runner.cellFile(runner.selectedCells().get(0))), String.join("\n", log));
    assertFalse(Files.exists(runner.runDir(runner.selectedCells().get(0))), String.join("\n", log));
  }
}
