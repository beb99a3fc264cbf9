package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import org.junit.jupiter.api.Test;

/**
 * {@code drsn evaluate} scores a bundle, by default, on the data, split and noise the bundle records (README, commands
 * table: "by default on the data, split and noise the model was trained with"; the command says so on stderr: "as
 * the model was trained: cwru ..., gaussian -4.0 dB"). Its {@code --help} must state those defaults, and the commands
 * that share the options ({@code train}: synthetic data, Gaussian noise at -4 dB) must state theirs, each its own.
 */
class EvaluateHelpDefaultsTest {

  @Test
  void theHelpSaysThatEvaluateTakesTheDataAndNoiseFromTheBundle() {
    CliRun run = CliRun.run("evaluate", "--help");
    assertEquals(0, run.exitCode(), run.toString());
    String data = description(run.out(), "--data=SOURCE");
    String noise = description(run.out(), "--noise=KIND");
    String snr = description(run.out(), "--snr=DB");
    // The options are shared with train; evaluate states its own defaults, not train's with a note beside them.
    assertAll(
        () -> assertTrue(data.contains("(default: the data the model was trained on)"), "--data: " + data),
        () -> assertTrue(noise.contains("(default: the noise the model was trained with)"), "--noise: " + noise),
        () -> assertTrue(snr.contains("(default: the SNR the model was trained at)"), "--snr: " + snr));
  }

  @Test
  void theCommandsThatShareTheOptionsStateTheirOwnDefaultsAndSayNothingOfEvaluate() {
    for (String[] command : new String[][] {{"train"}, {"lr-find"}, {"dataset", "info"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      CliRun run = CliRun.run(args);
      assertEquals(0, run.exitCode(), run.toString());
      String name = String.join(" ", command);
      assertAll(
          () -> assertTrue(description(run.out(), "--data=SOURCE").contains("(default: synthetic, or manifest when"
              + " --manifest is given)"), name + ": " + run.out()),
          () -> assertTrue(!run.out().contains("evaluate:"), name + "'s help speaks of evaluate: " + run.out()));
    }
    String snr = description(CliRun.run("train", "--help").out(), "--snr=DB");
    assertTrue(snr.contains("(default: -4.0)"), "--snr: " + snr);
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
