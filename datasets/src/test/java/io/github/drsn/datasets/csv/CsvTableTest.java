package io.github.drsn.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.RecordingLoadException;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

  @TempDir Path dir;

  @Test
  void trailingEmptySpreadsheetRowsAreIgnoredButAGapInsideTheDataIsNot() throws Exception {
    CsvTable t = CsvTable.read(Files.writeString(dir.resolve("a.csv"), "x,y\n1,2\n3,4\n,\n ; \n\n"), HeaderMode.AUTO);
    assertArrayEquals(new double[] {1, 3}, t.columns()[0]);
    RecordingLoadException gap = assertThrows(RecordingLoadException.class,
        () -> CsvTable.read(Files.writeString(dir.resolve("b.csv"), "x,y\n1,2\n,\n3,4\n"), HeaderMode.AUTO));
    assertTrue(gap.getMessage().contains("line 3 is empty but more data follows (line 4)"), gap.getMessage());
  }

  @Test
  void errorsQuoteAShortEscapedExcerptNotTheFilesContents() throws Exception {
    String secret = "password=hunter2\u0007" + "x".repeat(200);
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> CsvTable.read(Files.writeString(dir.resolve("c.csv"), "1\n" + secret + "\n"), HeaderMode.ABSENT));
    assertTrue(e.getMessage().contains("\\u0007"), e.getMessage());
    assertTrue(e.getMessage().length() < 200, e.getMessage());
  }

  @Test
  void aFolderIsNamedAsOne() {
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> CsvTable.read(dir, HeaderMode.AUTO));
    assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
  }

  @Test
  void aLongSingleColumnIsReadIntoOnePrimitiveArray() throws Exception {
    Path file = dir.resolve("long.csv");
    int n = 1_000_003; // crosses many 65,536-sample chunks, and not on a boundary
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("accel\n");
      for (int i = 0; i < n; i++) {
        w.write(Integer.toString(i % 1000));
        w.write('\n');
      }
    }
    CsvTable t = CsvTable.read(file, HeaderMode.AUTO);
    assertEquals(n, t.rows());
    assertEquals(999, t.columns()[0][999]);
    assertEquals(2, t.columns()[0][n - 1]);
  }
}
