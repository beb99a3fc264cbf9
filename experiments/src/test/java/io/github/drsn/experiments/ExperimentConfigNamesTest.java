package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid's cells are files named after the model, noise, SNR and seed: a config whose cells would share a file, or
 * whose model name is a path, is refused when it is read, naming what is wrong, before any cell trains.
 */
class ExperimentConfigNamesTest {

  @TempDir Path dir;

  private Path config(String models, String snrs, String seeds) throws Exception {
    return Files.writeString(dir.resolve("grid.json"), "{\"name\": \"g\", \"data\": {\"source\": \"synthetic\"},"
        + " \"models\": " + models + ", \"noise\": [{\"type\": \"gaussian\", \"snr_db\": " + snrs + "}],"
        + " \"seeds\": " + seeds + ", \"training\": {\"epochs\": 1}}");
  }

  @Test
  void twoModelsOfOneNameAreRefused() throws Exception {
    Path file = config("[{\"name\": \"drsn-cw\"}, {\"name\": \"drsn-cw\", \"model\": {\"architecture\": \"resnet\"}}]",
        "[0]", "[1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("model name drsn-cw is given twice"), e.getMessage());
  }

  @Test
  void aSeedOrSnrListedTwiceIsRefused() throws Exception {
    Path seeds = config("[{\"name\": \"drsn-cw\"}]", "[0]", "[1, 1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(seeds));
    assertTrue(e.getMessage().contains("seed 1 is given twice"), e.getMessage());
    Path snrs = config("[{\"name\": \"drsn-cw\"}]", "[0, -4, 0]", "[1]");
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(snrs));
    assertTrue(s.getMessage().contains("gaussian SNR 0 dB is given twice"), s.getMessage());
  }

  @Test
  void aModelNameThatIsAPathIsRefused() throws Exception {
    Path file = config("[{\"name\": \"../../x\", \"model\": {\"architecture\": \"drsn-cw\"}}]", "[0]", "[1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("model name ../../x"), e.getMessage());
  }
}
