package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VectorApiTest {

  @Test
  void onByDefaultWhereTheModuleIsPresentAndOffOnlyByFalse() {
    assertTrue(VectorApi.enabled(true, null));
    assertTrue(VectorApi.enabled(true, "true"));
    assertTrue(VectorApi.enabled(true, "TRUE"));
    assertFalse(VectorApi.enabled(true, "false"));
    assertFalse(VectorApi.enabled(true, "False"));
    assertFalse(VectorApi.enabled(false, null));
    assertFalse(VectorApi.enabled(false, "true"));
  }

  @Test
  void theTestJvmHasTheModule() {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules jdk.incubator.vector (test.vector.argLine)");
  }

  /** One home for the property: no other main source of any module reads it (drsn-model's kernels used to). */
  @Test
  void onlyVectorApiNamesTheProperty() throws IOException {
    assertEquals(List.of(Path.of("runtime/src/main/java/io/github/drsn/runtime/VectorApi.java")),
        mainSourcesContaining("\"" + VectorApi.PROPERTY + "\""));
  }

  /**
   * The runtime's {@code impl} package is its own: no other module's main code imports it (drsn-model's kernels
   * imported the switch from there before it moved to this package).
   */
  @Test
  void noOtherModulesMainCodeUsesTheRuntimesInternals() throws IOException {
    assertEquals(List.of(), mainSourcesContaining("io.github.drsn.runtime.impl").stream()
        .filter(p -> !p.startsWith("runtime")).collect(Collectors.toList()));
  }

  /** The main sources of every module of the repository whose text contains {@code text}, relative to its root. */
  private static List<Path> mainSourcesContaining(String text) throws IOException {
    Path repository = Path.of("").toAbsolutePath().getParent();
    try (Stream<Path> files = Files.walk(repository)) {
      return files
          .filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .filter(p -> read(p).contains(text))
          .map(repository::relativize)
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
