package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Careless configs that {@link ExperimentConfig#read} must refuse up front, before any cell trains, with an
 * {@link IllegalArgumentException} naming the file and what was expected (the CLI turns it into exit code 1 with its
 * message): each of these was once either read silently as something else or failed with a bare NullPointerException.
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

  @Test
  void textAfterTheConfigObjectIsRefused() throws IOException {
    // Before: read returned the first object; "seeds": [2] of the pasted second config was silently dropped.
    assertRejected("{" + GRID + "}\n{" + GRID.replace("[1]", "[2]") + "}", "");
    assertRejected("{" + GRID + "}}", "");
  }

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

  @ParameterizedTest
  @MethodSource("nullEntries")
  void aNullEntryIsRefusedNamingTheFileAndTheKey(String config, String key) throws IOException {
    assertRejected(config, key);
  }

  @Test
  void aNullNameIsRefused() throws IOException {
    assertRejected("{\"name\": null, " + MODELS + ", " + NOISE + ", " + SEEDS + "}", "name");
  }

  @Test
  void aFractionalSeedIsRefusedNotTruncated() throws IOException {
    assertRejected("{\"name\": \"g\", " + MODELS + ", " + NOISE + ", \"seeds\": [1.5]}", "seeds");
  }

  @Test
  void aFractionalEpochCountIsRefusedNotTruncated() throws IOException {
    assertRejected("{" + GRID + ", \"training\": {\"epochs\": 2.7}}", "epochs");
  }

  @Test
  void snrLevelsOfNoiseNoneAreRefused() throws IOException {
    assertRejected("{\"name\": \"g\", " + MODELS + ", \"noise\": [{\"type\": \"none\", \"snr_db\": [-4, 0]}], "
        + SEEDS + "}", "none");
  }

  @Test
  void aFolderGivenAsTheConfigIsRefusedAsSuch() throws Exception {
    Path folder = java.nio.file.Files.createDirectories(dir.resolve("grid.json"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(folder));
    assertTrue(e.getMessage().contains("experiment config " + folder + " is a folder"), e.getMessage());
  }
}
