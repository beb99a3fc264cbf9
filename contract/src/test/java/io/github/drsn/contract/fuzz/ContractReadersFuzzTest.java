package io.github.drsn.contract.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.BundleFormatException;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.contract.io.FileFormatException;
import io.github.drsn.contract.io.Json;
import io.github.drsn.contract.io.Npy;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Coverage-guided fuzzing of the contract's readers (docs/fuzzing.md). In a normal build each target replays its
 * committed inputs ({@code src/test/resources/.../ContractReadersFuzzTestInputs/<target>/}); with {@code
 * JAZZER_FUZZ=1} one target fuzzes for its {@code maxDuration}. A reader may refuse any input, but only with its
 * own typed error, whose message names the file: any other exception, a hang or an OutOfMemoryError is a finding.
 */
class ContractReadersFuzzTest {

  private static final Path NAME = Path.of("fuzzed.drsn");
  private static final byte[] PARAMETERS = validParameters();

  @FuzzTest(maxDuration = "10m")
  void json(byte[] input) {
    try {
      Json.parse(new String(input, StandardCharsets.UTF_8));
    } catch (Json.JsonException e) {
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "10m")
  void npy(byte[] input) throws IOException {
    try {
      Npy.read(input, Path.of("fuzzed.npy"));
    } catch (FileFormatException e) {
      assertTrue(e.getMessage().startsWith("fuzzed.npy"), e.getMessage());
    }
  }

  /** Whole archives: the zip layer, entry limits and duplicates. */
  @FuzzTest(maxDuration = "10m")
  void bundleArchive(byte[] input) throws IOException {
    read(input);
  }

  /** bundle.json alone, inside a well-formed archive with a valid parameter entry: the metadata checks. */
  @FuzzTest(maxDuration = "10m")
  void bundleMetadata(byte[] input) throws IOException {
    read(zip(input, PARAMETERS));
  }

  private static void read(byte[] archive) throws IOException {
    Path file = Files.createTempFile("fuzz", ".drsn");
    try {
      Files.write(file, archive);
      try {
        Bundle.read(file);
      } catch (BundleFormatException e) {
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      }
    } finally {
      Files.delete(file);
    }
  }

  static byte[] zip(byte[] metadata, byte[] parameters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(Bundle.METADATA_ENTRY));
      zip.write(metadata);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(Bundle.PARAMETERS_ENTRY));
      zip.write(parameters);
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The parameters.npy of a small valid bundle, so that fuzzed metadata can get past the SHA-256 check. */
  private static byte[] validParameters() {
    try {
      Path file = Files.createTempFile("seed", ".drsn");
      RandomBundles.write(file, layout(), List.of("a", "b", "c"),
          new InputSpec(12_000, 64, 1, Normalization.Z_SCORE, Representation.TIME), 1);
      try (var zip = new java.util.zip.ZipFile(file.toFile())) {
        return zip.getInputStream(zip.getEntry(Bundle.PARAMETERS_ENTRY)).readAllBytes();
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ModelLayout layout() {
    return new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4, 8}, 1, 3, 2, 3, NormKind.BATCH_NORM, 2,
        Shortcut.ZERO_PAD);
  }
}
