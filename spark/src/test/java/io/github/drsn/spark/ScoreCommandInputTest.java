package io.github.drsn.spark;

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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defects found by an adversarial review of {@code drsn score}: user errors that pass as a successful job or end in a
 * stack trace; each test was written to fail before its fix.
 */
class ScoreCommandInputTest {

  @TempDir Path dir;
  private Path model;
  private Path input;

  @BeforeEach
  void modelAndOneRecording() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, 3,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    model = dir.resolve("model.drsn");
    RandomBundles.random(layout, List.of("a", "b", "c"), new InputSpec(12_000, 512, 1, Normalization.Z_SCORE,
        Representation.TIME), 7).write(model);
    input = Files.createDirectories(dir.resolve("in"));
    SplittableRandom random = new SplittableRandom(1);
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < 4 * 512; i++) {
      csv.append(Math.sin(2 * Math.PI * 100 * i / 12_000.0) + 0.3 * random.nextGaussian()).append('\n');
    }
    Files.writeString(input.resolve("r.csv"), csv);
  }

  /** The exit code and what the command printed on stderr. */
  private record Run(int exitCode, String err) {}

  private static Run score(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "score";
      System.arraycopy(args, 0, all, 1, args.length);
      int code = SparkMain.run(all);
      return new Run(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void aRateThatIsNotAPositiveNumberIsAUsageError() {
    Path out = dir.resolve("out");
    Run run = score("--model", model.toString(), "--input", input.toString(), "--out", out.toString(), "--format",
        "csv", "--master", "local[1]", "--rate", "0");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(error(run.err()).contains("--rate") || error(run.err()).contains("rate"), run.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void anUnparsableMasterIsNamedWithoutAStackTrace() {
    Run run = score("--model", model.toString(), "--input", input.toString(), "--out", dir.resolve("out").toString(),
        "--format", "csv", "--master", "bogus://x");
    assertTrue(run.exitCode() == 1 || run.exitCode() == 2, run.err());
    assertTrue(error(run.err()).contains("bogus://x"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for a user error:\n" + run.err());
  }

  @Test
  void anOutputUnderAFileIsNamedWithoutAStackTrace() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "keep me\n");
    Run run = score("--model", model.toString(), "--input", input.toString(), "--out",
        file.resolve("table").toString(), "--format", "csv", "--master", "local[1]", "--rate", "12000");
    assertTrue(run.exitCode() == 1 || run.exitCode() == 2, run.err());
    assertTrue(error(run.err()).contains(file.toString()), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace for a user error:\n" + run.err());
    assertEquals("keep me\n", Files.readString(file));
  }

  /**
   * The error line: picocli prints the usage after it, which names every option and would match anything; Spark's
   * log lines ("18:10:05 WARN ...") before it are skipped.
   */
  private static String error(String err) {
    return err.lines().filter(l -> !l.isBlank() && !l.matches("\\d\\d:\\d\\d:\\d\\d .*")).findFirst().orElse("");
  }
}
