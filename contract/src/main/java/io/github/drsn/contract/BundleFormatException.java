package io.github.drsn.contract;

import java.nio.file.Path;

/** A file that is not a readable model bundle of a version this runtime accepts; the message names the file and the problem. */
public final class BundleFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param file the bundle file
   * @param problem what is wrong and what was expected
   */
  public BundleFormatException(Path file, String problem) {
    super("model bundle " + file + ": " + problem);
  }

  /**
   * @param file the bundle file
   * @param problem what is wrong and what was expected
   * @param cause the underlying error
   */
  public BundleFormatException(Path file, String problem, Throwable cause) {
    super("model bundle " + file + ": " + problem, cause);
  }
}
