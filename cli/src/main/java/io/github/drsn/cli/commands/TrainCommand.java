package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.DataOptions;
import io.github.drsn.cli.InputOptions;
import io.github.drsn.cli.Interrupts;
import io.github.drsn.cli.ModelOptions;
import io.github.drsn.cli.ProgressReporter;
import io.github.drsn.cli.RunArtifacts;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drsn train}: trains a network, keeps the best epoch, writes the bundle and the report. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Trains a network on noisy windows (fresh noise every draw, class-balanced batches), keeps the epoch with the best validation accuracy, evaluates it on the test split and writes into --out: model.drsn (the bundle), report.json, report.md, learning_curves.png, confusion_*.png, checkpoints/ (resumable) and run.json (the arguments, for --resume). With no arguments: the paper's DRSN-CW on the built-in synthetic drivetrain data at -4 dB.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn train",
      "  drsn train --data cwru --data-dir ../shared/data/cwru --snr -8 --epochs 50 --out runs/cwru-cw",
      "  drsn train --model resnet --norm group --schedule 'sgdr:max=0.1,min=1e-4,t0=10' --out runs/rn",
      "  drsn train --resume --out runs/cwru-cw       (continue an interrupted run)"
    })
public final class TrainCommand implements Callable<Integer> {

  static final String SETTINGS_FILE = "run.json";
  private static final ObjectMapper JSON = JsonMappers.indented();

  @Spec CommandSpec spec;
  @Mixin DataOptions data = new DataOptions();
  @Mixin InputOptions input = new InputOptions();
  @Mixin ModelOptions model = new ModelOptions();

  @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 12;

  @Option(names = "--batch", paramLabel = "N", description = "Windows per minibatch (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(
      names = "--batches-per-epoch",
      paramLabel = "N",
      description = "Minibatches per epoch; 0 = as many as training windows / batch (default: ${DEFAULT-VALUE}).")
  int batchesPerEpoch = 0;

  @Option(
      names = "--sampling",
      paramLabel = "KIND",
      description = "CLASS_BALANCED draws or SHUFFLED passes (default: ${DEFAULT-VALUE}).")
  Sampling sampling = Sampling.CLASS_BALANCED;

