package io.github.drsn.cli.commands;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.cli.ExperimentConfig;
import io.github.drsn.cli.Main;
import io.github.drsn.cli.RunArtifacts;
import io.github.drsn.cli.report.CellResult;
import io.github.drsn.cli.report.Confusions;
import io.github.drsn.cli.report.LastEpochLosses;
import io.github.drsn.cli.report.PairedDifferences;
import io.github.drsn.cli.report.Plots;
import io.github.drsn.cli.report.PublishedResult;
import io.github.drsn.cli.report.ResultTable;
import io.github.drsn.cli.report.TrainingHistory;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.model.train.EpochRecord;
import io.github.drsn.model.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drsn experiment}: the noise sweep of docs/protocol.md. Each cell (model × noise × SNR × seed) is a
 * {@code drsn train} run; its result is written to {@code cells/<model>/<noise>_<snr>dB_seed<seed>.json} as
 * soon as it finishes, and finished cells are skipped on the next invocation, so a grid can be run over
 * several sittings (an interrupted cell resumes from its checkpoint). The summary (Markdown, CSV), an
 * accuracy-vs-SNR plot per noise type and, from the cells' per-epoch history, a plot of every run's training
 * loss per noise type (one panel per SNR) are regenerated from the cell files.
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

  /** Keys every cell file has (scripts read them; keep them stable). */
  public static final List<String> CELL_KEYS =
      List.of("dataset", "model", "noise", "snr_db", "seed", "accuracy", "macro_f1", "train_seconds");

  /**
   * The cell key of the per-epoch history: one object per epoch with {@code epoch}, {@code train_loss},
   * {@code validation_loss}, {@code validation_accuracy}, {@code learning_rate} and {@code seconds}, as in the
   * run's report.json.
   */
  public static final String HISTORY_KEY = "history";

  private static final ObjectMapper JSON = JsonMappers.indented();

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

  @Option(names = "--dry-run", description = "List the cells and their state without running anything.")
  boolean dryRun;

  @Option(names = "--models", split = ",", paramLabel = "NAME",
      description = "Run only the cells of these models (names as in the config); the summary still covers every"
          + " finished cell. Lets the most wanted cells go first, or two processes share a grid.")
  List<String> onlyModels;

  @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Run only the cells of these seeds.")
  List<Long> onlySeeds;

  @Option(names = "--add-final-epoch",
      description = "For finished cells recorded before cells kept the last epoch's test accuracy: re-evaluate the"
          + " run's saved checkpoints (no training) and add accuracy_final_epoch, macro_f1_final_epoch and"
          + " best_epoch; the recorded best-epoch result is re-measured as a check and left unchanged."
          + " Needs the cell's run folder (--runs). Trains nothing: unfinished cells are left for a normal run.")
  boolean addFinalEpoch;

  @Option(names = "--add-history",
      description = "For finished cells recorded before cells kept the per-epoch history: copy it from the run's"
          + " report.json (no training), after checking that the run folder holds the run that made the cell (same"
          + " arguments, best epoch and test confusion matrix). Needs the cell's run folder (--runs).")
  boolean addHistory;

  @Override
  public Integer call() throws Exception {
    ExperimentConfig config = ExperimentConfig.read(configFile);
    PrintWriter err = spec.commandLine().getErr();
    Path runsDir = runs != null ? runs : out.resolve("runs");
    List<ExperimentConfig.Cell> cells = selected(config.cells());
    int done = 0;
    int ran = 0;
    for (ExperimentConfig.Cell cell : cells) {
      Path cellFile = cellFile(cell);
      if (Files.exists(cellFile)) {
        checkSameConfiguration(cellFile, cell, config);
        if (addFinalEpoch && !dryRun && !summaryOnly) {
          int code = addFinalEpoch(config, cell, runsDir.resolve(cell.id()), cellFile, err);
          if (code != 0) {
            writeSummary(config);
            return code;
          }
        }
        if (addHistory && !dryRun && !summaryOnly) {
          int code = addHistory(config, cell, runsDir.resolve(cell.id()), cellFile, err);
          if (code != 0) {
            writeSummary(config);
            return code;
          }
        }
        done++;
        continue;
      }
      if (dryRun) {
        boolean started = Files.exists(runsDir.resolve(cell.id()).resolve("checkpoints").resolve(Trainer.LAST_CHECKPOINT));
        err.println((started ? "started  " : "pending  ") + cell.id());
        continue;
      }
      if (summaryOnly || addFinalEpoch || addHistory || (maxCells > 0 && ran >= maxCells)) {
        continue;
      }
      int code = runCell(config, cell, runsDir.resolve(cell.id()), cellFile, err);
      if (code != 0) {
        writeSummary(config);
        return code;
      }
      ran++;
      done++;
      writeSummary(config);
    }
    writeSummary(config);
    err.printf("drsn experiment: %d of %d cells done; results in %s%n", done, cells.size(), out);
    err.flush();
    return 0;
  }

  private List<ExperimentConfig.Cell> selected(List<ExperimentConfig.Cell> all) {
    if (onlyModels != null) {
      TreeSet<String> known = new TreeSet<>();
      all.forEach(c -> known.add(c.model().name()));
      for (String name : onlyModels) {
        if (!known.contains(name)) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--models: '" + name + "' is not a model of " + configFile + "; it has " + known);
        }
      }
    }
    return all.stream()
        .filter(c -> onlyModels == null || onlyModels.contains(c.model().name()))
        .filter(c -> onlySeeds == null || onlySeeds.contains(c.seed()))
        .toList();
  }

  private Path cellFile(ExperimentConfig.Cell cell) {
    return out.resolve("cells").resolve(cell.id() + ".json");
  }

  private void checkSameConfiguration(Path cellFile, ExperimentConfig.Cell cell, ExperimentConfig config)
      throws IOException {
    JsonNode recorded = JSON.readTree(cellFile.toFile()).path("train_arguments");
    JsonNode expected = JSON.valueToTree(cell.trainArguments(config));
    if (!recorded.equals(expected)) {
      throw new IllegalArgumentException("cell " + cellFile + " was computed with train arguments " + recorded
          + " but the config now gives " + expected + "; use another --out for a changed grid");
    }
  }

  private int runCell(ExperimentConfig config, ExperimentConfig.Cell cell, Path runDir, Path cellFile,
      PrintWriter err) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("train");
    args.addAll(cell.trainArguments(config));
    args.add("--out");
    args.add(runDir.toString());
    boolean resume = Files.exists(runDir.resolve("checkpoints").resolve(Trainer.LAST_CHECKPOINT));
    if (resume) {
      args = new ArrayList<>(List.of("train", "--resume", "--out", runDir.toString()));
    }
    err.println("drsn experiment: cell " + cell.id() + (resume ? " (resuming)" : ""));
    err.flush();
    CommandLine train = Main.commandLine();
    StringWriter trainOut = new StringWriter();
    train.setOut(new PrintWriter(trainOut));
    train.setErr(err);
    int code = train.execute(args.toArray(String[]::new));
    if (code != 0) {
      err.println("drsn experiment: cell " + cell.id() + " failed (exit " + code + "); finished cells are kept");
      return code;
    }
    ObjectNode report = (ObjectNode) JSON.readTree(runDir.resolve("report.json").toFile());
    JsonNode test = report.path("metrics").path("test");
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
    result.put("epochs_run", report.path("history").path("epochs").size());
    result.set(HISTORY_KEY, report.path("history").path("epochs"));
    result.set("train_arguments", JSON.valueToTree(cell.trainArguments(config)));
    result.put("command", "./drsn " + String.join(" ", args));
    result.set("configuration", report.path("configuration"));
    result.set("provenance", report.path("provenance"));
    result.set("experiment", config.toJson());
    Files.createDirectories(cellFile.getParent());
    AtomicFiles.writeString(cellFile, JSON.writeValueAsString(result));
    err.printf("drsn experiment: cell %s test accuracy %.4f, macro-F1 %.4f (%s)%n", cell.id(),
        test.path("accuracy").asDouble(), test.path("macro_f1").asDouble(), cellFile);
    err.flush();
    return 0;
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

  private int addFinalEpoch(ExperimentConfig config, ExperimentConfig.Cell cell, Path runDir, Path cellFile,
      PrintWriter err) throws IOException {
    ObjectNode recorded = (ObjectNode) JSON.readTree(cellFile.toFile());
    if (recorded.has("accuracy_final_epoch")) {
      return 0;
    }
    if (!Files.exists(runDir.resolve("checkpoints").resolve(Trainer.LAST_CHECKPOINT))) {
      err.println("drsn experiment: cell " + cell.id() + ": no checkpoint in " + runDir
          + "; its last-epoch accuracy cannot be added");
      return 0;
    }
    if (!startedWithCellArguments(config, cell, runDir, err)) {
      return 1;
    }
    err.println("drsn experiment: cell " + cell.id() + ": re-evaluating its checkpoints");
    err.flush();
    CommandLine train = Main.commandLine();
    train.setOut(new PrintWriter(new StringWriter()));
    train.setErr(err);
    int code = train.execute("train", "--resume", "--out", runDir.toString());
    if (code != 0) {
      err.println("drsn experiment: cell " + cell.id() + ": re-evaluation failed (exit " + code + ")");
      return code;
    }
    JsonNode report = JSON.readTree(runDir.resolve("report.json").toFile());
    // The saved best checkpoint must reproduce the recorded result exactly, or the last epoch's numbers
    // would be attached to another network's cell.
    JsonNode again = report.path("metrics").path("test");
    if (again.path("accuracy").asDouble() != recorded.path("accuracy").asDouble()
        || !again.path("confusion").equals(recorded.path("confusion"))) {
      err.println("drsn experiment: cell " + cell.id() + ": the checkpoints in " + runDir + " give test accuracy "
          + again.path("accuracy").asDouble() + " and confusion " + again.path("confusion") + ", but the cell records "
          + recorded.path("accuracy").asDouble() + " and " + recorded.path("confusion") + "; not the run that made"
          + " this cell, nothing changed");
      return 1;
    }
    // Cells before this version counted the keys of "history" (always 1) instead of its epochs.
    recorded.put("epochs_run", report.path("history").path("epochs").size());
    putFinalEpoch(recorded, report);
    ObjectNode note = recorded.putObject("final_epoch_added");
    note.put("created_utc", report.path("provenance").path("created_utc").asText());
    note.put("project_version", report.path("provenance").path("project_version").asText());
    note.put("best_epoch_accuracy_remeasured", again.path("accuracy").asDouble());
    AtomicFiles.writeString(cellFile, JSON.writeValueAsString(recorded));
    err.printf("drsn experiment: cell %s: last epoch test accuracy %.4f; best epoch %d re-measured: %.4f, as"
        + " recorded%n", cell.id(), recorded.path("accuracy_final_epoch").asDouble(),
        recorded.path("best_epoch").asInt(), again.path("accuracy").asDouble());
    err.flush();
    return 0;
  }

  /** Whether the run folder holds this cell's run: the arguments it was started with are the cell's plus --out. */
  private static boolean startedWithCellArguments(ExperimentConfig config, ExperimentConfig.Cell cell, Path runDir,
      PrintWriter err) throws IOException {
    Path settings = runDir.resolve(TrainCommand.SETTINGS_FILE);
    List<String> started = new ArrayList<>();
    if (Files.isRegularFile(settings)) {
      JSON.readTree(settings.toFile()).path("arguments").forEach(a -> started.add(a.asText()));
    }
    List<String> expected = new ArrayList<>(cell.trainArguments(config));
    expected.addAll(List.of("--out", runDir.toString()));
    if (!started.equals(expected)) {
      err.println("drsn experiment: cell " + cell.id() + ": " + settings + " records the arguments " + started
          + ", not this cell's " + expected + "; nothing changed");
      return false;
    }
    return true;
  }

  private int addHistory(ExperimentConfig config, ExperimentConfig.Cell cell, Path runDir, Path cellFile,
      PrintWriter err) throws IOException {
    ObjectNode recorded = (ObjectNode) JSON.readTree(cellFile.toFile());
    if (recorded.has(HISTORY_KEY)) {
      return 0;
    }
    Path reportFile = runDir.resolve("report.json");
    if (!Files.isRegularFile(reportFile)) {
      err.println("drsn experiment: cell " + cell.id() + ": no " + reportFile + "; its history cannot be added");
      return 0;
    }
    if (!startedWithCellArguments(config, cell, runDir, err)) {
      return 1;
    }
    JsonNode report = JSON.readTree(reportFile.toFile());
    JsonNode epochs = report.path("history").path("epochs");
    JsonNode test = report.path("metrics").path("test");
    // A run folder reused for another run, or a report of an unfinished run, must not lend its history.
    boolean sameRun = test.path("accuracy").asDouble() == recorded.path("accuracy").asDouble()
        && test.path("confusion").equals(recorded.path("confusion"))
        && epochs.size() == recorded.path("epochs_run").asInt()
        && (!recorded.has("best_epoch") || report.path("outcome").path("best_epoch").equals(recorded.path("best_epoch")));
    if (!sameRun) {
      err.println("drsn experiment: cell " + cell.id() + ": " + reportFile + " has test accuracy "
          + test.path("accuracy").asDouble() + ", " + epochs.size() + " epochs and best epoch "
          + report.path("outcome").path("best_epoch") + ", but the cell records " + recorded.path("accuracy").asDouble()
          + ", " + recorded.path("epochs_run") + " and " + recorded.path("best_epoch")
          + " (or another confusion matrix); not the run that made this cell, nothing changed");
      return 1;
    }
    ObjectNode updated = JSON.createObjectNode();
    // Keep the key order of a freshly written cell: the history right after epochs_run.
    recorded.fields().forEachRemaining(field -> {
      updated.set(field.getKey(), field.getValue());
      if (field.getKey().equals("epochs_run")) {
        updated.set(HISTORY_KEY, epochs);
      }
    });
    if (!updated.has(HISTORY_KEY)) {
      updated.set(HISTORY_KEY, epochs);
    }
    updated.putObject("history_added").put("from", reportFile.toString());
    AtomicFiles.writeString(cellFile, JSON.writeValueAsString(updated));
    err.printf("drsn experiment: cell %s: history of %d epochs added from %s%n", cell.id(), epochs.size(), reportFile);
    err.flush();
    return 0;
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

  private void writeSummary(ExperimentConfig config) throws IOException {
    Path cellsDir = out.resolve("cells");
    if (!Files.isDirectory(cellsDir)) {
      return;
    }
    List<CellResult> results = new ArrayList<>();
    Confusions confusions = new Confusions();
    // noise → SNR → model → training loss per epoch of each seed, for the cells that keep their history
    Map<String, TreeMap<Double, Map<String, List<double[]>>>> losses = new TreeMap<>();
    LastEpochLosses lastLosses = new LastEpochLosses();
    try (Stream<Path> files = Files.walk(cellsDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode c = JSON.readTree(file.toFile());
        results.add(new CellResult(c.path("dataset").asText(), c.path("model").asText(), c.path("noise").asText(),
            c.path("snr_db").isNull() ? Double.POSITIVE_INFINITY : c.path("snr_db").asDouble(),
            c.path("seed").asLong(), c.path("accuracy").asDouble(), c.path("macro_f1").asDouble(),
            c.path("train_seconds").asDouble(),
            c.path("accuracy_final_epoch").isNumber() ? c.path("accuracy_final_epoch").asDouble() : Double.NaN));
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
        if (c.path("confusion").isArray() && c.path("classes").isArray()) {
          CellResult r = results.get(results.size() - 1);
          confusions.add(r.dataset(), r.model(), r.noise(), r.snrDb(),
              JSON.convertValue(c.path("classes"), new TypeReference<List<String>>() {}),
              JSON.convertValue(c.path("confusion"), int[][].class));
        }
      }
    }
    if (results.isEmpty()) {
      return;
    }
    ResultTable table = ResultTable.of(results);
    List<PublishedResult> published = config.publishedResults();
    String confusionTable = confusions.toMarkdown(3);
    String paired = config.baseline() == null ? "" : new PairedDifferences(results, config.baseline()).toMarkdown();
    String fit = lastLosses.toMarkdown();
    table.writeMarkdown(out.resolve("summary.md"), published, config.referencesNote(), paired
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
            ResultTable.Metric.ACCURACY, published);
        if (!table.snrCurves(config.name(), noise, ResultTable.Metric.ACCURACY_FINAL_EPOCH).isEmpty()) {
          table.writeSnrPlot(out.resolve("accuracy_last_epoch_vs_snr_" + noise + ".png"), config.name(), noise,
              ResultTable.Metric.ACCURACY_FINAL_EPOCH, published);
        }
      }
    }
  }
}
