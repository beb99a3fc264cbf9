package io.github.drsn.experiments.report;

import io.github.drsn.datasets.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A data file a run read, identified by its SHA-256 (FIPS 180-4) so a result can be traced to the exact
 * bytes it came from.
 *
 * @param path the path as given to the run
 * @param sha256 64 lower-case hex digits
 * @param sizeBytes file size in bytes
 */
public record DataFile(String path, String sha256, long sizeBytes) {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  /** @throws IllegalArgumentException if the hash is not 64 lower-case hex digits or the size is negative */
  public DataFile {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("path must not be blank");
    }
    if (sha256 == null || !HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
    }
  }

  /** Hashes {@code file} (streaming, so large recordings are fine). */
  public static DataFile of(Path file) throws IOException {
    return new DataFile(file.toString(), sha256(file), Files.size(file));
  }

  /** The SHA-256 of a file's content as lower-case hex. */
  public static String sha256(Path file) throws IOException {
    return FileDigests.sha256(file);
  }

  /**
   * The recorded data files of a bundle's provenance ({@code data_files}: path, sha256) that differ today from what
   * the model was trained on: a file at the recorded path whose SHA-256 is another, or that is gone. A command that
   * re-reads "the data the model was trained on" (evaluate, calibrate) says so, as its split would be cut from other
   * samples. Paths are as recorded (relative to where training ran); a file not found there is reported as missing.
   *
   * @return one sentence per changed or missing file, in the recorded order; empty when all match or none are recorded
   */
  public static List<String> changedSince(Map<String, Object> provenance) {
    List<String> changed = new ArrayList<>();
    if (!(provenance.get("data_files") instanceof List<?> files)) {
      return changed;
    }
    for (Object entry : files) {
      if (!(entry instanceof Map<?, ?> f) || !(f.get("path") instanceof String path)
          || !(f.get("sha256") instanceof String recorded)) {
        continue;
      }
      Path file = Path.of(path);
      try {
        if (!Files.isRegularFile(file)) {
          changed.add(path + " is not there any more (recorded SHA-256 " + recorded.substring(0, 12) + "...)");
          continue;
        }
        String now = sha256(file);
        if (!now.equals(recorded)) {
          changed.add(path + " differs from the recording the model was trained on (SHA-256 "
              + recorded.substring(0, 12) + "... recorded, " + now.substring(0, 12) + "... now)");
        }
      } catch (IOException e) {
        changed.add(path + " cannot be read to compare it: " + e.getMessage());
      }
    }
    return changed;
  }
}
