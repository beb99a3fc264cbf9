package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void writesAndReplacesContent() throws IOException {
    Path file = dir.resolve("sub/dir/report.json");
    AtomicFiles.writeString(file, "first");
    assertEquals("first", Files.readString(file));
    AtomicFiles.write(file, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    AtomicFiles.write(file, out -> out.write("streamed ü".getBytes(StandardCharsets.UTF_8)));
    assertEquals("streamed ü", Files.readString(file));
    AtomicFiles.write(file, new java.io.ByteArrayInputStream(new byte[] {9, 8}));
    assertArrayEquals(new byte[] {9, 8}, Files.readAllBytes(file));
    assertEquals(List.of(file), listing(file.getParent()));
  }

  @Test
  void failedWriteKeepsOldFileAndLeavesNoTempFile() throws IOException {
    Path file = dir.resolve("model.npy");
    AtomicFiles.writeString(file, "old content");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      out.write("half of the new cont".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full (simulated)");
    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertEquals("old content", Files.readString(file));
    assertEquals(List.of(file), listing(dir));

    // Unchecked failures inside the writer clean up as well.
    assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
      out.write(1);
      throw new IllegalStateException("bug in the writer");
    }));
    assertEquals("old content", Files.readString(file));
    assertEquals(List.of(file), listing(dir));
  }

  @Test
  void failedFirstWriteCreatesNothing() {
    Path file = dir.resolve("new.bin");
    assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      throw new IOException("boom");
    }));
    assertEquals(List.of(), listing(dir));
  }

  @Test
  void fallsBackToReplaceWhenAtomicMoveIsUnsupported() throws IOException {
    Path file = dir.resolve("a.txt");
    AtomicFiles.writeString(file, "old");
    AtomicFiles.write(file, out -> out.write('N'), (source, target) -> {
      throw new AtomicMoveNotSupportedException(source.toString(), target.toString(), "simulated");
    });
    assertEquals("N", Files.readString(file));
    assertEquals(List.of(file), listing(dir));
  }

  @Test
  void failedMoveLeavesNoTempFile() throws IOException {
    Path file = dir.resolve("a.txt");
    AtomicFiles.writeString(file, "old");
    assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> out.write('N'), (source, target) -> {
      throw new IOException("rename failed (simulated)");
    }));
    assertEquals("old", Files.readString(file));
    assertEquals(List.of(file), listing(dir));
  }

  @Test
  void resultIsNotOwnerOnlyLikeCreateTempFile() throws IOException {
    Path file = dir.resolve("shared.txt");
    AtomicFiles.writeString(file, "x");
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    }
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    assertEquals(Files.getPosixFilePermissions(plain), permissions);
  }

  @Test
  void refusesToReplaceADirectory() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("out"));
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(sub, "x"));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void aPathThroughAMissingFolderIsNamedAsTheUserGaveIt() {
    // "missing/.." does not exist, so the kernel refuses the temporary file; the error must name the user's path,
    // not the temporary file the user never asked for.
    Path target = dir.resolve("missing").resolve("..").resolve("x.json");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    assertTrue(!e.getMessage().contains(".tmp"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("x.json")));
  }

  private static List<Path> listing(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void leftoversOfAKilledWriteAreRemovedAndNothingElse() throws IOException {
    Path target = dir.resolve("last.ckpt");
    AtomicFiles.writeString(target, "previous");
    Path orphan = Files.writeString(dir.resolve(".last.ckpt." + java.util.UUID.randomUUID() + ".tmp"), "half");
    Path other = Files.writeString(dir.resolve(".best.ckpt." + java.util.UUID.randomUUID() + ".tmp"), "half");
    Path unrelated = Files.writeString(dir.resolve("notes.tmp"), "mine");
    assertEquals(1, AtomicFiles.removeLeftovers(target));
    assertTrue(Files.notExists(orphan));
    assertTrue(Files.exists(other) && Files.exists(unrelated) && Files.exists(target));
  }
}
