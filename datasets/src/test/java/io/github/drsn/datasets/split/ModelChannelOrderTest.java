package io.github.drsn.datasets.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.signals.Normalization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data-set path (evaluate, calibrate) puts a data set's channels in the order of the model's names. */
class ModelChannelOrderTest {

  private static Dataset data(String... names) {
    double[][] channels = new double[names.length][];
    for (int c = 0; c < names.length; c++) {
      channels[c] = new double[512];
      java.util.Arrays.fill(channels[c], c + 1);
    }
    return new Dataset("rig", List.of("a"), List.of(new Recording("r", "a", 12_000, List.of(names), channels,
        OperatingCondition.UNKNOWN, null, Map.of())), List.of());
  }

  private static InputSpec model(String... names) {
    return new InputSpec(12_000, 64, names.length, Normalization.Z_SCORE, Representation.TIME, 0, List.of(names));
  }

  @Test
  void swappedChannelsAreReorderedAndAMissingOneIsRefused() {
    Dataset swapped = data("X097_FE_time", "X097_DE_time");
    Dataset ordered = WindowedDataset.inModelOrder(swapped, model("DE", "FE"));
    assertEquals(List.of("X097_DE_time", "X097_FE_time"), ordered.recordings().get(0).channelNames());
    assertEquals(2, ordered.recordings().get(0).channel(0)[0]);
    assertEquals(1, ordered.recordings().get(0).channel(1)[0]);
    assertEquals(2, WindowedDataset.forModel(swapped, List.of("a"), model("DE", "FE"), SplitPlan.byTime(), 64)
        .dataset().recordings().get(0).channel(0)[0]);
    // In order already, or a model without names: the data set as it is.
    Dataset inOrder = data("DE", "FE");
    assertSame(inOrder, WindowedDataset.inModelOrder(inOrder, model("DE", "FE")));
    assertSame(swapped, WindowedDataset.inModelOrder(swapped, model("DE", "FE").withChannelNames(List.of())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WindowedDataset.inModelOrder(data("DE", "BA"), model("DE", "FE")));
    assertTrue(e.getMessage().contains("data set rig has channels [DE, BA] but the model expects [DE, FE]"),
        e.getMessage());
  }

  private static Recording recording(String id, String... names) {
    double[][] channels = new double[names.length][];
    for (int c = 0; c < names.length; c++) {
      channels[c] = new double[512];
      // Each channel holds a constant that says which sensor it is: DE = 1, FE = 2, BA = 3, else 9.
      java.util.Arrays.fill(channels[c], switch (names[c]) {
        case "DE" -> 1;
        case "FE" -> 2;
        case "BA" -> 3;
        default -> 9;
      });
    }
    return new Recording(id, "a", 12_000, List.of(names), channels, OperatingCondition.UNKNOWN, null, Map.of());
  }

  private static Dataset of(Recording... recordings) {
    return new Dataset("rig", List.of("a"), List.of(recordings), List.of());
  }

  @Test
  void recordingsInDifferentOrdersAreTrainedInTheFirstsOrderAndItIsRecorded() {
    Dataset mixed = of(recording("r1", "DE", "FE"), recording("r2", "FE", "DE"));
    WindowedDataset cut = WindowedDataset.cut(mixed, SplitPlan.byTime(), new WindowSpec(64, 64, 64));
    assertEquals(List.of("DE", "FE"), cut.dataset().recordings().get(1).channelNames());
    assertEquals(1, cut.dataset().recordings().get(1).channel(0)[0]);
    assertEquals(List.of("DE", "FE"), cut.dataset().modelChannelNames());
    // The other order first: that is the model's.
    assertEquals(List.of("FE", "DE"), WindowedDataset.cut(of(recording("r2", "FE", "DE"), recording("r1", "DE", "FE")),
        SplitPlan.byTime(), new WindowSpec(64, 64, 64)).dataset().modelChannelNames());
    // A recording lacking one of the first's channels is refused, named.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowedDataset.cut(
        of(recording("r1", "DE", "FE"), recording("r2", "DE", "BA")), SplitPlan.byTime(), new WindowSpec(64, 64, 64)));
    assertTrue(e.getMessage().contains("recording r2 of data set rig has channels [DE, BA]")
        && e.getMessage().contains("[FE] is missing"), e.getMessage());
    // Positional names stay positional: as they are, and no names recorded.
    Dataset positional = of(recording("r1", "ch0", "ch1"), recording("r2", "col1", "col2"));
    assertSame(positional, positional.inOneChannelOrder());
    assertEquals(List.of(), positional.modelChannelNames());
  }

  @Test
  void aNamedModelTakesEachRecordingsChannelsByNameAndRefusesOneLackingAChannel() {
    Dataset mixed = of(recording("r1", "DE", "FE"), recording("r2", "FE", "DE"), recording("r3", "ch0", "ch1"));
    Dataset ordered = WindowedDataset.inModelOrder(mixed, model("FE", "DE"));
    assertEquals(2, ordered.recordings().get(0).channel(0)[0]);
    assertEquals(2, ordered.recordings().get(1).channel(0)[0]);
    // A positional recording is taken by position.
    assertSame(mixed.recordings().get(2), ordered.recordings().get(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowedDataset.inModelOrder(
        of(recording("r1", "DE", "FE"), recording("r2", "BA", "DE")), model("DE", "FE")));
    assertTrue(e.getMessage().contains("recording r2 of data set rig has channels [BA, DE]"), e.getMessage());
    // A one-channel model takes a one-channel recording's only channel under another name, as predict does.
    Dataset acc = of(recording("r1", "acc"));
    assertSame(acc, WindowedDataset.inModelOrder(acc, model("DE")));
  }
}
