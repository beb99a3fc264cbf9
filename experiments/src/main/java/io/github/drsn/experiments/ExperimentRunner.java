package io.github.drsn.experiments;

import io.github.drsn.experiments.report.Metric;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.experiments.ExperimentConfig.Cell;
import io.github.drsn.experiments.report.AdaptationTable;
import io.github.drsn.experiments.report.CellResult;
import io.github.drsn.experiments.report.Confusions;
import io.github.drsn.experiments.report.LastEpochLosses;
import io.github.drsn.experiments.report.PairedDifferences;
import io.github.drsn.experiments.report.Plots;
import io.github.drsn.experiments.report.Provenance;
import io.github.drsn.experiments.report.PublishedResult;
import io.github.drsn.experiments.report.ReportJson;
import io.github.drsn.experiments.report.ResultTable;
import io.github.drsn.experiments.report.ShiftTable;
import io.github.drsn.model.adapt.Adaptation;
import io.github.drsn.model.adapt.PseudoLabels;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.experiments.report.SweepTable;
import io.github.drsn.experiments.report.TrainingHistory;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.model.train.EpochRecord;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.model.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs an experiment grid ({@link ExperimentConfig}) resumably, in-process. Each cell (model × noise × SNR ×
 * seed) is a {@link TrainingJob} in {@code <runs>/<cell id>/}; its result is written to {@code
 * <out>/cells/<model>/<noise>_<snr>dB_seed<seed>.json} as soon as it finishes, and finished cells are skipped on
 * the next run, so a grid can be run over several sittings (an interrupted cell resumes from its checkpoint).
 * The summary (Markdown, CSV), an accuracy-vs-SNR plot per noise type and, from the cells' per-epoch history, a
 * plot of every run's training loss per noise type (one panel per SNR) are regenerated from the cell files.
 *
 * <p>An ensemble entry's cell ({@link ExperimentConfig.EnsembleOf}) trains nothing: it builds the ensemble of its
 * member cells' kept bundles ({@code <runs>/<member cell id>/model.drsn}) with {@link Ensembles}, writes it to its own
 * run folder and scores it as a trained cell's model is scored. Until every member cell and bundle exists it is
 * blocked ({@link #blockedBy}): {@link #run} skips it with a message and counts it not done.
 *
 * <pre>{@code
 * ExperimentRunner runner = new ExperimentRunner(ExperimentConfig.read(Path.of("experiments/synthetic.json")),
 *     Path.of("results/synthetic"));
 * ExperimentRunner.Result result = runner.run(0);
 * }</pre>
 */
public final class ExperimentRunner {

  /** Keys every cell file has (scripts read them; keep them stable). */
  public static final List<String> CELL_KEYS =
      List.of("dataset", "model", "noise", "snr_db", "seed", "recipe", "accuracy", "macro_f1", "train_seconds");

  /**
   * The cell key of the per-epoch history: one object per epoch with {@code epoch}, {@code train_loss},
   * {@code validation_loss}, {@code validation_accuracy}, {@code learning_rate} and {@code seconds}, as in the
   * run's report.json.
   */
  public static final String HISTORY_KEY = "history";

  /**
   * The cell key of the open-set rows (cells of a grid with {@code open_set}): one object per evaluation noise level
   * and OOD method with the keys {@link OpenSetEvaluation#ROW_KEYS}.
   */
  public static final String OPEN_SET_KEY = "open_set";

  /**
   * The cell key naming the run's training recipes ({@link io.github.drsn.model.train.TrainingRecipe#describe()},
   * e.g. {@code "label_smoothing=0.1"}, {@code "baseline"} for none). Cells written before recipes existed have
   * none and count as baseline. Summaries group by model and recipe: a cell with a recipe other than the baseline
   * is shown as {@code model [recipe]}.
   */
  public static final String RECIPE_KEY = "recipe";

  /**
   * The cell key of an ensemble cell's members, in order: one object per member with {@code seed}, {@code cell} (its
   * cell id), {@code bundle} (the file read), {@code sha256} and the member cell's {@code accuracy}. Absent in a
   * trained cell. An ensemble cell's {@code seed} is its first member's, so that it keys like one run; its {@code
   * model} is the ensemble entry's name, which keeps its rows apart from its members' in every summary.
   */
  public static final String MEMBERS_KEY = "members";

  /** The cell key of the run's complete {@link RunSettings}, which decide whether a cell belongs to a config. */
  public static final String SETTINGS_KEY = "settings";

  private static final ObjectMapper JSON = JsonMappers.indented();

  /**
   * How far a grid is.
   *
   * @param done finished cells among the selected ones
   * @param total selected cells
   * @param stopped whether a cell's training was stopped by {@code stopRequested} (resume by running again)
   */
  public record Result(int done, int total, boolean stopped) {}

  private final ExperimentConfig config;
  private final Path out;
  private Path runs;
  private List<String> onlyModels;
  private List<Long> onlySeeds;
  private Consumer<String> log = message -> {};
  private Function<Cell, TrainingListener> progress = cell -> null;
  private BooleanSupplier stopRequested = () -> false;
  /** Shared by all cells: each data source is read once per runner. */
  private DataSources sources = new DataSources();

  /**
   * A runner of {@code config} writing into {@code out}; cell runs go to {@code out/runs} unless
   * {@link #runsIn} says otherwise.
   */
  public ExperimentRunner(ExperimentConfig config, Path out) {
    this.config = config;
    this.out = out;
    this.runs = out.resolve("runs");
  }

  /** Puts the cells' training runs (bundles, checkpoints) into {@code dir}. */
  public ExperimentRunner runsIn(Path dir) {
    this.runs = dir;
    return this;
  }

  /**
   * Runs only the cells of these model variants (null: all).
   *
   * @throws IllegalArgumentException if a name is not one of the config's models
   */
  public ExperimentRunner onlyModels(List<String> names) {
    if (names != null) {
      TreeSet<String> known = new TreeSet<>();
      config.models().forEach(m -> known.add(m.name()));
      for (String name : names) {
        if (!known.contains(name)) {
          throw new IllegalArgumentException("'" + name + "' is not a model of " + config.name() + "; it has "
              + known);
        }
      }
    }
    this.onlyModels = names == null ? null : List.copyOf(names);
    return this;
  }

  /** Runs only the cells of these seeds (null: all). */
  public ExperimentRunner onlySeeds(List<Long> seeds) {
    this.onlySeeds = seeds == null ? null : List.copyOf(seeds);
    return this;
  }

  /** Where progress messages go (one line each, without a trailing newline). */
  public ExperimentRunner log(Consumer<String> log) {
    this.log = log;
    return this;
  }

  /**
   * Gives each cell's training a listener (e.g. a progress bar); closed after the cell when it is
   * {@link AutoCloseable}.
   */
  public ExperimentRunner progress(Function<Cell, TrainingListener> progress) {
    this.progress = progress;
    return this;
  }

  /** Polled after every minibatch: true stops the current cell after its last completed epoch (resumable). */
  public ExperimentRunner stopRequested(BooleanSupplier stopRequested) {
    this.stopRequested = stopRequested;
    return this;
  }

  /** Reads the data through {@code shared} (tests count the reads). */
  ExperimentRunner dataSources(DataSources shared) {
    this.sources = shared;
    return this;
  }

  /** The selected cells, in the order they run. */
  public List<Cell> selectedCells() {
    return config.cells().stream()
        .filter(c -> onlyModels == null || onlyModels.contains(c.model().name()))
        .filter(c -> onlySeeds == null || onlySeeds.contains(c.seed()))
        .toList();
  }

  /** The result file of a cell. */
  public Path cellFile(Cell cell) {
    return out.resolve("cells").resolve(cell.id() + ".json");
  }

  /** The training run folder of a cell. */
  public Path runDir(Cell cell) {
    return runs.resolve(cell.id());
  }

  /**
   * Whether a cell is finished (its result file exists).
   *
   * @throws IllegalArgumentException if its result was computed with other settings than the config gives it
   */
  public boolean finished(Cell cell) throws IOException {
    Path file = cellFile(cell);
    if (!Files.exists(file)) {
      return false;
    }
    checkSameSettings(file, cell);
    return true;
  }

  /**
   * Runs the unfinished selected cells, at most {@code maxCells} of them (0: all), rewriting the summary after
   * each; stops early when a cell's training is stopped. A cell that fails leaves the finished ones and their
   * summary in place.
   */
  public Result run(int maxCells) throws Exception {
    checkHeldOutClasses();
    List<Cell> cells = selectedCells();
    int done = 0;
    int ran = 0;
    for (Cell cell : cells) {
      if (finished(cell)) {
        done++;
        continue;
      }
      if (maxCells > 0 && ran >= maxCells) {
        continue;
      }
      String blocked = blockedBy(cell);
      if (blocked != null) {
        log.accept("cell " + cell.id() + " blocked: " + blocked);
        continue;
      }
      boolean completed;
      try {
        completed = runCell(cell);
      } catch (Exception e) {
        log.accept("cell " + cell.id() + " failed; finished cells are kept");
        writeSummary();
        throw e;
      }
      if (!completed) {
        writeSummary();
        return new Result(done, cells.size(), true);
      }
      ran++;
      done++;
      writeSummary();
    }
    writeSummary();
    return new Result(done, cells.size(), false);
  }

  /**
   * Checks that every {@code open_set.held_out} class of the unfinished selected cells is a class of the data those
   * cells train on; {@link #run} does before its first cell. A class the data lack (a typo) was otherwise found only
   * when its own cell loaded the data, after the cells before it had trained (held-out classes are the innermost
   * loop). Reads each data source once, through the sources the cells then share.
   *
   * @throws IllegalArgumentException naming {@code open_set.held_out}, the grid and the data's classes
   * @throws RecordingLoadException when a recording cannot be read
   */
  public void checkHeldOutClasses() throws IOException, RecordingLoadException {
    if (config.openSet() == null) {
      return;
    }
    Map<JsonNode, List<String>> classesOfSource = new java.util.HashMap<>();
    for (Cell cell : selectedCells()) {
      if (cell.heldOut() == null || cell.model().isEnsemble() || finished(cell)) {
        continue; // an ensemble cell's data are its members', checked with them
      }
      RunSettings settings = cell.settings(config);
      DataSettings data = settings.data();
      ObjectNode source = (ObjectNode) settings.toJson().path("data").deepCopy();
      source.remove("exclude_classes"); // the held-out class itself, which DataSources#loadAll does not apply
      List<String> classes = classesOfSource.get(source);
      if (classes == null) {
        classes = sources.loadAll(data).classes();
        classesOfSource.put(source, classes);
      }
      if (!classes.contains(cell.heldOut())) {
        throw new IllegalArgumentException("experiment config \"" + config.name() + "\": key open_set.held_out must"
            + " name classes of the data " + classes + ", got \"" + cell.heldOut() + "\" (of "
            + config.openSet().heldOut() + "); no cell was trained");
      }
    }
  }

  /** Checks the finished selected cells against the config and regenerates the summary; trains nothing. */
  public Result summarize() throws IOException {
    List<Cell> cells = selectedCells();
    int done = 0;
    for (Cell cell : cells) {
      if (finished(cell)) {
        done++;
      }
    }
    writeSummary();
    return new Result(done, cells.size(), false);
  }

  /**
   * Why an ensemble cell cannot run yet: its member cells' result files or kept bundles that do not exist, named; null
   * when it can (and for every trained cell).
   *
   * @throws IllegalArgumentException if a member's result was computed with other settings than the config gives it
   */
  public String blockedBy(Cell cell) throws IOException {
    List<String> missing = new ArrayList<>();
    for (Cell member : cell.members(config)) {
      Path bundle = runDir(member).resolve(RunArtifacts.BUNDLE_FILE);
      if (!finished(member)) {
        missing.add("member cell " + cellFile(member) + " does not exist");
      } else if (!Files.isRegularFile(bundle)) {
        missing.add("member bundle " + bundle + " does not exist");
      }
    }
    return missing.isEmpty() ? null : String.join("; ", missing) + " (run model " + cell.model().ensemble().of()
        + " first, with --runs where its runs are)";
  }

  /**
   * Refuses a cell that another grid wrote into this {@code --out} (its recorded experiment has another name), whose
   * model this config does not list, or that is no cell of this config at all (its noise, SNR, seed or held-out class
   * is not in the grid: several configs share a name, e.g. six are named "cwru"). Tabled beside this grid's cells, it
   * would read as one of them.
   *
   * @param cellFiles the files of every cell of the config (not only those --models/--seeds select), normalised
   */
  private void checkOfThisGrid(Path file, JsonNode cell, java.util.Set<Path> cellFiles) {
    JsonNode recordedName = cell.path("experiment").path("name");
    if (recordedName.isTextual() && !recordedName.asText().equals(config.name())) {
      throw new IllegalArgumentException("cell " + file + " was written by the grid '" + recordedName.asText()
          + "', not by '" + config.name() + "' that is summarised here; give each grid its own --out (or move the"
          + " cell to its grid's folder)");
    }
    String model = cell.path("model").asText();
    if (config.models().stream().noneMatch(m -> m.name().equals(model))) {
      throw new IllegalArgumentException("cell " + file + " is of the model '" + model + "', which "
          + config.name() + " does not list (models: " + config.models().stream().map(ExperimentConfig.Variant::name)
          .toList() + "); remove the cell, or add its entry back to the config");
    }
    if (!cellFiles.contains(file.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("cell " + file + " is no cell of " + config.name() + " (its models x noise"
          + " levels x seeds" + (config.openSet() == null ? "" : " x held-out classes") + "): another grid of the same"
          + " name wrote it, or the config's grid changed; give each grid its own --out, or remove the cell");
    }
  }

  /** A cell file's JSON; a file that is not JSON (e.g. truncated by a full disk) is named in the error. */

  private static JsonNode readCell(Path cellFile) throws IOException {
    try {
      return JSON.readTree(cellFile.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("cell " + cellFile + " is not a readable cell file: " + e.getOriginalMessage()
          + " (remove it, or run the grid again to recompute it)", e);
    }
  }

  private void checkSameSettings(Path cellFile, Cell cell) throws IOException {
    JsonNode recorded = readCell(cellFile);
    if (!recorded.has(SETTINGS_KEY)) {
      throw new IllegalArgumentException("cell " + cellFile + " records no \"" + SETTINGS_KEY + "\""
          + (recorded.has("train_arguments") ? " but command-line arguments (train_arguments), as cells before run"
              + " settings did; migrate it (see MigrateCellsToSettings in the CLI's tests)" : ""));
    }
    RunSettings expected = cell.settings(config);
    RunSettings was;
    try {
      was = RunSettings.fromJson(recorded.path(SETTINGS_KEY));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cell " + cellFile + ": " + e.getMessage(), e);
    }
    if (!was.equals(expected)) {
      throw new IllegalArgumentException("cell " + cellFile + " was computed with settings " + was.toJson()
          + " but the config now gives " + expected.toJson() + "; use another output folder for a changed grid");
    }
    List<String> members = cell.members(config).stream().map(Cell::id).toList();
    List<String> recordedMembers = new ArrayList<>();
    recorded.path(MEMBERS_KEY).forEach(m -> recordedMembers.add(m.path("cell").asText()));
    if (!members.equals(recordedMembers)) {
      throw new IllegalArgumentException("cell " + cellFile + " has members " + recordedMembers + " but the config now"
          + " gives " + members + "; use another output folder for a changed grid");
    }
    int m = 0;
    for (Cell member : cell.members(config)) {
      JsonNode recordedAccuracy = recorded.path(MEMBERS_KEY).path(m++).path("accuracy");
      Path memberFile = cellFile(member);
      if (!recordedAccuracy.isNumber() || !Files.exists(memberFile)) {
        continue;
      }
      double now = readCell(memberFile).path("accuracy").asDouble();
      if (now != recordedAccuracy.asDouble()) {
        throw new IllegalArgumentException("cell " + cellFile + " is the ensemble of an earlier " + member.id()
            + " (test accuracy " + recordedAccuracy.asDouble() + "; its cell " + memberFile + " now records " + now
            + "): remove " + cellFile + " and run the grid again to build the ensemble of the members now there");
      }
    }
  }

  /**
   * Trains (or resumes) one cell and writes its cell file, whether or not it is selected or finished, without
   * rewriting the summary: the unit of work for running a grid's cells on several machines (the spark module runs
   * one per task and its driver calls {@link #writeSummary()}). {@link #run} calls it for each unfinished cell.
   *
   * @return false when its training was stopped by {@link #stopRequested} (run it again to resume)
   */
  public boolean runCell(Cell cell) throws Exception {
    if (cell.model().isEnsemble()) {
      runEnsembleCell(cell);
      return true;
    }
    Path runDir = runDir(cell);
    Path cellFile = cellFile(cell);
    RunSettings settings = cell.settings(config);
    boolean resume = TrainingJob.started(runDir);
    log.accept("cell " + cell.id() + (resume ? " (resuming)" : "") + ": " + settings.title());
    TrainingListener listener = progress.apply(cell);
    TrainingJob.Result trained;
    try {
      trained = TrainingJob.run(settings, runDir, resume, listener, stopRequested, sources);
    } finally {
      if (listener instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    if (trained.interrupted()) {
      log.accept("cell " + cell.id() + " stopped after epoch " + trained.outcome().training().history().size()
          + "; run the grid again to continue it");
      return false;
    }
    ObjectNode report = (ObjectNode) JSON.readTree(runDir.resolve("report.json").toFile());
    JsonNode test = report.path("metrics").path("test");
    ObjectNode result = cellHeader(cell, settings);
    result.set("accuracy", test.path("accuracy"));
    result.set("macro_f1", test.path("macro_f1"));
    result.put("train_seconds", report.path("training_seconds").asDouble());
    putFinalEpoch(result, report);
    result.set("classes", test.path("classes"));
    result.set("confusion", test.path("confusion"));
    result.set("per_class", test.path("per_class"));
    ObjectNode validation = ((ObjectNode) report.path("metrics").path("validation")).deepCopy();
    validation.remove(List.of("per_class", "confusion"));
    result.set("validation", validation);
    if (config.hasSweep()) {
      result.set("sweep", sweep(cell, settings, runDir));
    }
    if (config.testData() != null && !config.testData().isEmpty()) {
      result.set("shift", shift(cell, settings, runDir));
    }
    if (config.adaptation() != null) {
      result.set("adaptation", adaptation(cell, settings, runDir));
    }
    result.put("epochs_run", report.path("history").path("epochs").size());
    result.set(HISTORY_KEY, report.path("history").path("epochs"));
    result.set(SETTINGS_KEY, settings.toJson());
    result.set("configuration", report.path("configuration"));
    result.set("provenance", report.path("provenance"));
    result.set("experiment", config.toJson());
    if (cell.heldOut() != null) {
      result.put("held_out_class", cell.heldOut());
      result.set(OPEN_SET_KEY, JSON.valueToTree(OpenSetEvaluation.rows(
          Bundle.read(runDir.resolve(RunArtifacts.BUNDLE_FILE)), settings, cell.heldOut(),
          config.openSet().evaluate(), cell.dataset(), cell.model().name(), cell.seed(), sources)));
    }
    result.set("calibration", report.path("outcome").path("calibration"));
    Files.createDirectories(cellFile.getParent());
    AtomicFiles.writeString(cellFile, JSON.writeValueAsString(result));
    log.accept(String.format("cell %s test accuracy %.4f, macro-F1 %.4f (%s)", cell.id(),
        test.path("accuracy").asDouble(), test.path("macro_f1").asDouble(), cellFile));
    return true;
  }

  /**
   * Builds an ensemble cell's bundle from its members' ({@link Ensembles#of}: calibrated as an ensemble on the first
   * member's validation split, by the default method at the first member's false-alarm rate), writes it to the cell's
   * run folder, and writes the cell: test accuracy through the runtime on the first member's test windows with its
   * noise and evaluation seed (the windows every member was tested on), the open-set rows when the grid has them,
   * every member (their provenance under {@code provenance.ensemble_of}, this build's at its top), and {@code
   * train_seconds} the members' sum (what the ensemble cost to train) with {@code ensemble_seconds} the time this
   * took.
   *
   * @throws IllegalArgumentException if a member is missing ({@link #blockedBy}) or the members do not fit together
   */
  private void runEnsembleCell(Cell cell) throws Exception {
    String blocked = blockedBy(cell);
    if (blocked != null) {
      throw new IllegalArgumentException("ensemble cell " + cell.id() + " cannot run: " + blocked);
    }
    long start = System.nanoTime();
    RunSettings settings = cell.settings(config);
    log.accept("cell " + cell.id() + ": ensemble of " + cell.members(config).stream().map(Cell::id).toList());
    List<Path> bundles = new ArrayList<>();
    ArrayNode members = JSON.createArrayNode();
    double trainSeconds = 0;
    for (Cell member : cell.members(config)) {
      Path bundle = runDir(member).resolve(RunArtifacts.BUNDLE_FILE);
      bundles.add(bundle);
      JsonNode memberCell = readCell(cellFile(member));
      trainSeconds += memberCell.path("train_seconds").asDouble();
      members.addObject().put("seed", member.seed()).put("cell", member.id()).put("bundle", bundle.toString())
          .put("sha256", FileDigests.sha256(bundle))
          .set("accuracy", memberCell.path("accuracy"));
    }
    Calibration firstCalibration = Bundle.read(bundles.get(0))
        .calibration();
    double falseAlarmRate = firstCalibration == null ? Calibration.DEFAULT_FALSE_ALARM_RATE
        : firstCalibration.falseAlarmRate();
    Ensembles.Built built = Ensembles.of(bundles, falseAlarmRate, Calibrations.DEFAULT_METHOD, sources);
    built.warnings().forEach(w -> log.accept("cell " + cell.id() + ": " + w));
    Bundle ensemble = built.bundle();
    Path runDir = runDir(cell);
    Files.createDirectories(runDir);
    ensemble.write(runDir.resolve(RunArtifacts.BUNDLE_FILE));
    WindowedDataset windows = sources.windows(settings.data(), settings.input());
    ClassificationReport test = Evaluation.evaluate(LeanDiagnoser.of(ensemble), windows, Region.TEST,
        settings.runConfig(windows).pipeline().noise(), Calibrations.recordedEvaluationSeed(ensemble));
    ObjectNode metrics = ReportJson.metrics(test);
    ObjectNode result = cellHeader(cell, settings);
    result.set("accuracy", metrics.path("accuracy"));
    result.set("macro_f1", metrics.path("macro_f1"));
    result.put("train_seconds", trainSeconds);
    result.set(MEMBERS_KEY, members);
    result.set("classes", metrics.path("classes"));
    result.set("confusion", metrics.path("confusion"));
    result.set("per_class", metrics.path("per_class"));
    result.set(SETTINGS_KEY, settings.toJson());
    // The members' provenance (ensemble_of) with this build and time at the top, as a trained cell's names its run's.
    ObjectNode provenance = JSON.valueToTree(ensemble.provenance());
    provenance.put("project_version", Provenance.projectVersionOf(ExperimentRunner.class));
    provenance.put("created_utc",
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    result.set("provenance", provenance);
    result.set("experiment", config.toJson());
    if (cell.heldOut() != null) {
      result.put("held_out_class", cell.heldOut());
      List<Map<String, Object>> rows = OpenSetEvaluation.rows(ensemble, settings, cell.heldOut(),
          config.openSet().evaluate(), cell.dataset(), cell.model().name(), cell.seed(), sources);
      List<Long> seeds = cell.model().ensemble().seeds();
      rows.forEach(row -> row.put(MEMBERS_KEY, seeds));
      result.set(OPEN_SET_KEY, JSON.valueToTree(rows));
    }
    result.set("calibration", JSON.valueToTree(ensemble.metrics().get("calibration")));
    result.put("ensemble_seconds", (System.nanoTime() - start) / 1e9);
    Files.createDirectories(cellFile(cell).getParent());
    AtomicFiles.writeString(cellFile(cell), JSON.writeValueAsString(result));
    log.accept(String.format(java.util.Locale.ROOT, "cell %s test accuracy %.4f, macro-F1 %.4f, %.0f s (%s)",
        cell.id(), test.accuracy(), test.macroF1(), result.path("ensemble_seconds").asDouble(), cellFile(cell)));
  }

  /** The keys every cell starts with: dataset, model, noise, snr_db (null when clean), seed and recipe. */
  private static ObjectNode cellHeader(Cell cell, RunSettings settings) {
    ObjectNode result = JSON.createObjectNode();
    result.put("dataset", cell.dataset());
    result.put("model", cell.model().name());
    result.put("noise", cell.noise());
    if (Double.isFinite(cell.snrDb())) {
      result.put("snr_db", cell.snrDb());
    } else {
      result.putNull("snr_db");
    }
    result.put("seed", cell.seed());
    result.put(RECIPE_KEY, settings.training().recipe().describe());
    return result;
  }

  /**
   * The cell's model (its bundle, through the runtime, as {@code drsn evaluate} scores) on the test windows at every
   * level of the config's sweep, with the cell's evaluation seed: one object per level with {@code snr_db} (null
   * for clean), {@code accuracy} and {@code macro_f1}.
   */
  private ArrayNode sweep(Cell cell, RunSettings settings, Path runDir) throws IOException {
    Diagnoser diagnoser = LeanDiagnoser.load(runDir.resolve(RunArtifacts.BUNDLE_FILE));
    WindowedDataset windows = sources.windows(settings.data(), settings.input());
    NoiseType type = InputSettings.Noise.valueOf(config.testNoise() != null ? config.testNoise() : cell.noise())
        .type();
    List<Double> levels = new ArrayList<>(config.testSnrDb() == null ? List.of() : config.testSnrDb());
    if (Boolean.TRUE.equals(config.testClean())) {
      levels.add(null);
    }
    ArrayNode sweep = JSON.createArrayNode();
    for (Double level : levels) {
      NoiseSpec noise = level == null ? null : new NoiseSpec(type, level);
      ClassificationReport report = Evaluation.evaluate(diagnoser, windows, Region.TEST, noise,
          settings.training().evaluationSeed());
      ObjectNode point = sweep.addObject();
      if (level == null) {
        point.putNull("snr_db");
      } else {
        point.put("snr_db", level);
      }
      point.put("accuracy", report.accuracy());
      point.put("macro_f1", report.macroF1());
      log.accept(String.format(java.util.Locale.ROOT, "cell %s at %s: accuracy %.4f", cell.id(),
          level == null ? "clean" : level + " dB", report.accuracy()));
    }
    return sweep;
  }

  /**
   * The cell's model on the test windows of each of the config's other data sets, at the cell's noise level (the
   * lower end of a range), through the runtime: one object per test set with {@code name}, {@code data} (its
   * description), {@code windows}, {@code accuracy} and {@code macro_f1}.
   */
  private ArrayNode shift(Cell cell, RunSettings settings, Path runDir) throws IOException {
    Diagnoser diagnoser = LeanDiagnoser.load(runDir.resolve(RunArtifacts.BUNDLE_FILE));
    NoiseSpec noise = settings.input().noise() == InputSettings.Noise.none ? null
        : new NoiseSpec(settings.input().noise().type(), settings.input().snrDb());
    ArrayNode shift = JSON.createArrayNode();
    for (ExperimentConfig.TestData test : config.testData()) {
      DataSettings data = cell.testData(config, test);
      WindowedDataset windows = sources.windows(data, settings.input());
      ClassificationReport report = Evaluation.evaluate(diagnoser, windows, Region.TEST, noise,
          settings.training().evaluationSeed());
      ObjectNode point = shift.addObject();
      point.put("name", test.name());
      point.put("data", data.describe());
      point.put("windows", windows.windows(Region.TEST).size());
      point.put("accuracy", report.accuracy());
      point.put("macro_f1", report.macroF1());
      log.accept(String.format(java.util.Locale.ROOT, "cell %s on %s: accuracy %.4f", cell.id(), test.name(),
          report.accuracy()));
    }
    return shift;
  }

  /**
   * The cell's model adapted without labels to its own test windows by each of the config's {@code adaptation}
   * methods ({@link AdaptationTarget}: the windows with their evaluation noise, labels used only to score), then
   * scored on them: one object per method with {@code method}, {@code windows}, the source model's and the adapted
   * model's {@code accuracy} and {@code family_accuracy}, the adapted model's {@code agreement} with the source, and
   * whether the guard of {@code drsn adapt} would have {@code refused} it (it is scored either way, so that a refusal
   * can be judged). Pseudo-labels use the defaults of {@code drsn adapt} with the cell's seed.
   */
  private ArrayNode adaptation(Cell cell, RunSettings settings, Path runDir) throws IOException {
    Path bundleFile = runDir.resolve(RunArtifacts.BUNDLE_FILE);
    ModelBundle source = ModelBundle.read(bundleFile);
    AdaptationTarget target = AdaptationTarget.ofSplit(source, bundleFile, Region.TEST,
        settings.training().evaluationSeed(), sources);
    ArrayNode out = JSON.createArrayNode();
    for (String method : config.adaptation()) {
      PseudoLabels.Options d = PseudoLabels.Options.DEFAULT;
      PseudoLabels.Options pseudoLabels = method.endsWith("pseudo-labels") ? new PseudoLabels.Options(d.threshold(),
          d.classBalanced(), d.epochs(), d.learningRate(), d.batch(), cell.seed()) : null;
      Adaptation.Result adapted = Adaptation.adapt(source, target.windows(),
          new Adaptation.Options(true, pseudoLabels, Adaptation.Guard.DEFAULT));
      ObjectNode point = out.addObject();
      point.put("method", method);
      point.put("windows", target.windows().size());
      float[][] before = adapted.sourceProbabilities();
      point.put("source_accuracy", target.accuracy(before));
      point.put("source_family_accuracy", target.familyAccuracy(before, source.classes()));
      point.put("accuracy", target.accuracy(adapted.probabilities()));
      point.put("family_accuracy", target.familyAccuracy(adapted.probabilities(), source.classes()));
      point.put("agreement", adapted.report().adapted().agreement());
      point.put("refused", adapted.report().refused());
      log.accept(String.format(java.util.Locale.ROOT, "cell %s adapted by %s: accuracy %.4f -> %.4f", cell.id(),
          method, point.path("source_accuracy").asDouble(), point.path("accuracy").asDouble()));
    }
    return out;
  }

  /** Cell keys taken from a report's last-epoch test and outcome (reports before them have neither). */
  private static void putFinalEpoch(ObjectNode cell, JsonNode report) {
    JsonNode last = report.path("metrics").path(RunArtifacts.FINAL_EPOCH_TEST);
    if (last.isObject()) {
      cell.set("accuracy_final_epoch", last.path("accuracy"));
      cell.set("macro_f1_final_epoch", last.path("macro_f1"));
    }
    if (report.path("outcome").has("best_epoch")) {
      cell.set("best_epoch", report.path("outcome").path("best_epoch"));
    }
  }

  /** What the tables above mean for the models trained over a range of SNRs (empty when there are none). */
  private static String rangeNote(Map<String, Boolean> rangeCells) {
    if (rangeCells.isEmpty()) {
      return "";
    }
    StringBuilder note = new StringBuilder("## Models trained over a range of SNRs\n\nTheir rows above are labelled"
        + " with the lower end of the range. Each use of a training window drew its SNR from the range, and so did the"
        + " validation windows and the cell's own test windows.\n\n");
    rangeCells.forEach((model, atLowerEnd) -> note.append("- ").append(model).append(": ").append(atLowerEnd
        ? "tabled with its accuracy tested at the lower end (the sweep's); the last epoch was tested over the range"
            + " only, so it has no last-epoch figure"
        : "tabled with its accuracy over the whole range (its test windows' SNRs drawn from it); the accuracy at each"
            + " level is under \"Accuracy at every noise level\" where the grid tests it").append('\n'));
    return note.append('\n').toString();
  }

  /**
   * For a cell trained over a range of SNRs ({@code input.snr_max_db}) whose sweep tested it at the lower end of its
   * range, that sweep point; else null. Such a cell's own test windows draw their SNR from the whole range, so its
   * {@code accuracy} (and last-epoch accuracy and confusion) is not an accuracy at {@code snr_db}: the tables, which
   * label every cell by {@code snr_db} and pair it with the other models' cells there, take the sweep's accuracy at
   * that level instead, and leave the range-wide figures out.
   */
  static JsonNode rangeCellAtItsLowerEnd(JsonNode cell, String testNoise) {
    if (!cell.path(SETTINGS_KEY).path("input").path("snr_max_db").isNumber() || !cell.path("snr_db").isNumber()
        || testNoise != null && !testNoise.equals(cell.path("noise").asText())) {
      return null; // (a sweep of another noise type, test_noise, says nothing about the cell's own)
    }
    for (JsonNode point : cell.path("sweep")) {
      if (point.path("snr_db").isNumber() && point.path("snr_db").asDouble() == cell.path("snr_db").asDouble()) {
        return point;
      }
    }
    return null;
  }

  /** The group a cell's result is summarised in: its model, its held-out class (open set), and its recipe unless baseline. */
  static String group(JsonNode cell) {
    String recipe = cell.path(RECIPE_KEY).asText(io.github.drsn.model.train.TrainingRecipe.BASELINE_NAME);
    // An open-set cell's model knows other classes than its neighbours' (one is held out): its own group, so
    // that tables and summed confusion matrices never mix class sets.
    String heldOut = cell.path("held_out_class").isTextual() ? " without " + cell.path("held_out_class").asText() : "";
    return cell.path("model").asText() + heldOut
        + (recipe.equals(io.github.drsn.model.train.TrainingRecipe.BASELINE_NAME) ? "" : " [" + recipe + "]");
  }

  /** A cell's history (the epochs array of its run's report, stored under {@link #HISTORY_KEY}). */
  private static TrainingHistory history(JsonNode cell, Path file) {
    try {
      return TrainingHistory.fromJsonTree(JSON.createObjectNode().set("epochs", cell.path(HISTORY_KEY)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cell " + file + ": '" + HISTORY_KEY + "' is not a training history: "
          + e.getMessage(), e);
    }
  }

  /** A cell's {@code classes}: class names. */
  private static List<String> classesOf(JsonNode cell) {
    List<String> classes = new ArrayList<>();
    for (JsonNode name : cell.path("classes")) {
      if (!name.isTextual()) {
        throw new IllegalArgumentException("key classes must list class names, got " + cell.path("classes"));
      }
      classes.add(name.asText());
    }
    return classes;
  }

  /**
   * A cell's {@code confusion}: a matrix of counts, one row of whole non-negative numbers per class (Jackson's own
   * conversion named neither the cell nor the key, and would truncate a fractional count).
   */
  private static int[][] confusionOf(JsonNode cell) {
    JsonNode rows = cell.path("confusion");
    int[][] confusion = new int[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      if (!row.isArray()) {
        throw new IllegalArgumentException("key confusion must be a matrix of counts (an array of rows), got row "
            + (i + 1) + ": " + row);
      }
      confusion[i] = new int[row.size()];
      for (int j = 0; j < row.size(); j++) {
        JsonNode count = row.get(j);
        if (!count.isIntegralNumber() || !count.canConvertToInt() || count.asInt() < 0) {
          throw new IllegalArgumentException("key confusion must be a matrix of counts (whole numbers >= 0), got "
              + count + " in row " + (i + 1) + ": " + row);
        }
        confusion[i][j] = count.asInt();
      }
    }
    return confusion;
  }

  /**
   * Regenerates {@code summary.md}, {@code summary.csv} and the plots from every cell file in {@code out/cells}
   * (also cells of models or seeds not selected with {@code --models}/{@code --seeds}), or does nothing when there
   * are none.
   *
   * @throws IllegalArgumentException naming the file, for a cell another grid wrote or of a model the config does
   *     not list
   */
  public void writeSummary() throws IOException {
    Path cellsDir = out.resolve("cells");
    if (!Files.isDirectory(cellsDir)) {
      return;
    }
    List<CellResult> results = new ArrayList<>();
    Confusions confusions = new Confusions();
    // noise → SNR → model → training loss per epoch of each seed, for the cells that keep their history
    Map<String, TreeMap<Double, Map<String, List<double[]>>>> losses = new TreeMap<>();
    LastEpochLosses lastLosses = new LastEpochLosses();
    SweepTable sweeps = new SweepTable();
    ShiftTable shifts = new ShiftTable();
    AdaptationTable adaptations = new AdaptationTable();
    List<JsonNode> openSetRows = new ArrayList<>();
    Map<String, Boolean> rangeCells = new TreeMap<>(); // model and range → tabled at the lower end (else over the range)
    java.util.Set<Path> ownCellFiles = new java.util.HashSet<>();
    config.cells().forEach(cell -> ownCellFiles.add(cellFile(cell).toAbsolutePath().normalize()));
    try (Stream<Path> files = Files.walk(cellsDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode c = readCell(file);
        for (String key : List.of("dataset", "model", "noise", "seed", "accuracy", "macro_f1")) {
          if (!c.hasNonNull(key)) {
            throw new IllegalArgumentException("cell " + file + " has no \"" + key + "\"; expected a cell file that"
                + " drsn experiment wrote (remove it, or run the grid again to recompute it)");
          }
        }
        checkOfThisGrid(file, c, ownCellFiles);
        JsonNode atOwnLevel = rangeCellAtItsLowerEnd(c, config.testNoise());
        for (JsonNode measured : atOwnLevel == null ? List.of(c) : List.of(c, atOwnLevel)) {
          for (String key : List.of("accuracy", "macro_f1")) {
            if (!measured.path(key).isNumber()) {
              // asDouble() would table a text such as "n/a" as 0 %
              throw new IllegalArgumentException("cell " + file + ": key " + key + (measured == c ? ""
                  : " of its sweep point at " + c.path("snr_db") + " dB") + " must be a number, got "
                  + measured.path(key) + " (remove the cell, or run the grid again to recompute it)");
            }
          }
        }
        c.path(OPEN_SET_KEY).forEach(openSetRows::add);
        JsonNode snrMax = c.path(SETTINGS_KEY).path("input").path("snr_max_db");
        if (snrMax.isNumber() && c.path("snr_db").isNumber()) {
          rangeCells.put(group(c) + ", trained over " + ResultTable.snrLabel(c.path("snr_db").asDouble()) + ".."
              + ResultTable.snrLabel(snrMax.asDouble()) + " dB", atOwnLevel != null);
        }
        JsonNode tested = atOwnLevel == null ? c : atOwnLevel;
        results.add(new CellResult(c.path("dataset").asText(), group(c), c.path("noise").asText(),
            c.path("snr_db").isNull() ? Double.POSITIVE_INFINITY : c.path("snr_db").asDouble(),
            c.path("seed").asLong(), tested.path("accuracy").asDouble(), tested.path("macro_f1").asDouble(),
            c.path("train_seconds").asDouble(), tested.path("accuracy_final_epoch").isNumber()
                ? tested.path("accuracy_final_epoch").asDouble() : Double.NaN));
        if (c.path(HISTORY_KEY).isArray() && !c.path(HISTORY_KEY).isEmpty()) {
          CellResult r = results.get(results.size() - 1);
          List<EpochRecord> epochs = history(c, file).epochs();
          losses.computeIfAbsent(r.noise(), k -> new TreeMap<>())
              .computeIfAbsent(r.snrDb(), k -> new TreeMap<>())
              .computeIfAbsent(r.model(), k -> new ArrayList<>())
              .add(epochs.stream().mapToDouble(EpochRecord::trainLoss).toArray());
          EpochRecord last = epochs.get(epochs.size() - 1);
          lastLosses.add(r.dataset(), r.noise(), r.snrDb(), r.model(), last.trainLoss(), last.validationLoss());
        }
        if (c.path("sweep").isArray()) {
          CellResult r = results.get(results.size() - 1);
          String trainedAt = r.noise().equals("none") ? "clean" : r.noise() + " "
              + ResultTable.snrLabel(r.snrDb()) + " dB" + (c.path(SETTINGS_KEY).path("input").path("snr_max_db")
              .isNumber() ? ".." + ResultTable.snrLabel(c.path(SETTINGS_KEY).path("input").path("snr_max_db")
              .asDouble()) + " dB" : "");
          sweeps.add(r.model(), trainedAt, c.path("sweep"));
        }
        if (c.path("shift").isArray()) {
          CellResult r = results.get(results.size() - 1);
          shifts.add(r.model() + ", " + (r.noise().equals("none") ? "clean" : r.noise() + " "
              + ResultTable.snrLabel(r.snrDb()) + " dB"), r.accuracy(), c.path("shift"));
        }
        if (c.path("adaptation").isArray()) {
          adaptations.add(results.get(results.size() - 1).model(), c.path("adaptation"));
        }
        if (atOwnLevel == null && c.path("confusion").isArray() && c.path("classes").isArray()) {
          CellResult r = results.get(results.size() - 1);
          try {
            confusions.add(r.dataset(), r.model(), r.noise(), r.snrDb(), classesOf(c), confusionOf(c));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cell " + file + ": " + e.getMessage() + " (remove the cell, or run"
                + " the grid again to recompute it)", e);
          }
        }
      }
    }
    if (results.isEmpty()) {
      return;
    }
    if (!openSetRows.isEmpty()) {
      AtomicFiles.writeString(out.resolve("open_set.md"), "# " + config.name() + ": open set\n\nMeans over the"
          + " held-out classes (and seeds) of the cells done; thresholds chosen for "
          + "the false-alarm rate stated in each cell on the known classes' validation windows.\n\n"
          + OpenSetEvaluation.summary(openSetRows));
    }
    ResultTable table = ResultTable.of(results);
    List<PublishedResult> published = config.publishedResults();
    String confusionTable = confusions.toMarkdown(3);
    String paired = config.baseline() == null ? "" : new PairedDifferences(results, config.baseline()).toMarkdown();
    String fit = lastLosses.toMarkdown();
    table.writeMarkdown(out.resolve("summary.md"), published, config.referencesNote(), rangeNote(rangeCells)
        + sweeps.toMarkdown() + shifts.toMarkdown() + adaptations.toMarkdown() + paired
        + (fit.isEmpty() ? "" : "## How well each model fits\n\nTraining loss (mean over the last epoch's batches)"
            + " and validation loss of the last epoch, from each cell's history. Read with the accuracies: a network"
            + " can test worse because it fits its training data less well in the step budget (a higher training"
            + " loss) or because it overfits (a validation loss well above its training loss).\n\n" + fit)
        + (confusionTable.isEmpty() ? ""
        : "## Where the errors are\n\nTest confusion matrices of the best-validation epoch, summed over seeds (each"
            + " cell file has its own); the three largest off-diagonal counts per group.\n\n" + confusionTable + "\n"));
    table.writeCsv(out.resolve("summary.csv"));
    for (var noise : losses.entrySet()) {
      Map<String, Map<String, List<double[]>>> panels = new LinkedHashMap<>();
      noise.getValue().forEach((snr, models) ->
          panels.put(ResultTable.snrLabel(snr) + (Double.isFinite(snr) ? " dB" : ""), models));
      Plots.epochCurvePanels(out.resolve("training_loss_" + noise.getKey() + ".png"), config.name() + ", "
          + noise.getKey() + " noise: training loss per epoch, one line per seed", "Training loss", panels);
    }
    TreeSet<String> noises = new TreeSet<>();
    results.forEach(r -> noises.add(r.noise()));
    for (String noise : noises) {
      if (!noise.equals("none")) {
        table.writeSnrPlot(out.resolve("accuracy_vs_snr_" + noise + ".png"), config.name(), noise,
            Metric.ACCURACY, published);
        if (!table.snrCurves(config.name(), noise, Metric.ACCURACY_FINAL_EPOCH).isEmpty()) {
          table.writeSnrPlot(out.resolve("accuracy_last_epoch_vs_snr_" + noise + ".png"), config.name(), noise,
              Metric.ACCURACY_FINAL_EPOCH, published);
        }
      }
    }
  }
}
