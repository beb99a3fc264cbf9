package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of today's grid-identity check (ExperimentRunner.checkOfThisGrid) and of resuming a grid's cell. */
class ReviewGridIdentityTest {

  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** As experiments/cwru-gaussian.json and experiments/cwru-other-noise.json: both named "cwru", same models. */
  private ExperimentConfig grid(String file, String noise, int epochs) throws Exception {
    return ExperimentConfig.read(Files.writeString(dir.resolve(file), "{\"name\": \"cwru\", \"data\": {\"source\":"
        + " \"synthetic\"}, \"models\": [{\"name\": \"drsn-cw\"}], \"noise\": [{\"type\": \"" + noise + "\","
        + " \"snr_db\": [-4]}], \"seeds\": [1], \"training\": {\"epochs\": " + epochs + "}}"));
  }

  @Test
  void aCellOfAnotherGridSharingItsNameIsRefused() throws Exception {
    ExperimentConfig gaussian = grid("cwru-gaussian.json", "gaussian", 1);
    ExperimentConfig otherNoise = grid("cwru-other-noise.json", "laplacian", 1);
    Path out = dir.resolve("out");
    ExperimentRunner writer = new ExperimentRunner(gaussian, out);
    ExperimentConfig.Cell cell = writer.selectedCells().get(0);
    ObjectNode c = JSON.createObjectNode();
    c.put("dataset", gaussian.name()).put("model", cell.model().name()).put("noise", cell.noise())
        .put("snr_db", cell.snrDb()).put("seed", cell.seed()).put("accuracy", 0.42).put("macro_f1", 0.42);
    c.set(ExperimentRunner.SETTINGS_KEY, cell.settings(gaussian).toJson());
    c.set("experiment", gaussian.toJson());
    Files.createDirectories(writer.cellFile(cell).getParent());
    Files.writeString(writer.cellFile(cell), JSON.writeValueAsString(c));

    // The same --out reused for the other-noise grid: the gaussian cell is another grid's.
    ExperimentRunner summariser = new ExperimentRunner(otherNoise, out);
    try {
      summariser.summarize();
    } catch (IllegalArgumentException refused) {
      return;
    }
    String csv = Files.readString(out.resolve("summary.csv"));
    assertFalse(csv.contains("gaussian"), "the laplacian grid's summary tables the gaussian grid's cell:\n" + csv);
  }

  @Test
  void aCellWhoseEpochsChangedIsNotRefusedAsOtherSettings() throws Exception {
    ExperimentConfig started = grid("a.json", "gaussian", 1);
    ExperimentConfig longer = grid("b.json", "gaussian", 2);
    ExperimentConfig.Cell cellA = new ExperimentRunner(started, dir.resolve("out")).selectedCells().get(0);
    ExperimentConfig.Cell cellB = new ExperimentRunner(longer, dir.resolve("out")).selectedCells().get(0);
    RunSettings saved = cellA.settings(started);
    RunSettings now = cellB.settings(longer);
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve(TrainingJob.SETTINGS_FILE), saved.toJsonText());
    // Only the number of epochs differs, which resuming allows (TrainingJob.run's javadoc). No checkpoint is there, so
    // the expected refusal is "nothing to resume"; before 546a7bd..HEAD that was the message.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingJob.run(now, run, true, null, null));
    assertTrue(e.getMessage().contains("nothing to resume"), e.getMessage());
  }

  @Test
  void aCellWhoseDefaultScheduleMovesWithItsEpochsIsRefusedSayingWhy() throws Exception {
    // 12 epochs: steps at 5 and 10; 20 epochs: at 8 and 16. Epochs 5-7 already ran at 0.01.
    RunSettings saved = new ExperimentRunner(grid("a.json", "gaussian", 12), dir.resolve("out")).selectedCells().get(0)
        .settings(grid("a.json", "gaussian", 12));
    ExperimentConfig longer = grid("b.json", "gaussian", 20);
    RunSettings now = new ExperimentRunner(longer, dir.resolve("out")).selectedCells().get(0).settings(longer);
    Path run = Files.createDirectories(dir.resolve("run12"));
    Files.writeString(run.resolve(TrainingJob.SETTINGS_FILE), saved.toJsonText());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingJob.run(now, run, true, null, null));
    assertTrue(e.getMessage().contains("was started over 12 epochs on the default schedule")
        && e.getMessage().contains("(step:0.1@0,0.01@5,0.001@10); over 20 epochs they are step:0.1@0,0.01@8,0.001@16")
        && e.getMessage().contains("delete " + run), e.getMessage());
    // Extended as drsn train --resume --epochs 20 does it (the schedule written out), it resumes.
    IllegalArgumentException resumable = assertThrows(IllegalArgumentException.class,
        () -> TrainingJob.run(saved.withEpochs(20), run, true, null, null));
    assertTrue(resumable.getMessage().contains("nothing to resume"), resumable.getMessage());
  }
}
