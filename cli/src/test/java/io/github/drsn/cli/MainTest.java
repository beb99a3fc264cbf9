package io.github.drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsExitCodes() {
    Run run = run("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: drsn"), run.out());
    assertTrue(run.out().matches("(?s).*\\n  2 +usage error\\n.*"), run.out());
  }

  @Test
  void theVersionNamesTheGitCommitAndTheExitCodesIncludeAnInterruption() {
    Run run = run("--version");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("drsn "), run.out());
    // From a checkout (tests, CI) the commit is that of the checkout; a packaged jar carries it in git.properties.
    assertTrue(run.out().matches("(?s)drsn \\S.*\\(git [0-9a-f]{12}.*\\).*Java 17.*"), run.out());
    assertTrue(run("--help").out().matches("(?s).*\\n  130 +interrupted.*"), run("--help").out());
  }

  @Test
  void enumValuesAreCaseInsensitive() {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs("train", "--noise", "LAPLACIAN",
        "--normalization", "min_max");
    assertEquals(InputOptions.Kind.laplacian, parsed.subcommand().matchedOptionValue("--noise", null));
    assertEquals(io.github.drsn.signals.Normalization.MIN_MAX,
        parsed.subcommand().matchedOptionValue("--normalization", null));
  }

  @Test
  void aShellCompletionScriptIsGenerated() {
    Run run = run("generate-completion");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("complete -F") && run.out().contains("drsn"), run.out());
    assertTrue(run.out().contains("predict") && run.out().contains("--snr"), "subcommands and options are completed");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitCode2() {
    Run run = run("--no-such-option");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Unknown option: '--no-such-option'"), run.err());
  }

  @Test
  void nd4jSettingsAreAppliedForCommandsThatTrainOrEvaluateButNotForHelpOrDataSummaries() {
    CommandLine cli = Main.commandLine();
    assertTrue(Main.usesNd4j(cli.parseArgs("train", "--epochs", "1")));
    assertTrue(Main.usesNd4j(Main.commandLine().parseArgs("bench", "--batches", "1")));
    assertFalse(Main.usesNd4j(Main.commandLine().parseArgs("dataset", "info")));
    assertTrue(Main.usesNd4j(Main.commandLine().parseArgs("dataset", "clean", "--out", "x")), "clean trains networks");
    assertFalse(Main.usesNd4j(Main.commandLine().parseArgs("dataset", "clean", "--help")));
    assertFalse(Main.usesNd4j(Main.commandLine().parseArgs("predict", "--model", "m.drsn", "x.csv")),
        "predict runs on the lean runtime");
    assertFalse(Main.usesNd4j(Main.commandLine().parseArgs("train", "--help")));
    assertFalse(Main.usesNd4j(Main.commandLine().parseArgs("--version")));
    assertFalse(Main.usesNd4j(Main.commandLine().parseArgs()));
  }
}
