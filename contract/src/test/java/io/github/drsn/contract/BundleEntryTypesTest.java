package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.io.Json;
import io.github.drsn.contract.io.Npy;
import io.github.drsn.contract.io.NpyArray;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The type of a parameter entry, values beyond float32, and the reader's heap budget. */
class BundleEntryTypesTest {

  @TempDir Path dir;

  private static final ModelLayout LAYOUT = new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4, 8}, 1, 3, 2,
      3, NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
  private static final InputSpec INPUT = new InputSpec(12_000, 64, 1, Normalization.Z_SCORE, Representation.TIME);

  @Test
  void aFloatBundleWhoseParametersAreFloat64IsRefusedNamingTheDtype() throws Exception {
    Bundle b = RandomBundles.random(LAYOUT, List.of("a", "b", "c"), INPUT, 3);
    Path good = dir.resolve("good.drsn");
    b.write(good);
    ByteArrayOutputStream npy = new ByteArrayOutputStream();
    Npy.write(npy, NpyArray.ofDoubles(b.parameters(), b.parameters().length));
    Path file = dir.resolve("f8.drsn");
    withParameterEntry(good, file, npy.toByteArray());

    BundleFormatException e = assertThrows(BundleFormatException.class, () -> Bundle.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("dtype <f8")
        && e.getMessage().contains("FLOAT") && e.getMessage().contains(Bundle.PARAMETERS_ENTRY), e.getMessage());
  }

  @Test
  void aDoubleWeightBeyondFloat32IsReadButRefusedForAFloatRuntimeNamingEntryAndIndex() throws Exception {
    double[] p = RandomBundles.random(LAYOUT, List.of("a", "b", "c"), INPUT, 4).parameters();
    p[5] = -1e39;
    Bundle b = new Bundle(LAYOUT, List.of("a", "b", "c"), INPUT, Bundle.Precision.DOUBLE, p, "x", Instant.EPOCH,
        null, null, null);
    Path file = dir.resolve("double.drsn");
    b.write(file);
    Bundle read = Bundle.read(file);
    assertEquals(-1e39, read.parameters()[5]);

    BundleFormatException e = assertThrows(BundleFormatException.class, () -> read.requireFloatRange(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(Bundle.PARAMETERS_ENTRY)
        && e.getMessage().contains("parameter value 5"), e.getMessage());
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class, read::floatParameters);
    assertTrue(f.getMessage().contains("parameter value 5"), f.getMessage());

    p[5] = 3e38; // within float32
    Bundle within = new Bundle(LAYOUT, List.of("a", "b", "c"), INPUT, Bundle.Precision.DOUBLE, p, "x",
        Instant.EPOCH, null, null, null);
    within.requireFloatRange(file);
    assertEquals(3e38f, within.floatParameters()[5]);
  }

  @Test
  void theReturnedParametersAreCopiesSoTheBundleStaysImmutable() throws Exception {
    Bundle b = RandomBundles.random(LAYOUT, List.of("a", "b", "c"), INPUT, 5);
    Path file = dir.resolve("m.drsn");
    b.write(file);
    Bundle read = Bundle.read(file);
    double first = read.parameters()[0];
    read.parameters()[0] = first + 1;
    read.members().get(0).parameters()[0] = first + 1;
    assertEquals(first, read.parameters()[0]);
    assertEquals(first, read.members().get(0).parameters()[0]);
    assertEquals(b, read);
    double[] mine = b.parameters();
    Bundle.Member m = new Bundle.Member(LAYOUT, mine);
    mine[0] = first + 1;
    assertEquals(b.parameters()[0], m.parameters()[0], "the constructor copies a caller's array");
  }

  @Test
  void aBundleTooLargeForTheHeapIsRefusedSayingHowMuchItNeeds() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 2048, 1, new int[] {1024}, 1, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path file = dir.resolve("zeros.drsn");
    new Bundle(layout, List.of("a", "b", "c", "d"),
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), Bundle.Precision.FLOAT,
        new double[layout.parameterCount()], "x", Instant.EPOCH, null, null, null).write(file);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx160m", "-cp", System.getProperty("java.class.path"),
        ReviewBundleHeapTest.class.getName(), file.toString()).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the reader finished");
    assertTrue(out.contains("BundleFormatException") && out.contains(file.toString()) && out.contains("-Xmx")
        && out.contains("MB of heap"), out);
  }

  private static void withParameterEntry(Path from, Path to, byte[] npy) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    entries.put(Bundle.PARAMETERS_ENTRY, npy);
    @SuppressWarnings("unchecked")
    Map<String, Object> root = new LinkedHashMap<>((Map<String, Object>) Json.parse(
        new String(entries.get(Bundle.METADATA_ENTRY), StandardCharsets.UTF_8)));
    @SuppressWarnings("unchecked")
    Map<String, Object> parameters = new LinkedHashMap<>((Map<String, Object>) root.get("parameters"));
    parameters.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(npy)));
    root.put("parameters", parameters);
    entries.put(Bundle.METADATA_ENTRY, Json.write(root).getBytes(StandardCharsets.UTF_8));
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(to))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }
}
