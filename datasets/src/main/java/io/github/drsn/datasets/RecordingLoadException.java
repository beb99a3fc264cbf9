package io.github.drsn.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A recording could not be loaded: the file is missing, truncated or corrupt, a channel or variable is
 * missing, a sample is NaN/Inf, or the file number is unknown. The message always starts with the file
 * and says what was expected, e.g. {@code "/data/105.mat: no variable matches X\d+_DE_time (found:
 * X105_FE_time, X105RPM)"}.
 */
public class RecordingLoadException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String problem;

  /**
   * @param file the file that could not be loaded
   * @param problem what was wrong and what was expected
   */
  public RecordingLoadException(Path file, String problem) {
    this(file, problem, null);
  }

  /**
   * @param file the file that could not be loaded
   * @param problem what was wrong and what was expected
   * @param cause the underlying error, or null
   */
  public RecordingLoadException(Path file, String problem, Throwable cause) {
    super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"), cause);
    this.file = file;
    this.problem = problem;
  }

  /** @return the file that could not be loaded */
  public Path file() {
    return file;
  }

  /** @return the problem without the file name prefix */
  public String problem() {
    return problem;
  }
}
