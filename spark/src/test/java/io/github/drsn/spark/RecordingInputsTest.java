package io.github.drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingInputsTest {

  @TempDir
  Path dir;

  private List<String> names(String input) throws Exception {
    return RecordingInputs.list(input).stream().map(s -> dir.relativize(Path.of(s.path())).toString()).toList();
  }

  @Test
  void foldersGlobsAndListFiles() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    Files.write(dir.resolve("a/one.wav"), new byte[7]);
    Files.write(dir.resolve("a/b/two.MAT"), new byte[3]);
    Files.write(dir.resolve("a/b/three.csv"), new byte[1]);
    Files.writeString(dir.resolve("a/notes.md"), "not a recording");
    assertEquals(List.of("a/b/three.csv", "a/b/two.MAT", "a/one.wav"), names(dir.resolve("a").toString()));
    assertEquals(7, RecordingInputs.list(dir.resolve("a/one.wav").toString()).get(0).bytes());
    assertEquals(List.of("a/b/three.csv"), names(dir + "/a/*/*.csv"));
    Files.writeString(dir.resolve("a/list.txt"), "# recordings\none.wav\n\nb/three.csv\n");
    assertEquals(List.of("a/b/three.csv", "a/one.wav"), names(dir.resolve("a/list.txt").toString()));
  }

  @Test
  void badInputsAreNamed() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> RecordingInputs.list(dir.resolve("nowhere").toString()));
    assertTrue(missing.getMessage().contains("nowhere: no such file or folder"), missing.getMessage());
    Files.createDirectories(dir.resolve("empty"));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> RecordingInputs.list(dir.resolve("empty").toString()));
    assertTrue(empty.getMessage().endsWith("empty: no recording (.mat, .csv, .txt, .wav) found"), empty.getMessage());
    Files.writeString(dir.resolve("list.txt"), "gone.wav\n");
    IllegalArgumentException listed = assertThrows(IllegalArgumentException.class,
        () -> RecordingInputs.list(dir.resolve("list.txt").toString()));
    assertTrue(listed.getMessage().contains("list.txt, line 1: gone.wav is not a file"), listed.getMessage());
  }
  @Test
  void aListFileMayGiveEachRecordingsShaftSpeed() throws Exception {
    Files.createDirectories(dir.resolve("a/b c"));
    Files.write(dir.resolve("a/one.wav"), new byte[7]);
    Files.write(dir.resolve("a/b c/two.csv"), new byte[3]);
    Files.writeString(dir.resolve("a/list.txt"), "one.wav   rpm=1797.5\nb c/two.csv\n");
    List<RecordingInputs.Sized> listed = RecordingInputs.list(dir.resolve("a/list.txt").toString());
    assertEquals(List.of("a/b c/two.csv", "a/one.wav"), names(dir.resolve("a/list.txt").toString()));
    assertEquals(null, listed.get(0).rpm());
    assertEquals(1797.5, listed.get(1).rpm());
    for (String bad : List.of("fast", "0", "-3", "Infinity")) {
      Files.writeString(dir.resolve("a/list.txt"), "b c/two.csv\none.wav rpm=" + bad + "\n");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RecordingInputs.list(dir.resolve("a/list.txt").toString()));
      assertTrue(e.getMessage().endsWith("list.txt, line 2: rpm=" + bad + " is not a shaft speed; expected a finite"
          + " number > 0 of revolutions per minute"), e.getMessage());
    }
  }
}
