package io.github.drsn.model;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.NormKind;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Double-precision gradient checks of small complete networks built by {@link DrsnModels}. */
@Tag("slow")
class NetworkGradientTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"DRSN_CW, BATCH_NORM", "DRSN_CS, BATCH_NORM", "DRSN_CW, GROUP_NORM", "DRSN_CS, GROUP_NORM"})
  void smallNetworkGradientsMatchFiniteDifferences(Architecture arch, NormKind norm) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    ModelSpec spec = ModelSpec.builder().inputLength(16).stageChannels(2, 4).unitsPerStage(1).classes(2)
        .normalization(norm).groups(2).dataType(DataType.DOUBLE).l2(0).seed(3).build();
    MultiLayerNetwork net = new MultiLayerNetwork(DrsnModels.configuration(arch, spec, new NoOp()));
    net.init();
    Nd4j.getRandom().setSeed(11);
    int n = 4;
    INDArray x = Nd4j.randn(DataType.DOUBLE, n, 1, 1, 16);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 2);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % 2, 1.0);
    }
    Set<String> excluded = new HashSet<>();
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      String key = e.getKey();
      // Running statistics are not gradient-trained; conv1's bias feeds batch norm, so its true
      // gradient is exactly 0 and the analytic value is pure round-off.
      if (key.endsWith("Mean") || key.endsWith("Var") || (norm == NormKind.BATCH_NORM && key.endsWith("c1b"))) {
        excluded.add(key);
      }
    }
    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
        .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8).excludeParams(excluded));
    assertTrue(ok, arch + " " + norm + " gradient check failed; see the log for the parameters");
  }
}
