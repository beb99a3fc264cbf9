package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code calibrate --reference}: what it keeps from the bundle, and errors that name the input the user gave. */
class CalibrateReferenceInputTest {

  private static final List<String> CLASSES =
      List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  @TempDir Path dir;

  /** A random-weight bundle of the paper's network at 12 kHz, calibrated with {@code method} as the runtime's. */
  private Path calibratedBundle(OodMethod method) throws Exception {
    Path model = dir.resolve("m.drsn");
    RandomBundles.write(model, RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 3);
    Bundle plain = Bundle.read(model);
    Calibration c = RandomBundles.calibration(plain.layout(), 2);
    plain.withCalibration(new Calibration(c.temperature(), method, c.thresholds(), c.falseAlarmRate(), c.data(),
        c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(), c.nllAfter(), c.mahalanobis(), c.layers(),
        c.background(), c.neighbours())).write(model);
    return model;
  }

  /** {@code samples} of a tone in noise at 12 kHz, as a one-column CSV. */
  private Path toneCsv(String name, int samples) throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < samples; i++) {
      csv.append(Math.sin(2 * Math.PI * 107 * i / 12_000.0) + 0.3 * random.nextGaussian()).append('\n');
    }
    return Files.writeString(dir.resolve(name), csv);
  }

  @Test
  void referenceThresholdsKeepTheMethodTheBundleWasCalibratedWith() throws Exception {
    Path model = calibratedBundle(OodMethod.ENERGY);
    Path reference = toneCsv("healthy.csv", 22 * 2048);
    Path out = dir.resolve("pump.drsn");
    CliRun run = CliRun.run("calibrate", "--model", model.toString(), "--out", out.toString(), "--rate", "12000",
        "--reference", reference.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(OodMethod.ENERGY, Bundle.read(out).calibration().method(), run.out());
  }

  @Test
  void aModelThatIsNotABundleIsRefusedAsAnInputNotAsAnOutputName() throws Exception {
    Path recording = toneCsv("recording.csv", 4096);
    CliRun run = CliRun.run("calibrate", "--model", recording.toString());
    assertNotEquals(0, run.exitCode(), run.toString());
    assertFalse(run.err().contains("choose another file name"), "--model is read, not chosen as a name: " + run.err());
  }

  @Test
  void aReferenceThatIsTheModelItselfIsNotBlamedOnAnOutOptionNotGiven() throws Exception {
    Path model = calibratedBundle(OodMethod.MAHALANOBIS);
    CliRun run = CliRun.run("calibrate", "--model", model.toString(), "--rate", "12000", "--reference",
        model.toString());
    assertNotEquals(0, run.exitCode(), run.toString());
    // The first line is the error; the usage that follows names every option, --out among them.
    String error = run.err().lines().findFirst().orElse("");
    assertFalse(error.contains("--out"), "no --out was given: " + error);
  }

  @Test
  void aMethodTheBundleHasNoStatisticsForIsAUsageErrorBeforeAnyRecordingIsRead() throws Exception {
    Path model = calibratedBundle(OodMethod.MAHALANOBIS);
    CliRun run = CliRun.run("calibrate", "--model", model.toString(), "--out", dir.resolve("pump.drsn").toString(),
        "--rate", "12000", "--ood-method", "KNN", "--reference", dir.resolve("not-yet-recorded.csv").toString());
    assertEquals(2, run.exitCode(), run.toString());
    String error = run.err().lines().findFirst().orElse("");
    assertTrue(error.contains("--ood-method KNN") && error.contains("MAHALANOBIS"),
        "names the option and the methods the bundle has: " + error);
  }
}
