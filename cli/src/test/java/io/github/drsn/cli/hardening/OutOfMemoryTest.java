package io.github.drsn.cli.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.signals.Normalization;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an adversarial review and fixed; what it did before the fix: long recordings end in an {@link OutOfMemoryError} and a stack trace instead of a clean refusal.
 * The MAT reader checks a file's size against the heap (MatSizeCheck); the WAV reader does not, and predict keeps
 * every window's JSON even in text mode, with a window cap (2,000,000) that does not depend on the heap. Measured with
 * the launcher's -Xmx512m: a 92 MB WAV (one hour, 16-bit mono at 12.8 kHz) dies in WavReader.decode, and a 4 MB WAV
 * (156 s) with --hop 1 dies in PredictCommand.fileJson after two minutes. Here the same two at a heap scaled down
 * to 64 MB, so that the files stay small: each must be exit 1 with a message naming the file, never an OOM.
 *
 * <p>Also a bundle: {@code ZipEntries} caps each wanted entry (80 MB for a parameter entry) but not their sum, and
 * holds every one in memory before bundle.json is even parsed; 16 entries of zeros, a 1.2 MB file, need 1.28 GB.
 */
@Tag("slow")
class OutOfMemoryTest {

  /** A heap scaled down from the launcher's, so that the recordings stay small. */
  private static final String SMALL_HEAP = "-Xmx64m";
  /** The launcher's heap. */
  private static final String LAUNCHER_HEAP = "-Xmx512m";

  @TempDir Path dir;

  @Test
  void aWavLargerThanTheHeapIsRefusedNamingItNotAnOutOfMemoryError() throws Exception {
    Path model = model();
    // 12,000,000 8-bit samples (12 MB, 16 min 40 s at 12 kHz) decode to 96 MB of doubles: more than the heap.
    Path wav = wav8(dir.resolve("long.wav"), 12_000_000, 12_000);
    String[] r = run(SMALL_HEAP, "predict", "--model", model.toString(), wav.toString());
    assertClean(r, "long.wav");
  }

  @Test
  void aHopThatCutsMoreWindowsThanTheHeapHoldsIsRefusedNotAnOutOfMemoryError() throws Exception {
    Path model = model();
    // 400,000 samples at the model's rate with --hop 1: 399,489 windows, under the 2,000,000 cap.
    Path wav = wav8(dir.resolve("hop.wav"), 400_000, 12_000);
    String[] r = run(SMALL_HEAP, "predict", "--model", model.toString(), "--hop", "1", wav.toString());
    assertClean(r, "hop.wav");
  }

