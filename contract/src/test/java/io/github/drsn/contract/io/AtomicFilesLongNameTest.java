package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles} with a file name near the 255-byte limit, where the temporary name would exceed it. */
class AtomicFilesLongNameTest {

  @TempDir Path dir;

  @Test
  void aTargetWhoseTemporaryFileCannotBeCreatedIsNamedAsTheUserGaveIt() {
    // 235 characters: a legal name (255 bytes), but ".<name>.<uuid>.tmp" is 277, which the kernel refuses.
    Path target = dir.resolve("r".repeat(230) + ".json");
    try {
      AtomicFiles.writeString(target, "x");
      assertEquals("x", Files.readString(target)); // a fix that writes such names is fine too
    } catch (IOException e) {
      assertTrue(e.getMessage().startsWith("cannot write " + target), e.getMessage());
      assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }
  }
}
