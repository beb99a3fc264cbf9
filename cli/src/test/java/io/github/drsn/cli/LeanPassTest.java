package io.github.drsn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.Normalization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which forward pass of the lean runtime the command line runs: the Vector API pass in this JVM, as under the
 * {@code drsn} launcher (surefire adds {@code --add-modules jdk.incubator.vector}, as the launcher does), and the
 * scalar loops in a JVM without the module, with the same diagnosis.
 */
class LeanPassTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES =
      List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  @TempDir Path dir;

  private Path model() throws Exception {
    Path model = dir.resolve("m.drsn");
    RandomBundles.write(model, RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 5);
    return model;
  }

  private Path csv() throws Exception {
    StringBuilder csv = new StringBuilder("accel\n");
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < 8192; i++) {
      csv.append(Math.sin(2 * Math.PI * 157 * i / 12_000.0) + 0.3 * r.nextGaussian()).append('\n');
    }
    return Files.writeString(dir.resolve("x.csv"), csv);
  }

  @Test
  void theCommandLineTestsRunTheVectorPassAsTheLauncherDoes() throws Exception {
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "the cli tests run with --add-modules jdk.incubator.vector (cli/pom.xml uses the parent's"
            + " test.vector.argLine)");
    assertTrue(LeanDiagnoser.load(model()).vectorised(), "the paper's DRSN-CW runs the Vector API pass");
  }

  @Test
  void withoutTheModuleTheCommandLineRunsTheScalarPassWithTheSameDiagnosis() throws Exception {
    Path model = model();
    Path csv = csv();
    String[] predict = {"predict", "--model", model.toString(), "--rate", "12000", "--json", csv.toString()};
    CliRun vector = CliRun.run(predict);
    assertEquals(0, vector.exitCode(), vector.toString());

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        ScalarCli.class.getName()));
    command.addAll(List.of(predict));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertEquals(0, process.waitFor(), String.join("\n", lines));
    assertEquals("vectorised false", lines.get(0), String.join("\n", lines));
    JsonNode scalar = JSON.readTree(String.join("\n", lines.subList(1, lines.size()))).path("files").get(0);
    JsonNode vectorised = JSON.readTree(vector.out()).path("files").get(0);
    assertEquals(vectorised.path("diagnosis"), scalar.path("diagnosis"));
    int compared = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = vectorised.path("probabilities").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      // The passes sum in different orders (float32 lanes vs scalar loops): equal to rounding, not bit for bit.
      assertEquals(p.getValue().asDouble(), scalar.path("probabilities").path(p.getKey()).asDouble(), 1e-5,
          p.getKey());
      compared++;
    }
    assertEquals(CLASSES.size(), compared);
  }

  /** The child JVM's side: which pass this JVM runs, then the command line's output. */
  static final class ScalarCli {
    public static void main(String[] args) throws Exception {
      int model = List.of(args).indexOf("--model") + 1;
      System.out.println("vectorised " + LeanDiagnoser.load(Path.of(args[model])).vectorised());
      CliRun run = CliRun.run(args);
      System.out.print(run.out());
      System.exit(run.exitCode());
    }
  }
}
