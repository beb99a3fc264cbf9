package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors exit 2 with a helpful message; missing or corrupt files exit 1 naming the file. */
class ErrorsTest {

  @TempDir Path dir;

  @Test
  void usageErrorsExitWithCode2() {
    CliRun unknownModel = CliRun.run("train", "--model", "lenet");
    assertEquals(2, unknownModel.exitCode(), unknownModel.toString());
    assertTrue(unknownModel.err().contains("unknown architecture 'lenet'"), unknownModel.err());

    CliRun cwruWithoutDir = CliRun.run("dataset", "info", "--data", "cwru");
    assertEquals(2, cwruWithoutDir.exitCode(), cwruWithoutDir.toString());
    assertTrue(cwruWithoutDir.err().contains("--data-dir"), cwruWithoutDir.err());

    CliRun noModel = CliRun.run("evaluate");
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().contains("--model"), noModel.err());

    CliRun badNumber = CliRun.run("train", "--epochs", "many");
    assertEquals(2, badNumber.exitCode());
    assertTrue(badNumber.err().contains("--epochs"), badNumber.err());

    CliRun badSchedule = CliRun.run("train", "--schedule", "wobbly:1", "--out", dir.resolve("x").toString());
    assertEquals(2, badSchedule.exitCode(), badSchedule.toString());
    assertTrue(badSchedule.err().contains("wobbly"), badSchedule.err());
  }

  @Test
  void snapshotsWithoutACyclicScheduleOrWithTooFewCyclesAreRefusedBeforeAnythingIsWritten() {
    Path run = dir.resolve("snapshots");
    CliRun steps = CliRun.run("train", "--snapshots", "3", "--epochs", "2", "--batches-per-epoch", "1", "--out",
        run.toString());
    assertEquals(1, steps.exitCode(), steps.toString());
    assertTrue(steps.err().contains("--snapshots keeps the weights at the end of each learning-rate cycle"),
        steps.err());
    // Cycles of 4 iterations in a run of 2 x 3 = 6 iterations: one cycle end only.
    CliRun few = CliRun.run("train", "--snapshots", "3", "--epochs", "2", "--batches-per-epoch", "3", "--schedule",
        "triangular:base=0.001,max=0.1,step=2", "--out", run.toString());
    assertEquals(1, few.exitCode(), few.toString());
    assertTrue(few.err().contains("ends 1 cycle(s) within the run's 6 iterations, and an ensemble needs at least 2"),
        few.err());
    assertTrue(java.nio.file.Files.notExists(run.resolve("run.json")), "nothing is written");
  }

  @Test
  void thePapersFixedScheduleOverAnotherRunLengthIsNamedAsSuch() {
    // --schedule paper over 2 epochs never leaves 0.1; the default puts the paper's steps at epochs 1 and 2.
    Path run = dir.resolve("paper-2");
    CliRun paper = CliRun.run("train", "--schedule", "paper", "--epochs", "1", "--batches-per-epoch", "1",
        "--window", "256", "--train-stride", "256", "--channels", "4", "--units", "1", "--batch", "8",
        "--out", run.toString());
    assertEquals(0, paper.exitCode(), paper.toString());
    assertTrue(paper.err().contains("warning: --schedule paper drops the learning rate at epochs 40 and 80, planned"
        + " for 100 epochs; this run has 1. Leave --schedule out for the paper's steps at 40 % and 80 % of the run"
        + " (epochs 1 and 2)."), paper.err());
    CliRun byDefault = CliRun.run("train", "--epochs", "1", "--batches-per-epoch", "1", "--window", "256",
        "--train-stride", "256", "--channels", "4", "--units", "1", "--batch", "8", "--out",
        dir.resolve("default-2").toString());
    assertEquals(0, byDefault.exitCode(), byDefault.toString());
    assertFalse(byDefault.err().contains("--schedule"), byDefault.err());
  }

  @Test
  void missingAndCorruptFilesExitWithCode1AndNameTheFile() throws Exception {
    Path missing = dir.resolve("missing.drsn");
    CliRun noFile = CliRun.run("evaluate", "--model", missing.toString());
    assertEquals(1, noFile.exitCode(), noFile.toString());
    assertTrue(noFile.err().contains(missing.toString()), noFile.err());

    Path corrupt = dir.resolve("corrupt.drsn");
    Files.write(corrupt, new byte[] {'P', 'K', 3, 4, 0, 0, 9});
    CliRun bad = CliRun.run("predict", "--model", corrupt.toString(), "x.wav");
    assertEquals(1, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains(corrupt.toString()), bad.err());

    Path nodir = dir.resolve("no-cwru");
    CliRun noData = CliRun.run("dataset", "info", "--data", "cwru", "--data-dir", nodir.toString());
    assertEquals(1, noData.exitCode(), noData.toString());
    assertTrue(noData.err().contains(nodir.toString()), noData.err());

    Path manifest = dir.resolve("manifest.csv");
    Files.writeString(manifest, "file,label,samplingRate\nabsent.csv,normal,12000\n");
    CliRun badManifest = CliRun.run("dataset", "info", "--manifest", manifest.toString());
    assertEquals(1, badManifest.exitCode(), badManifest.toString());
    assertTrue(badManifest.err().contains("absent.csv"), badManifest.err());
  }

  @Test
  void resumeWithoutARunIsAClearFailure() {
    Path empty = dir.resolve("empty");
    CliRun result = CliRun.run("train", "--resume", "--out", empty.toString());
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("nothing to resume in " + empty), result.err());
  }
  @Test
  void aClassWhoseRecordingsAreShorterThanAWindowIsRefusedBeforeTraining() throws Exception {
    // a and b: 4,000 samples; c: 200, shorter than one 256-sample window, so c has no window in any split. Trained
    // anyway, the model would have an output for c that no example ever taught, and exit 0.
    int[] lengths = {4000, 4000, 200};
    for (int k = 0; k < 3; k++) {
      StringBuilder csv = new StringBuilder("acc\n");
      for (int i = 0; i < lengths[k]; i++) {
        csv.append(Math.sin(2 * Math.PI * 50 * (k + 1) * i / 1000.0)).append('\n');
      }
      Files.writeString(dir.resolve("r" + k + ".csv"), csv);
    }
    Path manifest = Files.writeString(dir.resolve("short.json"), "{\"samplingRate\": 1000, \"recordings\": ["
        + "{\"file\": \"r0.csv\", \"label\": \"a\"}, {\"file\": \"r1.csv\", \"label\": \"b\"},"
        + " {\"file\": \"r2.csv\", \"label\": \"c\"}]}");
    Path out = dir.resolve("run");
    CliRun run = CliRun.run("train", "--manifest", manifest.toString(), "--noise", "none", "--window", "256",
        "--epochs", "1", "--batch", "8", "--batches-per-epoch", "1", "--out", out.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("class c of short has no training windows"), run.err());
    assertTrue(Files.notExists(out.resolve("run.json")), "nothing is written");
  }
}
