package io.github.drsn.spark;

import io.github.drsn.runtime.RecordingDiagnosis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark commands: {@code drsn score} and {@code drsn grid} (the launcher runs them from this module's class path),
 * and the main class for {@code spark-submit} (docs/spark.md). Without {@code --master} the master is the one
 * spark-submit sets, else {@code local[*]}.
 */
@Command(name = "drsn", subcommands = {SparkMain.Score.class, SparkMain.Grid.class}, mixinStandardHelpOptions = true,
    description = "Scale-out on Apache Spark: score archives of recordings, run experiment grids.")
public final class SparkMain {

  /** Runs {@code score ...} or {@code grid ...}; exits 0, 1 (bad input or failure, named) or 2 (usage). */
  public static void main(String[] args) {
    if (System.getProperty("spark.master") == null && System.getProperty(LOG_CONFIG) == null) {
      // Not under spark-submit (which sets spark.master): the command's own quiet logging, before Spark loads log4j.
      System.setProperty(LOG_CONFIG, SparkMain.class.getResource("log4j2-cli.properties").toString());
    }
    System.exit(run(args));
  }

  /** Runs a command as {@link #main} does and returns its exit code. */
  static int run(String... args) {
    CommandLine cli = new CommandLine(new SparkMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, line, parsed) -> {
          line.getErr().println("drsn " + line.getCommandName() + ": " + (e.getMessage() == null ? e : e.getMessage()));
          if (!(e instanceof IllegalArgumentException)) {
            e.printStackTrace(line.getErr());
          }
          return 1;
        });
    return cli.execute(args);
  }

  private static final String LOG_CONFIG = "log4j2.configurationFile";

  /**
   * The master URLs Spark 4 accepts (SparkContext's master parsing: local with at least one thread, local-cluster,
   * standalone, YARN, Kubernetes; Mesos is gone since Spark 4): checked before a session starts, because Spark reports
   * another one with its own stack trace in the log.
   */
  private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
      "local|local\\[([1-9]\\d*|\\*)(\\s*,\\s*\\d+)?]|local-cluster\\[\\s*[1-9]\\d*\\s*,\\s*[1-9]\\d*\\s*,\\s*[1-9]\\d*\\s*]"
          + "|spark://\\S+|yarn|k8s://\\S+");

  /**
   * @throws CommandLine.ParameterException (exit 2) for a master URL Spark does not accept
   */
  static void checkMaster(CommandLine commandLine, String master) {
    if (master != null && !MASTER.matcher(master).matches()) {
      throw new CommandLine.ParameterException(commandLine, "--master " + master + ": expected a Spark master URL:"
          + " local, local[N] (N >= 1), local[*], spark://HOST:PORT, yarn or k8s://HOST:PORT");
    }
  }

  /** A session on {@code master}, or on spark-submit's master, else on all local cores. */
  static SparkSession session(String master, String appName) {
    String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
    SparkSession.Builder builder = SparkSession.builder().appName(appName).master(chosen);
    if (chosen.startsWith("local")) {
      // One machine: no web UI to serve, and no host name to resolve.
      builder.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    return builder.getOrCreate();
  }

  /** {@code drsn score}. */
  @Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Diagnoses every recording (MAT, CSV, WAV) of a folder, glob or list file on Spark with the"
          + " embedded runtime, as 'drsn predict' does, into a table: one row per file (and per window with"
          + " --per-window) with file, channel, sampling rate, window start, diagnosis (a class, unknown, uncertain or"
          + " unhealthy input), confidence, OOD score, input-health findings, model id and SHA-256, and an error"
          + " column (a file that cannot be read is a row with its error). Written to a temporary folder and renamed"
          + " to --out when complete.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  drsn score --model runs/cwru/model.drsn --input ../shared/data/cwru --out scores --format csv",
        "  drsn score --model m.drsn --input 'archive/2026-12-*/*.wav' --out s.parquet --master local[2] --per-window",
        "  drsn score --model m.drsn --input ../shared/data/cwru --bench --master local[2]"
      })
  static final class Score implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "DIR|GLOB|LIST",
        description = "A folder (searched recursively), a quoted glob, a list file (.txt, one recording per line) or"
            + " one recording; paths every executor can read.")
    String input;

    @Option(names = "--out", paramLabel = "DIR", description = "The output table, a folder that must not exist"
        + " (local, hdfs://, s3a://). Required unless --bench.")
    String out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet or csv (default: ${DEFAULT-VALUE}).")
    ScoringJob.Format format = ScoringJob.Format.PARQUET;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2], spark://host:7077"
        + " (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = {"--per-window", "--windows"}, description = "Also one row per window.")
    boolean perWindow;

    @Option(names = "--rate", paramLabel = "HZ", description = "Sampling rate of recordings that do not state one"
        + " (CSV, MAT files that are not catalogued CWRU files).")
    Double rate;

    @Option(names = "--channel", paramLabel = "NAME", description = "As drsn predict --channel (repeat it for a"
        + " model of several channels).")
    List<String> channels = new ArrayList<>();

    @Option(names = "--rpm", paramLabel = "R", description = "For an order-domain model: the shaft speed of every"
        + " recording (a list file's rpm=R after a path comes first; default: the speed the file records).")
    Double rpm;

    @Option(names = "--hop", paramLabel = "N", description = "Samples between windows at the model's rate (default:"
        + " the window length).")
    int hop;

    @Option(names = "--min-confidence", paramLabel = "P", description = "As drsn predict (default: ${DEFAULT-VALUE}).")
    double minConfidence = RecordingDiagnosis.Options.DEFAULT.minConfidence();

    @Option(names = "--min-agreement", paramLabel = "F", description = "As drsn predict (default: ${DEFAULT-VALUE}).")
    double minAgreement = RecordingDiagnosis.Options.DEFAULT.minAgreement();

    @Option(names = "--bench", description = "Measure instead of writing: windows/s of this job against the"
        + " single-JVM runtime on the same files, and the peak heap of each (JSON on stdout; docs/spark.md).")
    boolean bench;

    @Option(names = "--repeats", paramLabel = "N", description = "With --bench: timed runs of each, the median is"
        + " reported (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      RecordingScorer scorer;
      try {
        scorer = new RecordingScorer(model.toString(), "", rate, channels, hop, minConfidence, minAgreement,
            perWindow, rpm);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!bench && out == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--out is required (or --bench)");
      }
      checkMaster(spec.commandLine(), master);
      try (SparkSession spark = session(master, "drsn score")) {
        if (bench) {
          spec.commandLine().getOut().println(ScoreBenchmark.run(spark, model, input, scorer, repeats).toPrettyString());
          return 0;
        }
        ScoringJob.Summary s = ScoringJob.run(spark, new ScoringJob.Request(model, input, out, format, scorer));
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d recordings (%d with an error), %d windows, %d rows"
            + " in %d partitions, %.1f s on %s%n", out, s.files(), s.errors(), s.windows(), s.rows(), s.partitions(),
            s.seconds(), spark.sparkContext().master());
        return 0;
      }
    }
  }

  /** {@code drsn grid}. */
  @Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Runs an experiment grid (experiments/*.json) on Spark, one cell per task, as 'drsn experiment'"
          + " does: finished cells are skipped, cell files land in OUT/cells as the single-machine runner writes them,"
          + " and the summary is written at the end.",
      footerHeading = "%nExamples:%n",
      footer = {"  drsn grid --config experiments/synthetic.json --out docs/results/synthetic --master local[2]"})
  static final class Grid implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "An experiment config (JSON).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The grid's folder (cells, runs,"
        + " summaries), on a file system every executor sees.")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else"
        + " local[*]).")
    String master;

    @Option(names = "--models", split = ",", paramLabel = "NAME", description = "Only these model variants.")
    List<String> models;

    @Option(names = "--seeds", split = ",", paramLabel = "N", description = "Only these seeds.")
    List<Long> seeds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      checkMaster(spec.commandLine(), master);
      try (SparkSession spark = session(master, "drsn grid")) {
        GridJob.Summary s = GridJob.run(spark, config, out, models, seeds);
        spec.commandLine().getOut().printf("%s: %d cells, %d already done, %d trained%n", out, s.total(),
            s.skipped(), s.ran());
        return 0;
      }
    }
  }
}
