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
}
