package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.experiments.report.PublishedResult;
import io.github.drsn.datasets.io.JsonMappers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment grid read from JSON: data × model variants × noise types × SNRs × seeds, with one training
 * schedule for all. Every cell is one training run ({@link TrainingJob}) with the {@link RunSettings} this
 * config gives it, recorded in the cell's result. {@code data}, {@code model}, {@code input} and {@code
 * training} are partial settings objects in the vocabulary of {@link RunSettings} (unset keys keep the
 * defaults of {@code drsn train}); each model variant has a name and may override {@code model} and {@code
 * training} settings. Example:
 *
 * <pre>{@code
 * {
 *   "name": "cwru",
 *   "data": {"source": "cwru", "dir": "../shared/data/cwru"},
 *   "models": [ {"name": "drsn-cw"}, {"name": "resnet"},
 *               {"name": "drsn-cw-gn", "model": {"architecture": "drsn-cw", "norm": "group"}} ],
 *   "noise": [ {"type": "gaussian", "snr_db": [-10, -8, -6, -4, -2, 0]} ],
 *   "seeds": [1, 2, 3],
 *   "model": {"schedule": "reference"},
 *   "training": {"epochs": 50},
 *   "references": [ {"label": "PyTorch", "source": "REFERENCE-RESULTS.md",
 *                    "results": [ {"model": "drsn-cw", "noise": "gaussian", "snr_db": -10, "seeds": 3,
 *                                  "accuracy": 84.9, "std": 1.1} ]} ]
 * }
 * }</pre>
 * A cell's settings are the defaults, then {@code data}, {@code model}, {@code input} and {@code training},
 * then the variant's {@code model} and {@code training}, then the cell's noise type, SNR and seed. A variant
 * whose settings name no architecture is the architecture of its name ({@code drsn-cw}, {@code drsn-cs},
 * {@code resnet} or {@code convnet}). {@code references} are published accuracies (percent) that the summary
 * and plots show next to the grid's; they do not change any cell. {@code baseline} (optional) names the model
 * variant the summary compares every other one with, seed by seed
 * ({@link io.github.drsn.experiments.report.PairedDifferences}); it changes no cell either.
 *
 * <p>A model entry may instead be a deep ensemble (Lakshminarayanan et al. 2017) of another entry's finished cells
 * over seeds: {@code {"name": "drsn-cw-ensemble", "ensemble": {"of": "drsn-cw", "seeds": [1, 2, 3]}}}
 * ({@link EnsembleOf}). It trains nothing and has one cell per noise level (and held-out class), not per seed, which
 * runs after every trained cell: it reads the members' kept bundles, averages their probabilities and scores the
 * ensemble ({@link ExperimentRunner}).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "description", "data", "model", "input", "models", "noise", "baseline", "seeds",
    "training", "test_noise", "test_snr_db", "test_clean", "test_data", "adaptation", "references", "open_set"})
