package io.github.drsn.model.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.model.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.Normalization;
import io.github.drsn.model.layers.Shortcut;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-Java forward pass agrees with {@code MultiLayerNetwork.output} after some training. */
class FastInferenceTest {

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "DRSN_CW, BATCH_NORM, ZERO_PAD", "DRSN_CS, BATCH_NORM, ZERO_PAD", "RESNET, BATCH_NORM, PROJECTION",
      "CONVNET, BATCH_NORM, ZERO_PAD", "DRSN_CW, GROUP_NORM, PROJECTION", "DRSN_CS, GROUP_NORM, ZERO_PAD"})
  void matchesDl4jOutput(Architecture arch, Normalization norm, Shortcut shortcut) {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    ModelSpec spec = ModelSpec.builder().inputLength(101).stageChannels(4, 8).unitsPerStage(2).classes(3)
        .normalization(norm).shortcut(shortcut).groups(2).seed(5).build();
    MultiLayerNetwork net = DrsnModels.network(arch, spec);
    Nd4j.getRandom().setSeed(3);
    for (int i = 0; i < 3; i++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, 16, 1, 1, 101);
      INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
      for (int n = 0; n < 16; n++) {
        y.putScalar(n, n % 3, 1.0);
      }
      net.fit(new DataSet(x, y));
    }
    INDArray probe = Nd4j.randn(DataType.FLOAT, 5, 1, 1, 101).muli(2);
    INDArray expected = net.output(probe);
    float[][] windows = new float[5][];
    for (int n = 0; n < 5; n++) {
      windows[n] = probe.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n)).reshape(101).toFloatVector();
    }
    float[][] actual = new FastInference(net).predictBatch(windows);
    for (int n = 0; n < 5; n++) {
      for (int k = 0; k < 3; k++) {
        assertEquals(expected.getFloat(n, k), actual[n][k], 2e-5, "window " + n + " class " + k);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"2"})
  void rejectsWrongChannelCount(int channels) {
    MultiLayerNetwork net = DrsnModels.network(Architecture.RESNET, ModelSpec.builder().inputLength(32)
        .stageChannels(2).unitsPerStage(1).classes(2).build());
    assertThrows(IllegalArgumentException.class,
        () -> new FastInference(net).predictOne(new float[channels][32]));
  }
}
