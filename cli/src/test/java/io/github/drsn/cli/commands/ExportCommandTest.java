package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drsn export}: writes the ONNX file; a missing or corrupt bundle or an unwritable target exits 1. */
class ExportCommandTest {

  @TempDir Path dir;

  private Path bundle() throws Exception {
    Path file = dir.resolve("model.drsn");
    RandomBundles.write(file, RandomBundles.paperLayout(Architecture.DRSN_CW),
        IntStream.range(0, 10).mapToObj(i -> "c" + i).toList(),
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 1);
    return file;
  }

  @Test
  void writesAnOnnxModelOfTheBundle() throws Exception {
    Path out = dir.resolve("model.onnx");
    CliRun run = CliRun.run("export", "--model", bundle().toString(), "--format", "onnx", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(Files.size(out) > 1000, run.toString());
    assertTrue(run.out().contains("opset 13") && run.out().contains("input features [batch, 1, 2048]"), run.out());
    assertEquals(List.of("model.drsn", "model.onnx"), Files.list(dir).map(p -> p.getFileName().toString()).sorted()
        .toList(), "no temporary file is left");
  }

  @Test
  void theNormalisationCanBeInTheGraph() throws Exception {
    Path out = dir.resolve("raw.onnx");
    CliRun run = CliRun.run("export", "--model", bundle().toString(), "--out", out.toString(),
        "--normalization-in-graph");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("input window [batch, 1, 2048]"), run.out());
  }

  @Test
  void anOutThatIsTheModelIsRefusedAndTheModelKept() throws Exception {
    Path model = bundle();
    byte[] before = Files.readAllBytes(model);
    Path sameFile = dir.resolve(".").resolve("model.drsn");
    CliRun run = CliRun.run("export", "--model", model.toString(), "--out", sameFile.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--out " + sameFile + " is the model being exported"), run.err());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "the bundle is unchanged");
  }

  @Test
  void aMissingOrCorruptBundleExitsWith1AndNamesTheFile() throws Exception {
    Path out = dir.resolve("m.onnx");
    Path missing = dir.resolve("missing.drsn");
    CliRun noFile = CliRun.run("export", "--model", missing.toString(), "--out", out.toString());
    assertEquals(1, noFile.exitCode(), noFile.toString());
    assertTrue(noFile.err().contains(missing.toString()), noFile.err());

    Path corrupt = dir.resolve("corrupt.drsn");
    Files.write(corrupt, new byte[] {'P', 'K', 3, 4, 0, 0, 9});
    CliRun bad = CliRun.run("export", "--model", corrupt.toString(), "--out", out.toString());
    assertEquals(1, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains(corrupt.toString()), bad.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void anUnwritableTargetExitsWith1AndSaysSo() throws Exception {
    Path model = bundle();
    Path underAFile = model.resolve("m.onnx");
    CliRun run = CliRun.run("export", "--model", model.toString(), "--out", underAFile.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("cannot write " + underAFile) && run.err().contains("is a file, not a folder"),
        run.err());

    CliRun folder = CliRun.run("export", "--model", model.toString(), "--out", dir.toString());
    assertEquals(1, folder.exitCode(), folder.toString());
    assertTrue(folder.err().contains("cannot write " + dir) && folder.err().contains("is a directory"), folder.err());
  }

  @Test
  void anUnknownFormatIsAUsageError() throws Exception {
    CliRun run = CliRun.run("export", "--model", "m.drsn", "--format", "tflite", "--out", "m.x");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--format"), run.err());
  }
}
