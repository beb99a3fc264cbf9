package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.diagnoser.Dl4jDiagnoser;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code adapt} end to end (slow: each test trains its small model first) on a small batch-norm DRSN-CW (256-sample windows at 1 kHz) and CSV recordings. */
@Tag("slow")
class AdaptCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LENGTH = 256;

  @TempDir Path dir;
  private Path model;
  private MultiLayerNetwork net;
  private ModelSpec modelSpec;

  /** Class k: a tone at 40·(k + 1) Hz in noise. */
  private static double[] recording(int k, int samples, double rate, double gain, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = gain * (Math.sin(2 * Math.PI * 40 * (k + 1) * i / rate) + 0.4 * random.nextGaussian());
    }
    return x;
  }

  @BeforeEach
  void trainedBundle() throws Exception {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    ModelSpec spec = ModelSpec.builder().inputLength(LENGTH).stageChannels(4, 8).unitsPerStage(1).classes(3)
        .normalization(NormKind.BATCH_NORM).seed(5).build();
    modelSpec = spec;
    net = DrsnModels.network(Architecture.DRSN_CW, spec);
    InputSpec input = new InputSpec(1000, LENGTH, 1, Normalization.Z_SCORE, Representation.TIME);
    Preprocessor preprocessor = new Preprocessor(input);
    for (int step = 0; step < 40; step++) {
      float[][] windows = new float[24][LENGTH];
      INDArray y = Nd4j.zeros(DataType.FLOAT, 24, 3);
      for (int n = 0; n < 24; n++) {
        double[] x = recording(n % 3, LENGTH, 1000, 1, 1000L * step + n);
        for (int l = 0; l < LENGTH; l++) {
          windows[n][l] = (float) x[l];
        }
        y.putScalar(n, n % 3, 1.0);
      }
      net.fit(Dl4jDiagnoser.features(preprocessor, windows, DataType.FLOAT), y);
    }
    model = dir.resolve("m.drsn");
    new ModelBundle(net, Architecture.DRSN_CW, spec, List.of("a", "b", "c"), input, null, null, null, "test",
        Instant.parse("2026-12-06T12:00:00Z")).write(model);
  }

  private Path csv(String name, double[] samples) throws Exception {
    StringBuilder text = new StringBuilder("accel\n");
    for (double v : samples) {
      text.append(v).append('\n');
    }
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void adaptsToRecordingsOfAnotherGainAndRateAndWritesABundleTheLeanRuntimeRuns() throws Exception {
    // The target: the same tones at 2 kHz, three times the amplitude (z-scoring removes the gain; the rate is
    // resampled), 8 windows of 256 samples per file at the model's rate.
    Path[] files = new Path[3];
    for (int k = 0; k < 3; k++) {
      files[k] = csv("target" + k + ".csv", recording(k, 2 * 8 * LENGTH, 2000, 3, 50 + k));
    }
    Path out = dir.resolve("adapted.drsn");
    CliRun run = CliRun.run("adapt", "--model", model.toString(), "--rate", "2000", "--unlabeled",
        files[0].toString(), files[1].toString(), files[2].toString(), "--pseudo-labels", "--threshold", "0.8",
        "--epochs", "2", "--batch", "8", "--out", out.toString(), "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode report = JSON.readTree(run.out());
    assertEquals("adabn+pseudo_labels", report.path("method").asText());
    assertEquals(24, report.path("windows").asInt());
    assertEquals(List.of("source", "adabn", "pseudo_labels"),
        List.of(report.path("stages").get(0).path("model").asText(), report.path("stages").get(1).path("model")
            .asText(), report.path("stages").get(2).path("model").asText()));
    assertTrue(run.err().contains("resampled from 2000.0 Hz to the model's 1000.0 Hz"), run.err());
    assertTrue(run.err().contains("wrote " + out), run.err());
    // The record is in the bundle's training section, with each file's SHA-256.
    ModelBundle adapted = ModelBundle.read(out);
    JsonNode record = adapted.training().path("adaptation");
    assertEquals(FileDigests.sha256(files[1]), record.path("target").path("files").get(1).path("sha256").asText());
    assertEquals(8, record.path("target").path("files").get(1).path("windows").asInt());
    assertEquals(0.8, record.path("pseudo_labels").path("threshold").asDouble());
    assertEquals(1, record.path("pseudo_labels").path("seed").asLong());
    assertFalse(record.path("guard").path("forced").asBoolean());
    // It runs in the lean runtime, as DL4J runs it.
    LeanDiagnoser lean = LeanDiagnoser.load(out);
    Dl4jDiagnoser reference = Dl4jDiagnoser.load(out);
    double[] x = recording(2, LENGTH, 1000, 3, 99);
    float[] window = new float[LENGTH];
    for (int l = 0; l < LENGTH; l++) {
      window[l] = (float) x[l];
    }
    float[] expected = new float[3];
    float[] actual = new float[3];
    assertEquals(reference.predict(window, expected), lean.predict(window, actual));
    for (int k = 0; k < 3; k++) {
      assertEquals(expected[k], actual[k], 1e-4);
    }
  }

  @Test
  void adaptingACalibratedModelSaysThatTheAdaptedOneIsNotCalibrated() throws Exception {
    io.github.drsn.contract.Bundle plain = io.github.drsn.contract.Bundle.read(model);
    Path calibrated = dir.resolve("calibrated.drsn");
    plain.withCalibration(io.github.drsn.contract.RandomBundles.calibration(plain.layout(), 2)).write(calibrated);
    Path target = csv("target.csv", recording(1, 8 * LENGTH, 1000, 1, 77));
    Path out = dir.resolve("adapted.drsn");
    CliRun run = CliRun.run("adapt", "--model", calibrated.toString(), "--rate", "1000", "--unlabeled",
        target.toString(), "--out", out.toString(), "--force");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(null, io.github.drsn.contract.Bundle.read(out).calibration());
    assertTrue(run.err().contains(out + " carries no calibration") && run.err().contains("drsn calibrate --model "
        + out), run.err());
    CliRun plainRun = CliRun.run("adapt", "--model", model.toString(), "--rate", "1000", "--unlabeled",
        target.toString(), "--out", dir.resolve("adapted2.drsn").toString(), "--force");
    assertEquals(0, plainRun.exitCode(), plainRun.toString());
    assertFalse(plainRun.err().contains("carries no calibration"), "the source had none to lose: " + plainRun.err());
  }

  @Test
  void aCollapseIsRefusedWithExitCode1AndNothingWritten() throws Exception {
    Path[] files = new Path[3];
    for (int k = 0; k < 3; k++) {
      files[k] = csv("t" + k + ".csv", recording(k, 8 * LENGTH, 1000, 1, 70 + k));
    }
    Path out = dir.resolve("wrecked.drsn");
    // A learning rate 10^5 times the default wrecks the network: its predictions collapse.
    String[] args = {"adapt", "--model", model.toString(), "--rate", "1000", "--unlabeled", files[0].toString(),
        files[1].toString(), files[2].toString(), "--pseudo-labels", "--threshold", "0.34", "--unbalanced", "--lr",
        "100", "--epochs", "5", "--batch", "8", "--out", out.toString()};
    CliRun run = CliRun.run(args);
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("drsn adapt: refused, nothing written: "), run.err());
    assertTrue(run.err().contains("one class swallows the predictions") || run.err().contains("agreement collapsed"),
        run.err());
    assertTrue(run.out().contains("guard: REFUSED"), run.out());
    assertFalse(Files.exists(out));
    // --force would write it, but this wreck has non-finite parameters (NaN with the Vector API kernels the launcher
    // runs, infinite running variances with the scalar ones): the bundle format refuses them, so the command fails
    // naming the parameter and still writes nothing.
    String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
    forced[args.length] = "--force";
    CliRun again = CliRun.run(forced);
    assertEquals(1, again.exitCode(), again.toString());
    assertTrue(again.err().contains("the guard refused, written anyway (--force)"), again.err());
    assertTrue(again.err().matches("(?s).*is (NaN|-?Infinity); a usable model has finite parameters.*"), again.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void anOrderDomainModelReadsTheTargetInOrdersOfTheGivenSpeedAndRefusesAFileWithoutOne() throws Exception {
    Path orders = dir.resolve("orders.drsn");
    new ModelBundle(net, Architecture.DRSN_CW, modelSpec, List.of("a", "b", "c"), new InputSpec(1000, LENGTH, 1,
        Normalization.Z_SCORE, Representation.TIME, 64), null, null, null, "test",
        Instant.parse("2026-12-06T12:00:00Z")).write(orders);
    Path file = csv("pump.csv", recording(1, 4000, 1000, 1, 80)); // 4 s at 1 kHz
    Path out = dir.resolve("orders2.drsn");
    CliRun refused = CliRun.run("adapt", "--model", orders.toString(), "--rate", "1000", "--unlabeled",
        file.toString(), "--out", out.toString());
    assertEquals(2, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains(file + ": the model is order domain (64 samples per shaft revolution) and no"
        + " shaft speed is known for this file: give --rpm R"), refused.err());
    assertFalse(Files.exists(out));
    CliRun run = CliRun.run("adapt", "--model", orders.toString(), "--rate", "1000", "--rpm", "1500", "--unlabeled",
        file.toString(), "--out", out.toString(), "--force", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    // 4 s at 25 Hz are 100 revolutions, 6,400 samples at 64 per revolution: 25 windows of 256 (4 revolutions).
    assertEquals(25, JSON.readTree(run.out()).path("windows").asInt(), run.out());
    assertTrue(run.err().contains(file + " resampled from 1000.0 Hz to 64 samples per revolution at 1500.0 rpm"
        + " (--rpm)"), run.err());
    JsonNode target = ModelBundle.read(out).training().path("adaptation").path("target").path("files").get(0);
    assertEquals(1500, target.path("shaft_rpm").asDouble(), 0);
    assertEquals("--rpm", target.path("shaft_speed_source").asText());
    // A speed for a model that is not order domain is a usage error, not silently ignored.
    CliRun wrong = CliRun.run("adapt", "--model", model.toString(), "--rate", "1000", "--rpm", "1500", "--unlabeled",
        file.toString(), "--out", dir.resolve("x.drsn").toString());
    assertEquals(2, wrong.exitCode(), wrong.toString());
    assertTrue(wrong.err().contains("--rpm is the shaft speed of --unlabeled files for an order-domain model, and "
        + model + " is not order domain"), wrong.err());
  }

  @Test
  void aTrainingSplitTargetIsAUsageError() {
    CliRun run = CliRun.run("adapt", "--model", model.toString(), "--target-split", "TRAIN", "--out",
        dir.resolve("x.drsn").toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--target-split: expected TEST or VALIDATION, got TRAIN"), run.err());
  }
}
