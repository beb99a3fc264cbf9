package io.github.drsn.contract.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file exists and could be read but its content is not what its format requires; the message names it. */
public class FileFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /** @param file the offending file, included at the start of the message */
  public FileFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  /** What is wrong, without the file's name. */
  public String problem() {
    return problem;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
