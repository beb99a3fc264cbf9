package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain}: the network's diagnosis beside the bearing physics, as JSON, text and a report. */
class ExplainCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES =
      List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void bundle() throws Exception {
    model = dir.resolve("m.drsn");
    RandomBundles.write(model, RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 3);
  }

  /** 3 s of outer-race impacts (SKF 6205 at 1797 rpm) ringing at 3 kHz, in g, as CSV. */
  private Path outerRaceCsv() throws Exception {
    double fs = 12_000;
    double fr = 1797 / 60.0;
    double bpfo = BearingGeometry.SKF_6205.bpfoOrder() * fr;
    double[] x = new double[36_000];
    SplittableRandom r = new SplittableRandom(8);
    for (double t = 0.001; t < 3; t += (1 + 0.01 * r.nextGaussian()) / bpfo) {
      int start = (int) Math.ceil(t * fs);
      for (int i = start; i < Math.min(x.length, start + 200); i++) {
        double tau = i / fs - t;
        x[i] += 0.5 * Math.exp(-0.05 * 2 * Math.PI * 3000 * tau) * Math.sin(2 * Math.PI * 3000 * tau);
      }
    }
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < x.length; i++) {
      csv.append(x[i] + 0.05 * r.nextGaussian() + 0.02 * Math.sin(2 * Math.PI * fr * i / fs)).append('\n');
    }
    return Files.writeString(dir.resolve("outer.csv"), csv);
  }

  @Test
  void itsJsonHasEveryPartOfTheExplanationAndAReportIsWritten() throws Exception {
    Path csv = outerRaceCsv();
    Path reportDir = dir.resolve("report");
    CliRun run = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--bearing", "skf-6205", "--units", "g", "--machine-group", "2", "--foundation", "rigid", "--json",
        "--report", reportDir.toString(), csv.toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode file = JSON.readTree(run.out()).path("files").get(0);
    List<String> keys = new java.util.ArrayList<>();
    for (Iterator<String> it = file.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    assertTrue(keys.containsAll(List.of("file", "diagnosis", "physics", "agreement", "fused", "thresholds",
        "severity")), keys.toString());
    JsonNode physics = file.path("physics");
    assertEquals(29.95, physics.path("shaft_hz").asDouble(), 1e-9);
    assertEquals("--rpm", physics.path("shaft_source").asText());
    assertEquals(107.36, physics.path("frequencies").path("bpfo").asDouble(), 0.01);
    assertEquals(162.19, physics.path("frequencies").path("bpfi").asDouble(), 0.01);
    assertEquals(70.59, physics.path("frequencies").path("bsf").asDouble(), 0.01);
    assertEquals(11.93, physics.path("frequencies").path("ftf").asDouble(), 0.01);
    for (String family : List.of("outer", "inner", "ball", "cage")) {
      assertTrue(physics.path("evidence").path(family).isNumber(), family);
    }
    assertTrue(physics.path("evidence").path("outer").asDouble() > 10, physics.toString());
    assertEquals("outer", physics.path("verdict").asText());
    String family = file.path("diagnosis").path("family").asText();
    assertEquals(agreement(file.path("diagnosis").path("outcome").asText(), family), file.path("agreement").asText());
    assertEquals("outer", file.path("fused").path("family").asText());
    assertEquals(12, file.path("thresholds").path("units").size(), "the paper's network has 12 shrinkage units");
    assertTrue(file.path("thresholds").path("saliency").path("peak_drop").isNumber());
    assertEquals(10, file.path("severity").path("band_hz").get(0).asInt());
    assertTrue(file.path("severity").path("velocity_rms_mm_s").asDouble() > 0);
    assertTrue(List.of("A", "B", "C", "D").contains(file.path("severity").path("zone").asText()));
    for (String name : List.of("outer-explain.md", "outer-explain-envelope.png", "outer-explain-saliency.png",
        "outer-explain-thresholds.png")) {
      assertTrue(Files.size(reportDir.resolve(name)) > 1000, name);
    }
    assertTrue(Files.readString(reportDir.resolve("outer-explain.md")).contains("| physics | outer"));
  }

  @Test
  void badBearingsGeometriesAndSpeedsAreRefusedClearly() throws Exception {
    Path csv = outerRaceCsv();
    CliRun unknown = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--bearing", "6310", csv.toString());
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("unknown bearing '6310'") && unknown.err().contains("skf-6205"), unknown.err());
    CliRun geometry = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--geometry", "9,0.31", csv.toString());
    assertEquals(2, geometry.exitCode(), geometry.toString());
    assertTrue(geometry.err().contains("geometry '9,0.31' has 2 fields"), geometry.err());
    CliRun badBand = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--bearing", "skf-6205", "--band", "300", csv.toString());
    assertEquals(2, badBand.exitCode(), badBand.toString());
    assertTrue(badBand.err().contains("--band takes LOW,HIGH in Hz, got '300'"), badBand.err());
    CliRun noBearing = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", csv.toString());
    assertEquals(2, noBearing.exitCode(), noBearing.toString());
    assertTrue(noBearing.err().contains("no bearing known for this file"), noBearing.err());
    StringBuilder noise = new StringBuilder("accel\n");
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 60_000; i++) {
      noise.append(r.nextGaussian()).append('\n');
    }
    Path noiseCsv = Files.writeString(dir.resolve("noise.csv"), noise);
    CliRun noSpeed = CliRun.run("explain", "--model", model.toString(), "--rate", "12000", "--bearing", "skf-6205",
        noiseCsv.toString());
    assertEquals(1, noSpeed.exitCode(), noSpeed.toString());
    assertTrue(noSpeed.err().contains("noise.csv: cannot estimate the shaft speed") && noSpeed.err().contains("--rpm"),
        noSpeed.err());
  }

  @Test
  void predictWithPhysicsAddsTheVerdictAndFusedDiagnosisToTheSameDiagnosis() throws Exception {
    Path csv = outerRaceCsv();
    CliRun plain = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--json", csv.toString());
    assertEquals(0, plain.exitCode(), plain.toString());
    CliRun checked = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--bearing", "skf-6205", "--json", csv.toString());
    assertEquals(0, checked.exitCode(), checked.toString());
    JsonNode before = JSON.readTree(plain.out()).path("files").get(0);
    JsonNode after = JSON.readTree(checked.out()).path("files").get(0);
    for (String key : List.of("outcome", "diagnosis", "candidate", "confidence", "agreement", "probabilities",
        "windows")) {
      assertEquals(before.path(key), after.path(key), key + " is the runtime's diagnosis either way");
    }
    assertTrue(before.path("physics").isMissingNode() && before.path("fused").isMissingNode());
    assertEquals("outer", after.path("physics").path("verdict").asText(), after.path("physics").toString());
    assertEquals(29.95, after.path("physics").path("shaft_hz").asDouble(), 1e-9);
    assertEquals("outer", after.path("fused").path("family").asText());
    String family = io.github.drsn.runtime.explain.FaultFamily.ofClass(after.path("candidate").asText()).label();
    assertEquals(agreement(after.path("outcome").asText(), family), after.path("physics_agreement").asText());
    assertTrue(after.path("agreement").isNumber(), "the windows' agreement keeps its key: " + after);
    assertTrue(after.path("thresholds").isMissingNode(), "predict does not explain the network's decision");
    CliRun text = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--geometry", "9,7.94,39.04,0", csv.toString());
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.out().contains("  physics: outer (margin ") && text.out().contains("  fused: OR0"), text.out());

    CliRun rpmAlone = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        csv.toString());
    assertEquals(2, rpmAlone.exitCode(), rpmAlone.toString());
    assertTrue(rpmAlone.err().contains("--rpm is the shaft speed for the physics check"), rpmAlone.err());
    CliRun noBearing = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--physics",
        csv.toString());
    assertEquals(2, noBearing.exitCode(), noBearing.toString());
    assertTrue(noBearing.err().contains("outer.csv: no bearing known for this file"), noBearing.err());
    CliRun both = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--bearing", "skf-6205",
        "--geometry", "9,7.94,39.04,0", csv.toString());
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.err().contains("give --bearing or --geometry, not both"), both.err());
  }

  /**
   * An uncertain network (every file is, with --min-confidence 1) on noise, where the physics has no verdict: the
   * fused answer names no family, in the JSON as in the text, whatever class the network leant towards.
   */
  @Test
  void withoutAVerdictOnEitherSideTheFusedDiagnosisNamesNoFamily() throws Exception {
    StringBuilder noise = new StringBuilder("accel\n");
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < 36_000; i++) {
      noise.append(r.nextGaussian()).append('\n');
    }
    Path csv = Files.writeString(dir.resolve("noise.csv"), noise);
    List<String> args = uncertainPredict(csv);
    JsonNode file = firstFile(CliRun.run(concat(args, "--json")));
    assertEquals("uncertain", file.path("outcome").asText());
    assertEquals("none", file.path("physics").path("verdict").asText(), file.path("physics").toString());
    JsonNode fused = file.path("fused");
    assertEquals("uncertain", fused.path("label").asText(), fused.toString());
    assertEquals("unknown", fused.path("family").asText(), fused.toString());
    assertEquals("network: uncertain; no conclusive physics evidence", fused.path("basis").asText());
    assertEquals(false, fused.path("review").asBoolean());
    CliRun text = CliRun.run(args.toArray(new String[0]));
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.out().contains("  fused: uncertain (network: uncertain; no conclusive physics evidence)\n"),
        text.out());
  }

  /**
   * An uncertain network (every file is, with --min-confidence 1) beside an outer-race verdict: the verdict fixes the
   * family, and no agreement is claimed with the class the network leant towards, in the JSON as in the text, for
   * predict as for explain.
   */
  @Test
  void anUndecidedNetworkIsNeitherInAgreementNorInDisagreementWithTheVerdict() throws Exception {
    Path csv = outerRaceCsv();
    List<String> args = uncertainPredict(csv);
    JsonNode file = firstFile(CliRun.run(concat(args, "--json")));
    assertEquals("uncertain", file.path("outcome").asText());
    assertTrue(file.path("candidate").isTextual(), "the network leans to a class: " + file);
    assertEquals("outer", file.path("physics").path("verdict").asText(), file.path("physics").toString());
    assertEquals("inconclusive", file.path("physics_agreement").asText());
    assertEquals("outer", file.path("fused").path("family").asText(), file.path("fused").toString());
    CliRun text = CliRun.run(args.toArray(new String[0]));
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.out().contains("; agreement with the network: inconclusive\n"), text.out());

    // explain has no confidence option: whatever this random network decides, its text says what its JSON says.
    List<String> explain = List.of("explain", "--model", model.toString(), "--rate", "12000", "--rpm", "1797",
        "--bearing", "skf-6205", csv.toString());
    JsonNode explained = firstFile(CliRun.run(concat(explain, "--json")));
    String expected = agreement(explained.path("diagnosis").path("outcome").asText(),
        explained.path("diagnosis").path("family").asText());
    assertEquals(expected, explained.path("agreement").asText(), explained.toString());
    CliRun explainText = CliRun.run(explain.toArray(new String[0]));
    assertEquals(0, explainText.exitCode(), explainText.toString());
    assertTrue(explainText.out().contains("  agreement: " + expected + "\n"), explainText.out());
  }

  /** The agreement with an outer-race verdict of a network with this outcome and family (Agreement's rule). */
  private static String agreement(String outcome, String family) {
    return !outcome.equals("classified") ? "inconclusive" : family.equals("outer") ? "agree" : "disagree";
  }

  /** predict with the physics of an SKF 6205 at 1797 rpm, every file uncertain (--min-confidence 1). */
  private List<String> uncertainPredict(Path csv) {
    return List.of("predict", "--model", model.toString(), "--rate", "12000", "--rpm", "1797", "--bearing",
        "skf-6205", "--min-confidence", "1", csv.toString());
  }

  /** The first file's JSON of a run that succeeded. */
  private static JsonNode firstFile(CliRun run) throws Exception {
    assertEquals(0, run.exitCode(), run.toString());
    return JSON.readTree(run.out()).path("files").get(0);
  }

  private static String[] concat(List<String> args, String... more) {
    List<String> all = new java.util.ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  @Test
  @Tag("cwru")
  void cwruInnerAndOuterRaceRecordingsGetTheirRaceFromTheirOwnSpeed() throws Exception {
    Path cwru = null;
    for (Path candidate : List.of(Path.of("..", "shared", "data", "cwru"), Path.of("..", "..", "shared", "data",
        "cwru"))) {
      if (Files.isDirectory(candidate.resolve("12k_drive_end"))) {
        cwru = candidate;
      }
    }
    Assumptions.assumeTrue(cwru != null, "CWRU data not found at ../shared/data/cwru or ../../shared/data/cwru;"
        + " skipping");
    CliRun run = CliRun.run("explain", "--model", model.toString(), "--json",
        cwru.resolve("12k_drive_end/105.mat").toString(), cwru.resolve("12k_drive_end/130.mat").toString());
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode files = JSON.readTree(run.out()).path("files");
    JsonNode inner = files.get(0).path("physics");
    assertEquals("inner", inner.path("verdict").asText(), inner.toString());
    assertEquals("file variable X105RPM", inner.path("shaft_source").asText());
    assertEquals(1797, inner.path("rpm").asDouble(), 1e-9);
    assertEquals("cwru-de", inner.path("bearing").asText());
    assertEquals(162.19, inner.path("frequencies").path("bpfi").asDouble(), 0.01);
    JsonNode outer = files.get(1).path("physics");
    assertEquals("outer", outer.path("verdict").asText(), outer.toString());
    assertEquals("file variable X130RPM", outer.path("shaft_source").asText());
    // CWRU files are in g: the severity is computed without --units, but no zone without a machine.
    assertTrue(files.get(0).path("severity").path("velocity_rms_mm_s").asDouble() > 0);
    assertTrue(files.get(0).path("severity").path("zone").isNull());
    CliRun predict = CliRun.run("predict", "--model", model.toString(), "--physics", "--json",
        cwru.resolve("12k_drive_end/130.mat").toString());
    assertEquals(0, predict.exitCode(), predict.toString());
    JsonNode predicted = JSON.readTree(predict.out()).path("files").get(0);
    assertEquals("outer", predicted.path("physics").path("verdict").asText());
    assertEquals("file variable X130RPM", predicted.path("physics").path("shaft_source").asText());
    assertEquals("outer", predicted.path("fused").path("family").asText());
  }
}
