package io.github.drsn.experiments;

import io.github.drsn.model.layers.KernelChoice;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.Trainer;
import io.github.drsn.model.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One training run into a folder, as {@code drsn train} does it: trains with drsn-model's {@link TrainingRun}
 * (checkpoints in {@code checkpoints/}, resumable), calibrates the network on its validation split
 * ({@link Calibrations}: temperature scaling, OOD statistics and thresholds at 5 % false alarms, stored in the
 * bundle; ECE before/after and the test windows' ECE, unknown fraction and fault-family accuracy in the report's
 * {@code outcome.calibration}), then writes {@code model.drsn} (the bundle), {@code
 * report.json}, {@code report.md} and the figures, all recording the settings and the provenance. The settings
 * are saved first in {@code run.json}, so an interrupted run can be resumed with exactly its settings.
 *
 * <pre>{@code
 * RunSettings settings = RunSettings.fromJson(json);      // or RunSettings.DEFAULTS
 * TrainingJob.Result result = TrainingJob.run(settings, Path.of("runs/x"), false, null, null);
 * System.out.println(result.outcome().test().accuracy());
 * }</pre>
 */
public final class TrainingJob {

  /** The file in a run folder that holds the run's settings (JSON), for resuming. */
  public static final String SETTINGS_FILE = "run.json";
  /** The folder in a run folder that holds the checkpoints. */
  public static final String CHECKPOINTS = "checkpoints";

  /**
   * What a run produced.
   *
   * @param settings the settings it ran with
   * @param outcome the training outcome (networks, history, evaluations)
   * @param files the files written, bundle first; empty when training was interrupted (resume it)
   */
  public record Result(RunSettings settings, TrainingRun.Outcome outcome, List<Path> files) {

    /** Whether training was stopped by {@code stopRequested} before it finished (nothing was written). */
    public boolean interrupted() {
      return outcome.training().stopReason() == Trainer.StopReason.INTERRUPTED;
    }
  }

  private TrainingJob() {}

  /** Whether {@code dir} holds a started run (a last checkpoint to resume from). */
  public static boolean started(Path dir) {
    return Files.exists(dir.resolve(CHECKPOINTS).resolve(Trainer.LAST_CHECKPOINT));
  }

  /**
   * The settings a run in {@code dir} was started with.
   *
   * @throws IllegalArgumentException if {@code dir} holds no run, or a run of a version that recorded
   *     command-line arguments instead of settings
   */
  public static RunSettings savedSettings(Path dir) throws IOException {
    Path file = dir.resolve(SETTINGS_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("nothing to resume in " + dir + ": " + file + " is missing");
    }
    JsonNode saved = RunSettings.readTree(file);
    if (saved.has("arguments")) {
      throw new IllegalArgumentException(file + " records the command-line arguments of an older drsn, not run"
          + " settings; `drsn train --resume` converts it");
    }
    return RunSettings.read(file);
  }

  /**
   * Trains (or resumes) a run in {@code dir} and writes its bundle and report there.
   *
   * @param settings the run's settings; to resume, those of {@link #savedSettings} (the number of epochs may
   *     be raised or lowered, nothing else may change)
   * @param dir the run folder; created if missing
   * @param resume continue the run in {@code dir} from its last checkpoint
   * @param listener progress callbacks, or null
   * @param stopRequested polled after each minibatch (e.g. Ctrl-C), or null; a stopped run keeps its last
   *     completed epoch and can be resumed
   * @throws IllegalArgumentException if {@code dir} already holds a run and {@code resume} is false (delete
   *     its checkpoints to start afresh), if there is nothing to resume, or if the settings are not those of
   *     the run being resumed
   */
  public static Result run(RunSettings settings, Path dir, boolean resume, TrainingListener listener,
      BooleanSupplier stopRequested) throws Exception {
    return run(settings, dir, resume, listener, stopRequested, new DataSources());
  }

  /** As {@link #run(RunSettings, Path, boolean, TrainingListener, BooleanSupplier)}, its data from {@code sources}. */
  static Result run(RunSettings settings, Path dir, boolean resume, TrainingListener listener,
      BooleanSupplier stopRequested, DataSources sources) throws Exception {
    // Before any network is built: layer runtimes read the choice when DL4J instantiates them.
    KernelChoice.select(settings.training().kernels());
    if (resume) {
      RunSettings saved = savedSettings(dir);
      if (!saved.resumableAs(settings)) {
        if (settings.withEpochsAsGiven(saved.training().epochs()).equals(saved) && saved.model().schedule() == null) {
          throw new IllegalArgumentException("the run in " + dir + " was started over " + saved.training().epochs()
              + " epochs on the default schedule, the paper's steps at 40 % and 80 % of the run ("
              + saved.model().scheduleText(saved.training().epochs()) + "); over " + settings.training().epochs()
              + " epochs they are " + settings.model().scheduleText(settings.training().epochs()) + ", which the"
              + " epochs already trained did not follow: delete " + dir + " to train it again over "
              + settings.training().epochs() + " epochs, or resume it with its schedule written out");
        }
        throw new IllegalArgumentException("the run in " + dir + " was started with other settings: "
            + saved.toJson() + "; resuming may only change the number of epochs");
      }
      if (!started(dir)) {
        throw new IllegalArgumentException("nothing to resume in " + dir + ": it has no "
            + dir.resolve(CHECKPOINTS).resolve(Trainer.LAST_CHECKPOINT));
      }
    } else {
      if (started(dir)) {
        throw new IllegalArgumentException(dir + " already holds a run ("
            + dir.resolve(CHECKPOINTS).resolve(Trainer.LAST_CHECKPOINT) + "); resume it, or choose another folder");
      }
      Path bundle = dir.resolve(RunArtifacts.BUNDLE_FILE);
      if (Files.exists(bundle)) {
        throw new IllegalArgumentException(dir + " already holds a model (" + bundle + ") that no checkpoint of"
            + " this folder belongs to; choose another folder, or move the model away first");
      }
    }
    // Everything is checked before anything is written: a run that cannot start leaves no trace.
    WindowedDataset windows = sources.windows(settings.data(), settings.input());
    RunConfig config = settings.runConfig(windows);
    TrainingRun.check(windows, config);
    if (!resume || !savedSettings(dir).equals(settings)) {
      // A resumed run that changes its number of epochs records it, so that a later --resume continues to it.
      Files.createDirectories(dir);
      AtomicFiles.writeString(dir.resolve(SETTINGS_FILE), settings.toJsonText());
    }
    TrainingRun.Outcome outcome =
        TrainingRun.run(windows, config, dir.resolve(CHECKPOINTS), resume, listener, stopRequested);
    if (outcome.training().stopReason() == Trainer.StopReason.INTERRUPTED) {
      return new Result(settings, outcome, List.of());
    }
    List<Path> written =
        RunArtifacts.write(dir, settings.title(), windows, config, settings.configuration(), outcome);
    return new Result(settings, outcome, written);
  }
}
