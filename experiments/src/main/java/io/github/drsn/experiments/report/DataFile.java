package io.github.drsn.experiments.report;

import io.github.drsn.datasets.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
