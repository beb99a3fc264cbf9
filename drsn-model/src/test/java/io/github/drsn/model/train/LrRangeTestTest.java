package io.github.drsn.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

class LrRangeTestTest {

  /** Two Gaussian blobs in 8 dimensions, 4 minibatches of 32 per epoch, reshuffled per epoch. */
  private static final Trainer.EpochData BLOBS = new Trainer.EpochData() {
    @Override
    public DataSetIterator trainingEpoch(int epoch) {
      Random random = new Random(epoch);
      List<DataSet> list = new ArrayList<>();
      for (int i = 0; i < 128; i++) {
        int label = i % 2;
        float[] x = new float[8];
        for (int j = 0; j < 8; j++) {
          x[j] = (float) (random.nextGaussian() + (label == 0 ? -0.5 : 0.5));
        }
        list.add(new DataSet(Nd4j.create(x, 1, 8), Nd4j.create(label == 0 ? new float[] {1, 0} : new float[] {0, 1},
            1, 2)));
      }
      return new ListDataSetIterator<>(DataSet.merge(list).batchBy(32), 1);
    }

    @Override
    public DataSetIterator validation() {
      return trainingEpoch(99);
    }
  };

  private static MultiLayerNetwork network(ISchedule schedule) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
        .updater(new Nesterovs(schedule, 0.9)).list()
        .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    return net;
  }

  @Test
  void theScheduleSweepsExponentiallyFromMinToMax() {
    // min 1e-3, max 1e-1 over 5 steps: a factor (100)^(1/4) = 3.16228 per step.
    ISchedule s = LrRangeTest.schedule(1e-3, 1e-1, 5);
    double[] expected = {1e-3, 3.1622776601683794e-3, 1e-2, 3.1622776601683794e-2, 1e-1};
    for (int i = 0; i < 5; i++) {
      assertEquals(expected[i], s.valueAt(i, 0), expected[i] * 1e-12, "iteration " + i);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrRangeTest.schedule(1, 0.1, 5));
    assertTrue(e.getMessage().contains("--min-lr"), e.getMessage());
  }

  @Test
  void suggestionsAreTheSteepestDescentAndTheMinimumOverFour() {
    // Smoothed losses at lr = 1e-4 .. 1e0 (one per decade): 2.0, 1.9, 1.2, 0.8, 9 (diverged, left out).
    // Central differences per decade up to the minimum (index 3): (1.9−2)/1 = −0.1, (1.2−2)/2 = −0.4,
    // (0.8−1.9)/2 = −0.55, (0.8−1.2)/1 = −0.4: the steepest is −0.55 at lr 1e-2; the minimum 0.8 at 1e-1.
    List<LrRangeTest.Point> points = List.of(new LrRangeTest.Point(0, 1e-4, 2, 2.0),
        new LrRangeTest.Point(1, 1e-3, 2, 1.9), new LrRangeTest.Point(2, 1e-2, 1, 1.2),
        new LrRangeTest.Point(3, 1e-1, 1, 0.8), new LrRangeTest.Point(4, 1, 50, 9));
    LrRangeTest.Result r = LrRangeTest.suggest(points, true);
    assertEquals(1e-2, r.steepestLr(), 0.0);
    assertEquals(1e-1, r.minLossLr(), 0.0);
    assertEquals(1e-1, r.cycleMax(), 0.0);
    assertEquals(0.025, r.cycleBase(), 1e-15);
  }

  @Test
  void theNoisyStartOfALongCurveIsNotASuggestion() {
    // 30 smoothed losses at lr = 10^(i/10 − 5): a noisy start 3.0, 0.5 (slope (0.5 − 3.0) / 0.1 = −25 per decade at
    // i = 0, and the lowest loss of the curve at i = 1), then 2.0 up to i = 14, 1.5, 1.0 up to i = 19, 0.8 at i = 20
    // (lr 1e-3), 1.1 after. Without the skip both suggestions would be the start's. After it, the central
    // differences up to the minimum are 0 except i = 14: (1.5 − 2.0) / 0.2 = −2.5, i = 15: (1.0 − 2.0) / 0.2 = −5,
    // i = 16: −2.5, i = 19: −1; so the steepest is i = 15 and the cycle 1e-3 / 4.
    List<LrRangeTest.Point> points = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      double smoothed = i == 0 ? 3.0 : i == 1 ? 0.5 : i < 15 ? 2.0 : i == 15 ? 1.5 : i < 20 ? 1.0 : i == 20 ? 0.8 : 1.1;
      points.add(new LrRangeTest.Point(i, Math.pow(10, i / 10.0 - 5), smoothed, smoothed));
    }
    LrRangeTest.Result r = LrRangeTest.suggest(points, false);
    assertEquals(Math.pow(10, 15 / 10.0 - 5), r.steepestLr(), 1e-15);
    assertEquals(1e-3, r.minLossLr(), 1e-15);
    assertEquals(2.5e-4, r.cycleBase(), 1e-15);
    // From 2.0 at i = 10 to 0.8: a fall of 60 %.
    assertEquals(0.6, r.descent(), 1e-12);
    assertTrue(r.clearDescent());
  }

  @Test
  void aCurveThatBarelyFallsSaysItsSuggestionsAreNoise() {
    // 30 points: 2.40 from i = 10 on, 2.33 at i = 25 (a fall of 0.07 / 2.40 = 2.9 %, under the 5 % needed).
    List<LrRangeTest.Point> points = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      double smoothed = i == 25 ? 2.33 : 2.40;
      points.add(new LrRangeTest.Point(i, Math.pow(10, i / 10.0 - 5), smoothed, smoothed));
    }
    LrRangeTest.Result r = LrRangeTest.suggest(points, false);
    assertEquals(0.07 / 2.40, r.descent(), 1e-12);
    assertFalse(r.clearDescent());
  }

  @Test
  void aSweepIntoHugeRatesStopsWhenTheLossDiverges() {
    int iterations = 200;
    LrRangeTest.Result r = LrRangeTest.run(network(LrRangeTest.schedule(1e-4, 1e4, iterations)), BLOBS, iterations);
    assertTrue(r.diverged(), "never diverged: " + r.points().get(r.points().size() - 1));
    assertTrue(r.points().size() < iterations, "ran all " + r.points().size() + " steps");
    LrRangeTest.Point last = r.points().get(r.points().size() - 1);
    double best = r.points().subList(0, r.points().size() - 1).stream()
        .mapToDouble(LrRangeTest.Point::smoothedLoss).min().orElseThrow();
    assertTrue(!Double.isFinite(last.smoothedLoss()) || last.smoothedLoss() > 4 * best, last + " vs best " + best);
    // The rates taken are the schedule's, and the smoothing is the bias-corrected average of the losses.
    assertEquals(1e-4, r.points().get(0).learningRate(), 1e-16);
    assertEquals(r.points().get(0).loss(), r.points().get(0).smoothedLoss(), 1e-12);
    double a = 0.02 * r.points().get(0).loss() * 0.98 + 0.02 * r.points().get(1).loss();
    assertEquals(a / (1 - 0.98 * 0.98), r.points().get(1).smoothedLoss(), 1e-9);
    assertTrue(r.steepestLr() >= 1e-4 && r.steepestLr() <= 1e4, "steepest " + r.steepestLr());
    assertTrue(r.cycleBase() < r.cycleMax() && r.cycleMax() <= last.learningRate(), r.toString());
  }

  @Test
  void aGentleSweepRunsEveryStep() {
    LrRangeTest.Result r = LrRangeTest.run(network(LrRangeTest.schedule(1e-4, 1e-2, 20)), BLOBS, 20);
    assertFalse(r.diverged());
    assertEquals(20, r.points().size());
    assertEquals(1e-2, r.points().get(19).learningRate(), 1e-12);
    assertTrue(r.steepestLr() >= 1e-4 && r.steepestLr() <= 1e-2, "steepest " + r.steepestLr());
  }
}
