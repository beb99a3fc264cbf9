package io.github.drsn.cli.commands;

import io.github.drsn.cli.Interrupts;
import io.github.drsn.cli.ProgressReporter;
import io.github.drsn.experiments.ExperimentConfig;
import io.github.drsn.experiments.ExperimentRunner;
import io.github.drsn.experiments.TrainingJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drsn experiment}: the noise sweep of docs/protocol.md, run by the library's {@link ExperimentRunner}. Each
 * cell (model × noise × SNR × seed) is a training run; its result is written to {@code
 * cells/<model>/<noise>_<snr>dB_seed<seed>.json} as soon as it finishes, and finished cells are skipped on the
 * next invocation, so a grid can be run over several sittings (an interrupted cell resumes from its checkpoint).
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs an experiment grid (models x noise types x SNRs x seeds) from a JSON config, resumably: finished cells"
            + " are skipped, an interrupted cell continues from its checkpoint. Writes one JSON per cell, summary.md,"
            + " summary.csv, accuracy_vs_snr_<noise>.png and training_loss_<noise>.png (one line per run and epoch).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn experiment --config experiments/cwru-gaussian.json --out docs/results/cwru-gaussian",
      "  drsn experiment --config experiments/cwru-gaussian.json --out docs/results/cwru-gaussian --summary-only",
      "  drsn experiment --config experiments/cwru-gaussian.json --out docs/results/cwru-gaussian --max-cells 2",
      "  drsn experiment --config experiments/cwru-gaussian.json --out docs/results/cwru-gaussian --models drsn-cw,resnet"
    })
public final class ExperimentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The experiment grid (JSON).")
  Path configFile;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Results folder (cells/, summary, plots).")
  Path out;

  @Option(names = "--runs", paramLabel = "DIR", description = "Where cell training runs (bundles, checkpoints) go (default: <out>/runs).")
  Path runs;

  @Option(names = "--summary-only", description = "Only regenerate summary and plots from the cell files.")
  boolean summaryOnly;

  @Option(names = "--max-cells", paramLabel = "N", description = "Run at most N unfinished cells, then stop (0 = all).")
  int maxCells;

  @Option(names = "--dry-run", description = "List the cells and their state without running or writing anything.")
  boolean dryRun;

  @Option(names = "--models", split = ",", paramLabel = "NAME",
      description = "Run only the cells of these models (names as in the config); the summary still covers every"
          + " finished cell. Lets the most wanted cells go first, or two processes share a grid.")
  List<String> onlyModels;

  @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Run only the cells of these seeds.")
  List<Long> onlySeeds;

  @Override
  public Integer call() throws Exception {
    if (maxCells < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-cells must be >= 0 (0 = all), got "
          + maxCells);
    }
    Outputs.requireFolder(spec.commandLine(), "--out", out);
    if (runs != null) {
      Outputs.requireFolder(spec.commandLine(), "--runs", runs);
      // Every *.json under <out>/cells is read as a cell: a run's report.json there would stop every summary.
      Path cells = out.resolve("cells").toAbsolutePath().normalize();
      if (runs.toAbsolutePath().normalize().startsWith(cells)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--runs " + runs + " is inside " + out.resolve(
            "cells") + ", where every JSON file is read as a cell; put the runs elsewhere (default: "
            + out.resolve("runs") + ")");
      }
    }
    ExperimentConfig config = ExperimentConfig.read(configFile);
    if (onlySeeds != null) {
      List<Long> unknown = onlySeeds.stream().filter(s -> !config.seeds().contains(s)).toList();
      if (!unknown.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--seeds: " + unknown + " not among the seeds"
            + " of " + configFile + " " + config.seeds());
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    ExperimentRunner runner = new ExperimentRunner(config, out);
    if (runs != null) {
      runner.runsIn(runs);
    }
    try {
      runner.onlyModels(onlyModels);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--models: " + e.getMessage() + " (" + configFile
          + ")");
    }
    runner.onlySeeds(onlySeeds).log(message -> {
      err.println("drsn experiment: " + message);
      err.flush();
    });
    ExperimentRunner.Result result;
    if (dryRun) {
      result = dryRun(runner, err);
    } else if (summaryOnly) {
      result = runner.summarize();
    } else {
      try (Interrupts interrupts = new Interrupts(() -> err.println(
          "\ndrsn experiment: interrupted; finishing the current minibatch (the last completed epoch is kept)"))) {
        runner.stopRequested(interrupts::stopRequested)
            .progress(cell -> new ProgressReporter(err, System.console() != null, cell.model().name()));
        result = runner.run(maxCells);
      }
    }
    err.printf("drsn experiment: %d of %d cells done; results in %s%n", result.done(), result.total(), out);
    err.flush();
    return result.stopped() ? 1 : 0;
  }

  /**
   * Lists the unfinished cells and whether their training has started, or, for an ensemble cell whose members are not
   * all done, what it waits for; trains nothing.
   */
  private static ExperimentRunner.Result dryRun(ExperimentRunner runner, PrintWriter err) throws Exception {
    List<ExperimentConfig.Cell> cells = runner.selectedCells();
    int done = 0;
    for (ExperimentConfig.Cell cell : cells) {
      String blocked;
      if (runner.finished(cell)) {
        done++;
      } else if ((blocked = runner.blockedBy(cell)) != null) {
        err.println("blocked  " + cell.id() + ": " + blocked);
      } else {
        err.println((TrainingJob.started(runner.runDir(cell)) ? "started  " : "pending  ") + cell.id());
      }
    }
    // A dry run writes nothing, the summary included (--summary-only rewrites it).
    return new ExperimentRunner.Result(done, cells.size(), false);
  }
}
