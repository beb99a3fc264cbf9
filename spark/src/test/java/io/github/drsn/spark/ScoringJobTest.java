package io.github.drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.signals.Normalization;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring job on {@code local[2]} with a small random-weight DRSN-CW (512 samples at 12 kHz, calibrated so that
 * every row has an OOD score): the real CWRU folder gives one row per recording with the single-JVM runtime's
 * diagnoses, and a corrupt file is a row with its error in a job that succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringJobTest {

  private static final List<String> CLASSES = List.of("normal", "inner", "outer", "ball");

  Path dir;
  SparkSession spark;
  Path model;

  @BeforeAll
  void start(@TempDir Path shared) throws Exception {
    dir = shared;
    spark = SparkMain.session("local[2]", "ScoringJobTest");
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, CLASSES.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Bundle bundle = RandomBundles.random(layout, CLASSES, new InputSpec(12_000, 512, 1,
        Normalization.Z_SCORE, Representation.TIME), 7);
    model = dir.resolve("model.drsn");
    bundle.withCalibration(RandomBundles.calibration(layout, 8)).write(model);
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private static RecordingScorer settings(boolean perWindow, Double rate) {
    return new RecordingScorer("", "", rate, List.of(), 0, 0.6, 0.5, perWindow, null);
  }

  @Test
  @Tag("cwru")
  void cwruFolderGivesOneRowPerRecordingWithTheRuntimesDiagnoses() throws Exception {
    Path cwru = cwruOrSkip();
    String out = dir.resolve("cwru.parquet").toString();
    ScoringJob.Summary summary = ScoringJob.run(spark, new ScoringJob.Request(model, cwru.toString(), out,
        ScoringJob.Format.PARQUET, settings(false, null)));
    assertEquals(37, summary.files());
    assertEquals(0, summary.errors());
    assertEquals(37, summary.rows());
    assertEquals(FileDigests.sha256(model), summary.modelSha256());
    assertTrue(summary.partitions() > 1 && summary.partitions() <= 4 * 2, "4 partitions per core of local[2]: "
        + summary.partitions());
    List<Row> rows = spark.read().parquet(out).collectAsList();
    assertEquals(ScoreTable.COLUMNS, List.of(spark.read().parquet(out).columns()));
    assertEquals(37, rows.size());

    LeanDiagnoser single = LeanDiagnoser.load(model);
    Map<String, Row> byFile = new HashMap<>();
    rows.forEach(r -> byFile.put(r.getAs("file"), r));
    long windows = 0;
    for (RecordingInputs.Sized file : RecordingInputs.list(cwru.toString())) {
      SignalFiles.Channels signal = SignalFiles.readForModel(Path.of(file.path()), null, List.of(),
          single.inputSpec()).channels();
      RecordingDiagnosis expected = single.diagnose(signal.samples(), signal.samplingRate(),
          RecordingDiagnosis.Options.DEFAULT);
      Row row = byFile.get(file.path());
      assertEquals(expected.label(), row.getAs("diagnosis"), file.path());
      assertEquals(expected.outcome().name().toLowerCase(Locale.ROOT), row.getAs("outcome"), file.path());
      // The class the file leans to, also when it is uncertain or unknown (then diagnosis does not name it).
      assertEquals(single.classes().get(expected.candidate()), row.getAs("candidate"), file.path());
      assertEquals(expected.confidence(), (double) row.getAs("confidence"), 0.0, file.path());
      assertEquals(expected.medianOodScore(), (double) row.getAs("ood_score"), 0.0, file.path());
      assertEquals(expected.windows().size(), (int) row.getAs("windows"), file.path());
      assertEquals(signal.samplingRate(), (double) row.getAs("sampling_rate"), 0.0);
      assertEquals(signal.description(), row.getAs("channel"));
      assertEquals(signal.samplingRate() != 12_000, row.getAs("resampled"), file.path());
      assertNull(row.getAs("window"));
      assertNull(row.getAs("error"));
      assertEquals(model.toString(), row.getAs("model_id"));
      assertEquals(summary.modelSha256(), row.getAs("model_sha256"));
      windows += expected.windows().size();
    }
    assertEquals(windows, summary.windows());
    try (var leftovers = Files.list(dir)) {
      assertEquals(List.of(), leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
          "the temporary output is renamed, not left behind");
    }
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> ScoringJob.run(spark,
        new ScoringJob.Request(model, cwru.toString(), out, ScoringJob.Format.PARQUET, settings(false, null))));
    assertTrue(again.getMessage().contains("the output exists"), again.getMessage());
  }

  /**
   * A CSV recording of 1,300 samples at 12 kHz (two windows of 512, the rest dropped) and a .mat file of garbage, per
   * window, as CSV: three rows for the good file (its own, two windows), one error row naming the corrupt one.
   */
  @Test
  void aCorruptFileIsARowWithItsErrorNotAFailedJob() throws Exception {
    Path in = Files.createDirectories(dir.resolve("mixed"));
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < 1300; i++) {
      csv.append(String.format(Locale.ROOT, "%.6f%n", Math.sin(2 * Math.PI * 157 * i / 12_000.0)
          + 0.3 * Math.sin(2 * Math.PI * 1_711 * i / 12_000.0) + 0.01 * ((i * 7919) % 13 - 6)));
    }
    Files.writeString(in.resolve("good.csv"), csv);
    Files.write(in.resolve("corrupt.mat"), "MATLAB 5.0 MAT-file, truncated".getBytes());
    String out = dir.resolve("mixed-scores").toString();
    ScoringJob.Summary summary = ScoringJob.run(spark, new ScoringJob.Request(model, in.toString(), out,
        ScoringJob.Format.CSV, settings(true, 12_000.0)));
    assertEquals(2, summary.files());
    assertEquals(1, summary.errors());
    assertEquals(4, summary.rows());
    assertEquals(2, summary.windows());
    List<Row> rows = spark.read().option("header", "true").csv(out).collectAsList();
    assertEquals(4, rows.size());
    Row corrupt = rows.stream().filter(r -> r.<String>getAs("file").endsWith("corrupt.mat")).findFirst().orElseThrow();
    assertTrue(corrupt.<String>getAs("error").contains("corrupt.mat"), corrupt.toString());
    assertNull(corrupt.getAs("diagnosis"));
    List<Row> good = rows.stream().filter(r -> r.<String>getAs("file").endsWith("good.csv")).toList();
    assertEquals(3, good.size());
    assertEquals(List.of("0.0", "0.042666666666666665"), good.stream().map(r -> r.<String>getAs("window_start_s"))
        .filter(s -> s != null).sorted().toList(), "windows at 0 and 512 samples of 12 kHz");
    assertTrue(good.stream().allMatch(r -> r.getAs("error") == null), good.toString());
  }

  private static Path csv(Path file, int samples, long seed) throws Exception {
    StringBuilder csv = new StringBuilder("accel\n");
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int i = 0; i < samples; i++) {
      csv.append(String.format(Locale.ROOT, "%.6f%n", Math.sin(2 * Math.PI * 157 * i / 12_000.0)
          + 0.3 * random.nextGaussian()));
    }
    return Files.writeString(file, csv);
  }

  /**
   * An order-domain model (512 samples at 128 per revolution) over a list file that gives one recording's speed: that
   * one is diagnosed at it, the other is an error row until --rpm gives the rest a speed.
   */
  @Test
  void anOrderDomainModelTakesTheListFilesSpeedThenRpmAndElseGivesAnErrorRow() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, CLASSES.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path orders = dir.resolve("orders.drsn");
    RandomBundles.random(layout, CLASSES, new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME,
        128), 7).write(orders);
    Path in = Files.createDirectories(dir.resolve("speeds"));
    Path a = csv(in.resolve("a.csv"), 6_000, 1);
    Path b = csv(in.resolve("b.csv"), 6_000, 2);
    Files.writeString(in.resolve("list.txt"), "a.csv rpm=1500\nb.csv\n");
    LeanDiagnoser single = LeanDiagnoser.load(orders);
    for (Double rpm : new Double[] {null, 1800.0}) {
      String out = dir.resolve("speeds-" + rpm).toString();
      ScoringJob.Summary summary = ScoringJob.run(spark, new ScoringJob.Request(orders,
          in.resolve("list.txt").toString(), out, ScoringJob.Format.CSV,
          new RecordingScorer("", "", 12_000.0, List.of(), 0, 0.6, 0.5, false, rpm)));
      assertEquals(rpm == null ? 1 : 0, summary.errors());
      Map<String, Row> byFile = new HashMap<>();
      spark.read().option("header", "true").csv(out).collectAsList().forEach(r -> byFile.put(r.getAs("file"), r));
      // a.csv at the list's 1500 rpm: 0.5 s are 12.5 revolutions, 1,600 samples, 3 windows of 512
      Row first = byFile.get(a.toString());
      RecordingDiagnosis expected = single.diagnose(new double[][] {SignalFiles.readForModel(a, 12_000.0, List.of(),
          single.inputSpec()).channels().samples()[0]}, 12_000, 25, RecordingDiagnosis.Options.DEFAULT);
      assertEquals(3, expected.windows().size());
      assertEquals("3", first.getAs("windows"));
      assertEquals(expected.label(), first.getAs("diagnosis"));
      assertTrue(first.<String>getAs("channel").endsWith(", at 1500.0 rpm (list file)"), first.toString());
      Row second = byFile.get(b.toString());
      if (rpm == null) {
        // the same refusal as drsn predict's (S written as 128, as predict writes it)
        assertTrue(second.<String>getAs("error").endsWith(b + ": the model is order domain (128 samples per shaft"
            + " revolution) and no shaft speed is known for this file: give --rpm R, or rpm=R after its path in a list"
            + " file"), second.toString());
      } else {
        assertNull(second.getAs("error"));
        assertTrue(second.<String>getAs("channel").endsWith(", at 1800.0 rpm (--rpm)"), second.toString());
        assertEquals(Integer.toString(single.diagnose(new double[][] {SignalFiles.readForModel(b, 12_000.0, List.of(),
            single.inputSpec()).channels().samples()[0]}, 12_000, 30, RecordingDiagnosis.Options.DEFAULT).windows()
            .size()),
            second.getAs("windows"));
      }
    }
  }

  @Test
  void aMissingOrCorruptModelIsNamedBeforeAnyTaskAndNothingIsWritten() throws Exception {
    Path bad = dir.resolve("bad.drsn");
    Files.writeString(bad, "not a bundle");
    Path out = dir.resolve("never");
    for (Path m : List.of(dir.resolve("missing.drsn"), bad)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoringJob.run(spark,
          new ScoringJob.Request(m, dir.toString(), out.toString(), ScoringJob.Format.CSV, settings(false, null))));
      assertTrue(e.getMessage().startsWith(m.toString()), e.getMessage());
      assertFalse(Files.exists(out));
    }
  }

  /** Usage errors exit 2 before Spark starts (a run that starts Spark would stop this class's session). */
  @Test
  void theCommandsExitCodes() {
    assertEquals(2, SparkMain.run("score", "--model", model.toString(), "--input", dir.toString()),
        "--out or --bench is required");
    assertEquals(2, SparkMain.run("score", "--model", model.toString(), "--input", dir.toString(), "--out", "x",
        "--min-confidence", "1.5"));
  }

  private static Path cwruOrSkip() {
    for (String base : new String[] {System.getProperty("shared.dir", ""), "../shared", "../../shared"}) {
      Path cwru = Path.of(base.isEmpty() ? "/nonexistent" : base, "data", "cwru");
      if (Files.isDirectory(cwru.resolve("12k_drive_end"))) {
        return cwru.toAbsolutePath().normalize();
      }
    }
    Assumptions.abort("CWRU data not found at -Dshared.dir, ../shared or ../../shared (data/cwru); skipping");
    throw new AssertionError("unreachable");
  }
}
