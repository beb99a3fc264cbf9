package io.github.drsn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * The shrinkage networks learn a task where noise hides the class ({@link ImpulseTask} at −3 dB):
 * a CI-sized budget (768 training windows of 256 samples, 12 epochs of batch 32) must bring test
 * accuracy to at least 85 % and more than halve the training loss.
 */
@Tag("slow")
class LearningTest {

  static final int LENGTH = 256;
  static final double SNR_DB = Double.parseDouble(System.getProperty("learning.snr", "-3"));
  static final double LR = Double.parseDouble(System.getProperty("learning.lr", "0.05"));

  static ModelSpec spec(long seed) {
    return ModelSpec.builder().inputLength(LENGTH).stageChannels(4, 8).unitsPerStage(1).classes(2)
        .learningRate(new FixedSchedule(LR)).seed(seed).build();
  }

  /** Trains and returns {initial loss, final loss, test accuracy}. */
  static double[] trainAndEvaluate(Architecture arch, long seed, int epochs) {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    DataSet train = ImpulseTask.generate(768, LENGTH, SNR_DB, seed * 1000 + 1);
    DataSet test = ImpulseTask.generate(512, LENGTH, SNR_DB, seed * 1000 + 2);
    MultiLayerNetwork net = DrsnModels.network(arch, spec(seed));
    double initial = net.score(train);
    for (int e = 0; e < epochs; e++) {
      train.shuffle(seed + e);
      List<DataSet> batches = train.batchBy(32);
      for (DataSet b : batches) {
        net.fit(b);
      }
    }
    double last = net.score(train);
    INDArray predicted = net.output(test.getFeatures()).argMax(1);
    INDArray truth = test.getLabels().argMax(1);
    double accuracy = predicted.eq(truth).castTo(DataType.FLOAT).meanNumber().doubleValue();
    return new double[] {initial, last, accuracy};
  }

  @ParameterizedTest
  @EnumSource(value = Architecture.class, names = {"DRSN_CW", "DRSN_CS"})
  void shrinkageNetworkLearnsImpulseRatesInNoise(Architecture arch) {
    double[] r = trainAndEvaluate(arch, 1, 12);
    assertTrue(r[1] < 0.5 * r[0], arch + ": training loss " + r[0] + " -> " + r[1] + " did not halve");
    assertTrue(r[2] >= 0.85, arch + ": test accuracy " + r[2] + " below 0.85");
  }

  /** Seeds comparison for the report (not asserted): {@code java ... LearningTest <seeds> <epochs>}. */
  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    for (Architecture arch : Architecture.values()) {
      StringBuilder sb = new StringBuilder(arch.name());
      double sum = 0;
      for (int s = 1; s <= seeds; s++) {
        double[] r = trainAndEvaluate(arch, s, epochs);
        sum += r[2];
        sb.append(String.format(java.util.Locale.ROOT, " seed%d: loss %.3f->%.3f acc %.3f;", s, r[0], r[1], r[2]));
      }
      System.out.println(sb.append(String.format(java.util.Locale.ROOT, " mean acc %.3f", sum / seeds)));
    }
  }
}
