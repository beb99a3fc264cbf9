package io.github.drsn.model.bundle;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.BundleFormatException;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.signals.Normalization;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelBundleTest {

  @TempDir Path dir;

  private static final ModelSpec SMALL =
      ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(1).classes(3).seed(7).build();

  private static ModelBundle bundle(Architecture architecture) {
    MultiLayerNetwork network = DrsnModels.network(architecture, SMALL);
    // A few training steps move the batch-norm running statistics away from their initial values.
    INDArray x = Nd4j.rand(new long[] {8, 1, 1, 64}).subi(0.5);
    INDArray y = Nd4j.zeros(8, 3);
    for (int i = 0; i < 8; i++) {
      y.putScalar(i, i % 3, 1);
    }
    for (int i = 0; i < 3; i++) {
      network.fit(x, y);
    }
    ObjectNode metrics = JsonNodeFactory.instance.objectNode();
    metrics.putObject("test").put("accuracy", 0.875);
    return new ModelBundle(network, architecture, SMALL, List.of("a", "b", "c"),
        new InputSpec(12_000, 64, 1, Normalization.Z_SCORE, Representation.TIME),
        null, null, metrics, "0.1.0-test", Instant.parse("2026-11-26T12:00:00Z"));
  }

  @Test
  void reloadsWithIdenticalOutputsForEveryArchitecture() throws Exception {
    INDArray x = Nd4j.rand(new long[] {5, 1, 1, 64}).subi(0.5);
    for (Architecture architecture : Architecture.values()) {
      ModelBundle original = bundle(architecture);
      Path file = dir.resolve(architecture + ".drsn");
      original.write(file);
      ModelBundle loaded = ModelBundle.read(file);
      assertEquals(architecture, loaded.architecture());
      assertEquals(List.of("a", "b", "c"), loaded.classes());
      assertEquals(original.input(), loaded.input());
      assertEquals(0.875, loaded.metrics().path("test").path("accuracy").asDouble());
      assertEquals(original.network().params(), loaded.network().params());
      assertEquals(original.network().output(x, false), loaded.network().output(x, false), architecture.name());
    }
  }

  @Test
  void aBundleWrittenFromDl4jIsReadByTheContractWithTheNetworksParameters() throws Exception {
    ModelBundle original = bundle(Architecture.DRSN_CS);
    Path file = dir.resolve("m.drsn");
    original.write(file);
    io.github.drsn.contract.Bundle read = io.github.drsn.contract.Bundle.read(file);
    assertEquals(SMALL.layout(Architecture.DRSN_CS), read.layout());
    org.junit.jupiter.api.Assertions.assertArrayEquals(original.network().params().toFloatVector(),
        read.floatParameters());
    assertEquals(Instant.parse("2026-11-26T12:00:00Z"), read.createdUtc());
  }
}
