package io.github.drsn.experiments.report;

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
   * The Implementation-Version from the manifest of the jar holding {@code type} ({@code "development
   * build"} when running from classes, as in tests), followed by the git commit the code was built from,
   * e.g. {@code 0.1.0-SNAPSHOT (git 61326eb1c0de, modified)}: a snapshot version alone does not say which
   * code produced a result. The commit comes from the {@code git.properties} that the build writes next to
   * {@code type} (so a jar copied out of the checkout still names its commit; "modified" means tracked files
   * differed from that commit at build time), else from the checkout around the jar or classes, else it is
   * left out.
   */
  public static String projectVersionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    String base = version == null ? "development build" : version;
    String commit = buildCommit(type);
    if (commit == null) {
      commit = gitCommitNear(type);
    }
    return commit == null ? base : base + " (git " + commit + ")";
  }

  /** The commit recorded at build time in {@code git.properties} beside {@code type}, or null. */
  static String buildCommit(Class<?> type) {
    try (var in = type.getResourceAsStream("git.properties")) {
      if (in == null) {
        return null;
      }
      java.util.Properties git = new java.util.Properties();
      git.load(in);
      String head = git.getProperty("git.commit.id.abbrev", "");
      if (!head.matches("[0-9a-f]{12}")) {
        return null;
      }
      // git describe marks tracked changes only: untracked files (e.g. new results) are not "modified".
      return git.getProperty("git.commit.id.describe", "").endsWith("-modified") ? head + ", modified" : head;
    } catch (IOException e) {
      return null;
    }
  }

  /** The short commit of the git checkout holding {@code type}'s jar or classes, "…, modified" if dirty. */
  static String gitCommitNear(Class<?> type) {
    try {
      var source = type.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path location = Path.of(source.getLocation().toURI());
      Path dir = java.nio.file.Files.isDirectory(location) ? location : location.getParent();
      String head = git(dir, "rev-parse", "--short=12", "HEAD");
      if (head == null || !head.matches("[0-9a-f]{12}")) {
        return null;
      }
      String status = git(dir, "status", "--porcelain", "--untracked-files=no");
      return status == null || status.isEmpty() ? head : head + ", modified";
    } catch (Exception e) {
      return null;
    }
  }

  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      return null;
    }
    return out;
  }
}
