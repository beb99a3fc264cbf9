package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drsn ensemble}: builds the bundle the runtime averages; mismatched members exit 1 naming the model; the other
 * commands take the ensemble (card, predict through the runtime) or refuse it clearly (ONNX export).
 */
class EnsembleCommandTest {

  @TempDir Path dir;

  private static final InputSpec INPUT = new InputSpec(12_000, 256, 1, Normalization.Z_SCORE, Representation.TIME);

  private Path model(String name, Architecture architecture, List<String> classes, InputSpec input, long seed)
      throws Exception {
    Path file = dir.resolve(name);
    ModelLayout layout = new ModelLayout(architecture, input.featureLength(), 1, new int[] {4, 8}, 1, 3, 2,
        classes.size(), NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
    RandomBundles.write(file, layout, classes, input, seed);
    return file;
  }

  @Test
  void threeModelsBecomeOneBundleThatAveragesThemAndSurvivesAReload() throws Exception {
    List<String> classes = List.of("a", "b", "c");
    Path a = model("a.drsn", Architecture.DRSN_CW, classes, INPUT, 1);
    Path b = model("b.drsn", Architecture.RESNET, classes, INPUT, 2);
    Path c = model("c.drsn", Architecture.DRSN_CS, classes, INPUT, 3);
    Path out = dir.resolve("e.drsn");
    CliRun run = CliRun.run("ensemble", "--models", a.toString(), b.toString(), c.toString(), "--out", out.toString());
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("ensemble of 3 networks (drsn-cw, resnet, drsn-cs)"), run.out());
    // Random bundles record no run settings: no validation split to calibrate on, and the user is told.
    assertTrue(run.err().contains("not calibrated: model 1 records no run settings"), run.err());
    Bundle e = Bundle.read(out);
    assertEquals(3, e.members().size());
    assertTrue(e.provenance().get("ensemble_of") instanceof List<?> l && l.size() == 3, e.provenance().toString());
    LeanDiagnoser ensemble = LeanDiagnoser.of(e);
    List<LeanDiagnoser> members = List.of(LeanDiagnoser.load(a), LeanDiagnoser.load(b), LeanDiagnoser.load(c));
    SplittableRandom random = new SplittableRandom(5);
    float[] window = new float[256];
    for (int i = 0; i < window.length; i++) {
      window[i] = (float) random.nextGaussian();
    }
    float[] expected = new float[3];
    double[] sum = new double[3];
    float[] p = new float[3];
    for (LeanDiagnoser m : members) {
      m.predict(window, p);
      for (int k = 0; k < 3; k++) {
        sum[k] += p[k];
      }
    }
    for (int k = 0; k < 3; k++) {
      expected[k] = (float) (sum[k] / 3);
    }
    float[] actual = new float[3];
    ensemble.predict(window, actual);
    assertArrayEquals(expected, actual, 0.0f);

    CliRun card = CliRun.run("card", "--model", out.toString(), "--json");
    assertEquals(0, card.exitCode(), card.toString());
    assertTrue(card.out().contains("\"members\": 3"), card.out());
    CliRun export = CliRun.run("export", "--model", out.toString(), "--out", dir.resolve("e.onnx").toString());
    assertEquals(1, export.exitCode(), export.toString());
    assertTrue(export.err().contains("is an ensemble of 3 networks and ONNX export writes one network"), export.err());
    assertTrue(Files.notExists(dir.resolve("e.onnx")));
  }

  @Test
  void aMemberOfOtherClassesOrInputIsRefusedNamingIt() throws Exception {
    Path a = model("a.drsn", Architecture.DRSN_CW, List.of("a", "b", "c"), INPUT, 1);
    Path other = model("other.drsn", Architecture.DRSN_CW, List.of("a", "b", "d"), INPUT, 2);
    Path out = dir.resolve("e.drsn");
    CliRun classes = CliRun.run("ensemble", "--models", a.toString(), other.toString(), "--out", out.toString());
    assertEquals(1, classes.exitCode(), classes.toString());
    assertTrue(classes.err().contains("model 2 has classes [a, b, d], model 1 has [a, b, c]"), classes.err());
    Path rate = model("rate.drsn", Architecture.DRSN_CW, List.of("a", "b", "c"),
        new InputSpec(48_000, 256, 1, Normalization.Z_SCORE, Representation.TIME), 3);
    CliRun input = CliRun.run("ensemble", "--models", a.toString(), rate.toString(), "--out", out.toString());
    assertEquals(1, input.exitCode(), input.toString());
    assertTrue(input.err().contains("model 2 takes input") && input.err().contains("must share the input"),
        input.err());
    CliRun one = CliRun.run("ensemble", "--models", a.toString(), "--out", out.toString());
    assertEquals(2, one.exitCode(), one.toString());
    assertTrue(Files.notExists(out), "nothing is written");
  }
  @Test
  void anOutThatIsOneOfTheModelsIsRefusedAndTheModelKept() throws Exception {
    List<String> classes = List.of("a", "b", "c");
    Path a = model("a.drsn", Architecture.DRSN_CW, classes, INPUT, 1);
    Path b = model("b.drsn", Architecture.RESNET, classes, INPUT, 2);
    byte[] before = Files.readAllBytes(b);
    // The same file spelt another way: an ensemble written over it would replace the trained network for good.
    Path sameAsB = dir.resolve(".").resolve("b.drsn");
    CliRun run = CliRun.run("ensemble", "--models", a.toString(), b.toString(), "--out", sameAsB.toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--out " + sameAsB + " is model 2"), run.err());
    assertArrayEquals(before, Files.readAllBytes(b), "model 2 is unchanged");
  }

  @Test
  void theSameNetworkTwiceIsRefusedNamingBoth() throws Exception {
    List<String> classes = List.of("a", "b", "c");
    Path a = model("a.drsn", Architecture.DRSN_CW, classes, INPUT, 1);
    Path b = model("b.drsn", Architecture.RESNET, classes, INPUT, 2);
    Path copy = dir.resolve("copy-of-a.drsn");
    Files.copy(a, copy);
    Path out = dir.resolve("e.drsn");
    // Two copies of one network always agree: the ensemble's disagreement, its uncertainty signal, would be 0 for them.
    CliRun run = CliRun.run("ensemble", "--models", a.toString(), b.toString(), copy.toString(), "--out",
        out.toString());
    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.err().contains("model 3 (" + copy + ") is the same file as model 1 (" + a + ")"), run.err());
    assertTrue(Files.notExists(out), "nothing is written");
  }
}
