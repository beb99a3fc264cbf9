package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.experiments.DataSettings;
import io.github.drsn.experiments.InputSettings;
import io.github.drsn.experiments.ModelSettings;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.experiments.TrainingJob;
import io.github.drsn.model.Optimizer;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/** {@code drsn train}'s options are the command-line form of the library's run settings. */
class TrainSettingsTest {

  private static RunSettings parse(String... args) {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs(args);
    return train.settings();
  }

  @Test
  void withoutOptionsTheSettingsAreTheLibrarysDefaults() {
    assertEquals(RunSettings.DEFAULTS, parse());
  }

  @Test
  void everyOptionLandsInItsSetting() {
    RunSettings settings = parse("--data", "cwru", "--data-dir", "cw", "--data-seed", "7", "--split", "load",
        "--fractions", "0.6,0.2,0.2", "--train-loads", "0,1", "--test-loads", "3", "--window", "1024",
        "--train-stride", "256", "--exclude-class", "normal", "--skip-unreadable",
        "--model", "drsn-cs", "--norm", "group", "--groups", "4", "--threshold-norm", "batch", "--channels", "8,16", "--units", "2",
        "--kernel-size", "5", "--shortcut", "PROJECTION", "--optimizer", "SGD_CLASSIC_MOMENTUM", "--schedule", "paper",
        "--momentum", "0.8", "--l2", "0.001", "--l2-bias", "0.0001", "--weight-init", "XAVIER",
        "--noise", "laplacian", "--snr", "-6", "--normalization", "MIN_MAX", "--input", "ENVELOPE_SPECTRUM",
        "--epochs", "9", "--batch", "64", "--batches-per-epoch", "10", "--sampling", "SHUFFLED", "--patience", "3",
        "--seed", "5", "--eval-seed", "11");
    assertEquals(new DataSettings(DataSettings.Source.cwru, "cw", null, 7, DataSettings.Split.load,
        List.of(0.6, 0.2, 0.2), List.of(0.0, 1.0), List.of(3.0), 1024, 256, List.of("normal"), true), settings.data());
    assertEquals(new ModelSettings("drsn-cs", ModelSettings.Norm.group, 4, List.of(8, 16), 2, 5, Shortcut.PROJECTION,
        Optimizer.SGD_CLASSIC_MOMENTUM, "paper", 0.8, 0.001, 0.0001, ModelSettings.WeightInit.XAVIER,
        ModelSettings.Norm.batch),
        settings.model());
    assertEquals(new InputSettings(InputSettings.Noise.laplacian, -6, Normalization.MIN_MAX,
        io.github.drsn.contract.Representation.ENVELOPE_SPECTRUM), settings.input());
    assertEquals(new io.github.drsn.experiments.TrainingSettings(9, 64, 10, Sampling.SHUFFLED, 3, 5, 11),
        settings.training());
  }

  @Test
  void trainingForShiftOptionsLandInTheInputSettings() {
    RunSettings settings = parse("--snr", "-10", "--snr-max", "10", "--augment", "rate=0.05,resonance=6,polarity");
    assertEquals(new InputSettings(InputSettings.Noise.gaussian, -10, 10.0, Normalization.Z_SCORE,
        io.github.drsn.contract.Representation.TIME,
        new io.github.drsn.datasets.features.Augmentation(0.05, 6, true, 1)), settings.input());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> parse("--snr", "-4", "--snr-max", "-6"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> parse("--augment", "rate"));
  }

  @Test
  void noThresholdNormIsAThresholdNormOnlyAndTheTrunkRefusesIt() {
    assertEquals(ModelSettings.Norm.none, parse("--norm", "group", "--threshold-norm", "none").model().thresholdNorm());
    CliRun refused = CliRun.run("train", "--norm", "none");
    assertEquals(2, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("--norm") && refused.err().contains("none")
        && refused.err().contains("batch, group"), refused.err());
  }

  @Test
  void samplesPerRevolutionMakesTheInputOrderDomain() {
    RunSettings settings = parse("--samples-per-rev", "512", "--input", "ENVELOPE_SPECTRUM");
    assertEquals(512.0, settings.input().samplesPerRev());
    assertEquals(io.github.drsn.contract.Representation.ENVELOPE_SPECTRUM, settings.input().representation());
    assertEquals(null, parse().input().samplesPerRev());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> parse("--samples-per-rev", "0"));
  }

  @Test
  void resumingARunOfAnOlderDrsnConvertsItsArgumentsToSettings(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("old");
    Files.createDirectories(run);
    Files.writeString(run.resolve(TrainingJob.SETTINGS_FILE),
        "{\"command\": \"train\", \"arguments\": [\"--model\", \"resnet\", \"--seed\", \"7\", \"--out\", \"x\"]}");
    CliRun resumed = CliRun.run("train", "--resume", "--out", run.toString());
    // Nothing was trained in this folder, but its settings are now the arguments' in the library's form.
    assertEquals(1, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.err().contains("nothing to resume in " + run), resumed.err());
    RunSettings converted = TrainingJob.savedSettings(run);
    assertEquals(parse("--model", "resnet", "--seed", "7"), converted);
  }
}
