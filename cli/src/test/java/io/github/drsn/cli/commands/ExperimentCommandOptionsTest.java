package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.cli.CliRun;
import io.github.drsn.experiments.ExperimentConfig;
import io.github.drsn.experiments.ExperimentRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drsn experiment} options a careless user gets wrong: each must be refused before anything trains or is
 * written, as a usage error (exit 2) naming the option, the way {@code --models} with a name the config lacks is.
 */
class ExperimentCommandOptionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** One tiny cell: drsn-cw, Gaussian 0 dB, seed 1, one epoch of two batches of 32 windows of 256 samples. */
  private Path grid() throws Exception {
    return Files.writeString(dir.resolve("grid.json"), JSON.writeValueAsString(Map.of(
        "name", "tiny",
        "data", Map.of("window", 256, "train_stride", 256),
        "model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.05@0"),
        "models", List.of(Map.of("name", "drsn-cw")),
        "noise", List.of(Map.of("type", "gaussian", "snr_db", List.of(0))),
        "seeds", List.of(1),
        "training", Map.of("batch", 32, "batches_per_epoch", 2, "epochs", 1))));
  }

  @Test
  void aNegativeMaxCellsIsAUsageError() throws Exception {
    CliRun run = CliRun.run("experiment", "--config", grid().toString(), "--out", dir.resolve("out").toString(),
        "--max-cells", "-1", "--dry-run");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--max-cells"), run.err());
  }

  @Test
  void aSeedTheConfigLacksIsAUsageErrorNamingIt() throws Exception {
    CliRun run = CliRun.run("experiment", "--config", grid().toString(), "--out", dir.resolve("out").toString(),
        "--seeds", "9", "--dry-run");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--seeds") && run.err().contains("9"), run.err());
  }

  @Test
  void aDryRunWritesNothing() throws Exception {
    Path config = grid();
    Path out = dir.resolve("out");
    // A finished cell of this grid, as the runner checks it (the cell's settings) and the summary reads it.
    ExperimentConfig grid = ExperimentConfig.read(config);
    ExperimentRunner runner = new ExperimentRunner(grid, out);
    ExperimentConfig.Cell cell = runner.selectedCells().get(0);
    ObjectNode c = JSON.createObjectNode();
    c.put("dataset", grid.name()).put("model", cell.model().name()).put("noise", cell.noise())
        .put("snr_db", cell.snrDb()).put("seed", cell.seed()).put("accuracy", 0.9).put("macro_f1", 0.9);
    c.set(ExperimentRunner.SETTINGS_KEY, cell.settings(grid).toJson());
    Files.createDirectories(runner.cellFile(cell).getParent());
    Files.writeString(runner.cellFile(cell), JSON.writeValueAsString(c));

    CliRun dry = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--dry-run");
    assertEquals(0, dry.exitCode(), dry.toString());
    assertTrue(dry.err().contains("1 of 1 cells done"), dry.err());
    try (var files = Files.list(out)) {
      assertEquals(List.of("cells"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "--dry-run wrote into " + out);
    }
  }

  @Test
  void runsInsideTheCellsFolderIsRefusedBeforeTraining() throws Exception {
    Path out = dir.resolve("out");
    CliRun run = CliRun.run("experiment", "--config", grid().toString(), "--out", out.toString(), "--runs",
        out.resolve("cells").toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--runs"), run.err());
    assertFalse(Files.exists(out.resolve("cells/drsn-cw/gaussian_0dB_seed1")), "a cell trained before the refusal");
  }
}
