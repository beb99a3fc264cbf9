package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.model.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment cell is reproducible: the same grid run into two output folders writes the same cell (accuracy,
 * confusion, history, validation, sweep, adaptation, calibration) and trains the same network bit for bit; only the
 * times it records and the provenance's date differ.
 */
@Tag("slow")
class CellReproducibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * drsn-cw × Gaussian 0 dB × seed 1 on a one-speed, one-load drivetrain (8 recordings), three epochs of eight
   * batches of 32 windows of 256 samples with a step in the rate, a sweep level and an adaptation method.
   */
  private static Path writeGrid(Path file) throws Exception {
    Map<String, Object> grid = new LinkedHashMap<>(Map.of(
        "name", "tiny",
        "data", Map.of("window", 256, "train_stride", 256,
            "synthetic", Map.of("speeds_rpm", List.of(1500), "loads", List.of(0.6))),
        "model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.1@0,0.02@2"),
        "models", List.of(Map.of("name", "drsn-cw")),
        "noise", List.of(Map.of("type", "gaussian", "snr_db", List.of(0))),
        "seeds", List.of(1),
        "training", Map.of("batch", 32, "batches_per_epoch", 8, "epochs", 3),
        "test_snr_db", List.of(-6)));
    grid.put("adaptation", List.of("adabn+pseudo-labels"));
    Files.writeString(file, JSON.writeValueAsString(grid));
    return file;
  }

  /** What two identical runs may differ in: wall times and the date they ran. */
  private static void stripTimes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        if (key.contains("seconds") || key.contains("time") || key.startsWith("created") || key.endsWith("_at")
            || key.equals("date")) {
          it.remove();
        } else {
          stripTimes(e.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(CellReproducibilityTest::stripTimes);
    }
  }

  private static List<String> differences(String path, JsonNode a, JsonNode b) {
    List<String> found = new ArrayList<>();
    if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
      found.add(path + ": " + a + " vs " + b);
    } else if (a.isObject()) {
      Set<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        found.addAll(differences(path + "." + k, a.get(k), b.get(k)));
      }
    } else if (a.isArray()) {
      if (a.size() != b.size()) {
        found.add(path + ": " + a.size() + " vs " + b.size() + " elements");
      } else {
        for (int i = 0; i < a.size(); i++) {
          found.addAll(differences(path + "[" + i + "]", a.get(i), b.get(i)));
        }
      }
    } else if (!a.equals(b)) {
      found.add(path + ": " + a + " vs " + b);
    }
    return found;
  }

  @Test
  void aCellRunTwiceIntoTwoFoldersIsTheSameCell(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.read(writeGrid(dir.resolve("grid.json")));
    List<JsonNode> cells = new ArrayList<>();
    List<float[]> parameters = new ArrayList<>();
    for (String out : List.of("a", "b")) {
      List<String> log = new ArrayList<>();
      ExperimentRunner runner = new ExperimentRunner(config, dir.resolve(out)).log(log::add);
      assertEquals(new ExperimentRunner.Result(1, 1, false), runner.run(0), String.join("\n", log));
      ExperimentConfig.Cell cell = runner.selectedCells().get(0);
      JsonNode json = JSON.readTree(runner.cellFile(cell).toFile());
      assertTrue(json.path("confusion").size() > 0 && json.has("sweep") && json.has("adaptation"), json.toString());
      stripTimes(json);
      cells.add(json);
      parameters.add(ModelBundle.read(runner.runDir(cell).resolve(RunArtifacts.BUNDLE_FILE)).network().params().dup()
          .data().asFloat());
    }
    assertTrue(Arrays.equals(parameters.get(0), parameters.get(1)), "the two cells trained different networks");
    assertEquals(List.of(), differences("cell", cells.get(0), cells.get(1)), "the two cells differ");
    assertFalse(cells.get(0).path("history").isEmpty());
  }
}
