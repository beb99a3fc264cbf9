package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.contract.Bundle;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.runtime.LeanDiagnoser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ensemble entry of an open-set grid: the deep ensemble of two tiny trained seeds per held-out class, built from
 * their kept bundles after them, blocked while one is missing, scored like a trained cell and summarised apart.
 */
@Tag("slow")
class EnsembleCellTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theEnsembleCellAveragesItsMembersBundlesAndIsScoredApartFromThem(@TempDir Path dir) throws Exception {
    Map<String, Object> grid = OpenSetRunnerTest.tinyOpenGrid(
        List.of(Map.of("type", "none"), Map.of("type", "gaussian", "snr_db", List.of(0))));
    grid.put("seeds", List.of(1, 2));
    grid.put("models", List.of(Map.of("name", "drsn-cw"),
        Map.of("name", "drsn-cw-ensemble", "ensemble", Map.of("of", "drsn-cw", "seeds", List.of(1, 2)))));
    Path configFile = dir.resolve("open-ensemble.json");
    Files.writeString(configFile, JSON.writeValueAsString(grid));
    ExperimentConfig config = ExperimentConfig.read(configFile);
    Path out = dir.resolve("out");
    List<String> log = new ArrayList<>();

    // Alone and before its members: blocked, naming the member cell files it waits for; nothing is written.
    ExperimentRunner onlyEnsemble = new ExperimentRunner(config, out).onlyModels(List.of("drsn-cw-ensemble"))
        .log(log::add);
    assertEquals(new ExperimentRunner.Result(0, 1, false), onlyEnsemble.run(0));
    ExperimentConfig.Cell cell = onlyEnsemble.selectedCells().get(0);
    Path member1 = out.resolve("cells/drsn-cw/gaussian_0dB_seed1_without-bearing_ball.json");
    Path member2 = out.resolve("cells/drsn-cw/gaussian_0dB_seed2_without-bearing_ball.json");
    String blocked = String.join("\n", log);
    assertTrue(blocked.contains("cell drsn-cw-ensemble/gaussian_0dB_seeds1-2_without-bearing_ball blocked: member cell "
        + member1 + " does not exist; member cell " + member2 + " does not exist (run model drsn-cw first"), blocked);
    assertTrue(!Files.exists(onlyEnsemble.cellFile(cell)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onlyEnsemble.runCell(cell));
    assertTrue(e.getMessage().contains("cannot run: member cell " + member1), e.getMessage());

    // One run of the whole grid trains the members first, then builds the ensemble.
    ExperimentRunner runner = new ExperimentRunner(config, out).log(log::add);
    assertEquals(new ExperimentRunner.Result(3, 3, false), runner.run(0), String.join("\n", log));
    JsonNode ensembleCell = JSON.readTree(runner.cellFile(cell).toFile());
    assertEquals("drsn-cw-ensemble", ensembleCell.path("model").asText());
    assertEquals(1, ensembleCell.path("seed").asLong(), "the first member's seed");
    assertEquals("bearing_ball", ensembleCell.path("held_out_class").asText());
    JsonNode members = ensembleCell.path(ExperimentRunner.MEMBERS_KEY);
    assertEquals(2, members.size());
    double trainSeconds = 0;
    for (int m = 0; m < 2; m++) {
      JsonNode memberCell = JSON.readTree((m == 0 ? member1 : member2).toFile());
      assertEquals(m + 1, members.get(m).path("seed").asLong());
      assertEquals(memberCell.path("accuracy"), members.get(m).path("accuracy"));
      trainSeconds += memberCell.path("train_seconds").asDouble();
    }
    assertEquals(trainSeconds, ensembleCell.path("train_seconds").asDouble(), 1e-9, "what the ensemble cost to train");
    assertEquals(JSON.readTree(member1.toFile()).path(ExperimentRunner.SETTINGS_KEY),
        ensembleCell.path(ExperimentRunner.SETTINGS_KEY));
    assertEquals(2, ensembleCell.path("provenance").path("ensemble_of").size());
    assertEquals(io.github.drsn.experiments.report.Provenance.projectVersionOf(ExperimentRunner.class),
        ensembleCell.path("provenance").path("project_version").asText(), "the build that made the ensemble");
    double accuracy = ensembleCell.path("accuracy").asDouble();
    assertTrue(accuracy > 0 && accuracy <= 1, ensembleCell.path("accuracy").toString());

    Set<String> methods = new HashSet<>();
    for (JsonNode row : ensembleCell.path(ExperimentRunner.OPEN_SET_KEY)) {
      for (String key : OpenSetEvaluation.ROW_KEYS) {
        assertTrue(row.has(key), key + " missing in " + row);
      }
      methods.add(row.path("method").asText());
      assertEquals("drsn-cw-ensemble", row.path("model").asText());
      assertEquals(1, row.path("seed").asLong());
      assertEquals("[1,2]", row.path(ExperimentRunner.MEMBERS_KEY).toString());
      for (String rate : List.of("flag_rate", "false_alarm_rate", "auroc")) {
        double v = row.path(rate).asDouble();
        assertTrue(v >= 0 && v <= 1, rate + " in " + row);
      }
      if (!row.path("snr_db").isNull()) {
        assertEquals(accuracy, row.path("known_accuracy").asDouble(), 1e-12,
            "the cell's test windows and noise: " + row);
      }
    }
    // Every method but the single network's layer ensemble, the members' disagreement included.
    assertEquals(Set.of("max_softmax", "energy", "mahalanobis", "relative_mahalanobis", "knn", "ensemble_disagreement"),
        methods);

    // The ensemble's runtime answers the mean of its members' probabilities, then the temperature on log p̄.
    Bundle ensemble = Bundle.read(runner.runDir(cell).resolve(RunArtifacts.BUNDLE_FILE));
    assertEquals("MAHALANOBIS", ensemble.calibration().method().name());
    RunSettings settings = cell.settings(config);
    float[] window = Evaluation.noisyWindows(settings.loadWindows(), Region.TEST, null,
        LeanDiagnoser.of(ensemble).inputSpec(), 7).get(0);
    int classes = ensemble.classes().size();
    double[] mean = new double[classes];
    for (ExperimentConfig.Cell member : cell.members(config)) {
      float[] p = new float[classes];
      LeanDiagnoser.of(Bundle.read(runner.runDir(member).resolve(RunArtifacts.BUNDLE_FILE)).withCalibration(null))
          .predict(window, p);
      for (int k = 0; k < classes; k++) {
        mean[k] += p[k] / 2.0;
      }
    }
    float[] pooled = new float[classes];
    LeanDiagnoser.of(ensemble.withCalibration(null)).predict(window, pooled);
    float[] calibrated = new float[classes];
    LeanDiagnoser.of(ensemble).predict(window, calibrated);
    double t = ensemble.calibration().temperature();
    double norm = 0;
    for (int k = 0; k < classes; k++) {
      norm += Math.exp(Math.log(mean[k]) / t);
    }
    for (int k = 0; k < classes; k++) {
      assertEquals(mean[k], pooled[k], 1e-6, "class " + k);
      assertEquals(Math.exp(Math.log(mean[k]) / t) / norm, calibrated[k], 1e-5, "class " + k + " at T = " + t);
    }

    // The summary keeps the ensemble's rows apart: the two single networks are averaged, the ensemble is one cell.
    String summary = Files.readString(out.resolve("open_set.md"));
    assertTrue(summary.contains("| drsn-cw | mahalanobis | clean | 2 |"), summary);
    assertTrue(summary.contains("| drsn-cw-ensemble | mahalanobis | clean | 1 |"), summary);
    assertTrue(summary.contains("| drsn-cw-ensemble | ensemble_disagreement | clean | 1 |"), summary);
    assertTrue(!summary.contains("Scored in fewer cells"), summary);
    assertTrue(Files.readString(out.resolve("summary.md")).contains("drsn-cw-ensemble without bearing_ball"));

    // A finished ensemble cell is skipped; a missing member bundle blocks it again, named.
    assertNull(runner.blockedBy(cell));
    assertEquals(new ExperimentRunner.Result(3, 3, false), runner.run(0));
    Path bundle2 = runner.runDir(cell.members(config).get(1)).resolve(RunArtifacts.BUNDLE_FILE);
    Files.delete(bundle2);
    assertEquals("member bundle " + bundle2 + " does not exist (run model drsn-cw first, with --runs where its runs"
        + " are)", runner.blockedBy(cell));
  }
}
