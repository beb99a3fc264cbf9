package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.io.ZipEntries;
import io.github.drsn.signals.Normalization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: {@link ZipEntries} caps what an archive's entries may inflate to at a third of the heap so that a small
 * hostile file cannot exhaust it ("never an OutOfMemoryError", docs/fuzzing.md), but {@link Bundle#read} then holds
 * each float32 parameter several times over as float64 (the .npy's floats, {@code toDoubleArray}, the Member's clone,
 * the Bundle's clone, the temporary Member of the constructor's check): about eight bytes of heap per entry byte. A
 * 36 KB bundle of one network of 8.4 M zero parameters (34 MB inflated, well under a third of a 256 MB heap) runs a
 * 256 MB JVM out of memory inside {@code Bundle.read}.
 */
class ReviewBundleHeapTest {

  @TempDir Path dir;

  /** Reads the bundle named by the argument in a JVM of its own and prints what happened. */
  public static void main(String[] args) {
    try {
      Bundle b = Bundle.read(Path.of(args[0]));
      System.out.println("read " + b.parameters().length + " parameters");
    } catch (Throwable t) {
      System.out.println("threw " + t.getClass().getName() + ": " + t.getMessage());
    }
  }

  private String readInAJvmOf(String heap, Path file) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, heap, "-cp", System.getProperty("java.class.path"),
        ReviewBundleHeapTest.class.getName(), file.toString()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the reader finished");
    assertEquals(0, child.exitValue(), out);
    return out;
  }

  /**
   * The metadata entry may inflate to 16 MB whatever the heap, and the JSON parser turns every 3 bytes of
   * {@code {},} into a LinkedHashMap and its unmodifiable view (~70 bytes): bundle.json of 16 MB of empty objects is
   * ~400 MB of heap, parsed before anything checks that it is a bundle's metadata. The file is ~16 KB.
   */
  @Test
  void metadataOfMillionsOfEmptyObjectsDoesNotRunTheReaderOutOfMemory() throws Exception {
    StringBuilder json = new StringBuilder(16_000_002).append('[');
    while (json.length() < 16_000_000 - 3) {
      json.append("{},");
    }
    json.append("{}]");
    Path file = dir.resolve("objects.drsn");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new java.util.zip.ZipEntry(Bundle.METADATA_ENTRY));
      zip.write(json.toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    assertTrue(Files.size(file) < 100_000, "control: a small file, " + Files.size(file) + " bytes");

    String out = readInAJvmOf("-Xmx512m", file);
    assertFalse(out.contains("OutOfMemoryError"), "Bundle.read at -Xmx512m: " + out);
    assertTrue(out.contains("BundleFormatException") && out.contains(file.toString()), out);
  }

  @Test
  void aBundleWithinTheEntryCapDoesNotRunTheReaderOutOfMemory() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 2048, 1, new int[] {1024}, 1, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Bundle zeros = new Bundle(layout, List.of("a", "b", "c", "d"),
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), Bundle.Precision.FLOAT,
        new double[layout.parameterCount()], "x", Instant.EPOCH, null, null, null);
    Path file = dir.resolve("zeros.drsn");
    zeros.write(file);
    long inflated = 4L * layout.parameterCount();
    assertTrue(Files.size(file) < 100_000, "control: a small file, " + Files.size(file) + " bytes");
    assertTrue(inflated < (256L << 20) / 3, "control: its entries are within a third of 256 MB: " + inflated);

    String out = readInAJvmOf("-Xmx256m", file);
    assertFalse(out.contains("OutOfMemoryError"), "Bundle.read at -Xmx256m: " + out);
    assertTrue(out.startsWith("read " + layout.parameterCount()) || out.contains("BundleFormatException")
        && out.contains(file.toString()), out);
  }
}
