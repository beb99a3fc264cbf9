package io.github.drsn.spark;

import io.github.drsn.experiments.ExperimentConfig;
import io.github.drsn.experiments.ExperimentRunner;
import io.github.drsn.model.NativeBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.SparkSession;

/**
 * Runs an experiment grid (the configs of {@code experiments/*.json}) on Spark, one cell per task, through the same
 * {@link ExperimentRunner} as {@code drsn experiment}: the driver lists the selected cells that have no cell file yet,
 * each task trains one ({@link ExperimentRunner#runCell}) and writes its cell file where the single-machine runner
 * puts it ({@code <out>/cells/<model>/<noise>_<snr>dB_seed<seed>.json}, its run in {@code <out>/runs/<cell>}), and the
 * driver writes the summaries from the cell files at the end, also when a cell failed. Ensemble cells (a grid entry
 * {@code "ensemble"}) train nothing: each builds its members' ensemble in a second wave, after every trained cell, and
 * one whose member cells are not there (e.g. not selected) is left for later, as the single-machine runner leaves it.
 * Finished cells are skipped, so a
 * grid resumes across jobs (and across the single-machine runner). The config, the data it names and {@code out}
 * must be on a file system every executor sees.
 */
public final class GridJob {

  /**
   * What a job did.
   *
   * @param total selected cells
   * @param skipped cells already finished before the job
   * @param ran cells trained (or ensembles built) by this job, or by another one while it ran; selected cells neither
   *     skipped nor run are ensembles blocked by a missing member
   */
  public record Summary(int total, int skipped, int ran) {
  }

  private GridJob() {
  }

  /**
   * Runs the unfinished cells of a grid (see the class description).
   *
   * @param models only the cells of these model variants (null: all)
   * @param seeds only the cells of these seeds (null: all)
   * @throws IllegalArgumentException if the config is invalid, a model is not in it, or a finished cell was computed
   *     with other settings
   * @throws Exception the first failed cell's error (the summaries of the finished cells are written first)
   */
  public static Summary run(SparkSession spark, Path config, Path out, List<String> models, List<Long> seeds)
      throws Exception {
    Path configFile = config.toAbsolutePath().normalize();
    Path outDir = out.toAbsolutePath().normalize();
    ExperimentRunner runner = new ExperimentRunner(ExperimentConfig.read(configFile), outDir).onlyModels(models)
        .onlySeeds(seeds);
    // As ExperimentRunner.run does first: a held-out class the data lack is refused before any executor trains.
    runner.checkHeldOutClasses();
    // Ensemble cells read their members' bundles: a second wave, after every trained cell.
    List<String> trained = new ArrayList<>();
    List<ExperimentConfig.Cell> ensembles = new ArrayList<>();
    List<ExperimentConfig.Cell> cells = runner.selectedCells();
    int finished = 0;
    for (ExperimentConfig.Cell cell : cells) {
      if (runner.finished(cell)) {
        finished++;
      } else if (cell.model().isEnsemble()) {
        ensembles.add(cell);
      } else {
        trained.add(cell.id());
      }
    }
    List<String> ready = new ArrayList<>();
    try {
      runWave(spark, trained, configFile, outDir);
      for (ExperimentConfig.Cell cell : ensembles) {
        if (runner.blockedBy(cell) == null) {
          ready.add(cell.id());
        }
      }
      runWave(spark, ready, configFile, outDir);
    } finally {
      runner.writeSummary();
    }
    return new Summary(cells.size(), finished, trained.size() + ready.size());
  }

  private static void runWave(SparkSession spark, List<String> cells, Path configFile, Path outDir) {
    if (!cells.isEmpty()) {
      JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(cells, cells.size())
          .foreach(new RunCell(configFile.toString(), outDir.toString()));
    }
  }

  /** The task: trains one cell, unless another job finished it since the driver looked. */
  private static final class RunCell implements VoidFunction<String> {
    private static final long serialVersionUID = 1L;
    private final String config;
    private final String out;

    RunCell(String config, String out) {
      this.config = config;
      this.out = out;
    }

    @Override
    public void call(String id) throws Exception {
      // ND4J's process-wide settings, as the command line's entry point applies them (a no-op after the first task).
      NativeBackend.configure();
      ExperimentRunner runner = new ExperimentRunner(ExperimentConfig.read(Path.of(config)), Path.of(out));
      ExperimentConfig.Cell cell = runner.selectedCells().stream().filter(c -> c.id().equals(id)).findFirst()
          .orElseThrow(() -> new IllegalStateException("cell " + id + " is not in " + config + " any more"));
      // Nothing asks a task to stop (no stopRequested), so runCell always completes the cell or throws.
      if (!runner.finished(cell)) {
        runner.runCell(cell);
      }
    }
  }
}
