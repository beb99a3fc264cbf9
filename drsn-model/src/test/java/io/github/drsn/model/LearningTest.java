package io.github.drsn.model;

import io.github.drsn.contract.Architecture;

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
 * a CI-sized budget (768 training windows of 256 samples, 12 epochs of batch 32) must, over seeds
 * 1-3, bring the mean test accuracy to at least 80 % and the median final training loss below half
 * the initial one. One seed is not enough: with this budget a single run lands anywhere between
 * 60 % and 98 % (measured), and rounding-level changes to the arithmetic move it within that range.
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
    int seeds = 3;
    double[] lossRatios = new double[seeds];
    double accuracy = 0;
    StringBuilder runs = new StringBuilder();
    for (int s = 1; s <= seeds; s++) {
      double[] r = trainAndEvaluate(arch, s, 12);
      lossRatios[s - 1] = r[1] / r[0];
      accuracy += r[2] / seeds;
      runs.append(String.format(java.util.Locale.ROOT, " seed %d: loss %.3f -> %.3f, accuracy %.3f;", s, r[0], r[1],
          r[2]));
    }
    java.util.Arrays.sort(lossRatios);
    assertTrue(lossRatios[seeds / 2] < 0.5, arch + ": median training loss did not halve;" + runs);
    assertTrue(accuracy >= 0.80, arch + ": mean test accuracy " + accuracy + " below 0.80;" + runs);
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
