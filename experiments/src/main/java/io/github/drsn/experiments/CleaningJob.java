package io.github.drsn.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.io.CsvWriter;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.experiments.report.Json;
import io.github.drsn.model.clean.EnsembleCleaning;
import io.github.drsn.model.clean.LabelFlips;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Ensemble data cleaning ({@link EnsembleCleaning}) of the training windows of some {@link RunSettings}: every network
 * is the one {@code drsn train} would build and train with those settings, except for its seed. Writes into a folder
 * {@code flagged.csv} (the flagged windows, most suspicious first: recording, start, given label, ensemble label,
 * p(given), p(top), fold, and the true label when labels were flipped), {@code report.json} and {@code report.md}
 * (settings, seeds, per-class counts, folds, and with flipped labels the precision and recall of the flagged set at
 * the threshold and over a sweep of thresholds). Every file is written atomically, after all networks are trained.
 *
 * <p>For validation, {@code flipFraction} f &gt; 0 first gives round(f·n) of the n training windows another class
 * ({@link LabelFlips}, seed {@link #flipSeed}); those are the errors the flagged set is scored against. Validation
 * windows keep their labels: they only pick each network's best epoch.
 */
public final class CleaningJob {

  /** Thresholds of the precision/recall sweep written with flipped labels. */
  static final double[] SWEEP = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  /** What a cleaning pass produced and the files written. */
  public record Result(EnsembleCleaning.Result cleaning, LabelFlips flips, EnsembleCleaning.Validation validation,
      List<Path> files) {}

  private static final ObjectMapper JSON = JsonMappers.indented();

  private CleaningJob() {}

  /** The seed of the label flips of a pass with seed {@code seed}: a mix of it, so it is not the folds' seed. */
  public static long flipSeed(long seed) {
    return EnsembleCleaning.memberSeed(~seed, -1, 0);
  }

  /**
   * Cleans and writes the files into {@code dir} (created if missing).
   *
   * @param flipFraction f in [0, 1): labels flipped before cleaning, for validation; 0 for none
   * @param listener progress of each network's training, or null
   * @param log one line per network and per step, or null
   * @throws IllegalArgumentException if the settings cannot make a run or the fraction is out of range
   */
  public static Result run(RunSettings settings, EnsembleCleaning.Settings cleaning, double flipFraction, Path dir,
      TrainingListener listener, Consumer<String> log) throws Exception {
    KernelChoice.select(settings.training().kernels());
    WindowedDataset windows = settings.loadWindows();
    RunConfig config = settings.runConfig(windows);
    TrainingRun.check(windows, config);
    List<Window> train = windows.windows(Region.TRAIN);
    LabelFlips flips = LabelFlips.flip(train, windows.dataset().classCount(), flipFraction, flipSeed(cleaning.seed()));
    WindowedDataset given = flipFraction == 0 ? windows
        : windows.withWindows(flips.windows(), windows.windows(Region.VALIDATION), List.of(),
            flips.count() + " training labels flipped (fraction " + flipFraction + ")");
    long started = System.nanoTime();
    EnsembleCleaning.Result result = EnsembleCleaning.run(given, config, cleaning, listener, log);
    double seconds = (System.nanoTime() - started) / 1e9;
    EnsembleCleaning.Validation validation =
        flipFraction == 0 ? null : result.validate(flips.flipped(), cleaning.threshold());
    Files.createDirectories(dir);
    Path csv = dir.resolve("flagged.csv");
    Path json = dir.resolve("report.json");
    Path md = dir.resolve("report.md");
    writeFlagged(csv, given, result, flipFraction == 0 ? null : flips);
    ObjectNode report = report(settings, given, result, flipFraction, flips, validation, seconds);
    AtomicFiles.writeString(json, JSON.writeValueAsString(report));
    AtomicFiles.writeString(md, markdown(report));
    return new Result(result, flips, validation, List.of(csv, json, md));
  }

  private static void writeFlagged(Path file, WindowedDataset data, EnsembleCleaning.Result result, LabelFlips flips)
      throws java.io.IOException {
    List<String> classes = data.dataset().classes();
    List<String> header = new ArrayList<>(List.of("recording", "start", "given_label", "ensemble_label", "p_given",
        "p_top", "fold"));
    if (flips != null) {
      header.add("true_label");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < result.scores().size(); i++) {
      if (result.scores().get(i).flagged(result.settings().threshold())) {
        order.add(i);
      }
    }
    order.sort(Comparator.comparingDouble((Integer i) -> result.scores().get(i).pGiven()));
    List<List<String>> rows = new ArrayList<>();
    for (int i : order) {
      EnsembleCleaning.Score s = result.scores().get(i);
      List<String> row = new ArrayList<>(List.of(s.window().recordingId(), Integer.toString(s.window().start()),
          classes.get(s.givenClass()), classes.get(s.ensembleClass()), format(s.pGiven()), format(s.pTop()),
          Integer.toString(s.fold() + 1)));
      if (flips != null) {
        row.add(classes.get(flips.originalClasses()[i]));
      }
      rows.add(row);
    }
    CsvWriter.write(file, header, rows);
  }

  private static String format(double p) {
    return String.format(Locale.ROOT, "%.4f", p);
  }

  static ObjectNode report(RunSettings settings, WindowedDataset data, EnsembleCleaning.Result result,
      double flipFraction, LabelFlips flips, EnsembleCleaning.Validation validation, double seconds) {
    EnsembleCleaning.Settings s = result.settings();
    List<String> classes = data.dataset().classes();
    ObjectNode root = JSON.createObjectNode();
    root.put("method", "ensemble data cleaning: " + s.folds() + " time-block folds (purged: no training window shares"
        + " a sample with a held-out one), " + s.models() + " networks per fold trained on the other folds; a training"
        + " window is flagged when the mean probability of its given label over its fold's networks is below "
        + s.threshold());
    root.put("title", settings.title());
    root.put("data", settings.data().describe());
    root.put("split", data.plan().describe());
    root.put("noise", settings.input().describe());
    root.put("model", settings.model().architecture());
    root.put("epochs", settings.training().epochs());
    root.put("folds", s.folds());
    root.put("models_per_fold", s.models());
    root.put("threshold", s.threshold());
    root.put("seed", s.seed());
    root.put("flip_fraction", flipFraction);
    if (flipFraction > 0) {
      root.put("flip_seed", flipSeed(s.seed()));
    }
    root.put("training_windows", result.scores().size());
    root.put("flagged", result.flagged().size());
    int agree = 0;
    int agreeTrue = 0;
    for (int i = 0; i < result.scores().size(); i++) {
      EnsembleCleaning.Score score = result.scores().get(i);
      agree += score.ensembleClass() == score.givenClass() ? 1 : 0;
      agreeTrue += score.ensembleClass() == flips.originalClasses()[i] ? 1 : 0;
    }
    root.put("ensemble_agrees_with_given_label", (double) agree / result.scores().size());
    if (flipFraction > 0) {
      root.put("ensemble_agrees_with_true_label", (double) agreeTrue / result.scores().size());
    }
    root.put("seconds", Math.round(seconds * 10) / 10.0);
    ArrayNode perClass = root.putArray("per_class");
    for (int k = 0; k < classes.size(); k++) {
      int windows = 0;
      int flagged = 0;
      int flipped = 0;
      int found = 0;
      for (int i = 0; i < result.scores().size(); i++) {
        EnsembleCleaning.Score score = result.scores().get(i);
        if (score.givenClass() != k) {
          continue;
        }
        boolean isFlagged = score.flagged(s.threshold());
        windows++;
        flagged += isFlagged ? 1 : 0;
        flipped += flips.flipped()[i] ? 1 : 0;
        found += flips.flipped()[i] && isFlagged ? 1 : 0;
      }
      ObjectNode c = perClass.addObject();
      c.put("given_label", classes.get(k));
      c.put("windows", windows);
      c.put("flagged", flagged);
      if (flipFraction > 0) {
        c.put("flipped_to_this_label", flipped);
        c.put("flipped_and_flagged", found);
      }
    }
    ArrayNode folds = root.putArray("fold_runs");
    for (EnsembleCleaning.FoldRun f : result.folds()) {
      ObjectNode o = folds.addObject();
      o.put("fold", f.fold() + 1);
      o.put("held_out", f.heldOut());
      o.put("training", f.training());
      o.put("purged", f.purged());
      ArrayNode accuracy = o.putArray("validation_accuracy");
      for (double a : f.validationAccuracy()) {
        accuracy.add(a);
      }
    }
    if (validation != null) {
      root.set("validation", validationJson(validation, s.threshold()));
      ArrayNode sweep = root.putArray("threshold_sweep");
      for (double t : SWEEP) {
        sweep.add(validationJson(result.validate(flips.flipped(), t), t));
      }
    }
    root.set("settings", settings.toJson());
    return root;
  }

  private static ObjectNode validationJson(EnsembleCleaning.Validation v, double threshold) {
    ObjectNode o = JSON.createObjectNode();
    o.put("threshold", threshold);
    o.put("flipped", v.errors());
    o.put("flagged", v.flagged());
    o.put("flipped_and_flagged", v.found());
    Json.putNumber(o, "precision", v.precision());
    Json.putNumber(o, "recall", v.recall());
    return o;
  }

  static String markdown(ObjectNode r) {
    StringBuilder md = new StringBuilder();
    md.append("# Ensemble data cleaning: ").append(r.path("title").asText()).append("\n\n");
    md.append(r.path("method").asText()).append(".\n\n");
    md.append("| setting | value |\n|---|---|\n");
    for (String key : List.of("data", "split", "noise", "model", "epochs", "folds", "models_per_fold", "threshold",
        "seed", "flip_fraction", "flip_seed", "training_windows", "flagged", "ensemble_agrees_with_given_label",
        "ensemble_agrees_with_true_label", "seconds")) {
      if (r.has(key)) {
        md.append("| ").append(key).append(" | ").append(r.get(key).asText()).append(" |\n");
      }
    }
    if (r.has("validation")) {
      md.append("\nFlagged set against the flipped labels (precision = flipped and flagged / flagged, recall ="
          + " flipped and flagged / flipped):\n\n");
      md.append("| threshold | flipped | flagged | flipped and flagged | precision | recall |\n");
      md.append("|---:|---:|---:|---:|---:|---:|\n");
      appendValidation(md, r.get("validation"), true);
      for (var row : r.get("threshold_sweep")) {
        appendValidation(md, row, false);
      }
    }
    md.append("\n| given label | windows | flagged |").append(r.has("validation")
        ? " flipped to this label | flipped and flagged |\n|---|---:|---:|---:|---:|\n" : "\n|---|---:|---:|\n");
    for (var c : r.get("per_class")) {
      md.append("| ").append(c.path("given_label").asText()).append(" | ").append(c.path("windows").asInt())
          .append(" | ").append(c.path("flagged").asInt()).append(" |");
      if (r.has("validation")) {
        md.append(" ").append(c.path("flipped_to_this_label").asInt()).append(" | ")
            .append(c.path("flipped_and_flagged").asInt()).append(" |");
      }
      md.append("\n");
    }
    md.append("\n| fold | held out | training | purged | validation accuracy per network |\n");
    md.append("|---:|---:|---:|---:|---|\n");
    for (var f : r.get("fold_runs")) {
      List<String> acc = new ArrayList<>();
      f.get("validation_accuracy").forEach(a -> acc.add(String.format(Locale.ROOT, "%.3f", a.asDouble())));
      md.append("| ").append(f.path("fold").asInt()).append(" | ").append(f.path("held_out").asInt()).append(" | ")
          .append(f.path("training").asInt()).append(" | ").append(f.path("purged").asInt()).append(" | ")
          .append(String.join(", ", acc)).append(" |\n");
    }
    return md.toString();
  }

  private static void appendValidation(StringBuilder md, com.fasterxml.jackson.databind.JsonNode v, boolean chosen) {
    md.append(String.format(Locale.ROOT, "| %s%.2f%s | %d | %d | %d | %s | %s |%n", chosen ? "**" : "",
        v.path("threshold").asDouble(), chosen ? "**" : "", v.path("flipped").asInt(), v.path("flagged").asInt(),
        v.path("flipped_and_flagged").asInt(), percent(v.get("precision")), percent(v.get("recall"))));
  }

  private static String percent(com.fasterxml.jackson.databind.JsonNode v) {
    return v == null || v.isNull() ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v.asDouble());
  }
}
