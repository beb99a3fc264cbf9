package io.github.drsn.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.report.PublishedResult;
import io.github.drsn.datasets.io.JsonMappers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment grid read from JSON: data × model variants × noise types × SNRs × seeds, with one training
 * schedule for all. Every cell is one {@code drsn train} run with the arguments this config produces, so a
 * cell can be reproduced alone with the command line recorded in its result. Example:
 *
 * <pre>{@code
 * {
 *   "name": "cwru",
 *   "data": ["--data", "cwru", "--data-dir", "../shared/data/cwru"],
 *   "models": [ {"name": "drsn-cw"}, {"name": "resnet"},
 *               {"name": "drsn-cw-gn", "args": ["--model", "drsn-cw", "--norm", "group"]} ],
 *   "noise": [ {"type": "gaussian", "snr_db": [-10, -8, -6, -4, -2, 0]} ],
 *   "seeds": [1, 2, 3],
 *   "training": ["--epochs", "50", "--schedule", "reference"],
 *   "references": [ {"label": "PyTorch", "source": "REFERENCE-RESULTS.md",
 *                    "results": [ {"model": "drsn-cw", "noise": "gaussian", "snr_db": -10, "seeds": 3,
 *                                  "accuracy": 84.9, "std": 1.1} ]} ]
 * }
 * }</pre>
 * A model variant without {@code args} is trained with {@code --model <name>}. {@code references} are
 * published accuracies (percent) that the summary and plots show next to the grid's; they do not change any
 * cell. {@code baseline} (optional) names the model variant the summary compares every other one with, seed by
 * seed ({@link io.github.drsn.cli.report.PairedDifferences}); it changes no cell either.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ExperimentConfig(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty("description") String description,
    @JsonProperty("data") List<String> data,
    @JsonProperty(value = "models", required = true) List<Variant> models,
    @JsonProperty(value = "noise", required = true) List<NoiseLevels> noise,
    @JsonProperty(value = "seeds", required = true) List<Long> seeds,
    @JsonProperty("training") List<String> training,
    @JsonProperty("references") List<ReferenceSet> references,
    @JsonProperty("baseline") String baseline) {

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

  /** A named model configuration: extra {@code train} arguments. */
  public record Variant(@JsonProperty(value = "name", required = true) String name, @JsonProperty("args") List<String> args) {
    /** The {@code train} arguments of this variant. */
    public List<String> trainArguments() {
      return args == null || args.isEmpty() ? List.of("--model", name) : args;
    }
  }

  /** One noise type at several SNRs ({@code "none"} with no SNRs means clean). */
  public record NoiseLevels(@JsonProperty(value = "type", required = true) String type,
      @JsonProperty("snr_db") List<Double> snrDb) {}

  /** One cell of the grid. */
  public record Cell(String dataset, Variant model, String noise, double snrDb, long seed) {
    /** A file-system-safe id, e.g. {@code drsn-cw/gaussian_-4dB_seed1}. */
    public String id() {
      String level = noise.equals("none") ? "clean" : noise + "_" + formatSnr(snrDb) + "dB";
      return model.name() + "/" + level + "_seed" + seed;
    }

    /** The complete {@code drsn train} arguments of this cell (without --out). */
    public List<String> trainArguments(ExperimentConfig config) {
      List<String> args = new ArrayList<>();
      if (config.data() != null) {
        args.addAll(config.data());
      }
      args.addAll(model.trainArguments());
      args.add("--noise");
      args.add(noise);
      if (!noise.equals("none")) {
        args.add("--snr");
        args.add(formatSnr(snrDb));
      }
      args.add("--seed");
      args.add(Long.toString(seed));
      if (config.training() != null) {
        args.addAll(config.training());
      }
      return args;
    }
  }

  private static final ObjectMapper JSON =
      JsonMappers.compact().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads and checks a config file. */
  public static ExperimentConfig read(Path file) throws IOException {
    ExperimentConfig config;
    try {
      config = JSON.readValue(file.toFile(), ExperimentConfig.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("experiment config " + file + " is invalid: " + e.getOriginalMessage()
          + " (keys: name, description, data, models, noise, seeds, training, references, baseline)", e);
    }
    try {
      config.publishedResults();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("experiment config " + file + ": " + e.getMessage(), e);
    }
    if (config.models().isEmpty() || config.noise().isEmpty() || config.seeds().isEmpty()) {
      throw new IllegalArgumentException("experiment config " + file + " needs at least one model, noise and seed");
    }
    if (config.baseline() != null && config.models().stream().noneMatch(m -> m.name().equals(config.baseline()))) {
      throw new IllegalArgumentException("experiment config " + file + ": baseline \"" + config.baseline()
          + "\" is not one of its models " + config.models().stream().map(Variant::name).toList());
    }
    return config;
  }

  /** Every cell, in the order they run: noise, SNR from high to low... as written; models inner. */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (NoiseLevels levels : noise) {
      List<Double> snrs = levels.type().equals("none") ? List.of(Double.POSITIVE_INFINITY) : levels.snrDb();
      if (snrs == null || snrs.isEmpty()) {
        throw new IllegalArgumentException("noise '" + levels.type() + "' lists no snr_db values");
      }
      for (long seed : seeds) {
        for (double snr : snrs) {
          for (Variant model : models) {
            cells.add(new Cell(name, model, levels.type(), snr, seed));
          }
        }
      }
    }
    return cells;
  }

  /** The config as a JSON tree, recorded in every cell result. */
  public JsonNode toJson() {
    return JSON.valueToTree(this);
  }

  /** Shared config entries as a map, e.g. for reports. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("data", data);
    m.put("training", training);
    return m;
  }

  static String formatSnr(double snr) {
    return snr == Math.rint(snr) ? Long.toString((long) snr) : Double.toString(snr);
  }
}
