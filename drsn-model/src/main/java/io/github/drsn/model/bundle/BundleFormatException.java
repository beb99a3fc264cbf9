package io.github.drsn.model.bundle;

import java.nio.file.Path;

/** A file that is not a readable model bundle of a version this build accepts; the message names it. */
public final class BundleFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param file the bundle file; @param problem what is wrong and what was expected */
  public BundleFormatException(Path file, String problem) {
    super("model bundle " + file + ": " + problem);
  }

  public BundleFormatException(Path file, String problem, Throwable cause) {
    super("model bundle " + file + ": " + problem, cause);
  }
}
