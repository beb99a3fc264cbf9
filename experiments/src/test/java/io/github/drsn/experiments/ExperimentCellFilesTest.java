package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment --summary-only} over cell files that are not what a cell of this drsn writes: a truncated file, a
 * JSON object without the results. The summary is refused naming the file, never written with made-up numbers.
 */
class ExperimentCellFilesTest {

  @TempDir Path dir;

  private ExperimentRunner runner() throws Exception {
    Path config = Files.writeString(dir.resolve("grid.json"), "{\"name\": \"g\", \"data\": {\"source\": \"synthetic\"},"
        + " \"models\": [{\"name\": \"drsn-cw\"}], \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [0]}],"
        + " \"seeds\": [1], \"training\": {\"epochs\": 1}}");
    return new ExperimentRunner(ExperimentConfig.read(config), dir.resolve("out"));
  }

  @Test
  void aCellFileWithoutResultsIsRefusedNamingIt() throws Exception {
    ExperimentRunner runner = runner();
    Path stray = dir.resolve("out/cells/drsn-cw/gaussian_-4dB_seed1.json");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "{\"dataset\": \"g\", \"model\": \"drsn-cw\", \"noise\": \"gaussian\", \"snr_db\": -4, \"seed\": 1}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, runner::summarize);
    assertTrue(e.getMessage().contains(stray.toString()) && e.getMessage().contains("accuracy"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out/summary.md")), "no summary with a made-up 0 % cell");
  }

  @Test
  void aTruncatedCellFileIsNamed() throws Exception {
    ExperimentRunner runner = runner();
    Path cell = runner.cellFile(runner.selectedCells().get(0));
    Files.createDirectories(cell.getParent());
    Files.writeString(cell, "{\"settings\": {\"data\": {\"source\": \"synth");
    Exception e = assertThrows(Exception.class, runner::summarize);
    assertTrue(e.getMessage().contains(cell.toString()), e.getMessage());
  }
}