public record ExperimentConfig(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty("description") String description,
    @JsonProperty("data") ObjectNode data,
    @JsonProperty("model") ObjectNode model,
    @JsonProperty("input") ObjectNode input,
    @JsonProperty(value = "models", required = true) List<Variant> models,
    @JsonProperty(value = "noise", required = true) List<NoiseLevels> noise,
    @JsonProperty(value = "seeds", required = true) List<Long> seeds,
    @JsonProperty("training") ObjectNode training,
    @JsonProperty("references") List<ReferenceSet> references,
    @JsonProperty("baseline") String baseline,
    @JsonProperty("test_noise") String testNoise,
    @JsonProperty("test_snr_db") List<Double> testSnrDb,
    @JsonProperty("test_clean") Boolean testClean,
    @JsonProperty("test_data") List<TestData> testData,
    @JsonProperty("adaptation") List<String> adaptation,
    @JsonProperty("open_set") OpenSet openSet) {

  /**
   * The adaptation methods each cell's model is also scored with ({@code adaptation}): after training, the model is
   * adapted without labels to its own test windows (the transductive setting, {@link AdaptationTarget}) and scored on
   * them. {@code "adabn"}: batch-norm statistics re-estimated (AdaBN); {@code "adabn+pseudo-labels"}: then
   * fine-tuned on its confident predictions with the defaults of {@code drsn adapt}. The results are the cell's
   * {@code adaptation}: the protocol of cross-load "with each adaptation method" (issue #16).
   */
  public static final List<String> ADAPTATION_METHODS = List.of("adabn", "adabn+pseudo-labels");

  /**
   * Another data set each cell's model is tested on, at the cell's own noise level: the shift protocols (a
   * drivetrain at another rate, resonance or speeds; other loads). Its test windows are scored; its classes must
   * be the training data's.
   *
   * @param name the test set's name in cells and summaries
   * @param data changes to the cell's data settings (partial), e.g.
   *     {@code {"synthetic": {"sampling_rate": 48000}, "resample_to": 12800}}
   */
  public record TestData(@JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "data", required = true) ObjectNode data) {}

  /**
   * Whether each cell also tests its model at other noise levels ({@code test_snr_db} of {@code test_noise},
   * by default the cell's noise type, and clean with {@code test_clean}): the cross-SNR protocol, a model trained
   * at one level or over a range against every level. The results are the cell's {@code sweep}.
   */
  public boolean hasSweep() {
    return (testSnrDb != null && !testSnrDb.isEmpty()) || Boolean.TRUE.equals(testClean);
  }

  /**
   * The open-set protocol (issue #16): every cell is trained once per held-out class with that class left out of
   * its data ({@code data.exclude_classes}); afterwards the held-out class's test windows (which the split still
   * cuts, from the full data set) and the known classes' test windows are scored by every OOD method at each of
   * the {@code evaluate} noise levels, against the thresholds the calibration chose on the known classes'
   * validation windows. The split must cut each recording on its own (the time split) so that leaving a class out
   * changes no other class's windows.
   *
   * @param heldOut the classes left out, one per cell
   * @param evaluate the noise levels the test windows are scored at ({@code {"type": "none"}} for noise-free)
   */
  public record OpenSet(@JsonProperty(value = "held_out", required = true) List<String> heldOut,
      @JsonProperty(value = "evaluate", required = true) List<NoiseLevels> evaluate) {}

  /**
   * Published results from one source, e.g. the PyTorch reference or the paper's figures; {@code selection}
   * says which epoch's network the source tested: "final_epoch", "best_validation" or absent (unspecified).
   */
  public record ReferenceSet(@JsonProperty(value = "label", required = true) String label,
      @JsonProperty("source") String source,
      @JsonProperty("selection") String selection,
      @JsonProperty(value = "results", required = true) List<ReferenceValue> results) {

    /** The selection as an enum. */
    public PublishedResult.Selection selectionKind() {
      if (selection == null) {
        return PublishedResult.Selection.UNSPECIFIED;
      }
      return switch (selection) {
        case "final_epoch" -> PublishedResult.Selection.FINAL_EPOCH;
        case "best_validation" -> PublishedResult.Selection.BEST_VALIDATION;
        default -> throw new IllegalArgumentException("reference '" + label + "': selection must be"
            + " \"final_epoch\" or \"best_validation\" (or absent), got \"" + selection + "\"");
      };
    }
  }

  /** One published accuracy in percent; {@code seeds} and {@code std} may be absent. */
  public record ReferenceValue(@JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "noise", required = true) String noise,
      @JsonProperty(value = "snr_db", required = true) double snrDb,
      @JsonProperty("seeds") Integer seeds,
      @JsonProperty(value = "accuracy", required = true) double accuracy,
      @JsonProperty("std") Double std) {}

  /** Every published result of {@link #references()}, in the order written. */
  public List<PublishedResult> publishedResults() {
    List<PublishedResult> published = new ArrayList<>();
    if (references != null) {
      java.util.Set<List<Object>> seen = new java.util.HashSet<>();
      for (ReferenceSet set : references) {
        if (set == null || set.label() == null || set.results() == null) {
          throw new IllegalArgumentException("every reference needs a \"label\" and \"results\"");
        }
        PublishedResult.Selection selection = set.selectionKind();
        for (ReferenceValue v : set.results()) {
          if (v == null) {
            throw new IllegalArgumentException("reference '" + set.label() + "' has an empty result");
          }
          PublishedResult p = new PublishedResult(set.label(), v.model(), v.noise(), v.snrDb(),
              v.seeds() == null ? 0 : v.seeds(), v.accuracy(), v.std() == null ? Double.NaN : v.std(), selection);
          if (!seen.add(List.of(p.label(), p.model(), p.noise(), p.snrDb()))) {
            throw new IllegalArgumentException("reference '" + p.label() + "' gives " + p.model() + " at " + p.noise()
                + " " + p.snrDb() + " dB twice");
          }
          published.add(p);
        }
      }
    }
    return published;
  }

  /** One line per reference source, "label: source", for the summary. */
  public String referencesNote() {
    if (references == null) {
      return "";
    }
    StringBuilder note = new StringBuilder();
    for (ReferenceSet set : references) {
      note.append("- ").append(set.label()).append(": ")
          .append(set.source() == null ? "(no source given)" : set.source()).append('\n');
    }
    return note.toString();
  }

  /**
   * A named model configuration: overrides of the grid's {@code model} and {@code training} settings.
   *
   * @param name the variant's name in cell ids, summaries and plots
   * @param model model settings of this variant (partial), or null
   * @param training training settings of this variant (partial), or null
   * @param input input settings of this variant (partial, e.g. {@code snr_max_db}, {@code augmentation}), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Variant(@JsonProperty(value = "name", required = true) String name,
      @JsonProperty("model") ObjectNode model,
      @JsonProperty("training") ObjectNode training,
      @JsonProperty("input") ObjectNode input,
      @JsonProperty("ensemble") EnsembleOf ensemble) {

    /** Whether this entry is an ensemble of another entry's cells rather than a network trained per cell. */
    public boolean isEnsemble() {
      return ensemble != null;
    }
  }

  /**
   * A model entry that is a deep ensemble (Lakshminarayanan et al. 2017) of another entry's finished cells: for each
   * of the grid's noise levels (and held-out classes) the bundles the {@code seeds} cells of model {@code of} kept
   * become one bundle whose runtime answers the mean of their probabilities, p̄ = (1/M) Σ_m p_m ({@link Ensembles}),
   * calibrated as an ensemble on the first member's validation split (Mahalanobis on the members' concatenated pooled
   * features, at the first member's false-alarm rate). Its cell has the first member's seed and settings and lists
   * every member. The split must give every seed the same windows (CWRU's time split does), or the ensemble would be
   * scored on windows some member trained on.
   *
   * @param of the member model: another entry of the grid, trained per cell (not itself an ensemble)
   * @param seeds the members' seeds, at least two, each one of the grid's {@code seeds}
   */
  public record EnsembleOf(@JsonProperty(value = "of", required = true) String of,
      @JsonProperty(value = "seeds", required = true) List<Long> seeds) {}

  /** One noise type at several SNRs ({@code "none"} with no SNRs means clean). */
  public record NoiseLevels(@JsonProperty(value = "type", required = true) String type,
      @JsonProperty("snr_db") List<Double> snrDb) {}

  /**
   * One cell of the grid.
   *
   * @param heldOut the class left out of training (open-set protocol), or null
   */
  public record Cell(String dataset, Variant model, String noise, double snrDb, long seed, String heldOut) {

    /** A cell that trains on every class. */
    public Cell(String dataset, Variant model, String noise, double snrDb, long seed) {
      this(dataset, model, noise, snrDb, seed, null);
    }

    /**
     * A file-system-safe id, e.g. {@code drsn-cw/gaussian_-4dB_seed1} or {@code …_seed1_without-IR007}; an ensemble
     * cell's names every member's seed, e.g. {@code drsn-cw-ensemble/gaussian_-4dB_seeds1-2-3_without-IR007}.
     */
    public String id() {
      String level = noise.equals("none") ? "clean" : noise + "_" + formatSnr(snrDb) + "dB";
      String seeds = model.isEnsemble() ? "_seeds" + String.join("-", model.ensemble().seeds().stream()
          .map(String::valueOf).toList()) : "_seed" + seed;
      return model.name() + "/" + level + seeds + (heldOut == null ? "" : "_without-" + heldOut);
    }

    /**
     * The member cells of an ensemble cell: the member model's cells at this noise level (and held-out class), one
     * per member seed; empty for a cell that trains its own network.
     */
    public List<Cell> members(ExperimentConfig config) {
      if (!model.isEnsemble()) {
        return List.of();
      }
      Variant member = config.variant(model.ensemble().of());
      return model.ensemble().seeds().stream()
          .map(s -> new Cell(dataset, member, noise, snrDb, s, heldOut)).toList();
    }

    /**
     * The complete settings of this cell's training run; of an ensemble cell, its first member's (the data, split
     * and noise it is calibrated and scored on).
     *
     * @throws IllegalArgumentException naming the cell if the config's settings are invalid
     */
    public RunSettings settings(ExperimentConfig config) {
      if (model.isEnsemble()) {
        return members(config).get(0).settings(config);
      }
      ObjectNode overrides = JSON.createObjectNode();
      try {
        putAll(overrides, "data", config.data());
        putAll(overrides, "model", config.model());
        putAll(overrides, "input", config.input());
        putAll(overrides, "training", config.training());
        putAll(overrides, "model", model.model());
        putAll(overrides, "training", model.training());
        putAll(overrides, "input", model.input());
        ObjectNode modelSettings = (ObjectNode) overrides.path("model");
        if (!modelSettings.has("architecture")) {
          if (!ModelSettings.ARCHITECTURES.contains(model.name())) {
            throw new IllegalArgumentException("model \"" + model.name() + "\" is not named after an architecture "
                + ModelSettings.ARCHITECTURES + "; give its model.architecture");
          }
          modelSettings.put("architecture", model.name());
        }
        ObjectNode input = (ObjectNode) overrides.path("input");
        input.put("noise", noise);
        if (!noise.equals("none")) {
          input.put("snr_db", snrDb);
        }
        ((ObjectNode) overrides.path("training")).put("seed", seed);
        if (heldOut != null) {
          ((ObjectNode) overrides.path("data")).putArray("exclude_classes").add(heldOut);
        }
        return RunSettings.fromJson(overrides);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cell " + id() + ": " + e.getMessage(), e);
      }
    }

    /**
     * The data settings of one of the config's test sets for this cell: the cell's, changed by the test set's.
     *
     * @throws IllegalArgumentException naming the cell and test set if they are invalid
     */
    public DataSettings testData(ExperimentConfig config, TestData test) {
      ObjectNode data = (ObjectNode) settings(config).toJson().path("data").deepCopy();
      data.setAll(test.data().deepCopy());
      try {
        return RunSettings.fromJson(JSON.createObjectNode().set("data", data)).data();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cell " + id() + ", test data " + test.name() + ": " + e.getMessage(), e);
      }
    }

    private static void putAll(ObjectNode overrides, String part, ObjectNode values) {
      ObjectNode target = overrides.has(part) ? (ObjectNode) overrides.get(part) : overrides.putObject(part);
      if (values != null) {
        target.setAll(values.deepCopy());
      }
    }
  }

  /**
   * Reads configs strictly (a fresh mapper, so no other reader changes): a config that is read as something other
   * than what it says is refused, whether it has text after its object (a second pasted config, a stray brace), a key
   * given twice (Jackson would keep the last), or a fractional number where a whole one belongs (a seed of 1.5
   * would run seed 1).
   */
  private static final ObjectMapper JSON = JsonMappers.compact()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  /**
   * A cell is a file named after its model, noise, SNR and seed under the output folder: two models of one name, or a
   * seed or SNR given twice, would make two cells one file (the second then stops the run as "another grid"), and a
   * model name that is a path would put files outside the folder.
   */
  private static void checkCellsAreDistinct(ExperimentConfig config, Path file) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Variant model : config.models()) {
      String name = model.name();
      if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IllegalArgumentException("experiment config " + file + ": model name " + name + " must be a plain"
            + " file name (it names the folders of its cells and runs): no '/', '\\', and not starting with '.'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("experiment config " + file + ": model name " + name + " is given twice");
      }
    }
    java.util.Set<Long> seeds = new java.util.HashSet<>();
    for (Long seed : config.seeds()) {
      if (!seeds.add(seed)) {
        throw new IllegalArgumentException("experiment config " + file + ": seed " + seed + " is given twice");
      }
    }
    java.util.Set<List<Object>> levels = new java.util.HashSet<>();
    for (NoiseLevels noise : config.noise()) {
      List<Double> snrs = noise.snrDb() == null || noise.type().equals("none") ? List.of() : noise.snrDb();
      if (noise.type().equals("none") && !levels.add(List.of("none"))) {
        throw new IllegalArgumentException("experiment config " + file + ": noise none is given twice");
      }
      for (Double snr : snrs) {
        if (snr != null && !levels.add(List.of(noise.type(), snr + 0.0))) {
          throw new IllegalArgumentException("experiment config " + file + ": " + noise.type() + " SNR "
              + io.github.drsn.experiments.report.ResultTable.snrLabel(snr) + " dB is given twice");
        }
      }
    }
  }

  /** Reads and checks a config file, including the settings of every cell. */
  public static ExperimentConfig read(Path file) throws IOException {
    if (java.nio.file.Files.isDirectory(file)) {
      throw new IllegalArgumentException("experiment config " + file + " is a folder; expected a JSON file such as"
          + " experiments/cwru-gaussian.json");
    }
    if (!java.nio.file.Files.exists(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "experiment config not found");
    }
    ExperimentConfig config;
    try {
      JsonNode tree = JSON.readTree(file.toFile());
      checkNotArguments(tree, file);
      config = JSON.treeToValue(tree, ExperimentConfig.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("experiment config " + file + " is invalid" + where(e) + ": " + why(e)
          + " (keys: name, description, data, model, input, models, noise, seeds, training, test_noise, test_snr_db,"
          + " test_clean, test_data, adaptation, references, baseline, open_set; a models entry: name, model,"
          + " training, input, or name and ensemble {of, seeds})",
          e);
    }
    checkNoNulls(config, file);
    checkNoLevelsOfNoiseNone(config, file);
    try {
      config.publishedResults();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("experiment config " + file + ": " + e.getMessage(), e);
    }
    if (config.models().isEmpty() || config.noise().isEmpty() || config.seeds().isEmpty()) {
      throw new IllegalArgumentException("experiment config " + file + " needs at least one model, noise and seed");
    }
    checkCellsAreDistinct(config, file);
    if (config.baseline() != null && config.models().stream().noneMatch(m -> m.name().equals(config.baseline()))) {
      throw new IllegalArgumentException("experiment config " + file + ": baseline \"" + config.baseline()
          + "\" is not one of its models " + config.models().stream().map(Variant::name).toList());
    }
    if (config.baseline() != null && config.variant(config.baseline()).isEnsemble()) {
      throw new IllegalArgumentException("experiment config " + file + ": baseline \"" + config.baseline()
          + "\" is an ensemble entry, which has one cell per level, so the paired differences would use one seed;"
          + " name a trained model (e.g. the ensemble's \"" + config.variant(config.baseline()).ensemble().of() + "\")");
    }
    if (config.testNoise() == null && config.noise().stream().anyMatch(n -> n.type().equals("none"))
        && config.testSnrDb() != null && !config.testSnrDb().isEmpty()) {
      throw new IllegalArgumentException("experiment config " + file + ": test_snr_db tests at the cell's noise type"
          + " unless test_noise names one, and a clean cell (noise none) has none; set test_noise, e.g. \"gaussian\"");
    }
    if (config.testNoise() != null && !List.of("gaussian", "laplacian", "pink").contains(config.testNoise())) {
      throw new IllegalArgumentException("experiment config " + file + ": test_noise must be gaussian, laplacian or"
          + " pink, got \"" + config.testNoise() + "\"");
    }
    if (config.testSnrDb() != null && config.testSnrDb().stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
      throw new IllegalArgumentException("experiment config " + file + ": test_snr_db must list finite numbers of dB"
          + " (clean is test_clean: true), got " + config.testSnrDb());
    }
    if (config.adaptation() != null && (config.adaptation().isEmpty()
        || !ADAPTATION_METHODS.containsAll(config.adaptation()))) {
      throw new IllegalArgumentException("experiment config " + file + ": adaptation must list methods of "
          + ADAPTATION_METHODS + ", got " + config.adaptation());
    }
    if (config.openSet() != null && (config.openSet().heldOut().isEmpty() || config.openSet().evaluate().isEmpty())) {
      throw new IllegalArgumentException("experiment config " + file + ": open_set needs at least one held_out class"
          + " and one evaluate noise level");
    }
    try {
      config.checkEnsembles();
      config.checkGridOwnsNoiseAndSeed();
      for (Cell cell : config.cells()) {
        cell.settings(config);
        if (config.testData() != null) {
          for (TestData test : config.testData()) {
            cell.testData(config, test);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("experiment config " + file + ": " + e.getMessage(), e);
    }
    return config;
  }

  /** Jackson's message, in the config's words where it speaks of Jackson's features. */
  private static String why(com.fasterxml.jackson.core.JacksonException e) {
    String message = e.getOriginalMessage();
    java.util.regex.Matcher duplicate = java.util.regex.Pattern.compile("^Duplicate field '([^']*)'").matcher(message);
    if (duplicate.find()) {
      return "key " + duplicate.group(1) + " is given twice (JSON would keep only the last)";
    }
    if (message.startsWith("Trailing token")) {
      return "text after the config object (a second config pasted, a stray '}'?); a config is one JSON object";
    }
    return message;
  }

  /** " at KEY" for an error Jackson knows the key of (e.g. {@code seeds[0]}), else "". */
  private static String where(com.fasterxml.jackson.core.JacksonException e) {
    if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    StringBuilder at = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        at.append(at.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        at.append('[').append(r.getIndex()).append(']');
      }
    }
    return at.length() == 0 ? "" : " at " + at;
  }

  /**
   * A null where the grid needs a value: Jackson reads {@code "models": null}, {@code [null]} and {@code "name": null}
   * as given, which failed later as a bare NullPointerException (or, for the name, wrote every cell with a null data
   * set, refused by the summary only after the cell had trained).
   */
  private static void checkNoNulls(ExperimentConfig config, Path file) {
    String at = "experiment config " + file + ": ";
    if (config.name() == null || config.name().isBlank()) {
      throw new IllegalArgumentException(at + "key name must be the grid's data set name (a non-empty string; cells"
          + " and summaries record it), got " + (config.name() == null ? "null" : "\"" + config.name() + "\""));
    }
    requireEntries(at, "models", config.models(), "model entries {\"name\": ...}");
    requireEntries(at, "noise", config.noise(), "noise types {\"type\": ..., \"snr_db\": [...]}");
    requireEntries(at, "seeds", config.seeds(), "whole numbers");
    requireLevels(at, "noise", config.noise());
    if (config.testData() != null) {
      requireEntries(at, "test_data", config.testData(), "test sets {\"name\": ..., \"data\": {...}}");
    }
    if (config.adaptation() != null) {
      requireEntries(at, "adaptation", config.adaptation(), "methods of " + ADAPTATION_METHODS);
    }
    if (config.openSet() != null) {
      requireEntries(at, "open_set.held_out", config.openSet().heldOut(), "class names");
      requireEntries(at, "open_set.evaluate", config.openSet().evaluate(),
          "noise types {\"type\": ..., \"snr_db\": [...]}");
      requireLevels(at, "open_set.evaluate", config.openSet().evaluate());
    }
  }

  private static void requireEntries(String at, String key, List<?> list, String what) {
    if (list == null || list.contains(null)) {
      throw new IllegalArgumentException(at + "key " + key + " must be a list of " + what + ", got "
          + (list == null ? "null" : "null as entry " + (list.indexOf(null) + 1) + " of " + list.size()));
    }
  }

  private static void requireLevels(String at, String key, List<NoiseLevels> levels) {
    for (NoiseLevels level : levels) {
      if (level.type() == null) {
        throw new IllegalArgumentException(at + "key " + key + ": every entry's type must be a noise type (gaussian,"
            + " laplacian, pink or none), got null");
      }
      if (level.snrDb() != null && level.snrDb().contains(null)) {
        throw new IllegalArgumentException(at + "key " + key + ": snr_db of noise " + level.type() + " must list"
            + " numbers of dB, got " + level.snrDb());
      }
    }
  }

  /**
   * Noise {@code none} is the clean data, one level: SNRs given with it were dropped silently, so a grid meant to run
   * at those levels ran one clean cell.
   */
  private static void checkNoLevelsOfNoiseNone(ExperimentConfig config, Path file) {
    List<NoiseLevels> levels = new ArrayList<>(config.noise());
    if (config.openSet() != null) {
      levels.addAll(config.openSet().evaluate());
    }
    for (NoiseLevels level : levels) {
      if (level.type().equals("none") && level.snrDb() != null && !level.snrDb().isEmpty()) {
        throw new IllegalArgumentException("experiment config " + file + ": noise none has no SNR levels (it is the"
            + " clean data), got snr_db " + level.snrDb() + "; remove them, or name a noise type such as gaussian");
      }
    }
  }

  /** Configs before typed settings gave data, training and variants as command-line arguments. */
  private static void checkNotArguments(JsonNode tree, Path file) {
    List<String> lists = new ArrayList<>();
    for (String key : List.of("data", "training")) {
      if (tree.path(key).isArray()) {
        lists.add("\"" + key + "\"");
      }
    }
    tree.path("models").forEach(m -> {
      if (m.has("args")) {
        lists.add("\"args\" of model " + m.path("name"));
      }
    });
    if (!lists.isEmpty()) {
      throw new IllegalArgumentException("experiment config " + file + " gives " + String.join(", ", lists)
          + " as command-line arguments, as configs before run settings did; write them as settings objects"
          + " instead, e.g. \"data\": {\"source\": \"cwru\", \"dir\": \"../shared/data/cwru\"}, \"training\":"
          + " {\"epochs\": 50}, {\"name\": \"drsn-cw-gn\", \"model\": {\"architecture\": \"drsn-cw\", \"norm\":"
          + " \"group\"}} (see the configs in experiments/)");
    }
  }

  /** The model entry named {@code name}; null if there is none. */
  Variant variant(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * Every ensemble entry names a trained entry of the grid and at least two of its seeds, and nothing the ensemble
   * cell would ignore: its own settings (the members' are theirs) or per-cell measurements only trained cells make.
   */
  private void checkEnsembles() {
    for (Variant v : models) {
      if (!v.isEnsemble()) {
        continue;
      }
      String entry = "model \"" + v.name() + "\" (an ensemble of " + v.ensemble().of() + "): ";
      if (v.model() != null || v.training() != null || v.input() != null) {
        throw new IllegalArgumentException(entry + "an ensemble entry has no model, training or input settings (its"
            + " members were trained with theirs); remove them");
      }
      Variant member = variant(v.ensemble().of());
      if (member == null) {
        throw new IllegalArgumentException(entry + "ensemble.of must name another model of the grid "
            + models.stream().map(Variant::name).toList());
      }
      if (member.isEnsemble()) {
        throw new IllegalArgumentException(entry + "its members are themselves an ensemble; name a trained model");
      }
      List<Long> seeds = v.ensemble().seeds();
      if (seeds == null || seeds.contains(null) || seeds.size() < 2
          || seeds.stream().distinct().count() != seeds.size()) {
        throw new IllegalArgumentException(entry + "ensemble.seeds must list at least two different seeds, got "
            + seeds);
      }
      if (!this.seeds.containsAll(seeds)) {
        throw new IllegalArgumentException(entry + "ensemble.seeds " + seeds + " must be seeds of the grid "
            + this.seeds + " (its members are the grid's cells)");
      }
      if (hasSweep() || (testData != null && !testData.isEmpty()) || adaptation != null) {
        throw new IllegalArgumentException(entry + "an ensemble cell measures test accuracy and the open set only;"
            + " this grid also asks for test_snr_db/test_clean, test_data or adaptation");
      }
    }
  }

  /** The noise, SNR and seed of a cell come from the grid: settings that set them would be overridden. */
  private void checkGridOwnsNoiseAndSeed() {
    List<String> clashes = new ArrayList<>();
    if (input != null && (input.has("noise") || input.has("snr_db"))) {
      clashes.add("input.noise/input.snr_db (set by \"noise\")");
    }
    if (training != null && training.has("seed")) {
      clashes.add("training.seed (set by \"seeds\")");
    }
    for (Variant v : models) {
      if (v.training() != null && v.training().has("seed")) {
        clashes.add("training.seed of model " + v.name() + " (set by \"seeds\")");
      }
      if (v.input() != null && (v.input().has("noise") || v.input().has("snr_db"))) {
        clashes.add("input.noise/input.snr_db of model " + v.name() + " (set by \"noise\")");
      }
    }
    if (!clashes.isEmpty()) {
      throw new IllegalArgumentException("the grid sets " + String.join(", ", clashes) + "; remove them");
    }
  }

  /**
   * Every cell, in the order they run: noise, seed and SNR as written, models inner, held-out classes innermost; the
   * ensemble entries' cells (one per noise level and held-out class, with their first member's seed) after every
   * trained cell, so that one run of the grid trains their members first.
   */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    List<Cell> ensembles = new ArrayList<>();
    for (NoiseLevels levels : noise) {
      List<Double> snrs = levels.type().equals("none") ? List.of(Double.POSITIVE_INFINITY) : levels.snrDb();
      if (snrs == null || snrs.isEmpty()) {
        throw new IllegalArgumentException("noise '" + levels.type() + "' lists no snr_db values");
      }
      for (long seed : seeds) {
        for (double snr : snrs) {
          for (Variant model : models) {
            if (model.isEnsemble() && seed != seeds.get(0)) {
              continue;
            }
            List<Cell> into = model.isEnsemble() ? ensembles : cells;
            long cellSeed = model.isEnsemble() ? model.ensemble().seeds().get(0) : seed;
            for (String heldOut : openSet == null ? java.util.Collections.<String>singletonList(null)
                : openSet.heldOut()) {
              into.add(new Cell(name, model, levels.type(), snr, cellSeed, heldOut));
            }
          }
        }
      }
    }
    cells.addAll(ensembles);
    return cells;
  }

  /** The config as a JSON tree, recorded in every cell result. */
  public JsonNode toJson() {
    return JSON.valueToTree(this);
  }

  static String formatSnr(double snr) {
    return snr == Math.rint(snr) ? Long.toString((long) snr) : Double.toString(snr);
  }
}
