package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset export} into a folder that already holds an export: the folder ends up holding exactly the new one. */
class DatasetExportTest {

  @TempDir Path dir;

  /** Two classes, a tone each, 4,000 samples: a 70/10/20 time split gives every split windows of 256. */
  private Path manifest() throws Exception {
    for (int k = 1; k <= 2; k++) {
      StringBuilder csv = new StringBuilder("acc\n");
      for (int i = 0; i < 4000; i++) {
        csv.append(Math.sin(2 * Math.PI * 100 * k * i / 1000.0)).append('\n');
      }
      Files.writeString(dir.resolve("r" + k + ".csv"), csv);
    }
    return Files.writeString(dir.resolve("m.json"), "{\"samplingRate\": 1000, \"recordings\": ["
        + "{\"file\": \"r1.csv\", \"label\": \"a\"}, {\"file\": \"r2.csv\", \"label\": \"b\"}]}");
  }

  private CliRun export(Path out, String... more) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("dataset", "export", "--manifest", manifest().toString(),
        "--window", "256", "--noise", "none", "--out", out.toString()));
    args.addAll(List.of(more));
    return CliRun.run(args.toArray(String[]::new));
  }

  private static long rows(Path windowsCsv, String region) throws Exception {
    return Files.readAllLines(windowsCsv).stream().filter(l -> l.startsWith(region + ",")).count();
  }

  @Test
  void aSplitWithoutValidationWindowsLeavesNoValidationFilesOfAnEarlierExport() throws Exception {
    Path out = dir.resolve("export");
    CliRun first = export(out);
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(Files.isRegularFile(out.resolve("validation_x.npy")), first.toString());

    // No validation fraction now: an earlier validation_x.npy left beside it would hold windows of another split
    // (here, windows that are now training or test windows) while windows.csv lists none.
    CliRun second = export(out, "--fractions", "0.8,0,0.2");
    assertEquals(0, second.exitCode(), second.toString());
    Path index = out.resolve("windows.csv");
    assertEquals(0, rows(index, "validation"));
    assertFalse(Files.exists(out.resolve("validation_x.npy")), "stale validation_x.npy of the first export");
    assertFalse(Files.exists(out.resolve("validation_y.npy")), "stale validation_y.npy of the first export");
    for (String region : List.of("train", "test")) {
      assertEquals(rows(index, region), Npy.read(out.resolve(region + "_x.npy")).shape()[0], region);
    }
  }

  @Test
  void anExportInTheOtherFormatRemovesTheFilesOfTheFirst() throws Exception {
    Path out = dir.resolve("export");
    assertEquals(0, export(out).exitCode());
    CliRun csv = export(out, "--format", "csv");
    assertEquals(0, csv.exitCode(), csv.toString());
    for (String region : List.of("train", "validation", "test")) {
      assertTrue(Files.isRegularFile(out.resolve(region + ".csv")), region);
      assertFalse(Files.exists(out.resolve(region + "_x.npy")), "stale " + region + "_x.npy beside the CSV export");
      assertFalse(Files.exists(out.resolve(region + "_y.npy")), "stale " + region + "_y.npy beside the CSV export");
    }
  }

  @Test
  void anExportKeepsFilesOfTheSameNameThatNoExportWrote() throws Exception {
    // Only the files an earlier export listed as its own are removed; a test.csv that was there before any export is
    // the user's and stays byte for byte (a review found it deleted without a word once the NPY export was written).
    Path manifest = manifest();
    String own = "acc\n0.5\n-0.5\n";
    Path users = Files.writeString(dir.resolve("test.csv"), own);
    CliRun run = CliRun.run("dataset", "export", "--manifest", manifest.toString(), "--window", "256", "--noise",
        "none", "--out", dir.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(Files.isRegularFile(dir.resolve("test_x.npy")), run.toString());
    assertTrue(Files.exists(users), "the user's own test.csv was deleted by the export");
    assertEquals(own, Files.readString(users));
  }
}
