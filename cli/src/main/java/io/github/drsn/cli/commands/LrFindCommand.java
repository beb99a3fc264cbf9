package io.github.drsn.cli.commands;

import io.github.drsn.cli.DataOptions;
import io.github.drsn.cli.InputOptions;
import io.github.drsn.cli.ModelOptions;
import io.github.drsn.cli.RecipeOptions;
import io.github.drsn.experiments.LrFindJob;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.experiments.TrainingSettings;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.train.LrRangeTest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drsn lr-find}: the learning-rate range test of the network {@code drsn train} would build. */
@Command(
    name = "lr-find",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Learning-rate range test (Smith 2017): trains the network drsn train would build (same data, model,"
        + " input and recipe options) from initialisation while the learning rate grows exponentially from --min-lr to"
        + " --max-lr over --iterations minibatches; stops when the smoothed loss exceeds 4x its minimum. Suggests the"
        + " rate of steepest descent and a cycle (max = the rate of the lowest smoothed loss, base = max/4) and writes"
        + " lr_find.csv, lr_find.json and lr_find.png into --out. The recipe options that change the loss or add"
        + " dropout act in the sweep; --ema and --fgm do not (the sweep fits plain minibatches).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn lr-find",
      "  drsn lr-find --data cwru --data-dir ../shared/data/cwru --snr -10 --model resnet --out runs/lr-resnet"
    })
public final class LrFindCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataOptions data = new DataOptions();
  @Mixin InputOptions input = new InputOptions();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin RecipeOptions recipes = new RecipeOptions();

  @Option(names = "--min-lr", paramLabel = "LR", description = "First learning rate (default: ${DEFAULT-VALUE}).")
  double minLr = 1e-5;

  @Option(names = "--max-lr", paramLabel = "LR", description = "Last learning rate (default: ${DEFAULT-VALUE}).")
  double maxLr = 10;

  @Option(names = "--iterations", paramLabel = "N", description = "Minibatches of the sweep (default: ${DEFAULT-VALUE}).")
  int iterations = 100;

  @Option(names = "--batch", paramLabel = "N", description = "Windows per minibatch (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation, draws and noise (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/lr-find-<model>-<data>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (out != null) {
      Outputs.requireFolder(spec.commandLine(), "--out", out);
    }
    // Shared with train, but the sweep sets the rate itself and takes no snapshots: accepted, they would be ignored.
    for (String ignored : java.util.List.of("--schedule", "--snapshots")) {
      if (spec.findOption(ignored) != null && spec.commandLine().getParseResult().hasMatchedOption(ignored)) {
        throw new CommandLine.ParameterException(spec.commandLine(), ignored + " has no effect on lr-find: the sweep"
            + " raises the rate itself, one batch per step, for --iterations steps; give " + ignored
            + " to train, e.g. with the cycle lr-find suggests");
      }
    }
    RunSettings settings;
    LrFindJob.Sweep sweep;
    try {
      TrainingSettings training = new TrainingSettings(1, batch, 0, Sampling.CLASS_BALANCED, 0, seed,
          RunConfig.DEFAULT_EVALUATION_SEED, recipes.labelSmoothing, recipes.focalGamma, recipes.focalAlpha,
          recipes.flood, recipes.dropout, recipes.ema, recipes.fgm, recipes.spatialDropout, 0,
          io.github.drsn.model.layers.KernelChoice.AUTO);
      settings = new RunSettings(data.settings(), model.settings(), input.settings(), training);
      sweep = new LrFindJob.Sweep(minLr, maxLr, iterations);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Path dir = out != null ? out : Path.of("runs", "lr-find-" + model.model.label() + "-" + data.source());
    PrintWriter err = spec.commandLine().getErr();
    err.println("drsn lr-find: " + settings.title() + ", learning rate " + minLr + " to " + maxLr + " over "
        + iterations + " minibatches");
    err.flush();
    LrFindJob.Result result = LrFindJob.run(settings, sweep, dir);
    LrRangeTest.Result r = result.sweep();
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(java.util.Locale.ROOT, "%d of %d minibatches%s%n", r.points().size(), iterations,
        r.diverged() ? " (stopped: the loss diverged)" : "");
    stdout.printf(java.util.Locale.ROOT, "steepest descent at lr %.3g; lowest smoothed loss at lr %.3g%n",
        r.steepestLr(), r.minLossLr());
    stdout.printf(java.util.Locale.ROOT, "suggested cycle: --schedule 'triangular:base=%.3g,max=%.3g,step=S'%n",
        r.cycleBase(), r.cycleMax());
    if (!r.clearDescent()) {
      stdout.printf(java.util.Locale.ROOT, "warning: the smoothed loss fell only %.1f %% below its start (%.0f %% needed):"
          + " the network barely learned during the sweep, so these suggestions rest on minibatch noise; sweep more"
          + " --iterations (or a larger --batch)%n", 100 * r.descent(), 100 * LrRangeTest.MIN_DESCENT);
    }
    for (Path file : result.files()) {
      stdout.println("wrote " + file);
    }
    stdout.flush();
    return 0;
  }
}
