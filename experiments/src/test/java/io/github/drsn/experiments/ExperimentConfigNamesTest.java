package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
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
  @Disabled("defect: ExperimentConfig.read accepts two models of one name; both cells are drsn-cw/gaussian_0dB_seed1,"
      + " the second (a resnet) then stops the run after the first has trained, saying the grid changed; fix in"
      + " ExperimentConfig.read (owned by another engineer): refuse a name given twice")
  void twoModelsOfOneNameAreRefused() throws Exception {
    Path file = config("[{\"name\": \"drsn-cw\"}, {\"name\": \"drsn-cw\", \"model\": {\"architecture\": \"resnet\"}}]",
        "[0]", "[1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("model name drsn-cw is given twice"), e.getMessage());
  }

  @Test
  @Disabled("defect: ExperimentConfig.read accepts a seed or SNR listed twice; cells() lists the cell twice, and after"
      + " one run the runner reports '2 of 2 cells done' for one cell; fix in ExperimentConfig.read: refuse repeats")
  void aSeedOrSnrListedTwiceIsRefused() throws Exception {
    Path seeds = config("[{\"name\": \"drsn-cw\"}]", "[0]", "[1, 1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(seeds));
    assertTrue(e.getMessage().contains("seed 1 is given twice"), e.getMessage());
    Path snrs = config("[{\"name\": \"drsn-cw\"}]", "[0, -4, 0]", "[1]");
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(snrs));
    assertTrue(s.getMessage().contains("gaussian SNR 0 dB is given twice"), s.getMessage());
  }

  @Test
  @Disabled("defect: a model name is used as a folder name under --out (cells/<name>/, runs/<name>/) unchecked, so"
      + " \"../../x\" writes cells and runs outside --out; fix in ExperimentConfig.read: a name must be a plain file"
      + " name (no '/', '\\\\', '..', nothing starting with '.')")
  void aModelNameThatIsAPathIsRefused() throws Exception {
    Path file = config("[{\"name\": \"../../x\", \"model\": {\"architecture\": \"drsn-cw\"}}]", "[0]", "[1]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains("model name ../../x"), e.getMessage());
  }
}
