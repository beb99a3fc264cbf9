package io.github.drsn.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {

  @TempDir Path dir;

  @Test
  void quotesOnlyWhatNeedsQuoting() {
    assertEquals("plain", CsvWriter.quote("plain"));
    assertEquals("\"a,b\"", CsvWriter.quote("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", CsvWriter.quote("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvWriter.quote("two\nlines"));
    assertEquals("a,\"b,c\",\n", CsvWriter.line(List.of("a", "b,c", "")));
  }

  @Test
  void writesHeaderAndRows() throws IOException {
    Path file = dir.resolve("t.csv");
    CsvWriter.write(file, List.of("model", "acc"), List.of(List.of("DRSN-CW", "0.98"), List.of("Res,Net", "0.9")));
    assertEquals("model,acc\nDRSN-CW,0.98\n\"Res,Net\",0.9\n", Files.readString(file));
    assertThrows(IllegalArgumentException.class, () -> CsvWriter.write(file, List.of("a", "b"), List.of(List.of("x"))));
    assertEquals("model,acc\nDRSN-CW,0.98\n\"Res,Net\",0.9\n", Files.readString(file));
  }

  @Test
  void exportsWindowsWithLabelsLosslessly() throws IOException {
    Path file = dir.resolve("w.csv");
    double[][] windows = {{0.1, -2.5, 1e-17}, {3, 0, Math.PI}};
    CsvWriter.writeWindows(file, windows, new int[] {1, 0}, List.of("normal", "IR007"));
    List<String> lines = Files.readAllLines(file);
    assertEquals(List.of("s0,s1,s2,label", "0.1,-2.5,1.0E-17,IR007", "3.0,0.0,3.141592653589793,normal"), lines);
    assertEquals(Math.PI, Double.parseDouble(lines.get(2).split(",")[2]));
    assertThrows(IllegalArgumentException.class,
        () -> CsvWriter.writeWindows(file, windows, new int[] {1, 2}, List.of("normal", "IR007")));
    assertThrows(IllegalArgumentException.class,
        () -> CsvWriter.writeWindows(file, new double[][] {{1}, {1, 2}}, new int[] {0, 0}, List.of("a")));
  }
}
