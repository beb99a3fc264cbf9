package io.github.drsn.cli;

import io.github.drsn.cli.commands.AdaptCommand;
import io.github.drsn.cli.commands.BenchCommand;
import io.github.drsn.cli.commands.CalibrateCommand;
import io.github.drsn.cli.commands.CardCommand;
import io.github.drsn.cli.commands.EnsembleCommand;
import io.github.drsn.cli.commands.DatasetCommand;
import io.github.drsn.cli.commands.EvaluateCommand;
import io.github.drsn.cli.commands.ExperimentCommand;
import io.github.drsn.cli.commands.ExplainCommand;
import io.github.drsn.cli.commands.ExportCommand;
import io.github.drsn.cli.commands.LrFindCommand;
import io.github.drsn.cli.commands.PredictCommand;
import io.github.drsn.cli.commands.TrainCommand;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.model.NativeBackend;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code drsn} command line. Commands are thin: each parses its options and calls a library API
 * that embedding services can call directly.
 *
 * <p>Exit codes: 0 success, 1 failure (bad data, missing file, failed run), 2 usage error, 130 interrupted
 * (Ctrl-C: the JVM's exit status for SIGINT, after the run has saved its checkpoint).
 */
@Command(
    name = "drsn",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Fault diagnosis from noisy vibration signals with Deep Residual Shrinkage Networks.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (bad input, missing or corrupt file)", "2:usage error",
        "130:interrupted (Ctrl-C; the checkpoint is saved)"},
    subcommands = {
        TrainCommand.class,
        LrFindCommand.class,
        EvaluateCommand.class,
        PredictCommand.class,
        AdaptCommand.class,
        CalibrateCommand.class,
        CardCommand.class,
        EnsembleCommand.class,
        ExplainCommand.class,
        ExportCommand.class,
        DatasetCommand.class,
        ExperimentCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  /**
   * Commands that never use ND4J. They skip {@link NativeBackend#configure()}, which initialises ND4J (seconds of
   * native loading): a data set summary or a usage message should not pay for it.
   */
  private static final Set<String> COMMANDS_WITHOUT_ND4J =
      Set.of("dataset", "help", "predict", "explain", "evaluate", "export", "card", "generate-completion");

  /** Subcommands of {@link #COMMANDS_WITHOUT_ND4J} that do train networks. */
  private static final Set<String> NESTED_COMMANDS_WITH_ND4J = Set.of("dataset clean");

  /** Builds the command line with the project's exit-code conventions; tests call this. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setUsageHelpWidth(110);
    // --noise GAUSSIAN and --noise gaussian alike: enum values are names, not case-sensitive spellings.
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionStrategy(
        parseResult -> {
          if (usesNd4j(parseResult)) {
            // The application owns ND4J's process-wide settings; they must precede any other use of ND4J.
            NativeBackend.configure();
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
          if (Boolean.getBoolean("drsn.stacktrace")) {
            ex.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return 1;
        });
    return cli;
  }

  /**
   * Whether the parsed command line runs a command that may use ND4J: any subcommand except those of
   * {@link #COMMANDS_WITHOUT_ND4J}, unless only help or the version was asked for. Unknown commands count as users,
   * so a new command gets the settings by default.
   */
  static boolean usesNd4j(ParseResult parsed) {
    if (!parsed.hasSubcommand()) {
      return false;
    }
    StringBuilder path = new StringBuilder();
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return false;
      }
      if (p != parsed) {
        path.append(path.length() == 0 ? "" : " ").append(p.commandSpec().name());
      }
    }
    return !COMMANDS_WITHOUT_ND4J.contains(parsed.subcommand().commandSpec().name())
        || NESTED_COMMANDS_WITH_ND4J.contains(path.toString());
  }

  /** The failure's message, naming its type where the message alone would be unclear. */
  static String describe(Throwable ex) {
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    // A recording the library cannot read without a rate or a channel: the library says what to give, the command
    // line names the option that gives it (predict, explain and adapt share them).
    if (ex instanceof RecordingLoadException r && r.missing().isPresent()) {
      return message + switch (r.missing().get()) {
        case SAMPLING_RATE -> " (--rate HZ)";
        case CHANNEL -> " (--channel)";
      };
    }
    // The project's own exceptions say what failed; the JDK's (NoSuchFileException: "x.csv") need their name.
    boolean ours = ex.getClass().getName().startsWith("io.github.drsn.");
    return ours || ex.getClass() == java.io.IOException.class || ex instanceof IllegalArgumentException
        ? message
        : ex.getClass().getSimpleName() + ": " + message;
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (!Interrupts.shuttingDown()) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
