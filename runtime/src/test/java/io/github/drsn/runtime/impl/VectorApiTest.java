package io.github.drsn.runtime.impl;

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
  void theTestJvmHasTheModuleAndTheLeanPassUsesTheSwitch() {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules jdk.incubator.vector (surefire's argLine)");
    assertEquals(VectorApi.ENABLED, LeanNetwork.VECTOR);
  }

  /** One home for the property: no other main source of any module reads it (drsn-model's kernels used to). */
  @Test
  void onlyVectorApiNamesTheProperty() throws IOException {
    Path repository = Path.of("").toAbsolutePath().getParent();
    List<Path> readers;
    try (Stream<Path> files = Files.walk(repository)) {
      readers = files
          .filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .filter(p -> read(p).contains("\"" + VectorApi.PROPERTY + "\""))
          .map(repository::relativize)
          .collect(Collectors.toList());
    }
    assertEquals(List.of(Path.of("runtime/src/main/java/io/github/drsn/runtime/impl/VectorApi.java")), readers);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
