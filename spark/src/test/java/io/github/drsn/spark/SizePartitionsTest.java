package io.github.drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SizePartitionsTest {

  private static RecordingInputs.Sized f(String name, long bytes) {
    return new RecordingInputs.Sized(name, bytes);
  }

  private static List<List<Long>> sizes(List<List<RecordingInputs.Sized>> groups) {
    return groups.stream().map(g -> g.stream().map(RecordingInputs.Sized::bytes).toList()).toList();
  }

  /**
   * By hand, largest first to the lightest group (ties to the lower index): 100 → A; 40 → B; 30 → C; 30 → C (30 < 40);
   * 20 → B (40 < 60); 10 → B (60 = 60, lower index); 10 → C. Totals 100, 70, 70, where three groups of two or three
   * files by count would put 100 and 40 together.
   */
  @Test
  void longestFirstToTheLightestGroup() {
    List<RecordingInputs.Sized> files = List.of(f("a", 100), f("b", 40), f("c", 30), f("d", 30), f("e", 20),
        f("f", 10), f("g", 10));
    List<List<RecordingInputs.Sized>> groups = SizePartitions.of(files, 3);
    assertEquals(List.of(List.of(100L), List.of(40L, 20L, 10L), List.of(30L, 30L, 10L)), sizes(groups));
    assertEquals(List.of("b", "e", "f"), groups.get(1).stream().map(RecordingInputs.Sized::path).toList(),
        "each group in path order");
  }

  @Test
  void neverMoreGroupsThanFilesAndEveryFileOnce() {
    List<RecordingInputs.Sized> files = List.of(f("x", 5), f("y", 5));
    assertEquals(List.of(List.of(5L), List.of(5L)), sizes(SizePartitions.of(files, 8)));
    assertEquals(List.of(List.of(5L, 5L)), sizes(SizePartitions.of(files, 1)));
    assertThrows(IllegalArgumentException.class, () -> SizePartitions.of(files, 0));
  }
}
