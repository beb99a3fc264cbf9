package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment --summary-only} over a cell file of this grid whose results are there but not numbers (hand-edited,
 * written by a script): the summary must refuse it naming the file, as it refuses a cell without them
 * ({@link ExperimentCellFilesTest}), never table a made-up 0 %.
 */
class MalformedCellValuesTest {

  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** This grid's one cell, written with {@code edit} applied; returns the cell file. */
  private Path writeCell(ExperimentRunner[] runnerOut, java.util.function.Consumer<ObjectNode> edit) throws Exception {
    Path file = Files.writeString(dir.resolve("grid.json"), "{\"name\": \"g\", \"data\": {\"source\": \"synthetic\"},"
        + " \"models\": [{\"name\": \"drsn-cw\"}], \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [0]}],"
        + " \"seeds\": [1], \"training\": {\"epochs\": 1}}");
    ExperimentConfig config = ExperimentConfig.read(file);
    ExperimentRunner runner = new ExperimentRunner(config, dir.resolve("out"));
    ExperimentConfig.Cell cell = runner.selectedCells().get(0);
    ObjectNode c = JSON.createObjectNode();
    c.put("dataset", config.name()).put("model", cell.model().name()).put("noise", cell.noise())
        .put("snr_db", cell.snrDb()).put("seed", cell.seed()).put("accuracy", 0.9).put("macro_f1", 0.9);
    c.set(ExperimentRunner.SETTINGS_KEY, cell.settings(config).toJson());
    edit.accept(c);
    Path cellFile = runner.cellFile(cell);
    Files.createDirectories(cellFile.getParent());
    Files.writeString(cellFile, JSON.writeValueAsString(c));
    runnerOut[0] = runner;
    return cellFile;
  }

  @Test
  void aCellWhoseConfusionIsNotAMatrixOfCountsIsRefusedNamingIt() throws Exception {
    ExperimentRunner[] runner = new ExperimentRunner[1];
    Path cellFile = writeCell(runner, c -> {
      c.putArray("classes").add("healthy").add("bearing_ball");
      c.putArray("confusion").addArray().add("x").add(1);
    });
    assertTrue(runner[0].finished(runner[0].selectedCells().get(0)), "control: the cell is this grid's");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, runner[0]::summarize);
    assertTrue(e.getMessage().contains(cellFile.toString()) && e.getMessage().contains("confusion"), e.getMessage());
  }

  @Test
  void aCellWhoseAccuracyIsNotANumberIsRefusedNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("grid.json"), "{\"name\": \"g\", \"data\": {\"source\": \"synthetic\"},"
        + " \"models\": [{\"name\": \"drsn-cw\"}], \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [0]}],"
        + " \"seeds\": [1], \"training\": {\"epochs\": 1}}");
    ExperimentConfig config = ExperimentConfig.read(file);
    ExperimentRunner runner = new ExperimentRunner(config, dir.resolve("out"));
    ExperimentConfig.Cell cell = runner.selectedCells().get(0);
    ObjectNode c = JSON.createObjectNode();
    c.put("dataset", config.name()).put("model", cell.model().name()).put("noise", cell.noise())
        .put("snr_db", cell.snrDb()).put("seed", cell.seed()).put("accuracy", "n/a").put("macro_f1", "n/a");
    c.set(ExperimentRunner.SETTINGS_KEY, cell.settings(config).toJson());
    Path cellFile = runner.cellFile(cell);
    Files.createDirectories(cellFile.getParent());
    Files.writeString(cellFile, JSON.writeValueAsString(c));
    assertTrue(runner.finished(cell), "control: the cell is this grid's (same settings)");

    // Before: summarize() succeeded and summary.csv had the cell at accuracy 0.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, runner::summarize);
    assertTrue(e.getMessage().contains(cellFile.toString()) && e.getMessage().contains("accuracy"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out/summary.md")), "no summary with a made-up 0 % cell");
  }
}
