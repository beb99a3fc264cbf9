package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@code drsn evaluate} scores a bundle, by default, on the data, split and noise the bundle records (README, commands
 * table: "by default on the data, split and noise the model was trained with"; the command says so on stderr: "as
 * the model was trained: cwru ..., gaussian -4.0 dB"). Its {@code --help} must not state {@code train}'s defaults for
 * those options (synthetic data, Gaussian noise at -4 dB), which a user reads as what evaluate will use.
 */
class EvaluateHelpDefaultsTest {

  @Disabled("defect: evaluate --help says --data/--noise/--snr default to synthetic/gaussian/-4.0;"
      + " evaluate uses what the bundle records")
  @Test
  void theHelpDoesNotStateTrainDefaultsForTheDataAndNoiseThatEvaluateTakesFromTheBundle() {
    CliRun run = CliRun.run("evaluate", "--help");
    assertEquals(0, run.exitCode(), run.toString());
    String data = description(run.out(), "--data=SOURCE");
    String noise = description(run.out(), "--noise=KIND");
    String snr = description(run.out(), "--snr=DB");
    assertAll(
        () -> assertFalse(data.contains("default: synthetic"), "--data: " + data),
        () -> assertFalse(noise.contains("default: gaussian"), "--noise: " + noise),
        () -> assertFalse(snr.contains("default: -4.0"), "--snr: " + snr));
  }

  /** The description of one option in a picocli usage text (the option list, not the synopsis). */
  private static String description(String help, String option) {
    int start = help.indexOf("      " + option + " ");
    assertTrue(start >= 0, option + " not in:\n" + help);
    int end = help.indexOf("\n      --", start + 1);
    int endShort = help.indexOf("\n  -", start + 1);
    if (end < 0 || (endShort >= 0 && endShort < end)) {
      end = endShort;
    }
    return help.substring(start, end < 0 ? help.length() : end).replaceAll("\\s+", " ");
  }
}