  @Test
  void anEnsembleBundleOfSixteenEntriesOfZerosIsRefusedNotAnOutOfMemoryError() throws Exception {
    Path bomb = dir.resolve("bomb.drsn");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
      zip.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new java.util.zip.ZipEntry("bundle.json"));
      zip.write("{\"format\": \"drsn-model-bundle\", \"format_version\": 2}".getBytes(StandardCharsets.UTF_8));
      byte[] zeros = new byte[1 << 20];
      for (int m = 0; m < io.github.drsn.contract.Bundle.MAX_MEMBERS; m++) {
        zip.putNextEntry(new java.util.zip.ZipEntry(io.github.drsn.contract.Bundle.parametersEntry(m)));
        for (int mb = 0; mb < 76; mb++) { // 76 MiB: under the 80,000,000-byte limit of a parameter entry
          zip.write(zeros);
        }
      }
    }
    assertTrue(Files.size(bomb) < 2_000_000, "the file is small: " + Files.size(bomb));
    Path csv = Files.writeString(dir.resolve("fine.csv"), "a\n" + "0.5\n-0.25\n".repeat(3000));
    String[] r = run(LAUNCHER_HEAP, "predict", "--model", bomb.toString(), "--rate", "12000", csv.toString());
    assertClean(r, "bomb.drsn");
  }

  // Long recordings the readers accept: the kurtogram of explain and the windows adapt keeps.
  @Test
  void aTwoMinuteRecordingAt48KHzIsExplainedOrRefusedNotAnOutOfMemoryError() throws Exception {
    Path model = paperModel();
    Path wav = wav16(dir.resolve("long.wav"), 5_500_000, 48_000);
    String[] r = run(LAUNCHER_HEAP, "explain", "--model", model.toString(), "--rpm", "1800", "--bearing", "skf-6205",
        wav.toString());
    String err = CorpusHarness.unescape(r[4]);
    assertFalse(err.contains("OutOfMemoryError") || err.contains("ESCAPED") || err.contains("\tat "),
        "exit " + r[1] + " after " + r[2] + " ms with a stack trace:\n" + err.substring(0, Math.min(800,
            err.length())));
    assertTrue(r[1].equals("0") || (r[1].equals("1") && err.contains("long.wav")), "exit " + r[1] + ": " + err);
  }

  @Test
  void adaptWithHopOneOnACwruLengthRecordingIsRefusedNotAnOutOfMemoryError() throws Exception {
    Path model = paperModel();
    Path wav = wav16(dir.resolve("target.wav"), 121_265, 12_000);
    String[] r = run(LAUNCHER_HEAP, "adapt", "--model", model.toString(), "--unlabeled", wav.toString(), "--hop", "1",
        "--out", dir.resolve("adapted.drsn").toString());
    String err = CorpusHarness.unescape(r[4]);
    assertFalse(err.contains("OutOfMemoryError") || err.contains("ESCAPED") || err.contains("\tat "),
        "exit " + r[1] + " after " + r[2] + " ms with a stack trace:\n" + err.substring(0, Math.min(800,
            err.length())));
    assertTrue(r[1].equals("0") || ((r[1].equals("1") || r[1].equals("2")) && err.contains("target.wav")),
        "exit " + r[1] + ": " + err);
  }

  /** The paper's DRSN-CW (windows of 2048 samples at 12 kHz) of random weights, for the CWRU classes. */
  private Path paperModel() throws IOException {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 2048, 1, new int[] {4, 8, 16}, 4, 3, 2, 10,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path file = dir.resolve("m.drsn");
    RandomBundles.write(file, layout, List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021",
        "B021", "OR021"), new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 3);
    return file;
  }

  /** A mono 16-bit PCM WAV of Gaussian noise. */
  private static Path wav16(Path file, int samples, int rate) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII));
    header.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16);
    header.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
    SplittableRandom random = new SplittableRandom(1);
    ByteBuffer block = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      for (int written = 0; written < samples; ) {
        block.clear();
        int n = Math.min(block.capacity() / 2, samples - written);
        for (int i = 0; i < n; i++) {
          block.putShort((short) Math.max(-32768, Math.min(32767, Math.round(3000 * random.nextGaussian()))));
        }
        out.write(block.array(), 0, 2 * n);
        written += n;
      }
    }
    return file;
  }

  private static void assertClean(String[] r, String file) {
    String err = CorpusHarness.unescape(r[4]);
    assertFalse(err.contains("OutOfMemoryError") || err.contains("ESCAPED") || err.contains("\tat "),
        "exit " + r[1] + " after " + r[2] + " ms with a stack trace:\n" + err.substring(0, Math.min(800,
            err.length())));
    assertEquals("1", r[1], err);
    assertTrue(err.contains(file), err);
  }

  /** A small DRSN-CW of random weights: windows of 512 samples at 12 kHz. */
  private Path model() throws IOException {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 1, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path file = dir.resolve("m.drsn");
    RandomBundles.write(file, layout, List.of("normal", "inner", "outer", "ball"),
        new InputSpec(12_000, 512, 1, Normalization.Z_SCORE, Representation.TIME), 3);
    return file;
  }

  /** A mono 8-bit PCM WAV of Gaussian noise (samples 128 ± 30). */
  private static Path wav8(Path file, int samples, int rate) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples + (samples & 1))
        .put("WAVE".getBytes(StandardCharsets.US_ASCII));
    header.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(rate).putInt(rate).putShort((short) 1).putShort((short) 8);
    header.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples);
    SplittableRandom random = new SplittableRandom(1);
    byte[] block = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      for (int written = 0; written < samples; written += block.length) {
        for (int i = 0; i < block.length; i++) {
          block[i] = (byte) Math.max(0, Math.min(255, Math.round(128 + 30 * random.nextGaussian())));
        }
        out.write(block, 0, Math.min(block.length, samples - written));
      }
      if ((samples & 1) == 1) {
        out.write(0);
      }
    }
    return file;
  }

  /** One case through {@link CorpusHarness} in a child JVM: id, exit code, milliseconds, stdout, stderr. */
  private String[] run(String heap, String... args) throws Exception {
    Path cases = dir.resolve("cases.tsv");
    Files.writeString(cases, "case\t" + String.join("\t", args) + "\n", StandardCharsets.UTF_8);
    Path results = dir.resolve("results.tsv");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
        "-XX:+UseParallelGC", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        CorpusHarness.class.getName(), cases.toString(), results.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the case did not finish in 300 s");
    List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), Files.readString(dir.resolve("child.log")));
    return lines.get(0).split("\t", -1);
  }
}
