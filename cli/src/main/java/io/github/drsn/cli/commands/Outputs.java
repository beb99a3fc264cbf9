package io.github.drsn.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on the files commands write. */
final class Outputs {

  private Outputs() {}

  /**
   * Whether writing {@code out} would replace {@code input}: the same file however it is spelt ({@code ./m.drsn},
   * a symbolic or hard link), so that a command never writes its result over a file it reads.
   */
  static boolean isSameFile(Path out, Path input) throws IOException {
    return Files.exists(out) && Files.exists(input) && Files.isSameFile(out, input);
  }
}
