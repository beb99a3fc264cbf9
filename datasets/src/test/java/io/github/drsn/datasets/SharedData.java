package io.github.drsn.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Finds {@code ../shared} for tests that need the real CWRU recordings, or skips them with a message. */
public final class SharedData {

  private SharedData() {
  }

  /** @return the CWRU folder; the calling test is skipped (not failed) when it is absent */
  public static Path cwruDirOrSkip() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("shared.dir");
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    }
    candidates.add(Path.of("..", "shared"));
    candidates.add(Path.of("..", "..", "shared"));
    for (Path shared : candidates) {
      Path cwru = shared.resolve("data").resolve("cwru");
      if (Files.isDirectory(cwru.resolve("12k_drive_end")) && Files.isDirectory(cwru.resolve("normal"))) {
        return cwru.toAbsolutePath().normalize();
      }
    }
    Assumptions.assumeTrue(false, "CWRU data not found at " + candidates + " (+ data/cwru); skipping");
    throw new AssertionError("unreachable");
  }
}
