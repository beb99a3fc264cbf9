package io.github.drsn.datasets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a recording's samples came from: the file, the variable or columns read, and the file's
 * SHA-256, so that any result can be traced back to the exact bytes it was computed from.
 *
 * @param path the file that was read
 * @param variable the variable (MAT-file) or column names (CSV) the samples were taken from
 * @param sha256 lower-case hexadecimal SHA-256 of the whole file
 */
public record SourceFile(Path path, String variable, String sha256) {

  /** @throws NullPointerException if an argument is null */
  public SourceFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(sha256, "sha256");
  }
}
