package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drsn dataset clean}: bad input refused before anything is trained or written, and the files of a run. */
class CleanCommandTest {

  @TempDir Path dir;

  @Test
  void optionsOutOfRangeAreUsageErrorsNamingTheValue() {
    Path out = dir.resolve("out");
    CliRun oneFold = CliRun.run("dataset", "clean", "--folds", "1", "--out", out.toString());
    assertEquals(2, oneFold.exitCode(), oneFold.toString());
    assertTrue(oneFold.err().contains("folds must be at least 2"), oneFold.err());

    CliRun threshold = CliRun.run("dataset", "clean", "--threshold", "1.5", "--out", out.toString());
    assertEquals(2, threshold.exitCode(), threshold.toString());
    assertTrue(threshold.err().contains("threshold on p(given label) must be in (0, 1), got 1.5"), threshold.err());

    CliRun zero = CliRun.run("dataset", "clean", "--threshold", "0", "--out", out.toString());
    assertEquals(2, zero.exitCode(), zero.toString());

    CliRun flip = CliRun.run("dataset", "clean", "--flip-labels", "1", "--out", out.toString());
    assertEquals(2, flip.exitCode(), flip.toString());
    assertTrue(flip.err().contains("--flip-labels must be a fraction in [0, 1), got 1.0"), flip.err());

    CliRun noModels = CliRun.run("dataset", "clean", "--models", "0", "--out", out.toString());
    assertEquals(2, noModels.exitCode(), noModels.toString());

    CliRun noOut = CliRun.run("dataset", "clean");
    assertEquals(2, noOut.exitCode(), noOut.toString());
    assertTrue(noOut.err().contains("--out"), noOut.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void missingDataIsAFailureNamingTheFolder() {
    Path nodir = dir.resolve("no-cwru");
    Path out = dir.resolve("out");
    CliRun noData = CliRun.run("dataset", "clean", "--data", "cwru", "--data-dir", nodir.toString(), "--out",
        out.toString());
    assertEquals(1, noData.exitCode(), noData.toString());
    assertTrue(noData.err().contains(nodir.toString()), noData.err());
    assertFalse(Files.exists(out), "nothing written");

    CliRun noDir = CliRun.run("dataset", "clean", "--data", "cwru", "--out", out.toString());
    assertEquals(2, noDir.exitCode(), noDir.toString());
    assertTrue(noDir.err().contains("--data-dir"), noDir.err());
  }

  @Tag("slow")
  @Test
  void aValidationRunWritesTheFlaggedListAndAReportWithPrecisionAndRecall() throws Exception {
    Path out = dir.resolve("clean");
    CliRun run = CliRun.run("dataset", "clean", "--window", "256", "--train-stride", "256", "--channels", "2,4,4",
        "--units", "1", "--epochs", "1", "--batch", "16", "--batches-per-epoch", "3", "--folds", "2", "--models", "1",
        "--flip-labels", "0.1", "--seed", "3", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    int n = report.path("training_windows").asInt();
    assertTrue(n > 100, "training windows: " + n);
    JsonNode v = report.path("validation");
    assertEquals(Math.round(0.1 * n), v.path("flipped").asInt(), "round(f·n) labels flipped");
    int flagged = report.path("flagged").asInt();
    assertEquals(flagged, v.path("flagged").asInt());
    int found = v.path("flipped_and_flagged").asInt();
    if (flagged > 0) {
      assertEquals((double) found / flagged, v.path("precision").asDouble(), 1e-12);
    }
    assertEquals((double) found / v.path("flipped").asInt(), v.path("recall").asDouble(), 1e-12);
    assertEquals(2, report.path("fold_runs").size());
    assertEquals(3, report.path("seed").asInt());

    List<String> csv = Files.readAllLines(out.resolve("flagged.csv"));
    assertEquals("recording,start,given_label,ensemble_label,p_given,p_top,fold,true_label", csv.get(0));
    assertEquals(flagged + 1, csv.size(), "one line per flagged window");
    double previous = -1;
    for (String line : csv.subList(1, csv.size())) {
      double pGiven = Double.parseDouble(line.split(",")[4]);
      assertTrue(pGiven <= 0.2 && pGiven >= previous, "sorted by p(given), below the threshold (4 decimals): " + line);
      previous = pGiven;
    }
    assertTrue(Files.readString(out.resolve("report.md")).contains("| **0.20** |"));
  }
}
