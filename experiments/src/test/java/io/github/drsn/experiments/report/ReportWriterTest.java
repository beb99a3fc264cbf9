package io.github.drsn.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.eval.ConfusionMatrix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @TempDir Path dir;

  private static final List<String> CLASSES = List.of("normal", "IR007", "B|007");

  /** Test split: the 3-class matrix of ConfusionMatrixTest, accuracy 0.75, macro-F1 0.7527065527. */
  static RunReport sampleReport() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model", "DRSN-CW");
    config.put("noise", Map.of("type", "gaussian", "snr_db", -6));
    config.put("schedule", List.of(0.1, 0.01));
    config.put("epochs", 3);
    Provenance provenance = new Provenance("0.1.0", Instant.parse("2026-11-26T21:00:00Z"), 42,
        List.of(new DataFile("cwru/97.mat", "a".repeat(64), 1234)), "17.0.15", "Linux amd64");
    Map<String, ClassificationReport> evaluations = new LinkedHashMap<>();
    evaluations.put("validation", ClassificationReport.of(CLASSES,
        ConfusionMatrix.ofCounts(new long[][] {{2, 0, 0}, {0, 2, 0}, {0, 1, 1}})));
    evaluations.put("test", ClassificationReport.of(CLASSES,
        ConfusionMatrix.ofCounts(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}})));
    return new RunReport("DRSN-CW, gaussian -6 dB, seed 42", config, provenance, TrainingHistoryTest.sample(),
        evaluations);
  }

  @Test
  void writesJsonWithStableKeysAndRecomputableMetrics() throws IOException {
    ReportWriter.Written written = new ReportWriter(false).write(dir, sampleReport());
    assertEquals(List.of(dir.resolve("report.json"), dir.resolve("report.md")), written.files());
    assertTrue(written.figureProblem().isEmpty());

    JsonNode root = ReportJson.read(dir.resolve("report.json"));
    assertEquals("drsn-run-report", root.get("format").asText());
    assertEquals("DRSN-CW", root.get("configuration").get("model").asText());
    assertEquals(-6, root.get("configuration").get("noise").get("snr_db").asInt());
    assertEquals(42, root.get("provenance").get("seed").asLong());
    assertEquals("2026-11-26T21:00:00Z", root.get("provenance").get("created_utc").asText());
    assertEquals("a".repeat(64), root.get("provenance").get("data_files").get(0).get("sha256").asText());
    assertEquals(30.0, root.get("training_seconds").asDouble(), 1e-12);
    assertEquals(3, root.get("history").get("epochs").size());

    JsonNode test = root.get("metrics").get("test");
    assertEquals(0.75, test.get("accuracy").asDouble(), 1e-12);
    assertEquals((10.0 / 13 + 0.6 + 8.0 / 9) / 3, test.get("macro_f1").asDouble(), 1e-12);
    assertEquals(16, test.get("samples").asLong());
    assertEquals(List.of("normal", "IR007", "B|007"), Json.MAPPER.convertValue(test.get("classes"), List.class));
    JsonNode ir007 = test.get("per_class").get(1);
    assertEquals("IR007", ir007.get("class").asText());
    assertEquals(0.75, ir007.get("precision").asDouble(), 1e-12);
    assertEquals(0.5, ir007.get("recall").asDouble(), 1e-12);
    assertEquals(0.6, ir007.get("f1").asDouble(), 1e-12);
    assertEquals(6, ir007.get("support").asLong());
    assertEquals(2, test.get("confusion").get(1).get(0).asLong(), "row 1 = true IR007, column 0 = predicted normal");

    assertEquals(sampleReport().evaluations().get("test"), ReportJson.readMetrics(dir.resolve("report.json"), "test"));
    IOException e = assertThrows(IOException.class, () -> ReportJson.readMetrics(dir.resolve("report.json"), "train"));
    assertTrue(e.getMessage().contains("no metrics for split 'train'"), e.getMessage());
    assertFalse(Files.readString(dir.resolve("report.json")).contains("NaN"));
  }

  @Test
  void markdownHasTablesWithClassNames() throws IOException {
    new ReportWriter(false).write(dir, sampleReport());
    String md = Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8);
    assertTrue(md.startsWith("# DRSN-CW, gaussian -6 dB, seed 42\n"), md);
    assertTrue(md.contains("- **test**: accuracy 75.00 %, macro-F1 0.7527 over 16 windows"), md);
    assertTrue(md.contains("| noise.snr_db | -6 |"), md);
    assertTrue(md.contains("| schedule | [0.1,0.01] |"), md);
    assertTrue(md.contains("| cwru/97.mat | 1234 | `" + "a".repeat(64) + "` |"), md);
    assertTrue(md.contains("| 2 | 1.5000 | – | – | 0.1 | 9.5 |"), md);
    assertTrue(md.contains("| 3 | 0.7500 | 0.8000 | 85.00 | 0.01 | 10.0 |"), md);
    assertTrue(md.contains("| IR007 | 0.7500 | 0.5000 | 0.6000 | 6 |"), md);
    // Pipes and backslashes are escaped so the table keeps its columns (renders "true \ predicted").
    assertTrue(md.contains("| true \\\\ predicted | normal | IR007 | B\\|007 |"), md);
    assertTrue(md.contains("| **IR007** | 2 | 3 | 1 |"), md);
    assertFalse(md.contains(".png"), "no figures were requested");
  }

  @Test
  void drawsAndLinksFigures() throws IOException {
    ReportWriter.Written written = new ReportWriter().write(dir, sampleReport());
    assertTrue(written.figureProblem().isEmpty(), written.figureProblem().toString());
    List<Path> files = written.files();
    assertEquals(List.of("report.json", "learning_curves.png", "confusion_validation.png", "confusion_test.png",
        "report.md"), files.stream().map(p -> p.getFileName().toString()).toList());
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("![Learning curves](learning_curves.png)"), md);
    assertTrue(md.contains("![Confusion matrix, test](confusion_test.png)"), md);
    for (Path f : files) {
      assertTrue(Files.size(f) > 100, f.toString());
    }
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(5, all.count(), "no temporary files are left behind");
    }
  }

  @Test
  void rejectsSplitNamesThatAreNotSnakeCase() {
    RunReport r = sampleReport();
    Map<String, ClassificationReport> bad = Map.of("Test Set", r.evaluations().get("test"));
    assertThrows(IllegalArgumentException.class,
        () -> new RunReport(r.title(), r.configuration(), r.provenance(), r.history(), bad));
  }

  @Test
  void emptyEvaluationIsReportedNotFatal() throws IOException {
    RunReport r = sampleReport();
    RunReport empty = new RunReport("eval only", Map.of(), r.provenance(), new TrainingHistory(),
        Map.of("test", ClassificationReport.of(CLASSES, new ConfusionMatrix(3))));
    new ReportWriter().write(dir, empty);
    JsonNode test = ReportJson.read(dir.resolve("report.json")).get("metrics").get("test");
    assertTrue(test.get("accuracy").isNull());
    assertTrue(Files.readString(dir.resolve("report.md")).contains("No samples were evaluated."));
    assertFalse(Files.exists(dir.resolve("learning_curves.png")));
  }

  @Test
  void provenanceHashesFiles() throws IOException {
    Path data = Files.writeString(dir.resolve("abc.txt"), "abc");
    Provenance p = Provenance.capture("test", 7, List.of(data));
    // SHA-256("abc") from FIPS 180-2, appendix B.1.
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", p.dataFiles().get(0).sha256());
    assertEquals(3, p.dataFiles().get(0).sizeBytes());
    assertEquals(7, p.seed());
    assertThrows(IllegalArgumentException.class, () -> new DataFile("x", "ABC", 1));
  }

  @Test
  void projectVersionNamesTheGitCommitOfTheCheckout() throws Exception {
    Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").start();
    String head = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    org.junit.jupiter.api.Assumptions.assumeTrue(git.waitFor() == 0 && head.length() == 12,
        "not run from a git checkout");
    String version = Provenance.projectVersionOf(Provenance.class);
    org.junit.jupiter.api.Assertions.assertTrue(version.startsWith("development build (git " + head),
        version + " does not name commit " + head);
    // The build writes the commit beside the library's classes, so a copied jar still knows where it came from.
    String built = Provenance.buildCommit(io.github.drsn.experiments.RunArtifacts.class);
    org.junit.jupiter.api.Assertions.assertNotNull(built, "the build wrote no io/github/drsn/experiments/git.properties");
    org.junit.jupiter.api.Assertions.assertTrue(built.equals(head) || built.equals(head + ", modified"), built);
    org.junit.jupiter.api.Assertions.assertTrue(
        Provenance.projectVersionOf(io.github.drsn.experiments.RunArtifacts.class).endsWith("(git " + built + ")"));
  }
}
