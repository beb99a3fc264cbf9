package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open-set protocol on a tiny grid: one class held out per cell, rows for every method and noise level. */
@Tag("slow")
class OpenSetRunnerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A tiny open-set grid: a DRSN-CW (4 and 8 channels, one unit per stage) trained one epoch of four batches at 0 dB
   * on synthetic 256-sample windows without bearing_ball, its rows at the {@code evaluate} noise levels.
   */
  static Map<String, Object> tinyOpenGrid(List<Map<String, Object>> evaluate) {
    Map<String, Object> grid = new java.util.LinkedHashMap<>();
    grid.put("name", "tiny-open");
    grid.put("data", Map.of("window", 256, "train_stride", 256));
    grid.put("model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.05@0"));
    grid.put("models", List.of(Map.of("name", "drsn-cw")));
    grid.put("noise", List.of(Map.of("type", "gaussian", "snr_db", List.of(0))));
    grid.put("seeds", List.of(1));
    grid.put("training", Map.of("batch", 32, "batches_per_epoch", 4, "epochs", 1));
    grid.put("open_set", Map.of("held_out", List.of("bearing_ball"), "evaluate", evaluate));
    return grid;
  }

  @Test
  void eachHeldOutClassIsACellWithRowsForEveryMethodAndTestNoise(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("open.json");
    Files.writeString(config, JSON.writeValueAsString(tinyOpenGrid(
        List.of(Map.of("type", "none"), Map.of("type", "gaussian", "snr_db", List.of(-4))))));
    Path out = dir.resolve("out");
    List<String> log = new ArrayList<>();
    ExperimentRunner.Result result = new ExperimentRunner(ExperimentConfig.read(config), out).log(log::add).run(0);
    assertEquals(new ExperimentRunner.Result(1, 1, false), result, String.join("\n", log));
    JsonNode cell = JSON.readTree(out.resolve("cells/drsn-cw/gaussian_0dB_seed1_without-bearing_ball.json").toFile());
    assertEquals("bearing_ball", cell.path("held_out_class").asText());
    RunSettings settings = RunSettings.fromJson(cell.path(ExperimentRunner.SETTINGS_KEY));
    assertEquals(List.of("bearing_ball"), settings.data().excludeClasses());
    assertTrue(!cell.path("classes").toString().contains("bearing_ball"), "trained without it: " + cell.path("classes"));
    JsonNode rows = cell.path(ExperimentRunner.OPEN_SET_KEY);
    assertEquals(12, rows.size(), "6 methods x (clean, -4 dB): " + rows);
    Set<String> seen = new HashSet<>();
    for (JsonNode row : rows) {
      for (String key : OpenSetEvaluation.ROW_KEYS) {
        assertTrue(row.has(key), key + " missing in " + row);
      }
      seen.add(row.path("method").asText() + "@" + (row.path("snr_db").isNull() ? "clean" : row.path("snr_db").asText()));
      double auroc = row.path("auroc").asDouble();
      assertTrue(auroc >= 0 && auroc <= 1, row.toString());
      assertTrue(row.path("held_out_windows").asInt() > 0 && row.path("known_windows").asInt() > 0, row.toString());
    }
    assertEquals(Set.of("max_softmax@clean", "energy@clean", "mahalanobis@clean", "mahalanobis_layers@clean",
        "relative_mahalanobis@clean", "knn@clean", "max_softmax@-4.0", "energy@-4.0", "mahalanobis@-4.0",
        "mahalanobis_layers@-4.0", "relative_mahalanobis@-4.0", "knn@-4.0"), seen);
    String summary = Files.readString(out.resolve("open_set.md"));
    assertTrue(summary.contains("| drsn-cw | mahalanobis | -4.0 dB | 1 |"), summary);
    assertTrue(summary.contains("| drsn-cw | mahalanobis_layers | -4.0 dB | 1 |"), summary);
    assertTrue(summary.contains("| drsn-cw | relative_mahalanobis | -4.0 dB | 1 |"), summary);
    assertTrue(summary.contains("| drsn-cw | knn | -4.0 dB | 1 |"), summary);
    assertTrue(summary.contains("bearing_ball"), summary);
    assertTrue(!summary.contains("Scored in fewer cells"), summary);

    // A kept run whose bundle was calibrated before the layer ensemble, the relative distance and the nearest-neighbour
    // distance existed: re-evaluated, it gets them fitted as the new bundle's were, and every row is the cell's.
    Path bundleFile;
    try (var files = Files.walk(out)) {
      bundleFile = files.filter(p -> p.getFileName().toString().equals(RunArtifacts.BUNDLE_FILE)).findFirst()
          .orElseThrow();
    }
    Bundle bundle = Bundle.read(bundleFile);
    Calibration c = bundle.calibration();
    assertEquals(OodMethod.MAHALANOBIS, c.method());
    Map<OodMethod, Double> older = new EnumMap<>(c.thresholds());
    older.remove(OodMethod.MAHALANOBIS_LAYERS);
    older.remove(OodMethod.RELATIVE_MAHALANOBIS);
    older.remove(OodMethod.KNN);
    Bundle before = bundle.withCalibration(new Calibration(c.temperature(), c.method(), older, c.falseAlarmRate(),
        c.data(), c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis(), null, null, null));
    assertEquals(c, Calibrations.withEveryMethod(before, settings));
    List<Map<String, Object>> again = OpenSetEvaluation.rows(before, settings, "bearing_ball",
        ExperimentConfig.read(config).openSet().evaluate(), cell.path("dataset").asText(), "drsn-cw", 1);
    assertEquals(rows, JSON.readTree(JSON.writeValueAsString(again)));
  }
  @Test
  void anOrderDomainModelIsScoredAndProbedOnTheDataInTheOrderDomain(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("open-orders.json");
    Files.writeString(config, JSON.writeValueAsString(Map.of(
        "name", "tiny-open-orders",
        "data", Map.of("window", 256, "train_stride", 256),
        "input", Map.of("samples_per_rev", 64),
        "model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.05@0"),
        "models", List.of(Map.of("name", "drsn-cw")),
        "noise", List.of(Map.of("type", "none")),
        "seeds", List.of(1),
        "training", Map.of("batch", 32, "batches_per_epoch", 4, "epochs", 1),
        "open_set", Map.of("held_out", List.of("bearing_ball"), "evaluate", List.of(Map.of("type", "none"))))));
    Path out = dir.resolve("out");
    List<String> log = new ArrayList<>();
    ExperimentRunner.Result result = new ExperimentRunner(ExperimentConfig.read(config), out).log(log::add).run(0);
    assertEquals(new ExperimentRunner.Result(1, 1, false), result, String.join("\n", log));
    Path cellFile;
    try (var files = Files.walk(out.resolve("cells"))) {
      cellFile = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    JsonNode cell = JSON.readTree(cellFile.toFile());
    RunSettings settings = RunSettings.fromJson(cell.path(ExperimentRunner.SETTINGS_KEY));
    assertEquals(64.0, settings.input().samplesPerRevolution());
    DataSettings data = settings.data();
    // Every class's test windows at 64 samples per revolution of each recording's speed, and at its own rate.
    int inOrders = WindowedDataset.cut(Resampler.toOrders(data.loadAll(), 64), data.splitPlan(), data.windowSpec())
        .windows(Region.TEST).size();
    int atTheSensorsRate = WindowedDataset.cut(data.loadAll(), data.splitPlan(), data.windowSpec())
        .windows(Region.TEST).size();
    assertTrue(inOrders != atTheSensorsRate, inOrders + " windows either way: the test cannot tell them apart");
    for (JsonNode row : cell.path(ExperimentRunner.OPEN_SET_KEY)) {
      assertEquals(inOrders, row.path("held_out_windows").asInt() + row.path("known_windows").asInt(), row.toString());
    }
    Path bundle;
    try (var files = Files.walk(out)) {
      bundle = files.filter(p -> p.getFileName().toString().equals(RunArtifacts.BUNDLE_FILE)).findFirst()
          .orElseThrow();
    }
    ThresholdsVsSnr.Probe probe = ThresholdsVsSnr.probe(bundle, List.of(Double.POSITIVE_INFINITY));
    assertEquals(settings.loadWindows().windows(Region.TEST).size(), probe.windows());
    assertTrue(probe.windows() < inOrders, "the known classes' test windows only: " + probe.windows());
    assertTrue(probe.ratio()[0].length > 0, "shrinkage units probed");
  }
}
