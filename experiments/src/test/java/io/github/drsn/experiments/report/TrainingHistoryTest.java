package io.github.drsn.experiments.report;

import io.github.drsn.model.train.EpochRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingHistoryTest {

  @TempDir Path dir;

  static TrainingHistory sample() {
    return TrainingHistory.of(List.of(
        new EpochRecord(1, 2.25, 2.0, 0.40, 0.1, 10.5),
        new EpochRecord(2, 1.5, Double.NaN, Double.NaN, 0.1, 9.5),
        new EpochRecord(3, 0.75, 0.8, 0.85, 0.01, 10.0)));
  }

  @Test
  void jsonUsesSnakeCaseKeysAndNullForUnmeasuredValues() throws IOException {
    JsonNode json = Json.MAPPER.readTree(sample().toJson());
    JsonNode first = json.get("epochs").get(0);
    assertEquals(1, first.get("epoch").asInt());
    assertEquals(2.25, first.get("train_loss").asDouble());
    assertEquals(2.0, first.get("validation_loss").asDouble());
    assertEquals(0.40, first.get("validation_accuracy").asDouble());
    assertEquals(0.1, first.get("learning_rate").asDouble());
    assertEquals(10.5, first.get("seconds").asDouble());
    assertTrue(json.get("epochs").get(1).get("validation_loss").isNull());
    assertFalse(sample().toJson().contains("NaN"));
  }

  @Test
  void roundTripsThroughAFile() throws IOException {
    Path file = dir.resolve("history.json");
    sample().write(file);
    TrainingHistory back = TrainingHistory.read(file);
    assertEquals(sample(), back);
    assertTrue(Double.isNaN(back.epochs().get(1).validationAccuracy()));
    Files.writeString(file, "{\"epochs\": [{\"epoch\": 1}]}");
    IOException e = assertThrows(IOException.class, () -> TrainingHistory.read(file));
    assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
  }

  @Test
  void summarisesTimeAndBestEpoch() {
    TrainingHistory h = sample();
    assertEquals(30.0, h.totalSeconds(), 1e-12);
    assertEquals(3, h.bestByValidationAccuracy().orElseThrow().epoch());
    assertTrue(new TrainingHistory().bestByValidationAccuracy().isEmpty());
  }

  @Test
  void rejectsOutOfOrderEpochsAndInvalidRecords() {
    TrainingHistory h = sample();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> h.add(new EpochRecord(3, 1, 1, 0.5, 0.1, 1)));
    assertTrue(e.getMessage().contains("epoch 3 does not follow epoch 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new EpochRecord(0, 1, 1, 0.5, 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new EpochRecord(1, 1, 1, 1.5, 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new EpochRecord(1, 1, 1, 0.5, -0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new EpochRecord(1, 1, 1, 0.5, 0.1, Double.NaN));
    assertThrows(UnsupportedOperationException.class, () -> h.epochs().clear());
  }
}
