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
 * Long recordings that the readers accept must be explained, adapted to or refused, never end in an
 * {@link OutOfMemoryError} (in child JVMs at the launcher's heap).
 *
 * <p>{@code explain}: before the heap check in the kurtogram, which transforms the whole recording at once, a
 * recording the readers accept (its samples take less than a quarter of the heap) ended in an OutOfMemoryError. With the launcher's -Xmx512m, a 16-bit mono WAV of 5,500,000 samples at
 * 48 kHz (115 s, 11 MB) dies in {@code Kurtogram$Transform.of} (JTransforms' complexForward) after 6 s; 3,500,000
 * samples (73 s) pass. {@code predict} and {@code adapt} take the same file ({@code predict --physics} dies the same
 * way).
 *
 * <p>{@code adapt --hop 1}: every window of a recording is kept in memory; before the check on what they would hold,
 * on a CWRU-length recording (121,265 samples
 * at 12 kHz, 118,000 windows of 2048 samples) the launcher's heap runs out in {@code RecordingDiagnosis.of} after
 * 13 s (119,218 windows of 2048 floats are 976 MB), where {@code predict --hop 1} diagnoses the same file (exit 0).
 */
@Tag("slow")
class LongInputMemoryTest {

  /** The launcher's heap. */
  private static final String LAUNCHER_HEAP = "-Xmx512m";

  @TempDir Path dir;

  @Test
  void aTwoMinuteRecordingAt48KHzIsExplainedOrRefusedNotAnOutOfMemoryError() throws Exception {
    Path model = model();
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
    Path model = model();
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
  private Path model() throws IOException {
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

  /** One case through {@link CorpusHarness} in a child JVM: id, exit code, milliseconds, stdout, stderr. */
  private String[] run(String heap, String... args) throws Exception {
    Path cases = dir.resolve("cases.tsv");
    Files.writeString(cases, "case\t" + String.join("\t", args) + "\n", StandardCharsets.UTF_8);
    Path results = dir.resolve("results.tsv");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
        "-XX:+UseParallelGC", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), CorpusHarness.class.getName(), cases.toString(), results.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the case did not finish in 300 s");
    List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
    assertEquals(1, lines.size(), Files.readString(dir.resolve("child.log")));
    return lines.get(0).split("\t", -1);
  }
}
