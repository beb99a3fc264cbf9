package io.github.drsn.model;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.signals.Normalization;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.NormKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.drsn.contract.Shortcut;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/** JSON round trip of configurations, and save/load giving identical outputs and identical continued training. */
class PersistenceTest {

  private static ModelSpec small(NormKind norm) {
    return ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(2).classes(3).normalization(norm)
        .learningRate(new StepSchedule(ScheduleType.ITERATION, 0.05, 0.5, 3)).seed(17).build();
  }

  private static List<DataSet> batches(int count, int seed) {
    Nd4j.getRandom().setSeed(seed);
    List<DataSet> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, 8, 1, 1, 64);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
      for (int i = 0; i < 8; i++) {
        y.putScalar(i, (i + b) % 3, 1.0);
      }
      out.add(new DataSet(x, y));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Architecture.class)
  void configurationJsonRoundTrips(Architecture arch) {
    for (NormKind norm : List.of(NormKind.BATCH_NORM, NormKind.GROUP_NORM)) { // NONE is no trunk norm
      MultiLayerConfiguration conf = DrsnModels.configuration(arch, small(norm).toBuilder()
          .shortcut(Shortcut.PROJECTION).groups(4).build());
      MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
      assertEquals(conf, back);
      assertEquals(conf.toJson(), back.toJson());
    }
  }

  @ParameterizedTest
  @EnumSource(value = NormKind.class, names = {"BATCH_NORM", "GROUP_NORM"})
  void aBundledModelReloadsWithIdenticalOutputs(NormKind norm, @TempDir Path dir) throws IOException {
    ModelSpec spec = small(norm);
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CW, spec);
    List<DataSet> data = batches(3, 1);
    for (DataSet batch : data) {
      net.fit(batch);
    }
    Path file = dir.resolve("model.drsn");
    List<String> classes = new java.util.ArrayList<>();
    for (int k = 0; k < spec.classes(); k++) {
      classes.add("c" + k);
    }
    new ModelBundle(net, Architecture.DRSN_CW, spec, classes, new InputSpec(12_000, spec.inputLength(), 1,
        Normalization.Z_SCORE, Representation.TIME), null, null, null, "test", null).write(file);
    MultiLayerNetwork loaded = ModelBundle.read(file).network();
    INDArray probe = batches(1, 99).get(0).getFeatures();
    assertEquals(net.output(probe), loaded.output(probe));
    assertEquals(net.params(), loaded.params(), "parameters, batch-norm running statistics included");
  }

  @Test
  void trainingUpdatesBatchNormRunningStatistics() {
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CW, small(NormKind.BATCH_NORM));
    INDArray runningVar = net.getParam("1_n1Var").dup();
    net.fit(batches(1, 3).get(0));
    // Moving average 0.9·1 + 0.1·σ²_B differs from the initial 1 unless the batch variance is exactly 1.
    assertNotEquals(runningVar, net.getParam("1_n1Var"));
    assertEquals(0.0, net.getParam("1_n1Var").minNumber().doubleValue() < 0 ? 1 : 0, 0.0, "variance stays >= 0");
  }
}
