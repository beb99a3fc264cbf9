package io.github.drsn.model;

import io.github.drsn.contract.ModelLayout;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.NormKind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.contract.Shortcut;
import io.github.drsn.model.layers.impl.NormBlock;
import io.github.drsn.model.layers.impl.NormBlock;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Defaults follow the paper's Table II; sizes match the PyTorch reference; bad input is rejected. */
class ModelSpecTest {

  private static long trainableParams(MultiLayerNetwork net) {
    long n = 0;
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      if (!e.getKey().endsWith("Mean") && !e.getKey().endsWith("Var")) {
        n += e.getValue().length();
      }
    }
    return n;
  }

  @Test
  void defaultsAreTableTwo() {
    ModelSpec spec = ModelSpec.paper(10);
    assertEquals(2048, spec.inputLength());
    assertArrayEquals(new int[] {4, 8, 16}, spec.stageChannels());
    assertEquals(4, spec.unitsPerStage());
    assertEquals(3, spec.kernelSize());
    assertEquals(128, spec.finalLength());
    assertEquals(1e-4, spec.l2());
    assertEquals(0.9, spec.momentum());
    // One definition of the paper's schedule: the library's default is drsn train's over the paper's 100 epochs.
    assertEquals(io.github.drsn.model.schedule.StepDecaySchedule.paperSteps(100), spec.learningRate());
  }

  @ParameterizedTest
  @CsvSource({"DRSN_CW, 11586", "RESNET, 8450"})
  void trainableParameterCountsMatchTheReferenceImplementation(Architecture arch, long expected) {
    // REFERENCE-RESULTS.md: PyTorch DRSN-CW 11,586 and ResNet 8,450 parameters (10 classes, biases on).
    MultiLayerNetwork net = DrsnModels.network(arch, ModelSpec.paper(10));
    assertEquals(expected, trainableParams(net));
    INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 2, 1, 1, 2048));
    assertArrayEquals(new long[] {2, 10}, out.shape());
  }

  @Test
  void pytorchStyleInitialisationDrawsWithinOneOverRootFanIn() {
    MultiLayerNetwork net = DrsnModels.network(Architecture.RESNET,
        ModelSpec.builder().classes(10).weightInit(org.deeplearning4j.nn.weights.WeightInit.UNIFORM).build());
    // The last unit's first convolution: 16 -> 16 channels, kernel 3, so fan_in = 48 and 768 weights.
    INDArray w = net.getParam("12_c1W");
    assertEquals(768, w.length());
    double bound = 1 / Math.sqrt(48);
    assertTrue(w.amaxNumber().doubleValue() <= bound, "max |w| " + w.amaxNumber() + " > " + bound);
    double std = w.stdNumber().doubleValue();
    assertEquals(bound / Math.sqrt(3), std, 0.1 * bound / Math.sqrt(3), "std of U(-b, b) is b/sqrt(3)");
    // He initialisation (the default) is N(0, 2/fan_in): 2.45 times wider.
    INDArray he = DrsnModels.network(Architecture.RESNET, ModelSpec.paper(10)).getParam("12_c1W");
    assertEquals(Math.sqrt(2.0 / 48), he.stdNumber().doubleValue(), 0.1 * Math.sqrt(2.0 / 48));
  }

  @Test
  void everySizeIsConfigurable() {
    ModelSpec spec = ModelSpec.builder().inputLength(500).stageChannels(3, 6).unitsPerStage(2).kernelSize(5)
        .classes(4).shortcut(Shortcut.PROJECTION).normalization(NormKind.GROUP_NORM).groups(3).build();
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CS, spec);
    assertEquals(1 + 2 * 2 + 2, net.getLayers().length);
    INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 3, 1, 1, 500));
    assertArrayEquals(new long[] {3, 4}, out.shape());
    // The stem also accepts [N, C, L], for inference and training.
    INDArray rank3 = Nd4j.rand(DataType.FLOAT, 3, 1, 500);
    assertArrayEquals(new long[] {3, 4}, net.output(rank3).shape());
    INDArray before = net.params().dup();
    net.fit(new org.nd4j.linalg.dataset.DataSet(rank3, Nd4j.eye(4).getRows(0, 1, 2).castTo(DataType.FLOAT)));
    org.junit.jupiter.api.Assertions.assertNotEquals(before, net.params());
  }

  @Test
  void rejectsBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().inputLength(0));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().stageChannels());
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().stageChannels(4, -1));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().classes(1));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().momentum(1.0));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().l2(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().shortcut(Shortcut.NONE));
    assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().dataType(DataType.INT));
  }

  @Test
  void groupCountFallsBackToADivisorOfTheChannels() {
    assertEquals(4, ModelLayout.effectiveGroups(8, 4));
    assertEquals(2, ModelLayout.effectiveGroups(2, 4));
    assertEquals(3, ModelLayout.effectiveGroups(6, 4));
    assertEquals(1, ModelLayout.effectiveGroups(5, 4));
  }
}
