package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsn.cli.DataOptions;
import io.github.drsn.cli.InputOptions;
import io.github.drsn.cli.Interrupts;
import io.github.drsn.cli.ModelOptions;
import io.github.drsn.cli.ProgressReporter;
import io.github.drsn.cli.RecipeOptions;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.features.Augmentation;
import io.github.drsn.experiments.InputSettings;
import io.github.drsn.experiments.RunArtifacts;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.model.schedule.StepDecaySchedule;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.experiments.TrainingJob;
import io.github.drsn.experiments.TrainingSettings;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drsn train}: trains a network, keeps the best epoch, writes the bundle and the report. The options become
 * {@link RunSettings}; the run itself is the library's {@link TrainingJob}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Trains a network on noisy windows (fresh noise every draw, class-balanced batches), keeps the epoch with the best validation accuracy, evaluates it on the test split and writes into --out: model.drsn (the bundle), report.json, report.md, learning_curves.png, confusion_*.png, checkpoints/ (resumable) and run.json (the run settings, for --resume). With no arguments: the paper's DRSN-CW on the built-in synthetic drivetrain data at -4 dB.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn train",
      "  drsn train --data cwru --data-dir ../shared/data/cwru --snr -8 --epochs 50 --out runs/cwru-cw",
      "  drsn train --model resnet --norm group --schedule 'sgdr:max=0.1,min=1e-4,t0=10' --out runs/rn",
      "  drsn train --data cwru --data-dir ../shared/data/cwru --snr -10 --snr-max 10 --augment rate=0.05,polarity",
      "  drsn train --label-smoothing 0.1 --ema 0.99 --out runs/ls-ema   (training recipes, recorded in the bundle)",
      "  drsn train --resume --out runs/cwru-cw       (continue an interrupted run)"
    })
public final class TrainCommand implements Callable<Integer> {


  @Spec CommandSpec spec;
  @Mixin DataOptions data = new DataOptions();
  @Mixin InputOptions input = new InputOptions();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin RecipeOptions recipes = new RecipeOptions();

  @Option(names = "--snr-max", paramLabel = "DB",
      description = "Train over a range of noise levels: every use of a window draws its SNR uniformly from"
          + " [--snr, --snr-max] (one model for many noise levels; validation draws from the same range).")
  Double snrMaxDb;

  @Option(names = "--augment", paramLabel = "SPEC",
      description = "Random changes to clean training windows, as other machines and sessions differ:"
          + " comma-separated rate=J (speed/rate jitter, relative, <= 0.3), resonance=DB (a random EQ bell of up to"
          + " +-DB), polarity (random sign), amplitude=A (scale within [1/A, A]; no effect after z-score), or none."
          + " Never applied to validation or test windows.")
  String augment;

  @Option(names = "--samples-per-rev", paramLabel = "S",
      description = "Order-domain input: resample every recording to S samples per shaft revolution of its recorded"
          + " speed before windowing, so a window spans (window length)/S revolutions at any speed and rate, and a"
          + " spectrum's bins are S/(window length) shaft orders. Every recording needs its speed; predict then"
          + " needs one too (--rpm or the file's).")
  Double samplesPerRev;

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

