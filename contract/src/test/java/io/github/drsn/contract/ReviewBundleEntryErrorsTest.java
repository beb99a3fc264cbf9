package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.io.Json;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review: {@link Bundle#read} promises a {@link BundleFormatException} naming the bundle for a file that is corrupt or
 * inconsistent ("every failure is a BundleFormatException naming the file"; docs/fuzzing.md: a reader refuses only
 * with its own typed error). A parameter entry whose bytes match the recorded SHA-256 but are no .npy the reader
 * takes (here a half-precision array, as an exporter that stores float16 writes it) escapes as the .npy reader's
 * {@code FileFormatException}, an IOException a service catching BundleFormatException does not expect.
 */
class ReviewBundleEntryErrorsTest {

  @TempDir Path dir;

  @Test
  void aParameterEntryOfAnUnsupportedDtypeIsABundleFormatExceptionNamingTheBundle() throws Exception {
    Path good = dir.resolve("good.drsn");
    RandomBundles.write(good, new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4, 8}, 1, 3, 2, 3,
        NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD), List.of("a", "b", "c"),
        new InputSpec(12_000, 64, 1, Normalization.Z_SCORE, Representation.TIME), 7);
    Map<String, byte[]> entries = entries(good);
    byte[] npy = entries.get(Bundle.PARAMETERS_ENTRY).clone();
    String header = new String(npy, 0, 128, StandardCharsets.ISO_8859_1);
    int at = header.indexOf("<f4");
    assertTrue(at > 0, "control: a float32 parameter entry, header " + header);
    npy[at + 2] = '2'; // '<f2': float16, same header length; the SHA-256 is recorded for these bytes
    entries.put(Bundle.PARAMETERS_ENTRY, npy);
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) Json.parse(new String(entries.get(Bundle.METADATA_ENTRY),
        StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    Map<String, Object> parameters = new LinkedHashMap<>((Map<String, Object>) root.get("parameters"));
    parameters.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(npy)));
    Map<String, Object> edited = new LinkedHashMap<>(root);
    edited.put("parameters", parameters);
    entries.put(Bundle.METADATA_ENTRY, Json.write(edited).getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("float16.drsn");
    Files.write(file, zip(entries));

    BundleFormatException e = assertThrows(BundleFormatException.class, () -> Bundle.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("dtype"), e.getMessage());
  }

  private static Map<String, byte[]> entries(Path file) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
