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
  private final Missing missing;

  /**
   * What the caller did not give and must, so that a command line can name its option for it: the library's
   * messages say "give the rate it was sampled at", not which flag, manifest field or API argument carries it.
   */
  public enum Missing {
    /** The rate the recording was sampled at. */
    SAMPLING_RATE,
    /** Which of several channels (columns, WAV channels) to read. */
    CHANNEL
  }

  /**
   * @param file the file that could not be loaded
   * @param problem what was wrong and what was expected
   */
  public RecordingLoadException(Path file, String problem) {
    this(file, problem, (Throwable) null);
  }

  /**
   * @param file the file that could not be loaded
   * @param problem what was wrong and what was expected
   * @param cause the underlying error, or null
   */
  public RecordingLoadException(Path file, String problem, Throwable cause) {
    this(file, problem, cause, null);
  }

  /**
   * @param file the file that could not be loaded
   * @param problem what was wrong and what was expected
   * @param missing what the caller must give to read it
   */
  public RecordingLoadException(Path file, String problem, Missing missing) {
    this(file, problem, null, Objects.requireNonNull(missing, "missing"));
  }

  private RecordingLoadException(Path file, String problem, Throwable cause, Missing missing) {
    super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"), cause);
    this.file = file;
    this.problem = problem;
    this.missing = missing;
  }

  /** @return what the caller must give to read the file, if that is the problem */
  public java.util.Optional<Missing> missing() {
    return java.util.Optional.ofNullable(missing);
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
