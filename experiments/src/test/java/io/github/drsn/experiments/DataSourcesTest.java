package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner reads each data source once and its cells' results are those of reading it for every step: a tiny grid
 * (two models, synthetic data, 256-sample windows, one epoch of four batches) with a sweep and a test set, run with
 * shared sources and with every step reading its own.
 */
@Tag("slow")
class DataSourcesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Cell keys that depend on the data, not on the clock. */
  private static final List<String> RESULTS = List.of("accuracy", "macro_f1", "confusion", "per_class", "validation",
      "sweep", "shift", "accuracy_final_epoch", "macro_f1_final_epoch");

  @Test
  void eachSourceIsReadOnceAndTheCellsResultsAreUnchanged(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("grid.json");
    Files.writeString(config, JSON.writeValueAsString(Map.of(
        "name", "tiny",
        "data", Map.of("window", 256, "train_stride", 256),
        "model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.05@0"),
        "models", List.of(Map.of("name", "drsn-cw"), Map.of("name", "resnet")),
        "noise", List.of(Map.of("type", "gaussian", "snr_db", List.of(0))),
        "seeds", List.of(1),
        "training", Map.of("batch", 32, "batches_per_epoch", 4, "epochs", 1),
        "test_snr_db", List.of(-6),
        "test_data", List.of(Map.of("name", "other speeds",
            "data", Map.of("synthetic", Map.of("speeds_rpm", List.of(900, 2100))))))));
    Map<String, Integer> sharedReads = new TreeMap<>();
    Map<String, Integer> ownReads = new TreeMap<>();
    Path shared = dir.resolve("shared");
    Path own = dir.resolve("own");
    runBothWays(config, 2, shared, sharedReads, own, ownReads);

    String training = "synthetic (seed 42)";
    String otherSpeeds = "synthetic (seed 42, 900/2100 rpm)";
    // Before: each cell read its training data to train and again for the sweep, and the test set for the shift.
    assertEquals(Map.of(training, 4, otherSpeeds, 2), ownReads);
    assertEquals(Map.of(training, 1, otherSpeeds, 1), sharedReads);
    for (String cell : List.of("drsn-cw/gaussian_0dB_seed1", "resnet/gaussian_0dB_seed1")) {
      assertEquals(results(own.resolve("cells").resolve(cell + ".json")),
          results(shared.resolve("cells").resolve(cell + ".json")), cell);
    }
  }

  /**
   * An open-set cell with adaptation: training, the adaptation target and the open-set evaluation read the same
   * source (the held-out class is removed after reading), once for the runner, and the rows are those of three reads.
   */
  @Test
  void theOpenSetEvaluationAndTheAdaptationTargetReadTheRunnersSources(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("open.json");
    Map<String, Object> grid = OpenSetRunnerTest.tinyOpenGrid(List.of(Map.of("type", "none")));
    grid.put("adaptation", List.of("adabn"));
    Files.writeString(config, JSON.writeValueAsString(grid));
    Map<String, Integer> sharedReads = new TreeMap<>();
    Map<String, Integer> ownReads = new TreeMap<>();
    Path shared = dir.resolve("shared");
    Path own = dir.resolve("own");
    runBothWays(config, 1, shared, sharedReads, own, ownReads);

    String training = "synthetic (seed 42) without bearing_ball";
    // Read to check the held-out class before any cell trains (ExperimentRunner.checkHeldOutClasses), to train, for
    // the adaptation target and for the open-set rows (the fresh calibration has the layer ensemble, so no further
    // read fits it); shared, the one read serves all four.
    assertEquals(Map.of(training, 4), ownReads);
    assertEquals(Map.of(training, 1), sharedReads);
    String cell = "drsn-cw/gaussian_0dB_seed1_without-bearing_ball.json";
    JsonNode sharedCell = JSON.readTree(shared.resolve("cells").resolve(cell).toFile());
    JsonNode ownCell = JSON.readTree(own.resolve("cells").resolve(cell).toFile());
    assertEquals(results(own.resolve("cells").resolve(cell)), results(shared.resolve("cells").resolve(cell)));
    assertEquals(6, ownCell.path(ExperimentRunner.OPEN_SET_KEY).size(), "6 methods, clean: " + ownCell);
    assertEquals(1, ownCell.path("adaptation").size(), ownCell.path("adaptation").toString());
    for (String key : List.of(ExperimentRunner.OPEN_SET_KEY, "adaptation")) {
      assertEquals(ownCell.path(key), sharedCell.path(key), key);
    }
  }

  /** Runs the grid's {@code cells} into {@code shared} with shared sources and into {@code own} reading every time. */
  private static void runBothWays(Path config, int cells, Path shared, Map<String, Integer> sharedReads, Path own,
      Map<String, Integer> ownReads) throws Exception {
    assertEquals(new ExperimentRunner.Result(cells, cells, false), new ExperimentRunner(ExperimentConfig.read(config),
        shared).dataSources(new DataSources(counting(sharedReads))).run(0));
    assertEquals(new ExperimentRunner.Result(cells, cells, false), new ExperimentRunner(ExperimentConfig.read(config),
        own).dataSources(DataSources.readEveryTime(counting(ownReads))).run(0));
  }

  private static DataSources.Loader counting(Map<String, Integer> reads) {
    return data -> {
      reads.merge(data.describe(), 1, Integer::sum);
      return data.loadAll();
    };
  }

  private static JsonNode results(Path cellFile) throws Exception {
    JsonNode cell = JSON.readTree(cellFile.toFile());
    ObjectNode kept = JSON.createObjectNode();
    for (String key : RESULTS) {
      kept.set(key, cell.path(key));
    }
    // The history without its clock times.
    for (JsonNode epoch : cell.path(ExperimentRunner.HISTORY_KEY)) {
      ObjectNode e = ((ObjectNode) epoch).deepCopy();
      e.remove("seconds");
      kept.withArray("history").add(e);
    }
    assertEquals(1, kept.path("history").size(), cellFile.toString());
    return kept;
  }
}
