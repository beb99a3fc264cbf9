package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A cell file holding what {@code finished} and the summary read: the header, accuracy and the cell's settings. */
  private static ObjectNode cellFile(ExperimentConfig config, ExperimentConfig.Cell cell, double accuracy) {
    ObjectNode c = JSON.createObjectNode();
    c.put("dataset", config.name()).put("model", cell.model().name()).put("noise", cell.noise())
        .put("snr_db", cell.snrDb()).put("seed", cell.seed()).put("accuracy", accuracy).put("macro_f1", accuracy);
    c.set(ExperimentRunner.SETTINGS_KEY, cell.settings(config).toJson());
    c.set("experiment", config.toJson());
    return c;
  }

  @Test
  void aRangeCellIsNotTabledWithASweepPointOfAnotherNoiseType() throws Exception {
    // Expected: the sweep tested the model with laplacian noise (test_noise), so its -8 dB point is no accuracy at
    // gaussian -8 dB, the label the table gives the cell; the cell keeps its own figure (90 %), as before 36dea0c.
    // Before the fix the gaussian -8 dB row read the laplacian 30 %.
    Path file = Files.writeString(dir.resolve("range.json"), "{\"name\": \"g\", \"data\": {\"source\": \"synthetic\"},"
        + " \"models\": [{\"name\": \"drsn-cw-range\", \"model\": {\"architecture\": \"drsn-cw\"},"
        + " \"input\": {\"snr_max_db\": 0}}], \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [-8]}],"
        + " \"seeds\": [1], \"training\": {\"epochs\": 1}, \"test_noise\": \"laplacian\", \"test_snr_db\": [-8]}");
    ExperimentConfig config = ExperimentConfig.read(file);
    ExperimentRunner runner = new ExperimentRunner(config, dir.resolve("out"));
    ExperimentConfig.Cell cell = runner.selectedCells().get(0);
    ObjectNode c = cellFile(config, cell, 0.9);
    c.putArray("sweep").addObject().put("snr_db", -8.0).put("accuracy", 0.3).put("macro_f1", 0.3);
    Files.createDirectories(runner.cellFile(cell).getParent());
    Files.writeString(runner.cellFile(cell), JSON.writeValueAsString(c));

    assertEquals(1, runner.summarize().done());
    String row = Files.readAllLines(dir.resolve("out/summary.csv")).stream()
        .filter(l -> l.contains(",drsn-cw-range,")).findFirst().orElseThrow();
    assertEquals(0.9, Double.parseDouble(row.split(",", -1)[6]), 1e-12, row);
  }

  @Test
  void anEnsembleCellWhoseMemberCellWasRecomputedIsNotFinished() throws Exception {
    // Expected: finished(ensemble cell) is false (or refuses, naming the member), since the member cell it records
    // (accuracy 0.70, the bundle it read) is not the member cell now on disk (accuracy 0.75 after a re-run). Before
    // the fix it was finished: only the members' cell ids are compared, and --summary-only keeps the stale ensemble.
    Path file = Files.writeString(dir.resolve("ensemble.json"), "{\"name\": \"g\", \"data\": {\"source\":"
        + " \"synthetic\"}, \"models\": [{\"name\": \"drsn-cw\"}, {\"name\": \"drsn-cw-ensemble\", \"ensemble\":"
        + " {\"of\": \"drsn-cw\", \"seeds\": [1, 2]}}], \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [0]}],"
        + " \"seeds\": [1, 2], \"training\": {\"epochs\": 1}}");
    ExperimentConfig config = ExperimentConfig.read(file);
    ExperimentRunner runner = new ExperimentRunner(config, dir.resolve("out"));
    ExperimentConfig.Cell ensemble = runner.selectedCells().stream().filter(c -> c.model().isEnsemble()).findFirst()
        .orElseThrow();
    List<ExperimentConfig.Cell> members = ensemble.members(config);
    ObjectNode e = cellFile(config, ensemble, 0.8);
    double[] recorded = {0.8, 0.7};
    for (int m = 0; m < 2; m++) {
      Files.createDirectories(runner.cellFile(members.get(m)).getParent());
      Files.writeString(runner.cellFile(members.get(m)), JSON.writeValueAsString(cellFile(config, members.get(m),
          recorded[m])));
      e.withArray(ExperimentRunner.MEMBERS_KEY).addObject().put("seed", members.get(m).seed())
          .put("cell", members.get(m).id()).put("accuracy", recorded[m]);
    }
    Files.createDirectories(runner.cellFile(ensemble).getParent());
    Files.writeString(runner.cellFile(ensemble), JSON.writeValueAsString(e));
    assertTrue(runner.finished(ensemble), "control: the ensemble cell as written is finished");

    // Member 2 is recomputed (its cell removed and the grid run again): another network, another accuracy.
    Files.writeString(runner.cellFile(members.get(1)), JSON.writeValueAsString(cellFile(config, members.get(1), 0.75)));
    boolean stale;
    try {
      stale = !runner.finished(ensemble);
    } catch (IllegalArgumentException refused) {
      stale = refused.getMessage().contains(members.get(1).id());
    }
    assertTrue(stale, "the ensemble of the old member 2 still counts as this grid's ensemble cell");
  }

  @Test
  void aCellOfAnotherGridOrOfAnUnlistedModelIsRefusedNamingIt() throws Exception {
    ExperimentRunner runner = runner();
    ExperimentConfig config = ExperimentConfig.read(dir.resolve("grid.json"));
    ExperimentConfig.Cell cell = runner.selectedCells().get(0);
    Files.createDirectories(runner.cellFile(cell).getParent());
    Files.writeString(runner.cellFile(cell), JSON.writeValueAsString(cellFile(config, cell, 0.9)));
    assertEquals(1, runner.summarize().done(), "control: the grid's own cell is tabled");

    // The same --out reused for another grid: its cell would be tabled as this grid's.
    ObjectNode foreign = cellFile(config, cell, 0.5);
    ((ObjectNode) foreign.get("experiment")).put("name", "other-grid");
    Path other = dir.resolve("out/cells/drsn-cw/gaussian_0dB_seed2.json");
    Files.writeString(other, JSON.writeValueAsString(foreign));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, runner::summarize);
    assertTrue(e.getMessage().contains(other.toString()) && e.getMessage().contains("'other-grid'"), e.getMessage());
    Files.delete(other);

    // A model whose entry was removed from the config after its cells ran.
    ObjectNode removed = cellFile(config, cell, 0.5);
    removed.put("model", "resnet");
    Path gone = dir.resolve("out/cells/resnet/gaussian_0dB_seed1.json");
    Files.createDirectories(gone.getParent());
    Files.writeString(gone, JSON.writeValueAsString(removed));
    e = assertThrows(IllegalArgumentException.class, runner::summarize);
    assertTrue(e.getMessage().contains(gone.toString()) && e.getMessage().contains("'resnet'"), e.getMessage());
  }
}
