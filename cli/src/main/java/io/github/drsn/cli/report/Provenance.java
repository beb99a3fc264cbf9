package io.github.drsn.cli.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a result came from: the software version, when it was produced, the seed and the data files by
 * hash (after Tribuo's provenance, which travels with every model).
 *
 * @param projectVersion version of this toolkit (the jar's Implementation-Version)
 * @param createdUtc when the run finished, to the second
 * @param seed the run's master seed
 * @param dataFiles data files read, with SHA-256
 * @param javaVersion {@code java.version} of the JVM that ran it
 * @param platform operating system and architecture
 */
public record Provenance(String projectVersion, Instant createdUtc, long seed, List<DataFile> dataFiles,
    String javaVersion, String platform) {

  /** Copies the file list. */
  public Provenance {
    Objects.requireNonNull(projectVersion, "projectVersion");
    Objects.requireNonNull(createdUtc, "createdUtc");
    dataFiles = List.copyOf(dataFiles);
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(platform, "platform");
  }

  /**
   * Captures the provenance of a run finishing now: hashes {@code dataFiles} and records this JVM.
   *
   * @param projectVersion e.g. from {@link #projectVersionOf(Class)}
   */
  public static Provenance capture(String projectVersion, long seed, List<Path> dataFiles) throws IOException {
    List<DataFile> hashed = new ArrayList<>();
    for (Path file : dataFiles) {
      hashed.add(DataFile.of(file));
    }
    return new Provenance(projectVersion, Instant.now().truncatedTo(ChronoUnit.SECONDS), seed, hashed,
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /**
   * The Implementation-Version from the manifest of the jar holding {@code type}, or
   * {@code "development build"} when running from classes (as in tests).
   */
  public static String projectVersionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "development build" : version;
  }
}
