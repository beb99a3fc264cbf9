package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or careless input to {@code adapt}, {@code calibrate}, {@code ensemble}, {@code explain}, {@code lr-find},
 * {@code evaluate} and {@code bench}: refused up front, naming the option, without losing a file (each case was found by
 * an adversarial review and failed before its fix).
 */
class CommandInputChecksTest {

  private static final List<String> CWRU_CLASSES =
      List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  @TempDir Path dir;

  /** A random-weight bundle of the paper's network at 12 kHz (no run settings recorded). */
  private Path randomBundle() throws Exception {
    Path model = dir.resolve("m.drsn");
    RandomBundles.write(model, RandomBundles.paperLayout(Architecture.DRSN_CW), CWRU_CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 3);
    return model;
  }

  /** {@code samples} of a tone at {@code hz} in noise, at 12 kHz, as a one-column CSV. */
  private static Path toneCsv(Path file, double hz, int samples, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < samples; i++) {
      csv.append(Math.sin(2 * Math.PI * hz * i / 12_000.0) + 0.3 * random.nextGaussian()).append('\n');
    }
    Files.createDirectories(file.getParent());
    return Files.writeString(file, csv);
  }

  /**
   * A small model trained through {@code drsn train} on a three-class manifest (256-sample windows, no noise), so that
   * its bundle records its run settings as every trained model does.
   */
  private Path trainedManifestModel() throws Exception {
    Path data = dir.resolve("data");
    String[] labels = {"a", "b", "c"};
    StringBuilder recordings = new StringBuilder();
    for (int k = 0; k < 3; k++) {
      toneCsv(data.resolve(labels[k] + ".csv"), 300.0 * (k + 1), 6000, k);
      recordings.append(k == 0 ? "" : ", ").append("{\"file\": \"").append(labels[k]).append(".csv\", \"label\": \"")
          .append(labels[k]).append("\"}");
    }
    Path manifest = Files.writeString(data.resolve("m.json"), "{\"samplingRate\": 12000, \"recordings\": ["
        + recordings + "]}");
    Path run = dir.resolve("run");
    CliRun train = CliRun.run("train", "--manifest", manifest.toString(), "--noise", "none", "--window", "256",
        "--epochs", "1", "--batch", "8", "--batches-per-epoch", "1", "--out", run.toString());
    assertEquals(0, train.exitCode(), train.toString());
    return run.resolve("model.drsn");
  }

  @Test
  void explainReportsOfTwoRecordingsWithTheSameNameDoNotOverwriteEachOther() throws Exception {
    Path model = randomBundle();
    Path first = toneCsv(dir.resolve("d1").resolve("x.csv"), 107, 36_000, 1);
    Path second = toneCsv(dir.resolve("d2").resolve("x.csv"), 162, 36_000, 2);
    Path report = dir.resolve("report");
    CliRun run = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797", "--bearing",
        "skf-6205", "--report", report.toString(), first.toString(), second.toString());
    // Either refused before anything is written, or one report per recording; never one report for two recordings.
    if (run.exitCode() == 0) {
      try (var files = Files.list(report)) {
        long markdown = files.filter(f -> f.toString().endsWith(".md")).count();
        assertEquals(2, markdown, "one Markdown report per recording; " + run);
      }
    } else {
      assertTrue(error(run.err()).contains("x.csv"), run.toString());
    }
  }

  @Test
  void adaptRefusesToWriteTheAdaptedModelOverOneOfItsUnlabeledRecordings() throws Exception {
    Path model = randomBundle();
    Path recording = toneCsv(dir.resolve("target.csv"), 162, 8 * 2048, 4);
    String before = FileDigests.sha256(recording);
    CliRun run = CliRun.run("adapt", "--model", model.toString(), "--rate", "12000", "--unlabeled",
        recording.toString(), "--out", recording.toString(), "--force");
    assertEquals(before, FileDigests.sha256(recording), "the recording is intact; " + run);
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(error(run.err()).contains("--out"), run.err());
  }

  @Test
  void lrFindWithOutNamingAFileIsRefusedClearly() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
    CliRun run = CliRun.run("lr-find", "--iterations", "2", "--batch", "4", "--out", file.toString());
    assertTrue(run.exitCode() == 1 || run.exitCode() == 2, run.toString());
    assertFalse(run.err().contains("Exception"), "a user error, in words: " + run.err());
    assertTrue(error(run.err()).contains(file.toString()) && error(run.err()).contains("folder"), run.err());
    assertEquals("keep me\n", Files.readString(file));
  }

  @Test
  void explainWithReportNamingAFileIsRefusedClearly() throws Exception {
    Path model = randomBundle();
    Path recording = toneCsv(dir.resolve("x.csv"), 107, 36_000, 1);
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
    CliRun run = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797", "--bearing",
        "skf-6205", "--report", file.toString(), recording.toString());
    assertTrue(run.exitCode() == 1 || run.exitCode() == 2, run.toString());
    assertFalse(run.err().contains("Exception"), "a user error, in words: " + run.err());
    assertTrue(error(run.err()).contains(file.toString()) && error(run.err()).contains("folder"), run.err());
    assertEquals("keep me\n", Files.readString(file));
  }

  /**
   * A model trained on a manifest of CSV files records their column's name, and predict says which channel it takes:
   * the one of that name, the only one under another name (said so), and none of two others (refused).
   */
  @Test
  void aTrainedModelRecordsItsChannelsNameAndPredictChoosesByIt() throws Exception {
    Path model = trainedManifestModel();
    assertEquals(List.of("accel"), io.github.drsn.contract.Bundle.read(model).input().channelNames());
    CliRun card = CliRun.run("card", "--model", model.toString());
    assertTrue(card.out().replaceAll("\\s", "").contains("\"channel_names\":[\"accel\"]"), card.out());
    Path same = toneCsv(dir.resolve("same.csv"), 300, 2048, 5);
    CliRun byName = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", same.toString());
    assertEquals(0, byName.exitCode(), byName.toString());
    assertTrue(byName.out().contains("  channels by name: accel"), byName.out());
    Path renamed = Files.writeString(dir.resolve("vib.csv"), Files.readString(same).replaceFirst("accel", "vib"));
    CliRun only = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", renamed.toString());
    assertEquals(0, only.exitCode(), only.toString());
    assertTrue(only.out().contains("the file's only channel vib, though the model was trained on accel"), only.out());
    StringBuilder two = new StringBuilder("vib,temp\n");
    for (String line : Files.readAllLines(same).subList(1, 2049)) {
      two.append(line).append(',').append(line.length() % 3).append('\n');
    }
    Path other = Files.writeString(dir.resolve("other.csv"), two);
    CliRun refused = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", other.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(error(refused.err()).contains(other + ": the file has channels [vib, temp] but the model expects"
        + " [accel]"), refused.err());
    CliRun chosen = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--channel", "vib",
        other.toString());
    assertEquals(0, chosen.exitCode(), chosen.toString());
    assertTrue(chosen.out().contains("channels as --channel gives them (the model was trained on accel)"),
        chosen.out());
  }

  @Test
  void evaluateRefusesPreprocessingOptionsItCannotApply() throws Exception {
    Path model = trainedManifestModel();
    CliRun normalization = CliRun.run("evaluate", "--model", model.toString(), "--normalization", "NONE");
    assertEquals(2, normalization.exitCode(), normalization.toString());
    assertTrue(error(normalization.err()).contains("--normalization"), normalization.err());
    CliRun representation = CliRun.run("evaluate", "--model", model.toString(), "--input", "FFT_AMPLITUDE");
    assertEquals(2, representation.exitCode(), representation.toString());
    assertTrue(error(representation.err()).contains("--input"), representation.err());
  }

  @Test
  void evaluateRefusesAnSnrSweepWithoutNoise() throws Exception {
    Path model = trainedManifestModel();
    CliRun run = CliRun.run("evaluate", "--model", model.toString(), "--noise", "none", "--snrs", "-10,0", "--json");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(error(run.err()).contains("--snrs") && error(run.err()).contains("--noise"), run.err());
  }

  @Test
  void evaluateWithTheModelsOwnWindowStillUsesTheDataTheModelWasTrainedOn() throws Exception {
    Path model = trainedManifestModel();
    CliRun plain = CliRun.run("evaluate", "--model", model.toString(), "--json");
    assertEquals(0, plain.exitCode(), plain.toString());
    CliRun window = CliRun.run("evaluate", "--model", model.toString(), "--window", "256", "--json");
    assertEquals(0, window.exitCode(), window.toString());
    assertEquals(plain.out(), window.out());
  }

  @Test
  void calibrateRefusesToWriteOverARecordingOfItsOwnData() throws Exception {
    Path model = trainedManifestModel();
    Path recording = dir.resolve("data").resolve("a.csv");
    String before = FileDigests.sha256(recording);
    CliRun run = CliRun.run("calibrate", "--model", model.toString(), "--out", recording.toString());
    assertEquals(before, FileDigests.sha256(recording), "the training recording is intact; " + run);
    assertTrue(run.exitCode() == 1 || run.exitCode() == 2, run.toString());
    assertTrue(error(run.err()).contains(recording.toString()), run.err());
  }

  @Test
  void calibrateSaysWhatItsWindowCountCounts() throws Exception {
    Path model = trainedManifestModel();
    CliRun run = CliRun.run("calibrate", "--model", model.toString(), "--out", dir.resolve("c.drsn").toString());
    assertEquals(0, run.exitCode(), run.toString());
    String first = run.out().lines().findFirst().orElse("");
    assertFalse(first.matches("calibrated on \\d+ feature statistics.*"), first);
  }

  @Test
  void benchRefusesLeanThreadsBelowOneUpFrontNamingTheOption() {
    long start = System.nanoTime();
    CliRun run = CliRun.run("bench", "--lean-threads", "0", "--batches", "1", "--json");
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(error(run.err()).contains("--lean-threads"), run.err());
    assertTrue(seconds < 5, "refused before benchmarking, took " + seconds + " s");
  }

  @Test
  void lrFindRefusesTrainingOptionsItsSweepIgnores() throws Exception {
    trainedManifestModel(); // writes the manifest data/m.json and its recordings
    Path manifest = dir.resolve("data").resolve("m.json");
    CliRun schedule = CliRun.run("lr-find", "--manifest", manifest.toString(), "--noise", "none", "--window", "256",
        "--batch", "4", "--iterations", "2", "--schedule", "step:0.5@0", "--out", dir.resolve("lr1").toString());
    assertEquals(2, schedule.exitCode(), schedule.toString());
    assertTrue(error(schedule.err()).contains("--schedule"), schedule.err());
    CliRun snapshots = CliRun.run("lr-find", "--manifest", manifest.toString(), "--noise", "none", "--window", "256",
        "--batch", "4", "--iterations", "2", "--snapshots", "4", "--out", dir.resolve("lr2").toString());
    assertEquals(2, snapshots.exitCode(), snapshots.toString());
    assertTrue(error(snapshots.err()).contains("--snapshots"), snapshots.err());
  }

  @Test
  void benchRefusesAThreadCountFarAboveTheProcessors() {
    CliRun run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(90),
        () -> CliRun.run("bench", "--threads", "5000", "--batches", "1", "--json"));
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(error(run.err()).contains("--threads"), run.err());
  }

  @Test
  void adaptWithATargetSplitRefusesTheOptionsOfUnlabeledFiles() throws Exception {
    Path model = trainedManifestModel();
    for (String[] option : new String[][] {{"--hop", "7"}, {"--rate", "5000"}, {"--channel", "foo"}}) {
      CliRun run = CliRun.run("adapt", "--model", model.toString(), "--target-split", "TEST", "--force", option[0],
          option[1], "--out", dir.resolve("adapted" + option[0] + ".drsn").toString());
      assertEquals(2, run.exitCode(), String.join(" ", option) + ": " + run);
      assertTrue(error(run.err()).contains(option[0]), run.err());
    }
  }

  @Test
  void adaptRefusesPseudoLabelOptionsWithoutPseudoLabels() throws Exception {
    Path model = trainedManifestModel();
    CliRun run = CliRun.run("adapt", "--model", model.toString(), "--target-split", "TEST", "--force", "--threshold",
        "0.99", "--epochs", "50", "--out", dir.resolve("adapted.drsn").toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(error(run.err()).contains("--pseudo-labels"), run.err());
  }

  @Test
  void explainRefusesARateOfZeroAsARate() throws Exception {
    Path model = randomBundle();
    Path recording = toneCsv(dir.resolve("x.csv"), 107, 36_000, 1);
    CliRun rate = CliRun.run("explain", "--model", model.toString(), "--rate", "0", "--rpm", "1800", "--bearing",
        "skf-6205", recording.toString());
    assertTrue(rate.exitCode() == 1 || rate.exitCode() == 2, rate.toString());
    assertTrue(error(rate.err()).contains("--rate") || error(rate.err()).contains("sampling rate must be"), rate.err());
  }

  @Test
  void evaluateAndCalibrateSayWhenARecordingOfTheTrainingDataHasChanged() throws Exception {
    Path model = trainedManifestModel();
    CliRun unchanged = CliRun.run("evaluate", "--model", model.toString(), "--json");
    assertEquals(0, unchanged.exitCode(), unchanged.toString());
    assertFalse(unchanged.err().contains("warning"), unchanged.err());
    Path recording = dir.resolve("data").resolve("b.csv");
    toneCsv(recording, 450, 6000, 9); // another tone: the same name, other samples
    CliRun evaluated = CliRun.run("evaluate", "--model", model.toString(), "--json");
    assertEquals(0, evaluated.exitCode(), evaluated.toString());
    assertTrue(evaluated.err().contains("drsn evaluate: warning: " + recording + " differs from the recording the model"
        + " was trained on"), evaluated.err());
    CliRun calibrated = CliRun.run("calibrate", "--model", model.toString(), "--out",
        dir.resolve("c.drsn").toString());
    assertEquals(0, calibrated.exitCode(), calibrated.toString());
    assertTrue(calibrated.err().contains("drsn calibrate: warning: " + recording + " differs"), calibrated.err());
  }

  @Test
  void explainRefusesABandEdgeThatIsNotANumber() throws Exception {
    Path model = randomBundle();
    Path recording = toneCsv(dir.resolve("x.csv"), 107, 36_000, 1);
    CliRun run = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1800", "--bearing",
        "skf-6205", "--band", "NaN,100", recording.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(error(run.err()).contains("--band takes LOW,HIGH in Hz, got 'NaN,100'"), run.err());
  }

  /** The error line: picocli prints the usage after it, which names every option and would match anything. */
  private static String error(String err) {
    return err.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
  }
}
