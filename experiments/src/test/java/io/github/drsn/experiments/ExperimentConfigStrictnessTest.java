package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Careless configs that {@link ExperimentConfig#read} must refuse up front, before any cell trains, with an
 * {@link IllegalArgumentException} naming the file and what was expected (the CLI turns it into exit code 1 with its
 * message): each of these is today either read silently as something else or fails with a bare NullPointerException.
 */
class ExperimentConfigStrictnessTest {

  @TempDir Path dir;

  private static final String MODELS = "\"models\": [{\"name\": \"drsn-cw\"}]";
  private static final String NOISE = "\"noise\": [{\"type\": \"gaussian\", \"snr_db\": [0]}]";
  private static final String SEEDS = "\"seeds\": [1]";
  private static final String GRID = "\"name\": \"g\", " + MODELS + ", " + NOISE + ", " + SEEDS;

  /** Reading {@code config} fails with an IllegalArgumentException naming its file and containing {@code expected}. */
  private void assertRejected(String config, String expected) throws IOException {
    Path file = Files.writeString(dir.resolve("careless.json"), config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file),
        "read " + config);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void controlTheGridIsRead() throws IOException {
    ExperimentConfig.read(Files.writeString(dir.resolve("good.json"), "{" + GRID + "}"));
  }

  @Disabled("defect: JSON after the config object (an editing slip, a second pasted config) is ignored, not refused")
  @Test
  void textAfterTheConfigObjectIsRefused() throws IOException {
    // Today: read returns the first object; "seeds": [2] of the pasted second config is silently dropped.
    assertRejected("{" + GRID + "}\n{" + GRID.replace("[1]", "[2]") + "}", "");
    assertRejected("{" + GRID + "}}", "");
  }

  @Disabled("defect: a key given twice is read as its last value (\"seeds\": [1], ..., \"seeds\": [2] runs seed 2)")
  @Test
  void aKeyGivenTwiceIsRefusedNamingIt() throws IOException {
    assertRejected("{" + GRID + ", \"seeds\": [2]}", "seeds");
  }

  static Stream<String[]> nullEntries() {
    return Stream.of(
        new String[] {"{\"name\": \"g\", \"models\": [null], " + NOISE + ", " + SEEDS + "}", "models"},
        new String[] {"{\"name\": \"g\", \"models\": null, " + NOISE + ", " + SEEDS + "}", "models"},
        new String[] {"{\"name\": \"g\", " + MODELS + ", \"noise\": [null], " + SEEDS + "}", "noise"},
        new String[] {"{\"name\": \"g\", " + MODELS + ", " + NOISE + ", \"seeds\": [null]}", "seeds"},
        new String[] {"{\"name\": \"g\", " + MODELS + ", \"noise\": [{\"type\": \"gaussian\", \"snr_db\": [null]}], "
            + SEEDS + "}", "snr_db"});
  }

  @Disabled("defect: a null in models/noise/seeds/snr_db (or \"models\": null) fails with a bare NullPointerException"
      + " that names neither the file nor the key")
  @ParameterizedTest
  @MethodSource("nullEntries")
  void aNullEntryIsRefusedNamingTheFileAndTheKey(String config, String key) throws IOException {
    assertRejected(config, key);
  }

  @Disabled("defect: \"name\": null is accepted; every cell is then written with \"dataset\": null, which the summary"
      + " refuses only after the cell has trained")
  @Test
  void aNullNameIsRefused() throws IOException {
    assertRejected("{\"name\": null, " + MODELS + ", " + NOISE + ", " + SEEDS + "}", "name");
  }

  @Disabled("defect: a fractional seed (\"seeds\": [1.5]) is truncated to seed 1 instead of refused")
  @Test
  void aFractionalSeedIsRefusedNotTruncated() throws IOException {
    assertRejected("{\"name\": \"g\", " + MODELS + ", " + NOISE + ", \"seeds\": [1.5]}", "seeds");
  }

  @Disabled("defect: a fractional epoch count (\"epochs\": 2.7) is truncated to 2 epochs instead of refused")
  @Test
  void aFractionalEpochCountIsRefusedNotTruncated() throws IOException {
    assertRejected("{" + GRID + ", \"training\": {\"epochs\": 2.7}}", "epochs");
  }

  @Disabled("defect: noise \"none\" with snr_db levels silently drops the levels and runs one clean cell")
  @Test
  void snrLevelsOfNoiseNoneAreRefused() throws IOException {
    assertRejected("{\"name\": \"g\", " + MODELS + ", \"noise\": [{\"type\": \"none\", \"snr_db\": [-4, 0]}], "
        + SEEDS + "}", "none");
  }
}
