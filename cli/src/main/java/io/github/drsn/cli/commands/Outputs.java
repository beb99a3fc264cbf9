package io.github.drsn.cli.commands;

import io.github.drsn.contract.Bundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

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

  /**
   * Refuses (exit 2) a model bundle's destination that is an existing file other than a model bundle: a recording,
   * a manifest or anything else a mistyped {@code --out} names would be replaced by the bundle and lost. A bundle
   * there is replaced (the commands' documented behaviour); a missing file is created.
   *
   * @param option the option's name, for the message
   */
  static void requireBundleDestination(CommandLine commandLine, String option, Path out) {
    if (Files.isDirectory(out)) {
      throw new ParameterException(commandLine, option + " " + out + " is a folder; expected a model bundle's file"
          + " name, e.g. " + out.resolve("model.drsn"));
    }
    if (Files.exists(out) && !isBundle(out)) {
      throw new ParameterException(commandLine, option + " " + out + " exists and is not a model bundle; a bundle"
          + " written there would replace it: choose another file name (e.g. ending in .drsn)");
    }
  }

  /**
   * Refuses (exit 2) an output folder that is an existing file.
   *
   * @param option the option's name, for the message
   */
  static void requireFolder(CommandLine commandLine, String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(commandLine, option + " " + dir + " is a file; expected a folder (it is created"
          + " when missing)");
    }
  }

  private static boolean isBundle(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry metadata = zip.getEntry(Bundle.METADATA_ENTRY);
      return metadata != null;
    } catch (IOException e) {
      return false;
    }
  }
}
