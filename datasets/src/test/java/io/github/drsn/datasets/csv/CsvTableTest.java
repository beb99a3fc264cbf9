package io.github.drsn.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV tables and recordings: headers, delimiters, decimal commas, and errors that name the file, line and column. */
class CsvTableTest {

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void headerDelimitersAndTrailingEmptyRows() throws IOException {
    Path withHeader = write("a.csv", "# rig 3\n\"acc_x\",acc_y\n1.5,2\n-3e-2,4\n\n\n  \n");
    CsvTable a = CsvTable.read(withHeader, HeaderMode.AUTO);
    assertEquals(List.of("acc_x", "acc_y"), a.columnNames());
    assertArrayEquals(new double[] {1.5, -0.03}, a.columns()[0]);
    assertEquals(2, a.rows());

    CsvTable b = CsvTable.read(write("b.tsv", "1\t2\n3\t4\n"), HeaderMode.AUTO);
    assertEquals(List.of("col1", "col2"), b.columnNames());
    assertArrayEquals(new double[] {2, 4}, b.columns()[1]);

    CsvTable c = CsvTable.read(write("c.txt", "  1.0   2.0\n3.0 4.0\n"), HeaderMode.ABSENT);
    assertArrayEquals(new double[] {1, 3}, c.columns()[0]);

    CsvTable european = CsvTable.read(write("eu.csv", "\uFEFFzeit;acc\n0,5;1,25\n1,0;-2,5\n"), HeaderMode.AUTO);
    assertEquals(List.of("zeit", "acc"), european.columnNames());
    assertArrayEquals(new double[] {1.25, -2.5}, european.columns()[1]);

    CsvTable d = CsvTable.read(write("d.csv", "1;2\n3;4\n"), HeaderMode.AUTO);
    assertArrayEquals(new double[] {3, 4}, new double[] {d.columns()[0][1], d.columns()[1][1]});

    Recording r = CsvRecordings.load(withHeader, "healthy", 25_600, List.of("acc_y"), new OperatingCondition(0.5, 1500),
        HeaderMode.AUTO);
    assertEquals(List.of("acc_y"), r.channelNames());
    assertArrayEquals(new double[] {2, 4}, r.channel(0));
    Recording byPosition = CsvRecordings.load(withHeader, "healthy", 25_600, List.of("2"), OperatingCondition.UNKNOWN,
        HeaderMode.AUTO);
    assertArrayEquals(new double[] {2, 4}, byPosition.channel(0));
  }

  @Test
  void badCsvInputNamesTheFileLineAndColumn() throws IOException {
    Path nan = write("nan.csv", "x,y\n1,2\n3,NaN\n");
    RecordingLoadException e1 = assertThrows(RecordingLoadException.class, () -> CsvTable.read(nan, HeaderMode.AUTO));
    assertTrue(e1.getMessage().startsWith(nan.toString()) && e1.getMessage().contains("line 3, column 2"),
        e1.getMessage());

    Path text = write("text.csv", "1,2\n3,abc\n");
    RecordingLoadException e2 = assertThrows(RecordingLoadException.class, () -> CsvTable.read(text, HeaderMode.AUTO));
    assertTrue(e2.getMessage().contains("\"abc\" is not a number"), e2.getMessage());

    Path ragged = write("ragged.csv", "1,2\n3\n");
    RecordingLoadException e3 = assertThrows(RecordingLoadException.class,
        () -> CsvTable.read(ragged, HeaderMode.AUTO));
    assertTrue(e3.getMessage().contains("line 2 has 1 fields, expected 2"), e3.getMessage());

    Path gap = write("gap.csv", "1,2\n\n3,4\n");
    RecordingLoadException e4 = assertThrows(RecordingLoadException.class, () -> CsvTable.read(gap, HeaderMode.AUTO));
    assertTrue(e4.getMessage().contains("line 2 is empty"), e4.getMessage());

    Path missing = dir.resolve("missing.csv");
    RecordingLoadException e5 = assertThrows(RecordingLoadException.class,
        () -> CsvTable.read(missing, HeaderMode.AUTO));
    assertTrue(e5.getMessage().contains("does not exist"), e5.getMessage());

    Path ok = write("ok.csv", "x,y\n1,2\n");
    RecordingLoadException e6 = assertThrows(RecordingLoadException.class, () -> CsvRecordings.load(ok, "a", 100,
        List.of("z"), OperatingCondition.UNKNOWN, HeaderMode.AUTO));
    assertTrue(e6.getMessage().contains("no column z") && e6.getMessage().contains("[x, y]"), e6.getMessage());
  }



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

  @Test
  void hostileShapesAreRefusedWithoutAllocatingForThem() throws Exception {
    RecordingLoadException wide = assertThrows(RecordingLoadException.class, () -> CsvTable.read(
        Files.writeString(dir.resolve("wide.csv"), "0,".repeat(10_000) + "0\n"), HeaderMode.AUTO));
    assertTrue(wide.getMessage().contains("10001 fields") && wide.getMessage().contains("at most 1024"),
        wide.getMessage());
    RecordingLoadException endless = assertThrows(RecordingLoadException.class, () -> CsvTable.read(
        Files.writeString(dir.resolve("endless.csv"), "1".repeat(CsvTable.MAX_LINE_CHARS + 10)), HeaderMode.AUTO));
    assertTrue(endless.getMessage().contains("line 1 is longer than"), endless.getMessage());
  }

  @Test
  void decimalCommasInAHeaderlessFileAreNumbersNotAHeader() throws Exception {
    CsvTable t = CsvTable.read(Files.writeString(dir.resolve("eu.csv"), "0,12;0,34\r\n1,5;2,25\r\n"),
        HeaderMode.AUTO);
    assertEquals(2, t.rows());
    assertArrayEquals(new double[] {0.12, 1.5}, t.columns()[0]);
    assertEquals(List.of("col1", "col2"), t.columnNames());
  }

  @Test
  void decimalCommasInSpaceSeparatedColumnsAreNumbers() throws Exception {
    // As a European export with spaces between the columns writes them, with and without a header.
    CsvTable plain = CsvTable.read(write("eu-spaces.txt", "0,12  -0,34\n1,5  2,25e-1\n"), HeaderMode.AUTO);
    assertEquals(List.of("col1", "col2"), plain.columnNames());
    assertArrayEquals(new double[] {-0.34, 0.225}, plain.columns()[1], 0);
    CsvTable named = CsvTable.read(write("eu-named.txt", "time acc\n0,000 1,5\n0,001 -2,25\n"), HeaderMode.AUTO);
    assertEquals(List.of("time", "acc"), named.columnNames());
    assertArrayEquals(new double[] {1.5, -2.25}, named.columns()[1], 0);
    // Commas that separate fields stay separators, with or without a space after them.
    CsvTable commas = CsvTable.read(write("us.csv", "1, 2\n3, 4\n"), HeaderMode.AUTO);
    assertArrayEquals(new double[] {2, 4}, commas.columns()[1], 0);
    CsvTable one = CsvTable.read(write("one.csv", "1,5\n2,5\n"), HeaderMode.AUTO);
    assertEquals(2, one.columns().length, "\"1,5\" alone is two comma-separated fields, as before");
  }
}
