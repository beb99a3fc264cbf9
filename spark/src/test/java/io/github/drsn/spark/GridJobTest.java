package io.github.drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.experiments.ExperimentConfig;
import io.github.drsn.experiments.ExperimentRunner;
import io.github.drsn.model.NativeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-cell grid (synthetic data, 256-sample windows, a small DRSN-CW, one epoch of four minibatches, seeds 1 and 2)
 * on {@code local[2]}, the two cells training at once, against the single-machine runner: the same cell files, equal
 * in everything the seed fixes (all but the recorded times: accuracies, losses, confusion matrices and calibration
 * bit for bit), and a second job skips both cells.
 */
@Tag("slow")
class GridJobTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void sameCellFilesAsTheSingleMachineRunner() throws Exception {
    NativeBackend.configure();
    Path config = tinyGrid("grid.json", List.of(Map.of("name", "drsn-cw")));
    Path single = dir.resolve("single");
    assertEquals(new ExperimentRunner.Result(2, 2, false),
        new ExperimentRunner(ExperimentConfig.read(config), single).run(0));

    Path spark = dir.resolve("spark");
    try (SparkSession session = SparkMain.session("local[2]", "GridJobTest")) {
      assertEquals(new GridJob.Summary(2, 0, 2), GridJob.run(session, config, spark, null, null));
      assertEquals(new GridJob.Summary(2, 2, 0), GridJob.run(session, config, spark, null, null),
          "finished cells are skipped");
    }
    for (String cell : List.of("drsn-cw/gaussian_0dB_seed1.json", "drsn-cw/gaussian_0dB_seed2.json")) {
      JsonNode a = withoutTimes(JSON.readTree(single.resolve("cells").resolve(cell).toFile()));
      JsonNode b = withoutTimes(JSON.readTree(spark.resolve("cells").resolve(cell).toFile()));
      // Not assertEquals(a, b): its message would print both cells (20 kB).
      assertTrue(a.equals(b), cell + " differs: " + a.toString().length() + " and " + b.toString().length()
          + " characters");
      assertTrue(a.path("accuracy").isNumber(), a.toString());
    }
    assertTrue(Files.exists(spark.resolve("summary.md")), "the driver writes the summary");
    assertEquals(Files.readString(single.resolve("summary.csv")).lines().count(),
        Files.readString(spark.resolve("summary.csv")).lines().count());
  }

  @Test
  void anEnsembleCellWhoseMembersAreNotSelectedIsSkippedNotFailed() throws Exception {
    // Expected: as ExperimentRunner.run, a blocked ensemble cell is left for later (no exception, not counted as run):
    // Summary(2 selected, 0 skipped, 1 ran). Before the fix the second wave's task threw "ensemble cell ... cannot
    // run: member cell .../gaussian_0dB_seed2.json does not exist" and the job failed after training seed 1.
    NativeBackend.configure();
    Path config = tinyGrid("ensemble-grid.json", List.of(Map.of("name", "drsn-cw"),
        Map.of("name", "drsn-cw-ensemble", "ensemble", Map.of("of", "drsn-cw", "seeds", List.of(1, 2)))));
    Path out = dir.resolve("spark-ensemble");
    try (SparkSession session = SparkMain.session("local[2]", "GridJobTest")) {
      assertEquals(new GridJob.Summary(2, 0, 1), GridJob.run(session, config, out, null, List.of(1L)));
    }
    assertTrue(Files.exists(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json")));
    assertFalse(Files.exists(out.resolve("cells/drsn-cw-ensemble/gaussian_0dB_seeds1-2.json")));
  }

  /** The tiny grid of these tests (seeds 1 and 2, gaussian 0 dB) with these model entries, written to {@code name}. */
  private Path tinyGrid(String name, List<?> models) throws Exception {
    return Files.writeString(dir.resolve(name), JSON.writeValueAsString(Map.of(
        "name", "tiny",
        "data", Map.of("window", 256, "train_stride", 256),
        "model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.05@0"),
        "models", models,
        "noise", List.of(Map.of("type", "gaussian", "snr_db", List.of(0))),
        "seeds", List.of(1, 2),
        "training", Map.of("batch", 32, "batches_per_epoch", 4, "epochs", 1))));
  }

  /** The cell without what the clock decides (training time, seconds per epoch, when its run was written). */
  private static JsonNode withoutTimes(JsonNode cell) {
    ObjectNode copy = cell.deepCopy();
    copy.remove("train_seconds");
    ((ObjectNode) copy.path("provenance")).remove("created_utc");
    copy.path("history").forEach(epoch -> ((ObjectNode) epoch).remove("seconds"));
    return copy;
  }
}
