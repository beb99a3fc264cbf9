package io.github.drsn.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Space-separated CSV rows with decimal commas, whole numbers among them. */
class CsvDecimalCommaTest {

  @TempDir Path dir;

  @Test
  void aSpaceSeparatedDecimalCommaFileWhoseFirstRowHasAWholeNumberIsRead() throws Exception {
    // A time column starting at 0, as exports write it without a header: the first row has one whole number.
    Path file = Files.writeString(dir.resolve("eu-time.txt"), "0 1,25\n0,001 -2,5\n0,002 0,75\n");
    CsvTable t = CsvTable.read(file, HeaderMode.AUTO);
    assertArrayEquals(new double[] {0, 0.001, 0.002}, t.columns()[0], 0);
    assertArrayEquals(new double[] {1.25, -2.5, 0.75}, t.columns()[1], 0);
  }
}
