package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.pipeline.RunConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a training run: its data, model, input and training settings. It is written as
 * JSON into the run's {@code run.json} (resuming reads it back), into its report and bundle (the provenance
 * of the network) and into every experiment cell; experiment configs are written in its vocabulary.
 *
 * <pre>{@code
 * {
 *   "data":     {"source": "cwru", "dir": "../shared/data/cwru", "split": "time", "window": 2048, ...},
 *   "model":    {"architecture": "drsn-cw", "norm": "batch", "channels": [4, 8, 16], "schedule": "reference", ...},
 *   "input":    {"noise": "gaussian", "snr_db": -8.0, "normalization": "Z_SCORE", "representation": "TIME"},
 *   "training": {"epochs": 50, "batch": 128, "sampling": "CLASS_BALANCED", "seed": 1, ...}
 * }
 * }</pre>
 * A JSON object may leave out any setting: {@link #fromJson} fills it from {@link #DEFAULTS}, the defaults of
 * {@code drsn train}. Unknown keys are errors, so a misspelt setting cannot be silently ignored.
 */
@JsonPropertyOrder({"data", "model", "input", "training"})
public record RunSettings(
    @JsonProperty("data") DataSettings data,
    @JsonProperty("model") ModelSettings model,
    @JsonProperty("input") InputSettings input,
    @JsonProperty("training") TrainingSettings training) {

  /** {@code drsn train} without options: the paper's DRSN-CW on the synthetic drivetrain at -4 dB. */
  public static final RunSettings DEFAULTS = new RunSettings(DataSettings.DEFAULTS, ModelSettings.DEFAULTS,
      InputSettings.DEFAULTS, TrainingSettings.DEFAULTS);

  /**
   * Reads and writes settings: indented, failing on unknown keys, on nulls for numbers and on fractional numbers for
   * whole ones (Jackson would truncate {@code "epochs": 2.7} to 2 epochs). Settings are written with whole numbers as
   * integers, and bundles record them so ({@code ModelBundle.toMap}), so nothing this project writes is refused.
   */
  static final ObjectMapper JSON = JsonMappers.indented()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  /** No part may be null. */
  public RunSettings {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(training, "training");
  }

  /**
   * The run settings a bundle records in its training section (bundles written by {@link TrainingJob} do), or null
   * for a bundle that records none (an older one).
   *
   * @param file the bundle's file (or another name of it), for the message
   * @throws IllegalArgumentException if the recorded settings cannot be used by this version
   */
  public static RunSettings recordedIn(io.github.drsn.contract.Bundle bundle, Object file) {
    Object recorded = bundle.training().get("settings");
    if (!(recorded instanceof Map<?, ?> map)) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> settings = (Map<String, Object>) map;
      return fromJson(io.github.drsn.model.bundle.ModelBundle.toNode(settings));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model bundle " + file + " records run settings this drsn cannot use ("
          + e.getMessage() + "); give the data and noise with --data and --noise", e);
    }
  }

  /**
   * Settings from a JSON object that may leave settings out: those come from {@link #DEFAULTS}.
   *
   * @throws IllegalArgumentException for an unknown key, a value of the wrong type or an invalid setting
   */
  public static RunSettings fromJson(JsonNode partial) {
    return DEFAULTS.with(partial);
  }

  /**
   * These settings with {@code overrides} applied: a JSON object in the same shape whose keys replace these
   * settings' values (objects merge key by key; lists and numbers are replaced whole).
   *
   * @throws IllegalArgumentException for an unknown key, a value of the wrong type or an invalid setting
   */
  public RunSettings with(JsonNode overrides) {
    if (overrides == null || overrides.isNull()) {
      return this;
    }
    if (!overrides.isObject()) {
      throw new IllegalArgumentException("run settings must be a JSON object with data, model, input and training,"
          + " got " + overrides);
    }
    ObjectNode merged = toJson();
    // The data source defaults to "manifest" when a manifest is given (as on the command line), so it is only
    // carried over when the overrides do not name a manifest of their own.
    if (overrides.path("data").has("manifest") && !overrides.path("data").has("source")) {
      ((ObjectNode) merged.get("data")).remove("source");
    }
    merge(merged, overrides);
    try {
      return JSON.treeToValue(merged, RunSettings.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(cause.getMessage(), cause);
    } catch (JsonMappingException e) {
      String at = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(java.util.stream.Collectors.joining("."));
      throw new IllegalArgumentException("invalid run setting " + at + ": " + e.getOriginalMessage(), e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("invalid run settings: " + e.getOriginalMessage(), e);
    }
  }

  /** Copies every key of {@code from} into {@code into}, merging objects that both have. */
  private static void merge(ObjectNode into, JsonNode from) {
    from.fields().forEachRemaining(field -> {
      JsonNode existing = into.get(field.getKey());
      if (existing != null && existing.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) existing, field.getValue());
      } else {
        into.set(field.getKey(), field.getValue().deepCopy());
      }
    });
  }

  /** These settings as a JSON object with every setting. */
  public ObjectNode toJson() {
    return JSON.valueToTree(this);
  }

  /** These settings as indented JSON text. */
  public String toJsonText() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JacksonException e) {
      throw new IllegalStateException("run settings cannot be written as JSON", e);
    }
  }

  /**
   * Reads settings from a JSON file (e.g. a run's {@code run.json}).
   *
   * @throws IllegalArgumentException naming the file if it is not valid settings
   */
  public static RunSettings read(Path file) throws IOException {
    JsonNode tree = readTree(file);
    try {
      return fromJson(tree);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A JSON file as a tree.
   *
   * @throws IllegalArgumentException naming the file if it is not JSON
   */
  public static JsonNode readTree(Path file) throws IOException {
    try {
      return JSON.readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  /** Loads the data, in the order domain when the input settings say so, and cuts it into windows. */
  public WindowedDataset loadWindows() throws RecordingLoadException {
    return data.loadWindows(input);
  }

  /**
   * The run's configuration for drsn-model's {@code TrainingRun}, sized for {@code windows}.
   *
   * @throws IllegalArgumentException if the windows are too short for the input representation
   */
  public RunConfig runConfig(WindowedDataset windows) {
    int classes = windows.dataset().classes().size();
    if (training.focalAlpha() != null && training.focalAlpha().size() != classes) {
      throw new IllegalArgumentException("training.focal_alpha (--focal-alpha) lists " + training.focalAlpha().size()
          + " weights but " + windows.dataset().name() + " has " + classes + " classes " + windows.dataset().classes());
    }
    int channels = windows.dataset().recordings().get(0).channelCount();
    int inputLength = input.pipeline().featureLength(windows.spec().length());
    ModelSpec spec = model.spec(channels, inputLength, classes, training.seed(), training.epochs()).toBuilder()
        .recipe(training.recipe()).build();
    return new RunConfig(model.architectureKind(), spec, input.pipeline(), training.batch(),
        training.batchesPerEpoch(), training.sampling(), training.epochs(), training.patience(), training.seed(),
        training.evaluationSeed());
  }

  /** The title of the run's report, e.g. {@code "drsn-cw on synthetic (seed 42), noise gaussian -4.0 dB, seed 1"}. */
  public String title() {
    return model.architecture() + " on " + data.describe() + ", noise " + input.describe() + ", seed "
        + training.seed();
  }

  /**
   * The configuration recorded in the run's report and bundle: these settings, and the values they resolve
   * to (e.g. the schedule in force, the split), under the keys reports have always had.
   */
  public Map<String, Object> configuration() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("command", "train");
    c.put("settings", toJson());
    c.put("model", model.architecture());
    c.put("normalization", model.norm().name());
    c.put("groups", model.groups());
    if (model.thresholdNorm() != null) { // only when set, so other reports keep their keys
      c.put("threshold_normalization", model.thresholdNorm().name());
    }
    c.put("channels", model.channels());
    c.put("units_per_stage", model.units());
    c.put("kernel", model.kernel());
    c.put("shortcut", model.shortcut().name());
    c.put("optimizer", model.optimizer().name());
    c.put("schedule", model.scheduleText(training.epochs()));
    c.put("momentum", model.momentum());
    c.put("l2", model.l2());
    c.put("l2_bias", model.l2Bias());
    c.put("weight_init", model.weightInit().name());
    c.put("data", data.describe());
    c.put("split", data.splitPlan().describe());
    c.put("window", data.window());
    c.put("train_stride", data.trainStride());
    c.put("noise", input.describe());
    c.put("input_normalization", input.normalization().name());
    c.put("representation", input.representation().name());
    c.put("epochs", training.epochs());
    c.put("batch", training.batch());
    c.put("batches_per_epoch", training.batchesPerEpoch());
    c.put("sampling", training.sampling().name());
    c.put("patience", training.patience());
    c.put("seed", training.seed());
    c.put("evaluation_seed", training.evaluationSeed());
    c.put("recipe", training.recipe().describe());
    c.put("kernels", training.kernels().resolve().label());
    return c;
  }

  /**
   * Whether a run started with these settings can be resumed as a run of {@code other}: the same settings but for the
   * number of epochs, and a schedule the epochs already trained followed. That is {@link #withEpochs} (the default
   * schedule written out, as {@code drsn train --resume --epochs N} extends a run), or {@code other} itself when its
   * default schedule puts the paper's steps at the same epochs over both lengths.
   */
  public boolean resumableAs(RunSettings other) {
    int epochs = other.training().epochs();
    if (withEpochs(epochs).equals(other)) {
      return true;
    }
    return model.schedule() == null && other.model().schedule() == null
        && model.scheduleText(training.epochs()).equals(model.scheduleText(epochs))
        && withEpochsAsGiven(epochs).equals(other);
  }

  /**
   * The same settings with another maximum number of epochs and the schedule as given: the default one (null) stays
   * the default and is recomputed for the new length. Unlike {@link #withEpochs}, which a resumed run follows, this is
   * what a user asks for who changes only {@code --epochs}; {@link #resumableAs} and the refusal of a resume tell the
   * two apart.
   */
  RunSettings withEpochsAsGiven(int epochs) {
    return new RunSettings(data, model, input, training.withEpochs(epochs));
  }

  /**
   * The same settings with another maximum number of epochs, to extend or shorten a run. A run on the default
   * schedule (the paper's steps at 40 % and 80 % of its epochs) keeps the schedule of the epochs it was started with,
   * written out: the epochs already trained followed it, so recomputing it for the new length would record a schedule
   * the run did not follow, and a resumed run would not end where one run on its recorded settings does.
   */
  public RunSettings withEpochs(int epochs) {
    ModelSettings kept = model.schedule() == null && epochs != training.epochs()
        ? model.withSchedule(model.scheduleText(training.epochs())) : model;
    return new RunSettings(data, kept, input, training.withEpochs(epochs));
  }
}
