package io.github.drsn.datasets.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.signals.Normalization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review: a data set whose recordings name the same two sensors in different orders (CSV files exported with their
 * columns in another order). Dataset.modelChannelNames is then empty, and WindowedDataset.inModelOrder takes every
 * recording by position for a model that records [DE, FE]: the second recording's FE is fed as DE, silently.
 */
class ReviewMixedChannelOrderTest {

  private static Recording recording(String id, String first, String second) {
    // Each channel holds a constant that says which sensor it is: DE = 1, FE = 2.
    double[] a = new double[512];
    double[] b = new double[512];
    Arrays.fill(a, first.equals("DE") ? 1 : 2);
    Arrays.fill(b, second.equals("DE") ? 1 : 2);
    return new Recording(id, "a", 12_000, List.of(first, second), new double[][] {a, b}, OperatingCondition.UNKNOWN,
        null, Map.of());
  }

  @Test
  void eachRecordingsChannelsAreTakenByNameForANamedModel() {
    Dataset data = new Dataset("rig", List.of("a"), List.of(recording("r1", "DE", "FE"), recording("r2", "FE", "DE")),
        List.of());
    InputSpec model = new InputSpec(12_000, 64, 2, Normalization.Z_SCORE, Representation.TIME, 0,
        List.of("DE", "FE"));
    Dataset ordered = WindowedDataset.inModelOrder(data, model);
    Recording r2 = ordered.recordings().get(1);
    // The model's channel 0 is DE: r2's DE (value 1), not its first column FE (value 2).
    assertEquals(1.0, r2.channel(0)[0], "r2 " + r2.channelNames() + " fed to a model of [DE, FE]");
  }
}
