package io.github.drsn.cli.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source reads a file by deserialising Java objects or by DL4J's class-naming JSON (#15): bundles and
 * checkpoints hold numbers and plain JSON only, so a file from someone else cannot name a class to run.
 */
class NoDeserialisationTest {

  private static final Pattern FORBIDDEN = Pattern.compile(
      "\\b(ModelSerializer|ObjectInputStream|readObject\\(|MultiLayerConfiguration\\.fromJson|ComputationGraphConfiguration"
          + "\\.fromJson|NeuralNetConfiguration\\.fromJson|activateDefaultTyping|enableDefaultTyping|JsonTypeInfo"
          + "|XMLDecoder)");

  @Test
  void mainSourcesUseNoJavaDeserialisationAndNoClassNamingJson() throws IOException {
    Path repository = Path.of("").toAbsolutePath().getParent();
    List<String> hits = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(repository)) {
      for (Path p : all.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
          .toList()) {
        files++;
        List<String> lines = Files.readAllLines(p);
        for (int i = 0; i < lines.size(); i++) {
          if (FORBIDDEN.matcher(lines.get(i)).find()) {
            hits.add(repository.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertTrue(files > 150, "scanned the project's main sources: " + files);
    assertEquals(List.of(), hits);
  }
}