  @Option(
      names = "--patience",
      paramLabel = "N",
      description = "Stop after N epochs without better validation accuracy; 0 = never (default: ${DEFAULT-VALUE}).")
  int patience = 0;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation, draws and training noise (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--eval-seed",
      paramLabel = "N",
      description = "Seed of the fixed validation/test noise, shared by all models (default: ${DEFAULT-VALUE}).")
  long evaluationSeed = RunConfig.DEFAULT_EVALUATION_SEED;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<model>-<data>).")
  Path out;

  @Option(names = "--resume", description = "Continue the interrupted run in --out with its original arguments.")
  boolean resume;

  @Option(names = "--overwrite", description = "Start afresh even if --out already holds a run.")
  boolean overwrite;

  /** The arguments this command was parsed from, recorded in run.json for --resume. */
  private List<String> arguments = List.of();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path dir = out != null ? out : Path.of("runs", model.model + "-" + data.source());
    Path checkpoints = dir.resolve("checkpoints");
    if (resume) {
      return resumeFrom(dir);
    }
    if (Files.exists(checkpoints.resolve(Trainer.LAST_CHECKPOINT)) && !overwrite) {
      throw new CommandLine.ParameterException(spec.commandLine(), dir + " already holds a run ("
          + checkpoints.resolve(Trainer.LAST_CHECKPOINT) + "): continue it with --resume --out " + dir
          + ", or choose another --out, or pass --overwrite");
    }
    // originalArgs() holds the whole command line; keep what follows the subcommand's name.
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    arguments = new ArrayList<>(all.subList(all.indexOf(spec.name()) + 1, all.size()));
    arguments.remove("--overwrite");
    Files.createDirectories(dir);
    if (overwrite) {
      Files.deleteIfExists(checkpoints.resolve(Trainer.LAST_CHECKPOINT));
      Files.deleteIfExists(checkpoints.resolve(Trainer.BEST_CHECKPOINT));
    }
    AtomicFiles.writeString(dir.resolve(SETTINGS_FILE),
        JSON.writeValueAsString(Map.of("command", "train", "arguments", arguments)));
    return run(dir, false, err);
  }

  private Integer resumeFrom(Path dir) throws Exception {
    Path settings = dir.resolve(SETTINGS_FILE);
    if (!Files.isRegularFile(settings)) {
      throw new IllegalArgumentException("nothing to resume in " + dir + ": " + settings + " is missing");
    }
    JsonNode root = JSON.readTree(settings.toFile());
    List<String> original = new ArrayList<>();
    root.path("arguments").forEach(a -> original.add(a.asText()));
    TrainCommand again = new TrainCommand();
    CommandLine cli = new CommandLine(again);
    cli.setOut(spec.commandLine().getOut());
    cli.setErr(spec.commandLine().getErr());
    cli.parseArgs(original.toArray(String[]::new));
    if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
      again.epochs = epochs;
    }
    again.arguments = original;
    again.spec = cli.getCommandSpec();
    return again.run(dir, true, spec.commandLine().getErr());
  }

  private Integer run(Path dir, boolean resuming, PrintWriter err) throws Exception {
    WindowedDataset windows = DatasetCommand.windowed(data);
    int classes = windows.dataset().classes().size();
    int channels = windows.dataset().recordings().get(0).channelCount();
    int inputLength = input.pipeline().featureLength(windows.spec().length());
    ModelSpec modelSpec = model.spec(channels, inputLength, classes, seed, epochs);
    RunConfig config = new RunConfig(model.model.architecture(), modelSpec, input.pipeline(), batch, batchesPerEpoch,
        sampling, epochs, patience, seed, evaluationSeed);
    String title = model.model + " on " + data.describe() + ", noise " + input.describe() + ", seed " + seed;
    err.println("drsn train: " + title);
    err.flush();
    TrainingRun.Outcome outcome;
    try (ProgressReporter progress = new ProgressReporter(err, System.console() != null, model.model.toString());
        Interrupts interrupts = new Interrupts(() -> err.println(
            "\ndrsn train: interrupted; finishing the current minibatch (the last completed epoch is kept)"))) {
      outcome = TrainingRun.run(windows, config, dir.resolve("checkpoints"), resuming, progress,
          interrupts::stopRequested);
      if (outcome.training().stopReason() == Trainer.StopReason.INTERRUPTED) {
        // Said before the interrupt hook is released: the JVM exits as soon as it returns.
        progress.close();
        err.println("drsn train: stopped after epoch " + outcome.training().history().size()
            + "; continue with: ./drsn train --resume --out " + dir);
        err.flush();
        return 1;
      }
    }
    List<Path> written = RunArtifacts.write(dir, title, windows, config, configuration(config), outcome);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("best epoch %d of %d (%s): validation accuracy %.4f%n", outcome.training().bestEpoch(),
        outcome.training().history().size(), outcome.training().stopReason().name().toLowerCase(),
        outcome.validation().accuracy());
    if (outcome.test() != null) {
      stdout.printf("test accuracy %.4f, macro-F1 %.4f on %d windows%n", outcome.test().accuracy(),
          outcome.test().macroF1(), outcome.test().total());
    }
    stdout.printf("training took %.1f s%n", outcome.trainSeconds());
    stdout.println("model:  " + written.get(0));
    stdout.println("report: " + dir.resolve("report.md"));
    stdout.flush();
    return 0;
  }

  private Map<String, Object> configuration(RunConfig config) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", "train");
    c.put("arguments", arguments);
    c.put("model", model.model.toString());
    c.put("normalization", model.norm.name());
    c.put("groups", model.groups);
    c.put("channels", Arrays.stream(model.channels).boxed().toList());
    c.put("units_per_stage", model.unitsPerStage);
    c.put("kernel", model.kernel);
    c.put("shortcut", model.shortcut.name());
    c.put("optimizer", model.optimizer.name());
    c.put("schedule", model.scheduleText(epochs));
    c.put("momentum", model.momentum);
    c.put("l2", model.l2);
    c.put("l2_bias", model.l2Bias);
    c.put("weight_init", model.weightInit.name());
    c.put("data", data.describe());
    c.put("split", data.splitPlan().describe());
    c.put("window", data.windowSpec().length());
    c.put("train_stride", data.windowSpec().trainStride());
    c.put("noise", input.describe());
    c.put("input_normalization", config.pipeline().normalization().name());
    c.put("representation", config.pipeline().representation().name());
    c.put("epochs", epochs);
    c.put("batch", batch);
    c.put("batches_per_epoch", batchesPerEpoch);
    c.put("sampling", sampling.name());
    c.put("patience", patience);
    c.put("seed", seed);
    c.put("evaluation_seed", evaluationSeed);
    return c;
  }
}
