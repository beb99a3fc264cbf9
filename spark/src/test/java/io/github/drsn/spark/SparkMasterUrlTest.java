package io.github.drsn.spark;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SparkMain.checkMaster}: master URLs that Spark 4.2 refuses must be refused before it starts, or the
 * user gets Spark's stack trace, which the check exists to prevent.
 */
class SparkMasterUrlTest {

  @TempDir Path dir;

  private String[] scoreArgs(String master) throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, 3,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path model = dir.resolve("model.drsn");
    RandomBundles.random(layout, List.of("a", "b", "c"), new InputSpec(12_000, 512, 1, Normalization.Z_SCORE,
        Representation.TIME), 7).write(model);
    Path input = Files.createDirectories(dir.resolve("in"));
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < 2 * 512; i++) {
      csv.append(Math.sin(2 * Math.PI * 100 * i / 12_000.0)).append('\n');
    }
    Files.writeString(input.resolve("r.csv"), csv);
    return new String[] {"score", "--model", model.toString(), "--input", input.toString(), "--out",
        dir.resolve("out").toString(), "--format", "csv", "--rate", "12000", "--master", master};
  }

  /** What {@code drsn score} printed on stderr, and its exit code. */
  private static String stderrOf(String[] args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = SparkMain.run(args);
    } finally {
      System.setErr(saved);
    }
    return "exit " + code + "\n" + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aMesosMasterIsRefusedBeforeSparkStarts() throws Exception {
    String err = stderrOf(scoreArgs("mesos://host:5050"));
    assertTrue(err.contains("mesos://host:5050"), err);
    assertFalse(err.contains("\tat "), "no stack trace for a user error:\n" + err);
  }

  @Test
  void zeroLocalThreadsAreRefusedBeforeSparkStarts() throws Exception {
    String err = stderrOf(scoreArgs("local[0]"));
    assertTrue(err.contains("local[0]"), err);
    assertFalse(err.contains("\tat "), "no stack trace for a user error:\n" + err);
  }
}
