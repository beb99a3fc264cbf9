package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.model.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny grid (synthetic data, 256-sample windows, a small network, a few minibatches) run from Java, without
 * the command line: cell files, summary and plots, skipping finished cells, and refusing cells of another config.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentRunnerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  Path configFile;
  Path out;
  final List<String> log = new ArrayList<>();

  @BeforeAll
  void runTheGridOnce(@TempDir Path shared) throws Exception {
    dir = shared;
    configFile = writeGrid(dir.resolve("grid.json"), "step:0.05@0");
    out = dir.resolve("grid");
    ExperimentRunner.Result result = new ExperimentRunner(ExperimentConfig.read(configFile), out)
        .log(log::add).run(0);
    assertEquals(new ExperimentRunner.Result(3, 3, false), result, String.join("\n", log));
  }

  /** Three models (one with recipes) × Gaussian 0 dB × seed 1, one epoch of four batches of 32 windows of 256 samples. */
  private static Path writeGrid(Path file, String schedule) throws Exception {
    Map<String, Object> grid = new java.util.LinkedHashMap<>(Map.of(
        "name", "tiny",
        "data", Map.of("window", 256, "train_stride", 256),
        "model", Map.of("channels", List.of(4, 8), "units", 1, "schedule", schedule),
        "models", List.of(Map.of("name", "drsn-cw"),
            Map.of("name", "resnet-gn", "model", Map.of("architecture", "resnet", "norm", "group"),
                "input", Map.of("snr_max_db", 6)),
            Map.of("name", "drsn-cw-ls", "training", Map.of("label_smoothing", 0.1, "ema", 0.9),
                "model", Map.of("architecture", "drsn-cw"))),
        "noise", List.of(Map.of("type", "gaussian", "snr_db", List.of(0))),
        "seeds", List.of(1),
        "training", Map.of("batch", 32, "batches_per_epoch", 4, "epochs", 1),
        "test_snr_db", List.of(-6, 0),
        "test_clean", true,
        "test_data", List.of(Map.of("name", "other speeds",
            "data", Map.of("synthetic", Map.of("speeds_rpm", List.of(900, 2100)))))));
    grid.put("adaptation", List.of("adabn", "adabn+pseudo-labels"));
    Files.writeString(file, JSON.writeValueAsString(grid));
    return file;
  }

  @Test
  void eachCellRecordsItsResultHistoryAndSettings() throws Exception {
    Path cell = out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json");
    JsonNode json = JSON.readTree(cell.toFile());
    for (String key : ExperimentRunner.CELL_KEYS) {
      assertTrue(json.has(key), key + " missing in " + json);
    }
    // One epoch: the best epoch is the last, so the last epoch's accuracy is the cell's accuracy.
    assertEquals(1, json.path("epochs_run").asInt(), json.toString());
    assertEquals(1, json.path("best_epoch").asInt(), json.toString());
    assertEquals(json.path("accuracy").asDouble(), json.path("accuracy_final_epoch").asDouble(), 0.0);
    JsonNode history = json.path(ExperimentRunner.HISTORY_KEY);
    assertEquals(1, history.size(), json.toString());
    assertTrue(history.get(0).path("train_loss").asDouble() > 0, history.toString());
    assertEquals(json.path("validation").path("accuracy").asDouble(),
        history.get(0).path("validation_accuracy").asDouble(), 1e-12, "the best epoch's validation accuracy");

    RunSettings settings = RunSettings.fromJson(json.path(ExperimentRunner.SETTINGS_KEY));
    assertEquals("drsn-cw", settings.model().architecture());
    assertEquals(List.of(4, 8), settings.model().channels());
    assertEquals(256, settings.data().window());
    assertEquals(InputSettings.Noise.gaussian, settings.input().noise());
    assertEquals(0.0, settings.input().snrDb());
    assertEquals(1, settings.training().seed());
    assertEquals(settings, RunSettings.fromJson(json.path("configuration").path("settings")));
    assertFalse(json.has("train_arguments") || json.has("command"), json.toString());

    JsonNode variant = JSON.readTree(out.resolve("cells/resnet-gn/gaussian_0dB_seed1.json").toFile());
    RunSettings resnet = RunSettings.fromJson(variant.path(ExperimentRunner.SETTINGS_KEY));
    assertEquals("resnet", resnet.model().architecture());
    assertEquals(ModelSettings.Norm.group, resnet.model().norm());
    assertEquals(List.of(4, 8), resnet.model().channels(), "the grid's model settings apply to every variant");
  }

  /** The cross-SNR protocol: each cell's model at every level of the sweep, summarised per training level. */
  @Test
  void eachCellTestsItsModelAtEveryLevelOfTheSweep() throws Exception {
    JsonNode cell = JSON.readTree(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json").toFile());
    JsonNode sweep = cell.path("sweep");
    assertEquals(3, sweep.size(), cell.toString());
    assertEquals(-6.0, sweep.get(0).path("snr_db").asDouble());
    assertEquals(0.0, sweep.get(1).path("snr_db").asDouble());
    assertTrue(sweep.get(2).path("snr_db").isNull(), "clean is a null SNR");
    // At the cell's own level the sweep scores what the cell scored: the same windows and noise, through the
    // runtime instead of DL4J (labels may differ on a window whose top two probabilities tie in float).
    assertEquals(cell.path("accuracy").asDouble(), sweep.get(1).path("accuracy").asDouble(), 0.01);
    RunSettings range = RunSettings.fromJson(JSON.readTree(out.resolve("cells/resnet-gn/gaussian_0dB_seed1.json")
        .toFile()).path(ExperimentRunner.SETTINGS_KEY));
    assertEquals(6.0, range.input().snrMaxDb(), "the variant's input settings apply");
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("## Accuracy at every noise level"), summary);
    assertTrue(summary.contains("drsn-cw, trained gaussian 0 dB") && summary.contains("resnet-gn, trained gaussian"
        + " 0 dB..6 dB"), summary);
    assertTrue(summary.contains("| clean |"), summary);
  }

  /** The shift protocols: each cell's model on another data set's test windows, at the cell's noise level. */
  @Test
  void eachCellTestsItsModelOnTheOtherDataSets() throws Exception {
    JsonNode cell = JSON.readTree(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json").toFile());
    JsonNode shift = cell.path("shift");
    assertEquals(1, shift.size(), cell.toString());
    assertEquals("other speeds", shift.get(0).path("name").asText());
    assertEquals("synthetic (seed 42, 900/2100 rpm)", shift.get(0).path("data").asText());
    // 8 states x 2 speeds x 3 loads, 20 % of 131,072 samples each in 256-sample test windows.
    assertEquals(8 * 2 * 3 * (int) (0.2 * 131_072 / 256), shift.get(0).path("windows").asInt(), 8 * 2 * 3);
    double accuracy = shift.get(0).path("accuracy").asDouble();
    assertTrue(accuracy >= 0 && accuracy <= 1, cell.toString());
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("## Under shift") && summary.contains("| other speeds |"), summary);
  }

  /** Cross-load "with each adaptation method": each cell's model adapted to its test windows without labels. */
  @Test
  void eachCellAdaptsItsModelByEveryMethodAndScoresItBeforeAndAfter() throws Exception {
    JsonNode cell = JSON.readTree(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json").toFile());
    JsonNode adaptation = cell.path("adaptation");
    assertEquals(2, adaptation.size(), cell.toString());
    assertEquals("adabn", adaptation.get(0).path("method").asText());
    assertEquals("adabn+pseudo-labels", adaptation.get(1).path("method").asText());
    for (JsonNode a : adaptation) {
      // Before adaptation the bundle scores its test windows as the cell did (the same windows and noise).
      assertEquals(cell.path("accuracy").asDouble(), a.path("source_accuracy").asDouble(), 0.01, a.toString());
      // 8 states x 3 speeds x 3 loads, 20 % of 131,072 samples each in 256-sample test windows.
      assertEquals(72 * (int) (0.2 * 131_072 / 256), a.path("windows").asInt(), 72, a.toString());
      // The drivetrain's classes are one per family, so family accuracy is accuracy.
      assertEquals(a.path("accuracy").asDouble(), a.path("family_accuracy").asDouble(), 1e-12, a.toString());
      assertTrue(a.path("agreement").asDouble() > 0 && a.path("agreement").asDouble() <= 1, a.toString());
    }
    // A group-norm network has no batch statistics: AdaBN changes nothing.
    JsonNode groupNorm = JSON.readTree(out.resolve("cells/resnet-gn/gaussian_0dB_seed1.json").toFile())
        .path("adaptation").get(0);
    assertEquals(groupNorm.path("source_accuracy").asDouble(), groupNorm.path("accuracy").asDouble(), 0.0);
    assertEquals(1.0, groupNorm.path("agreement").asDouble(), 0.0);
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("## Adapted without labels") && summary.contains("| drsn-cw | adabn+pseudo-labels |"),
        summary);
  }

  @Test
  void cellsRecordTheirRecipeAndTheSummaryGroupsByIt() throws Exception {
    assertEquals("baseline", JSON.readTree(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json").toFile())
        .path(ExperimentRunner.RECIPE_KEY).asText());
    JsonNode withRecipe = JSON.readTree(out.resolve("cells/drsn-cw-ls/gaussian_0dB_seed1.json").toFile());
    assertEquals("label_smoothing=0.1,ema=0.9", withRecipe.path(ExperimentRunner.RECIPE_KEY).asText());
    assertEquals("label_smoothing=0.1,ema=0.9", withRecipe.path("configuration").path("recipe").asText());
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("drsn-cw-ls [label_smoothing=0.1,ema=0.9]"), summary);
    // A cell written before recipes existed has no recipe key and is grouped as before.
    assertEquals("drsn-cw", ExperimentRunner.group(JSON.readTree("{\"model\": \"drsn-cw\"}")));
  }

  @Test
  void theCellsRunIsABundleAndReportWithItsSettings() throws Exception {
    Path run = out.resolve("runs/drsn-cw/gaussian_0dB_seed1");
    for (String file : List.of("model.drsn", "report.json", "report.md", "learning_curves.png",
        "confusion_test.png", TrainingJob.SETTINGS_FILE)) {
      assertTrue(Files.isRegularFile(run.resolve(file)), file + " missing");
    }
    RunSettings saved = TrainingJob.savedSettings(run);
    assertEquals(ExperimentConfig.read(configFile).cells().get(0).settings(ExperimentConfig.read(configFile)), saved);
    ModelBundle bundle = ModelBundle.read(run.resolve("model.drsn"));
    assertEquals(saved, RunSettings.fromJson(bundle.training().path("settings")), "the bundle's provenance holds the settings");
  }

  @Test
  void theSummaryAndPlotsAreWritten() throws Exception {
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("accuracy of the last epoch"), summary);
    assertTrue(summary.contains("resnet-gn"), summary);
    assertTrue(Files.isRegularFile(out.resolve("summary.csv")));
    assertTrue(Files.isRegularFile(out.resolve("accuracy_vs_snr_gaussian.png")));
    assertTrue(Files.isRegularFile(out.resolve("training_loss_gaussian.png")), "no training curves from the histories");
  }

  /**
   * resnet-gn trains over 0..6 dB, so its own test windows draw their SNR from that range; the tables label it 0 dB and
   * pair it with the 0 dB cells, so they must take its accuracy tested at 0 dB (the sweep's), not the range's.
   */
  @Test
  void aCellTrainedOverARangeIsTabledWithItsAccuracyAtTheLowerEnd() throws Exception {
    JsonNode cell = JSON.readTree(out.resolve("cells/resnet-gn/gaussian_0dB_seed1.json").toFile());
    JsonNode atZero = null;
    for (JsonNode point : cell.path("sweep")) {
      if (point.path("snr_db").isNumber() && point.path("snr_db").asDouble() == 0.0) { // the clean point's is null
        atZero = point;
      }
    }
    assertTrue(atZero != null, "the sweep tests at 0 dB: " + cell.path("sweep"));
    assertTrue(atZero.path("accuracy").asDouble() != cell.path("accuracy").asDouble()
        || atZero.path("macro_f1").asDouble() != cell.path("macro_f1").asDouble(),
        "control: the range's and 0 dB's figures differ, else this test could not tell them apart");
    String row = Files.readAllLines(out.resolve("summary.csv")).stream()
        .filter(l -> l.contains(",resnet-gn,")).findFirst().orElseThrow();
    String[] fields = row.split(",", -1);
    assertEquals(atZero.path("accuracy").asDouble(), Double.parseDouble(fields[6]), 1e-12, row);
    assertEquals(atZero.path("macro_f1").asDouble(), Double.parseDouble(fields[8]), 1e-12, row);
    assertEquals("", fields[12], "the last epoch was tested over the range only: " + row);
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("- resnet-gn, trained over 0..6 dB: tabled with its accuracy tested at the lower end"),
        summary);
  }

  @Test
  void finishedCellsAreSkipped() throws Exception {
    Path cell = out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json");
    long modified = Files.getLastModifiedTime(cell).toMillis();
    List<String> again = new ArrayList<>();
    ExperimentRunner.Result result = new ExperimentRunner(ExperimentConfig.read(configFile), out)
        .log(again::add).run(0);
    assertEquals(new ExperimentRunner.Result(3, 3, false), result);
    assertEquals(List.of(), again, "a finished cell was run again");
    assertEquals(modified, Files.getLastModifiedTime(cell).toMillis(), "a finished cell was recomputed");
  }

  @Test
  void aCellOfAnotherConfigIsRefused() throws Exception {
    Path changed = writeGrid(dir.resolve("changed.json"), "step:0.01@0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExperimentRunner(ExperimentConfig.read(changed), out).summarize());
    assertTrue(e.getMessage().contains("was computed with settings") && e.getMessage().contains("step:0.01@0"),
        e.getMessage());
  }

  @Test
  void aMalformedHistoryIsReportedWithItsCell(@TempDir Path copy) throws Exception {
    Path cell = copy.resolve("cells/drsn-cw/gaussian_0dB_seed1.json");
    Files.createDirectories(cell.getParent());
    ObjectNode broken = (ObjectNode) JSON.readTree(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json").toFile());
    ((ObjectNode) broken.path(ExperimentRunner.HISTORY_KEY).get(0)).put("train_loss", "low");
    Files.writeString(cell, JSON.writeValueAsString(broken));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExperimentRunner(ExperimentConfig.read(configFile), copy).summarize());
    assertTrue(e.getMessage().contains(cell.toString()) && e.getMessage().contains("train_loss"), e.getMessage());
  }
}
