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
  void evaluateWithOnlyTheModelScoresItOnTheDataAndNoiseItWasTrainedWith() throws Exception {
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    CliRun result = CliRun.run("evaluate", "--model", run.resolve("model.drsn").toString(), "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    assertEquals(report.path("metrics").path("test").path("accuracy").asDouble(), json.path("accuracy").asDouble(), 0.0,
        "the recorded data, split, stride and noise, not evaluate's own defaults");
    assertTrue(result.err().contains("as the model was trained"), result.err());
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
    String outcome = file.path("outcome").asText();
    assertEquals(outcome.equals("classified") ? argMax : outcome.equals("unknown") ? "unknown" : "uncertain",
        file.path("diagnosis").asText());
    // Issue #16: the calibration the bundle carries, and per file and per window the OOD score and unknown count.
    JsonNode calibration = JSON.readTree(result.out()).path("calibration");
    assertTrue(calibration.path("calibrated").asBoolean(), result.out());
    assertTrue(calibration.path("temperature").asDouble() > 0, result.out());
    assertEquals("MAHALANOBIS", calibration.path("ood_method").asText());
    assertTrue(file.path("ood_score").isNumber(), file.toString());
    assertTrue(file.path("unknown_windows").isInt(), file.toString());
    for (JsonNode w : file.path("windows")) {
      assertTrue(w.path("ood_score").isNumber(), w.toString());
      assertTrue(w.path("confidence").isNumber(), w.toString());
      assertTrue(w.path("health").isArray(), w.toString());
      assertTrue(w.has("class"), w.toString());
      boolean beyond = w.path("ood_score").asDouble() > calibration.path("ood_threshold").asDouble();
      assertEquals(beyond, w.path("outcome").asText().equals("unknown"), w.toString());
      assertEquals(beyond ? "unknown" : w.path("outcome").asText().equals("uncertain") ? "uncertain"
          : w.path("class").asText(), w.path("diagnosis").asText(), w.toString());
    }

    CliRun text2 = CliRun.run("predict", "--model", run.resolve("model.drsn").toString(), "--rate", "12800",
        csv.toString());
    assertTrue(text2.out().contains(file.path("diagnosis").asText()), text2.out());
  }

  @Test
  void calibrateOnReferenceRecordingsSetsTheThresholdsThatPredictThenApplies() throws Exception {
    // A recording of "the user's machine": one synthetic health state at 0 dB, 60 windows of 256 samples.
    double[] samples = SyntheticDrivetrain.dataset(42).recordings().get(0).channel(0);
    Path csv = dir.resolve("reference.csv");
    StringBuilder text = new StringBuilder("accel\n");
    for (int i = 0; i < 256 * 60; i++) {
      text.append(samples[i]).append('\n');
    }
    Files.writeString(csv, text);
    Path model = run.resolve("model.drsn");
    Path out = dir.resolve("reference.drsn");
    CliRun result = CliRun.run("calibrate", "--model", model.toString(), "--out", out.toString(), "--rate", "12800",
        "--reference", csv.toString());
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.out().contains("thresholds chosen on 60 windows (hop 256) of 1 reference recording(s)"),
        result.out());
    assertTrue(result.out().contains("the model calls these windows: "), result.out());
    io.github.drsn.contract.Bundle before = io.github.drsn.contract.Bundle.read(model);
    io.github.drsn.contract.Bundle after = io.github.drsn.contract.Bundle.read(out);
    assertEquals(before.calibration().temperature(), after.calibration().temperature(), 0.0);
    assertEquals(before.calibration().mahalanobis(), after.calibration().mahalanobis());
    assertEquals(before.calibration().windows(), after.calibration().windows());
    assertTrue(after.calibration().data().startsWith("thresholds on 60 windows"), after.calibration().data());
    JsonNode reference = JSON.valueToTree(after.metrics()).path("calibration").path("reference");
    double flagged = reference.path("flagged_by_new_thresholds").path("MAHALANOBIS").asDouble();
    assertEquals(3 / 60.0, flagged, 1e-12, "floor(0.05 * 60) = 3 windows score above the threshold");

    // The runtime flags exactly those windows of the same recording: one path from file to score.
    CliRun predicted = CliRun.run("predict", "--model", out.toString(), "--rate", "12800", csv.toString(), "--json");
    assertEquals(0, predicted.exitCode(), predicted.toString());
    int unknown = 0;
    JsonNode windows = JSON.readTree(predicted.out()).path("files").get(0).path("windows");
    for (JsonNode w : windows) {
      unknown += w.path("outcome").asText().equals("unknown") ? 1 : 0;
    }
    assertEquals(60, windows.size());
    assertEquals(3, unknown, predicted.out());

    Path shortCsv = dir.resolve("short-reference.csv");
    Files.writeString(shortCsv, text.substring(0, text.indexOf("\n", 0) + 1) + String.join("\n",
        Arrays.stream(samples, 0, 256 * 5).mapToObj(Double::toString).toList()) + "\n");
    Path notWritten = dir.resolve("not-written.drsn");
    CliRun tooFew = CliRun.run("calibrate", "--model", model.toString(), "--out", notWritten.toString(), "--rate",
        "12800", "--reference", shortCsv.toString());
    assertTrue(tooFew.exitCode() != 0, tooFew.toString());
    assertTrue(tooFew.err().contains("gave 5 healthy window(s) of 256 samples; a threshold that flags 5.0 % of them"
        + " needs at least 20"), tooFew.err());
    assertTrue(Files.notExists(notWritten));
    CliRun stray = CliRun.run("calibrate", "--model", model.toString(), "--out", notWritten.toString(), "--rate",
        "12800");
    assertEquals(2, stray.exitCode(), stray.toString());
    assertTrue(stray.err().contains("describe --reference recordings"), stray.err());
  }

  @Test
  void trainingCalibratesTheModelAndCalibrateRefitsItOnTheSameValidationWindows() throws Exception {
    io.github.drsn.contract.Bundle trained = io.github.drsn.contract.Bundle.read(run.resolve("model.drsn"));
    io.github.drsn.contract.Calibration c = trained.calibration();
    assertTrue(c != null && c.temperature() > 0, "a newly trained model is calibrated");
    assertTrue(c.nllAfter() < c.nllBefore(), "temperature scaling lowers validation NLL: " + c.nllBefore() + " -> "
        + c.nllAfter());
    // Max-softmax, energy, Mahalanobis, its layer ensemble, its relative form and the nearest-neighbour distance (one
    // network: no disagreement).
    assertEquals(6, c.thresholds().size());
    assertEquals(50, c.neighbours().k());
    assertEquals(1, c.background().classCount());
    assertEquals(trained.layout().unitCount() + 1, c.layers().count());
    assertTrue(c.data().startsWith("feature statistics on the ") && c.data().contains(" training windows, temperature"
        + " and thresholds on the validation windows of synthetic"), c.data());
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    assertEquals(c.temperature(), report.path("outcome").path("calibration").path("temperature").asDouble(), 0.0,
        report.path("outcome").toString());

    Path out = dir.resolve("recalibrated.drsn");
    CliRun result = CliRun.run("calibrate", "--model", run.resolve("model.drsn").toString(), "--out", out.toString(),
        "--false-alarm", "0.1", "--ood-method", "ENERGY");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.out().contains("ECE"), result.out());
    io.github.drsn.contract.Calibration again = io.github.drsn.contract.Bundle.read(out).calibration();
    assertEquals(c.temperature(), again.temperature(), 0.0, "the same windows and the same fit as training's");
    assertEquals(c.nllAfter(), again.nllAfter(), 0.0);
    assertEquals(io.github.drsn.contract.OodMethod.ENERGY, again.method());
    assertEquals(0.1, again.falseAlarmRate());

    Path layered = dir.resolve("layers.drsn");
    CliRun layers = CliRun.run("calibrate", "--model", run.resolve("model.drsn").toString(), "--out",
        layered.toString(), "--ood-method", "MAHALANOBIS_LAYERS");
    assertEquals(0, layers.exitCode(), layers.toString());
    io.github.drsn.contract.Calibration withLayers = io.github.drsn.contract.Bundle.read(layered).calibration();
    assertEquals(io.github.drsn.contract.OodMethod.MAHALANOBIS_LAYERS, withLayers.method());
    assertEquals(c.withMethod(io.github.drsn.contract.OodMethod.MAHALANOBIS_LAYERS), withLayers,
        "the same windows, the same statistics and thresholds as training's");
    Path relative = dir.resolve("relative.drsn");
    CliRun rmd = CliRun.run("calibrate", "--model", run.resolve("model.drsn").toString(), "--out",
        relative.toString(), "--ood-method", "RELATIVE_MAHALANOBIS");
    assertEquals(0, rmd.exitCode(), rmd.toString());
    assertEquals(c.withMethod(io.github.drsn.contract.OodMethod.RELATIVE_MAHALANOBIS),
        io.github.drsn.contract.Bundle.read(relative).calibration(), "the same statistics and thresholds as training's");
    Path knn = dir.resolve("knn.drsn");
    CliRun nearest = CliRun.run("calibrate", "--model", run.resolve("model.drsn").toString(), "--out", knn.toString(),
        "--ood-method", "KNN");
    assertEquals(0, nearest.exitCode(), nearest.toString());
    assertEquals(c.withMethod(io.github.drsn.contract.OodMethod.KNN), io.github.drsn.contract.Bundle.read(knn)
        .calibration(), "the same normalised training features and thresholds as training's");

    CliRun bad = CliRun.run("calibrate", "--model", run.resolve("model.drsn").toString(), "--false-alarm", "5");
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("--false-alarm 5.0: expected a fraction in (0, 1)"), bad.err());
  }

  @Test
  void evaluateReportsCalibrationErrorFamilyAccuracyAndTheUnknownFraction() throws Exception {
    CliRun result = CliRun.run("evaluate", "--model", run.resolve("model.drsn").toString(), "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    for (String key : List.of("ece_before", "ece_after", "nll_before", "nll_after", "family_accuracy",
        "unknown_fraction", "answered_accuracy", "temperature", "ood_threshold")) {
      assertTrue(json.path(key).isNumber(), key + " in " + result.out());
    }
    assertTrue(json.path("family_accuracy").asDouble() >= json.path("accuracy").asDouble());
    CliRun text = CliRun.run("evaluate", "--model", run.resolve("model.drsn").toString());
    assertTrue(text.out().contains("ECE") && text.out().contains("unknown"), text.out());
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
  void trainRecordsItsRecipesAndRefusesOutOfRangeOnesNamingTheFlag() throws Exception {
    Path recipeRun = dir.resolve("recipes");
    CliRun result = CliRun.run(args(TINY, "train", "--epochs", "1", "--snr", "0", "--label-smoothing", "0.1",
        "--focal-gamma", "2", "--flood", "0.05", "--dropout", "0.2", "--ema", "0.9", "--out", recipeRun.toString()));
    assertEquals(0, result.exitCode(), result.toString());
    String recipe = "label_smoothing=0.1,focal_gamma=2,flood=0.05,dropout=0.2,ema=0.9";
    JsonNode report = JSON.readTree(recipeRun.resolve("report.json").toFile());
    assertEquals(recipe, report.path("configuration").path("recipe").asText(), report.toString());
    assertEquals(0.9, JSON.readTree(recipeRun.resolve("run.json").toFile()).path("training").path("ema").asDouble());
    assertEquals(recipe, io.github.drsn.model.bundle.ModelBundle.read(recipeRun.resolve("model.drsn")).training()
        .path("recipe").asText(), "the bundle's training section names the recipe");
    for (String[] bad : new String[][] {{"--label-smoothing", "1"}, {"--focal-gamma", "-1"}, {"--flood", "-1"},
        {"--dropout", "1"}, {"--ema", "1.5"}, {"--fgm", "-0.1"}}) {
      CliRun refused = CliRun.run(args(TINY, "train", bad[0], bad[1], "--out", dir.resolve("bad").toString()));
      assertEquals(2, refused.exitCode(), refused.toString());
      assertTrue(refused.err().contains(bad[0]), refused.err());
    }
    CliRun help = CliRun.run("train", "--help");
    for (String flag : List.of("--label-smoothing", "--focal-gamma", "--focal-alpha", "--flood", "--dropout", "--ema",
        "--fgm")) {
      assertTrue(help.out().contains(flag), flag + " not in train --help");
    }
  }

  @Test
  void lrFindWritesItsCurveAndSuggestsRatesWithinTheSweep() throws Exception {
    Path lr = dir.resolve("lr");
    CliRun result = CliRun.run("lr-find", "--window", "256", "--train-stride", "256", "--channels", "4,8", "--units",
        "1", "--batch", "32", "--snr", "0", "--iterations", "40", "--min-lr", "1e-4", "--max-lr", "1000", "--out",
        lr.toString());
    assertEquals(0, result.exitCode(), result.toString());
    for (String file : List.of("lr_find.csv", "lr_find.json", "lr_find.png")) {
      assertTrue(Files.isRegularFile(lr.resolve(file)), file + " missing\n" + result);
    }
    JsonNode json = JSON.readTree(lr.resolve("lr_find.json").toFile());
    double steepest = json.path("suggestion").path("steepest_lr").asDouble();
    assertTrue(steepest >= 1e-4 && steepest <= 1000, json.path("suggestion").toString());
    assertEquals(json.path("iterations_run").asInt() + 1, Files.readAllLines(lr.resolve("lr_find.csv")).size());
    assertTrue(result.out().contains("suggested cycle: --schedule 'triangular:"), result.out());
    // The JSON says how far the loss fell, and the warning is printed exactly when that is under 5 %.
    double descent = json.path("suggestion").path("descent").asDouble();
    assertEquals(descent >= 0.05, json.path("suggestion").path("clear_descent").asBoolean(), json.toString());
    assertEquals(descent < 0.05, result.out().contains("warning: the smoothed loss fell only"), result.out());
    CliRun bad = CliRun.run("lr-find", "--min-lr", "1", "--max-lr", "0.1");
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("--min-lr"), bad.err());
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
  void experimentRunsTheSelectedCellsOfAGrid() throws Exception {
    Path config = writeGrid("grid.json", List.of("drsn-cw", "resnet"),
        java.util.Map.of("type", "gaussian", "snr_db", List.of(0)), 1);
    Path out = dir.resolve("grid");
    CliRun unknown = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(),
        "--models", "drsn-xx");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("'drsn-xx' is not a model of"), unknown.err());
    CliRun pending = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--dry-run");
    assertEquals(0, pending.exitCode(), pending.toString());
    assertTrue(pending.err().contains("pending  drsn-cw/gaussian_0dB_seed1"), pending.err());
    CliRun onlyCw = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(),
        "--models", "drsn-cw");
    assertEquals(0, onlyCw.exitCode(), onlyCw.toString());
    assertTrue(onlyCw.err().contains("1 of 1 cells done"), onlyCw.err());
    assertTrue(Files.isRegularFile(out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json")));
    assertFalse(Files.exists(out.resolve("cells/resnet")), "--models drsn-cw ran a resnet cell");
    CliRun summary = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(),
        "--summary-only");
    assertEquals(0, summary.exitCode(), summary.toString());
    assertTrue(summary.err().contains("1 of 2 cells done"), summary.err());
  }

  @Test
  void anEnsembleCellWhoseMembersAreNotDoneIsBlockedNamingThem() throws Exception {
    Path config = dir.resolve("ensemble-grid.json");
    Files.writeString(config, JSON.writeValueAsString(java.util.Map.of(
        "name", "tiny",
        "models", List.of(java.util.Map.of("name", "drsn-cw"), java.util.Map.of("name", "drsn-cw-ensemble",
            "ensemble", java.util.Map.of("of", "drsn-cw", "seeds", List.of(1, 2)))),
        "noise", List.of(java.util.Map.of("type", "gaussian", "snr_db", List.of(0))),
        "seeds", List.of(1, 2))));
    Path out = dir.resolve("ensemble-grid");
    String waits = "member cell "
        + out.resolve("cells/drsn-cw/gaussian_0dB_seed1.json") + " does not exist; member cell "
        + out.resolve("cells/drsn-cw/gaussian_0dB_seed2.json") + " does not exist (run model drsn-cw first";
    CliRun dry = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--dry-run");
    assertEquals(0, dry.exitCode(), dry.toString());
    assertTrue(dry.err().contains(
        "pending  drsn-cw/gaussian_0dB_seed2\nblocked  drsn-cw-ensemble/gaussian_0dB_seeds1-2: " + waits), dry.err());
    CliRun alone = CliRun.run("experiment", "--config", config.toString(), "--out", out.toString(), "--models",
        "drsn-cw-ensemble");
    assertEquals(0, alone.exitCode(), alone.toString());
    assertTrue(alone.err().contains("cell drsn-cw-ensemble/gaussian_0dB_seeds1-2 blocked: " + waits), alone.err());
    assertTrue(alone.err().contains("0 of 1 cells done"), alone.err());
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

  /**
   * A grid config "tiny" of {@code models} × one noise entry × seed 1: a small network on 256-sample windows
   * (as {@link #TINY}) trained for {@code epochs}.
   */
  private Path writeGrid(String file, List<String> models, java.util.Map<String, Object> noise, int epochs)
      throws java.io.IOException {
    Path config = dir.resolve(file);
    Files.writeString(config, JSON.writeValueAsString(java.util.Map.of(
        "name", "tiny",
        "data", java.util.Map.of("window", 256, "train_stride", 256),
        "model", java.util.Map.of("channels", List.of(4, 8), "units", 1, "schedule", "step:0.05@0"),
        "models", models.stream().map(name -> java.util.Map.of("name", name)).toList(),
        "noise", List.of(noise),
        "seeds", List.of(1),
        "training", java.util.Map.of("batch", 32, "batches_per_epoch", 4, "epochs", epochs))));
    return config;
  }
}
