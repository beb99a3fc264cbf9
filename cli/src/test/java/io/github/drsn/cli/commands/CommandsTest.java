package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.CliRun;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.model.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each command's happy path on tiny synthetic data (short windows, a small network, a few minibatches),
 * and the agreement of train, evaluate and predict.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsTest {

  /** A small network on 256-sample windows: seconds per run. */
  static final List<String> TINY = List.of("--window", "256", "--train-stride", "256", "--channels", "4,8",
      "--units", "1", "--batch", "32", "--batches-per-epoch", "4", "--schedule", "step:0.05@0");

  private static final ObjectMapper JSON = new ObjectMapper();

  Path dir;
  Path run;

  static String[] args(List<String> base, String... more) {
    List<String> all = new ArrayList<>();
    all.addAll(Arrays.asList(more).subList(0, 1));
    all.addAll(base);
    all.addAll(Arrays.asList(more).subList(1, more.length));
    return all.toArray(String[]::new);
  }

  @BeforeAll
  void trainOnce(@TempDir Path shared) {
    dir = shared;
    run = dir.resolve("run");
    CliRun result = CliRun.run(args(TINY, "train", "--epochs", "2", "--snr", "0", "--out", run.toString()));
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.out().contains("model:  " + run.resolve("model.drsn")), result.out());
    for (String file : List.of("model.drsn", "report.json", "report.md", "learning_curves.png",
        "confusion_test.png", "run.json", "checkpoints/last.ckpt", "checkpoints/best.ckpt")) {
      assertTrue(Files.isRegularFile(run.resolve(file)), file + " missing\n" + result);
    }
  }

  @Test
  void evaluateReproducesTheTestAccuracyOfTraining() throws Exception {
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    double trained = report.path("metrics").path("test").path("accuracy").asDouble();
    CliRun result = CliRun.run("evaluate", "--model", run.resolve("model.drsn").toString(), "--snr", "0",
        "--train-stride", "256", "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    assertEquals(trained, json.path("accuracy").asDouble(), 0.0);
    assertEquals(SyntheticDrivetrain.CLASSES.size(), json.path("classes").size());
    assertEquals(SyntheticDrivetrain.CLASSES.size(), json.path("confusion").size());
    long total = 0;
    for (JsonNode row : json.path("confusion")) {
      for (JsonNode count : row) {
        total += count.asLong();
      }
    }
    assertEquals(json.path("samples").asLong(), total);
    assertTrue(json.has("macro_f1"));
  }

  @Test
  void predictDiagnosesEveryWindowOfACsvRecording() throws Exception {
    double[] samples = SyntheticDrivetrain.dataset(42).recordings().get(0).channel(0);
    Path csv = dir.resolve("recording.csv");
    StringBuilder text = new StringBuilder("accel\n");
    for (int i = 0; i < 256 * 5 + 100; i++) {
      text.append(samples[i]).append('\n');
    }
    Files.writeString(csv, text);
    CliRun result = CliRun.run("predict", "--model", run.resolve("model.drsn").toString(), "--rate", "12800",
        csv.toString(), "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode file = JSON.readTree(result.out()).path("files").get(0);
    assertEquals(5, file.path("windows").size(), "1380 samples hold five 256-sample windows");
    double sum = 0;
    double best = -1;
    String argMax = null;
    for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) file.path("probabilities")::fields) {
      sum += e.getValue().asDouble();
      if (e.getValue().asDouble() > best) {
        best = e.getValue().asDouble();
        argMax = e.getKey();
      }
    }
    assertEquals(1.0, sum, 1e-5);
    assertEquals(argMax, file.path("candidate").asText());
    assertEquals(file.path("outcome").asText().equals("classified") ? argMax : "uncertain",
        file.path("diagnosis").asText());

    CliRun text2 = CliRun.run("predict", "--model", run.resolve("model.drsn").toString(), "--rate", "12800",
        csv.toString());
    assertTrue(text2.out().contains(file.path("diagnosis").asText()), text2.out());
  }

  @Test
  void resumingContinuesExactlyAsOneUninterruptedRun() throws Exception {
    Path straight = dir.resolve("straight");
    assertEquals(0, CliRun.run(args(TINY, "train", "--epochs", "3", "--out", straight.toString())).exitCode());
    Path staged = dir.resolve("staged");
    assertEquals(0, CliRun.run(args(TINY, "train", "--epochs", "1", "--out", staged.toString())).exitCode());
    CliRun resumed = CliRun.run("train", "--resume", "--epochs", "3", "--out", staged.toString());
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.err().contains("resuming after epoch 1 of 3"), resumed.err());
    ModelBundle a = ModelBundle.read(straight.resolve("model.drsn"));
    ModelBundle b = ModelBundle.read(staged.resolve("model.drsn"));
    assertEquals(a.network().params(), b.network().params());
  }

  @Test
  void aSecondTrainIntoTheSameFolderIsRefusedWithoutLosingTheFirst() throws Exception {
    byte[] before = Files.readAllBytes(run.resolve("model.drsn"));
    CliRun again = CliRun.run(args(TINY, "train", "--epochs", "1", "--out", run.toString()));
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.err().contains("--resume"), again.err());
    assertTrue(Arrays.equals(before, Files.readAllBytes(run.resolve("model.drsn"))));
  }

  @Test
  void datasetInfoAndExport() throws Exception {
    CliRun info = CliRun.run("dataset", "info", "--json", "--window", "256");
    assertEquals(0, info.exitCode(), info.toString());
    JsonNode json = JSON.readTree(info.out());
    assertEquals(72, json.path("recordings").asInt());
    assertEquals(SyntheticDrivetrain.CLASSES, JSON.convertValue(json.path("classes"), List.class));
    assertTrue(json.path("windows").path("test").path("healthy").asInt() > 0, info.out());

    Path export = dir.resolve("export");
    CliRun npy = CliRun.run("dataset", "export", "--window", "256", "--noise", "none", "--out", export.toString());
    assertEquals(0, npy.exitCode(), npy.toString());
    int testWindows = json.path("window_totals").path("test").asInt();
    var x = io.github.drsn.contract.io.Npy.read(export.resolve("test_x.npy"));
    assertEquals(List.of(testWindows, 1, 256), Arrays.stream(x.shape()).boxed().toList());
    assertTrue(Files.readAllLines(export.resolve("windows.csv")).size() > testWindows);
  }

  @Test
  void experimentRunsAGridOnceAndSkipsFinishedCells() throws Exception {
    Path config = writeGrid("grid.json", List.of("drsn-cw", "resnet"),
        java.util.Map.of("type", "gaussian", "snr_db", List.of(0)), 1);
    Path out = dir.resolve("grid");
    CliRun unknown = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(),
        "--models", "drsn-xx");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("'drsn-xx' is not a model of"), unknown.err());
    CliRun onlyCw = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(),
        "--models", "drsn-cw");
    assertEquals(0, onlyCw.exitCode(), onlyCw.toString());
    assertTrue(onlyCw.err().contains("1 of 1 cells done"), onlyCw.err());
    assertFalse(Files.exists(out.resolve("cells/resnet")), "--models drsn-cw ran a resnet cell");
    CliRun first = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, first.exitCode(), first.toString());
    Path cell = out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json");
    JsonNode json = JSON.readTree(cell.toFile());
    for (String key : ExperimentCommand.CELL_KEYS) {
      assertTrue(json.has(key), key + " missing in " + json);
    }
    // One epoch: the best epoch is the last, so the last epoch's accuracy is the cell's accuracy.
    assertEquals(1, json.path("epochs_run").asInt(), json.toString());
    assertEquals(1, json.path("best_epoch").asInt(), json.toString());
    assertEquals(json.path("accuracy").asDouble(), json.path("accuracy_final_epoch").asDouble(), 0.0);
    JsonNode history = json.path(ExperimentCommand.HISTORY_KEY);
    assertEquals(1, history.size(), json.toString());
    assertEquals(1, history.get(0).path("epoch").asInt());
    assertTrue(history.get(0).path("train_loss").asDouble() > 0, history.toString());
    assertEquals(json.path("validation").path("accuracy").asDouble(),
        history.get(0).path("validation_accuracy").asDouble(), 1e-12, "the best epoch's validation accuracy");
    assertTrue(Files.isRegularFile(out.resolve("summary.md")));
    assertTrue(Files.readString(out.resolve("summary.md")).contains("accuracy of the last epoch"));
    assertTrue(Files.isRegularFile(out.resolve("summary.csv")));
    assertTrue(Files.isRegularFile(out.resolve("accuracy_vs_snr_gaussian.png")));
    assertTrue(Files.isRegularFile(out.resolve("training_loss_gaussian.png")), "no training curves from the histories");
    long modified = Files.getLastModifiedTime(cell).toMillis();
    CliRun second = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, second.exitCode(), second.toString());
    assertTrue(second.err().contains("2 of 2 cells done"), second.err());
    assertEquals(modified, Files.getLastModifiedTime(cell).toMillis(), "a finished cell was recomputed");
  }

  @Test
  void theSeedFixesTheWholeRunBitForBit() throws Exception {
    // The shared run used seed 42 (the default) at 0 dB for 2 epochs: run it again elsewhere, and with seed 43.
    Path again = dir.resolve("again");
    Path other = dir.resolve("other-seed");
    assertEquals(0, CliRun.run(args(TINY, "train", "--epochs", "2", "--snr", "0", "--out", again.toString())).exitCode());
    assertEquals(0, CliRun.run(args(TINY, "train", "--epochs", "2", "--snr", "0", "--seed", "43", "--out",
        other.toString())).exitCode());
    JsonNode first = JSON.readTree(run.resolve("report.json").toFile());
    JsonNode second = JSON.readTree(again.resolve("report.json").toFile());
    JsonNode third = JSON.readTree(other.resolve("report.json").toFile());
    for (int e = 0; e < 2; e++) {
      JsonNode a = first.path("history").path("epochs").get(e);
      JsonNode b = second.path("history").path("epochs").get(e);
      assertEquals(a.path("train_loss").asDouble(), b.path("train_loss").asDouble(), 0.0, "epoch " + (e + 1));
      assertEquals(a.path("validation_loss").asDouble(), b.path("validation_loss").asDouble(), 0.0);
    }
    assertEquals(first.path("metrics").path("test").path("confusion"), second.path("metrics").path("test").path("confusion"));
    assertNotEquals(first.path("history").path("epochs").get(0).path("train_loss").asDouble(),
        third.path("history").path("epochs").get(0).path("train_loss").asDouble(), "another seed, the same run");
  }

  @Test
  void addFinalEpochReevaluatesAnOldCellWithoutTraining() throws Exception {
    Path config = dir.resolve("grid3.json");
    List<String> training = new ArrayList<>(TINY);
    // A learning rate of 20 in the last epoch wrecks the network, so the best epoch is an earlier one and
    // the last epoch's test differs from the best one's (deterministic for the seed).
    training.set(training.indexOf("step:0.05@0"), "step:0.1@0,20@2");
    training.set(training.indexOf("--batches-per-epoch") + 1, "12");
    training.addAll(List.of("--epochs", "3"));
    java.util.Map<String, Object> grid = new java.util.LinkedHashMap<>(java.util.Map.of(
        "name", "tiny",
        "models", List.of(java.util.Map.of("name", "resnet")),
        "noise", List.of(java.util.Map.of("type", "none")),
        "seeds", List.of(1),
        "training", training));
    Files.writeString(config, JSON.writeValueAsString(grid));
    Path out = dir.resolve("grid3");
    CliRun first = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, first.exitCode(), first.toString());
    Path cell = out.resolve("cells/resnet/clean_seed1.json");
    JsonNode fresh = JSON.readTree(cell.toFile());
    JsonNode report = JSON.readTree(out.resolve("runs/resnet/clean_seed1/report.json").toFile());
    assertEquals(3, fresh.path("epochs_run").asInt());
    assertEquals(report.path("outcome").path("best_epoch").asInt(), fresh.path("best_epoch").asInt());
    assertTrue(fresh.path("best_epoch").asInt() < 3, "the wrecked last epoch was the best: " + fresh);
    JsonNode lastTest = report.path("metrics").path("test_final_epoch");
    assertEquals(lastTest.path("accuracy").asDouble(), fresh.path("accuracy_final_epoch").asDouble(), 0.0);
    assertFalse(lastTest.path("confusion").equals(report.path("metrics").path("test").path("confusion")),
        "the last epoch's test is the best epoch's");
    // The bundle holds the best epoch's network, so only that network's metrics.
    var bundle = io.github.drsn.model.bundle.ModelBundle.read(out.resolve("runs/resnet/clean_seed1/model.drsn"));
    assertTrue(bundle.metrics().has("test") && !bundle.metrics().has("test_final_epoch"), bundle.metrics().toString());

    // A cell as versions before this one wrote it: no last-epoch keys, epochs_run counted wrongly.
    com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode) fresh.deepCopy();
    old.remove(List.of("accuracy_final_epoch", "macro_f1_final_epoch", "best_epoch"));
    old.put("epochs_run", 1);
    Files.writeString(cell, JSON.writeValueAsString(old));
    // A second seed is in the grid now but unfinished: --add-final-epoch must not train it.
    grid.put("seeds", List.of(1, 2));
    Files.writeString(config, JSON.writeValueAsString(grid));
    CliRun add = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--add-final-epoch");
    assertEquals(0, add.exitCode(), add.toString());
    assertFalse(Files.exists(out.resolve("cells/resnet/clean_seed2.json")), "--add-final-epoch trained a cell");
    assertFalse(Files.exists(out.resolve("runs/resnet/clean_seed2")), "--add-final-epoch started a cell");
    JsonNode added = JSON.readTree(cell.toFile());
    assertEquals(3, added.path("epochs_run").asInt());
    assertEquals(fresh.path("best_epoch"), added.path("best_epoch"));
    assertEquals(fresh.path("accuracy_final_epoch"), added.path("accuracy_final_epoch"));
    assertEquals(fresh.path("macro_f1_final_epoch"), added.path("macro_f1_final_epoch"));
    // Re-evaluating the saved best checkpoint reproduces the recorded accuracy exactly; nothing else changed.
    assertEquals(fresh.path("accuracy").asDouble(),
        added.path("final_epoch_added").path("best_epoch_accuracy_remeasured").asDouble(), 0.0);
    assertEquals(fresh.path("accuracy"), added.path("accuracy"));
    assertEquals(fresh.path("provenance"), added.path("provenance"));

    // A cell whose recorded result the checkpoints do not reproduce is left alone, with an error.
    com.fasterxml.jackson.databind.node.ObjectNode foreign = (com.fasterxml.jackson.databind.node.ObjectNode) old.deepCopy();
    foreign.put("accuracy", 0.123);
    Files.writeString(cell, JSON.writeValueAsString(foreign));
    String before = Files.readString(cell);
    CliRun refused = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(),
        "--add-final-epoch");
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("not the run that made this cell"), refused.err());
    assertEquals(before, Files.readString(cell));
  }

  @Test
  void addHistoryCopiesTheRunsEpochsIntoAnOldCellOnlyFromTheRunThatMadeIt() throws Exception {
    Path config = writeGrid("grid4.json", List.of("resnet"), java.util.Map.of("type", "none"), 2);
    Path out = dir.resolve("grid4");
    CliRun first = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, first.exitCode(), first.toString());
    Path cell = out.resolve("cells/resnet/clean_seed1.json");
    String freshText = Files.readString(cell);
    JsonNode fresh = JSON.readTree(freshText);
    JsonNode report = JSON.readTree(out.resolve("runs/resnet/clean_seed1/report.json").toFile());
    assertEquals(report.path("history").path("epochs"), fresh.path(ExperimentCommand.HISTORY_KEY));
    assertEquals(2, fresh.path(ExperimentCommand.HISTORY_KEY).size());

    // A cell as versions before this one wrote it: no history.
    com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode) fresh.deepCopy();
    old.remove(ExperimentCommand.HISTORY_KEY);
    Files.writeString(cell, JSON.writeValueAsString(old));
    CliRun add = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--add-history");
    assertEquals(0, add.exitCode(), add.toString());
    assertTrue(add.err().contains("history of 2 epochs added"), add.err());
    com.fasterxml.jackson.databind.node.ObjectNode added =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(cell.toFile());
    assertTrue(added.has("history_added"), added.toString());
    added.remove("history_added");
    assertEquals(fresh, added, "the backfilled cell differs from a freshly written one");
    assertEquals(listOf(fresh.fieldNames()), listOf(added.fieldNames()), "key order");
    CliRun again = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--add-history");
    assertEquals(0, again.exitCode(), again.toString());
    assertFalse(again.err().contains("added"), "a cell with a history was touched: " + again.err());

    // A cell the run folder's report does not match (here: another confusion matrix) is left alone.
    com.fasterxml.jackson.databind.node.ObjectNode foreign = (com.fasterxml.jackson.databind.node.ObjectNode) old.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) foreign.path("confusion").get(0)).set(0, 999);
    Files.writeString(cell, JSON.writeValueAsString(foreign));
    String before = Files.readString(cell);
    CliRun refused = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--add-history");
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("not the run that made this cell"), refused.err());
    assertEquals(before, Files.readString(cell));

    // A history the summary cannot read is reported with the cell's file, not drawn as NaN.
    com.fasterxml.jackson.databind.node.ObjectNode broken = (com.fasterxml.jackson.databind.node.ObjectNode) fresh.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path(ExperimentCommand.HISTORY_KEY).get(0))
        .put("train_loss", "low");
    Files.writeString(cell, JSON.writeValueAsString(broken));
    CliRun summary = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--summary-only");
    assertTrue(summary.exitCode() != 0, summary.toString());
    assertTrue(summary.err().contains(cell.toString()) && summary.err().contains("train_loss"), summary.err());
  }

  /** A grid config "tiny" of {@code models} × one noise entry × seed 1, training {@link #TINY} for {@code epochs}. */
  private Path writeGrid(String file, List<String> models, java.util.Map<String, Object> noise, int epochs)
      throws java.io.IOException {
    List<String> training = new ArrayList<>(TINY);
    training.addAll(List.of("--epochs", Integer.toString(epochs)));
    Path config = dir.resolve(file);
    Files.writeString(config, JSON.writeValueAsString(java.util.Map.of(
        "name", "tiny",
        "models", models.stream().map(name -> java.util.Map.of("name", name)).toList(),
        "noise", List.of(noise),
        "seeds", List.of(1),
        "training", training)));
    return config;
  }

    private static <T> List<T> listOf(java.util.Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
