package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.model.train.EpochRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The per-epoch record of a training run, appended to as training proceeds. JSON form:
 * <pre>
 * {"epochs": [{"epoch": 1, "train_loss": 2.1, "validation_loss": 1.9, "validation_accuracy": 0.41,
 *              "learning_rate": 0.1, "seconds": 12.5}, ...]}
 * </pre>
 * with {@code null} for values not measured. Not thread-safe.
 */
public final class TrainingHistory {

  private final List<EpochRecord> epochs = new ArrayList<>();

  /** An empty history. */
  public TrainingHistory() {}

  /** A history holding {@code records}, in order. */
  public static TrainingHistory of(List<EpochRecord> records) {
    TrainingHistory history = new TrainingHistory();
    records.forEach(history::add);
    return history;
  }

  /**
   * Appends the record of the next epoch.
   *
   * @throws IllegalArgumentException if its epoch number is not larger than the last one's
   */
  public void add(EpochRecord record) {
    if (!epochs.isEmpty() && record.epoch() <= epochs.get(epochs.size() - 1).epoch()) {
      throw new IllegalArgumentException("epoch " + record.epoch() + " does not follow epoch "
          + epochs.get(epochs.size() - 1).epoch());
    }
    epochs.add(record);
  }

  /** The records in epoch order (an unmodifiable view). */
  public List<EpochRecord> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  public boolean isEmpty() {
    return epochs.isEmpty();
  }

  /** Sum of the epochs' wall times in seconds. */
  public double totalSeconds() {
    return epochs.stream().mapToDouble(EpochRecord::seconds).sum();
  }

  /** The epoch with the highest validation accuracy (the earliest on ties), if any was measured. */
  public Optional<EpochRecord> bestByValidationAccuracy() {
    return epochs.stream()
        .filter(e -> !Double.isNaN(e.validationAccuracy()))
        .max(Comparator.comparingDouble(EpochRecord::validationAccuracy)
            .thenComparing(Comparator.comparingInt(EpochRecord::epoch).reversed()));
  }

  /** The JSON tree described in the class comment. */
  public ObjectNode toJsonTree() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode array = root.putArray("epochs");
    for (EpochRecord e : epochs) {
      ObjectNode node = array.addObject();
      node.put("epoch", e.epoch());
      Json.putNumber(node, "train_loss", e.trainLoss());
      Json.putNumber(node, "validation_loss", e.validationLoss());
      Json.putNumber(node, "validation_accuracy", e.validationAccuracy());
      Json.putNumber(node, "learning_rate", e.learningRate());
      Json.putNumber(node, "seconds", e.seconds());
    }
    return root;
  }

  /** Pretty-printed JSON. */
  public String toJson() {
    return Json.write(toJsonTree());
  }

  /**
   * Parses the JSON form.
   *
   * @throws IllegalArgumentException if a field is missing or invalid
   */
  public static TrainingHistory fromJsonTree(JsonNode root) {
    JsonNode array = Json.required(root, "epochs");
    if (!array.isArray()) {
      throw new IllegalArgumentException("'epochs' is not an array");
    }
    TrainingHistory history = new TrainingHistory();
    for (JsonNode node : array) {
      history.add(new EpochRecord(
          Json.required(node, "epoch").asInt(),
          Json.number(node, "train_loss"),
          Json.number(node, "validation_loss"),
          Json.number(node, "validation_accuracy"),
          Json.required(node, "learning_rate").asDouble(),
          Json.required(node, "seconds").asDouble()));
    }
    return history;
  }

  /** Parses the JSON text. @throws IllegalArgumentException if it is not a valid history */
  public static TrainingHistory fromJson(String json) {
    try {
      return fromJsonTree(Json.MAPPER.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes the JSON form to {@code file} atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, toJson());
  }

  /** Reads a history written by {@link #write}. */
  public static TrainingHistory read(Path file) throws IOException {
    try {
      return fromJson(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingHistory other && epochs.equals(other.epochs);
  }

  @Override
  public int hashCode() {
    return epochs.hashCode();
  }

  @Override
  public String toString() {
    return "TrainingHistory[" + epochs.size() + " epochs]";
  }
}
