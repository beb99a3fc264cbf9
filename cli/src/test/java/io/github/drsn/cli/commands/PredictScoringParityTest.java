package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

/**
 * {@code drsn predict} against the Spark scorer's read-and-diagnose path for one file. The scorer
 * ({@code spark/.../RecordingScorer#score}) reads every recording with {@link SignalFiles#readForModel} and calls
 * {@code diagnoser.diagnose(samples, rate, shaftHz, options)}; the spark module is not a dependency of cli, so the
 * scorer's answer is computed here with exactly those two calls (ScoringJobTest checks that the job's rows equal them).
 * Small random-weight DRSN-CW (512 samples at 12 kHz), as the spark tests use.
 */
class PredictScoringParityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES = List.of("normal", "inner", "outer", "ball");

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void bundle() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, CLASSES.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    model = dir.resolve("model.drsn");
    RandomBundles.random(layout, CLASSES, new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME), 7)
        .withCalibration(RandomBundles.calibration(layout, 8)).write(model);
  }

  /** A MAT-file with CWRU-style variables X009_DE_time and X009_FE_time (3 windows) and X009RPM = {@code rpm}. */
  private Path mat(String name, double rpm) throws Exception {
    Mat5File mat = Mat5.newMatFile();
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (String variable : new String[] {"X009_DE_time", "X009_FE_time"}) {
      Matrix m = Mat5.newMatrix(1600, 1);
      for (int i = 0; i < 1600; i++) {
        m.setDouble(i, Math.sin(2 * Math.PI * 157 * i / 12_000.0) + 0.3 * random.nextGaussian());
      }
      mat.addArray(variable, m);
    }
    Matrix speed = Mat5.newMatrix(1, 1);
    speed.setDouble(0, rpm);
    mat.addArray("X009RPM", speed);
    Path file = dir.resolve(name);
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).writeMat(mat);
    }
    return file;
  }

  /**
   * A time-domain model never uses the shaft speed, and the scorer never reads it for one; predict read every file of
   * a one-channel model with {@code SignalFiles.readDescribed}, which also parses the X###RPM variable and throws
   * when it is not a positive number; it now reads the description only for the physics or an order-domain model. A stopped machine's file (X009RPM = 0) is
   * diagnosed by the scorer and refused by predict (exit 1: "variable X009RPM is 0.0, expected a speed > 0 rpm").
   */
  @Test
  void aStoppedMachinesMatFileIsDiagnosedByPredictAsTheScorerDiagnosesIt() throws Exception {
    Path file = mat("pump.mat", 0);
    // The scorer's path: RecordingScorer.score, spark/.../RecordingScorer.java:71 and :80.
    LeanDiagnoser diagnoser = LeanDiagnoser.load(model);
    SignalFiles.Channels signal = SignalFiles.readForModel(file, 12_000.0, List.of(), diagnoser.inputSpec())
        .channels();
    RecordingDiagnosis scorer = diagnoser.diagnose(signal.samples(), signal.samplingRate(), Double.NaN,
        RecordingDiagnosis.Options.DEFAULT);
    assertEquals(3, scorer.windows().size());

    CliRun predict = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--json", file.toString());
    assertEquals(0, predict.exitCode(), "the scorer answers " + scorer.label() + " (confidence "
        + scorer.confidence() + "); predict: " + predict);
    JsonNode node = JSON.readTree(predict.out()).path("files").get(0);
    assertEquals(scorer.outcome().name().toLowerCase(Locale.ROOT), node.path("outcome").asText());
    assertEquals(scorer.label(), node.path("diagnosis").asText());
    assertEquals(scorer.confidence(), node.path("confidence").asDouble(), 0.0);
    assertEquals(scorer.medianOodScore(), node.path("ood_score").asDouble(), 0.0);
  }

  /**
   * A one-channel model given two channels: the scorer's read ({@code readForModel(file, rate, [a, b], spec)})
   * refuses
   * every file ("2 channel(s) named ... for a model that takes 1"); predict reads a one-channel model's file with
   * {@code readDescribed(file, rate, channels.get(0))} (PredictCommand.java:158-160), silently drops the second
   * channel and diagnoses the first. Same bundle, same file, same options: an error row against a diagnosis.
   */
  @Test
  void aOneChannelModelGivenTwoChannelsIsRefusedByPredictAsByTheScorer() throws Exception {
    Path file = mat("two.mat", 1797);
    List<String> channels = List.of("X009_DE_time", "X009_FE_time");
    RecordingLoadException scorer = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(file, 12_000.0, channels, LeanDiagnoser.load(model).inputSpec()));

    CliRun predict = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", "--channel", channels.get(0),
        "--channel", channels.get(1), "--json", file.toString());
    assertEquals(1, predict.exitCode(), "the scorer's row is the error '" + scorer.getMessage() + "'; predict: "
        + predict);
  }
}