  @Option(
      names = "--kernels",
      paramLabel = "KIND",
      converter = BenchCommand.KernelsConverter.class,
      defaultValue = "auto",
      description = "Implementation of the custom layers: java (plain-Java kernels), nd4j (ND4J ops: on the GPU"
          + " under the cuda build) or auto (java on the CPU backend, nd4j otherwise); the model is the same"
          + " (default: ${DEFAULT-VALUE}).")
  KernelChoice kernels = KernelChoice.AUTO;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<model>-<data>).")
  Path out;

  @Option(names = "--resume", description = "Continue the interrupted run in --out with its original settings, ending"
      + " where one uninterrupted run does; with --epochs N, extend or shorten it (a run on the default schedule keeps"
      + " the one it was started with).")
  boolean resume;

  @Option(names = "--overwrite", description = "Start afresh even if --out already holds a run or a model (both are"
      + " replaced).")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Path dir = out != null ? out : Path.of("runs", model.model.label() + "-" + data.source());
    if (resume) {
      RunSettings saved = savedSettings(dir);
      boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
      RunSettings resumed = epochsGiven ? saved.withEpochs(epochs) : saved;
      if (saved.model().schedule() == null && resumed.model().schedule() != null) {
        err.printf("drsn train: the run keeps the schedule it was started with, the paper's steps over its %d"
            + " epochs (%s)%s%n", saved.training().epochs(), resumed.model().schedule(),
            epochs > saved.training().epochs() ? "; epochs beyond them train at its last rate" : "");
      }
      return run(resumed, dir, true, err);
    }
    Path lastCheckpoint = dir.resolve(TrainingJob.CHECKPOINTS).resolve(Trainer.LAST_CHECKPOINT);
    if (Files.exists(lastCheckpoint) && !overwrite) {
      throw new CommandLine.ParameterException(spec.commandLine(), dir + " already holds a run ("
          + lastCheckpoint + "): continue it with --resume --out " + dir
          + ", or choose another --out, or pass --overwrite");
    }
    RunSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      // Options that cannot make a run (a size out of range, an unknown model) are usage errors.
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    warnFixedPaperSchedule(settings, err);
    if (overwrite) {
      Files.deleteIfExists(lastCheckpoint);
      Files.deleteIfExists(dir.resolve(TrainingJob.CHECKPOINTS).resolve(Trainer.BEST_CHECKPOINT));
      Files.deleteIfExists(dir.resolve(io.github.drsn.experiments.RunArtifacts.BUNDLE_FILE));
    }
    return run(settings, dir, false, err);
  }

  /**
   * The named schedules {@code paper} and {@code reference} keep their steps at fixed epochs (40/80 and 20/40):
   * over another number of epochs they are not the paper's steps, which the default (no {@code --schedule}) places
   * at 40 % and 80 % of the run ({@link StepDecaySchedule#paperSteps(int)}). A user who asked for "the paper's
   * schedule" over 12 epochs would otherwise train at 0.1 throughout, without a word.
   */
  private static void warnFixedPaperSchedule(RunSettings settings, PrintWriter err) {
    String named = settings.model().schedule() == null ? ""
        : settings.model().schedule().strip().toLowerCase(java.util.Locale.ROOT);
    int planned = named.equals("paper") ? StepDecaySchedule.PAPER_EPOCHS
        : named.equals("reference") ? StepDecaySchedule.REFERENCE_EPOCHS : 0;
    int epochs = settings.training().epochs();
    if (planned > 0 && epochs != planned) {
      int[] starts = StepDecaySchedule.paperSteps(planned).getSegmentStarts();
      int[] scaled = StepDecaySchedule.paperSteps(epochs).getSegmentStarts();
      err.printf("drsn train: warning: --schedule %s drops the learning rate at epochs %d and %d, planned for %d"
          + " epochs; this run has %d. Leave --schedule out for the paper's steps at 40 %% and 80 %% of the run"
          + " (epochs %d and %d).%n", named, starts[1], starts[2], planned, epochs, scaled[1], scaled[2]);
    }
  }

  /** The run settings these options give. */
  RunSettings settings() {
    WindowPipeline pipeline = input.pipeline();
    InputSettings inputSettings = new InputSettings(
        pipeline.noise() == null ? InputSettings.Noise.none : InputSettings.Noise.of(pipeline.noise().type()),
        input.snrDb(), snrMaxDb, pipeline.normalization(), pipeline.representation(),
        augment == null ? null : Augmentation.parse(augment), samplesPerRev);
    TrainingSettings training =
        new TrainingSettings(epochs, batch, batchesPerEpoch, sampling, patience, seed, evaluationSeed,
            recipes.labelSmoothing, recipes.focalGamma, recipes.focalAlpha, recipes.flood, recipes.dropout, recipes.ema,
            recipes.fgm, recipes.spatialDropout, recipes.snapshots, kernels);
    return new RunSettings(data.settings(), model.settings(), inputSettings, training);
  }

  /**
   * The settings of the run in {@code dir}; a run.json of an older drsn, which recorded this command's
   * arguments, is converted to settings (and rewritten) so that its run can be resumed.
   */
  private RunSettings savedSettings(Path dir) throws Exception {
    Path file = dir.resolve(TrainingJob.SETTINGS_FILE);
    if (Files.isRegularFile(file)) {
      JsonNode saved = RunSettings.readTree(file);
      if (saved.path("arguments").isArray()) {
        List<String> original = new ArrayList<>();
        saved.path("arguments").forEach(a -> original.add(a.asText()));
        TrainCommand parsed = new TrainCommand();
        CommandLine cli = new CommandLine(parsed);
        cli.parseArgs(original.toArray(String[]::new));
        RunSettings settings = parsed.settings();
        AtomicFiles.writeString(file, settings.toJsonText());
        spec.commandLine().getErr().println("drsn train: converted the arguments in " + file + " to settings");
      }
    }
    return TrainingJob.savedSettings(dir);
  }

  private Integer run(RunSettings settings, Path dir, boolean resuming, PrintWriter err) throws Exception {
    err.println("drsn train: " + settings.title());
    err.flush();
    TrainingJob.Result result;
    try (ProgressReporter progress =
            new ProgressReporter(err, System.console() != null, settings.model().architecture());
        Interrupts interrupts = new Interrupts(() -> err.println(
            "\ndrsn train: interrupted; finishing the current minibatch (the last completed epoch is kept)"))) {
      result = TrainingJob.run(settings, dir, resuming, progress, interrupts::stopRequested);
      if (result.interrupted()) {
        // Said before the interrupt hook is released: the JVM exits as soon as it returns.
        progress.close();
        int completed = result.outcome().training().history().size();
        err.println(completed == 0 && !resuming
            ? "drsn train: stopped before the first epoch ended; nothing to resume, start the run again"
            : "drsn train: stopped after epoch " + completed + "; continue with: ./drsn train --resume --out " + dir);
        err.flush();
        return 1;
      }
    }
    TrainingRun.Outcome outcome = result.outcome();
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("best epoch %d of %d (%s): validation accuracy %.4f%n", outcome.training().bestEpoch(),
        outcome.training().history().size(), outcome.training().stopReason().name().toLowerCase(java.util.Locale.ROOT),
        outcome.validation().accuracy());
    if (outcome.test() != null) {
      stdout.printf("test accuracy %.4f, macro-F1 %.4f on %d windows%n", outcome.test().accuracy(),
          outcome.test().macroF1(), outcome.test().total());
    }
    if (outcome.snapshots() != null && outcome.snapshots().ensembleTest() != null) {
      var snapshots = outcome.snapshots();
      stdout.printf("snapshot ensemble of %d (epochs %s): test accuracy %.4f; the snapshots alone %s%n",
          snapshots.members().size(), snapshots.members().stream().map(m -> Integer.toString(m.epoch())).toList(),
          snapshots.ensembleTest().accuracy(),
          snapshots.test().stream().map(r -> String.format(java.util.Locale.ROOT, "%.4f", r.accuracy())).toList());
    }
    stdout.printf("training took %.1f s%n", outcome.trainSeconds());
    stdout.println("model:  " + result.files().get(0));
    result.files().stream().filter(f -> f.getFileName().toString().equals(RunArtifacts.SNAPSHOTS_FILE)).findFirst()
        .ifPresent(f -> stdout.println("snapshot ensemble: " + f));
    stdout.println("report: " + dir.resolve("report.md"));
    stdout.flush();
    return 0;
  }
}
