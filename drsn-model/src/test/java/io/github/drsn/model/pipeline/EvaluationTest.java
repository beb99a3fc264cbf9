package io.github.drsn.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.Normalization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Test-time augmentation over circular shifts in {@link Evaluation}. */
class EvaluationTest {

  private static final int LENGTH = 64;

  @Test
  void aCircularShiftMovesEverySampleOfEveryChannelAlike() {
    float[] in = {1, 2, 3, 4, 10, 20, 30, 40};
    float[] out = new float[8];
    Evaluation.shiftCircularly(in, 2, 4, 1, out);
    assertArrayEquals(new float[] {2, 3, 4, 1, 20, 30, 40, 10}, out);
    Evaluation.shiftCircularly(in, 2, 4, 3, out);
    assertArrayEquals(new float[] {4, 1, 2, 3, 40, 10, 20, 30}, out);
  }

  /**
   * A stand-in classifier: class 0 with probability 0.7 when the window's first sample is positive, else class 1
   * with 0.6; the rest spread evenly. Remembers every window it is given.
   */
  private static final class FirstSample implements Diagnoser {
    final List<float[]> seen = new ArrayList<>();

    @Override
    public List<String> classes() {
      return SyntheticDrivetrain.CLASSES;
    }

    @Override
    public InputSpec inputSpec() {
      return new InputSpec(12_000, LENGTH, 1, Normalization.Z_SCORE, Representation.TIME);
    }

    @Override
    public HealthCheck healthCheck() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int predict(float[] window, float[] probabilities) {
      seen.add(window.clone());
      int k = probabilities.length;
      int top = window[0] > 0 ? 0 : 1;
      double p = top == 0 ? 0.7 : 0.6;
      java.util.Arrays.fill(probabilities, (float) ((1 - p) / (k - 1)));
      probabilities[top] = (float) p;
      return top;
    }
  }

  @Test
  void theClassIsTheArgmaxOfTheMeanProbabilityOverTheShifts() {
    WindowedDataset data =
        WindowedDataset.cut(SyntheticDrivetrain.dataset(7), SplitPlan.byTime(), WindowSpec.of(LENGTH, LENGTH));
    NoiseSpec noise = new NoiseSpec(NoiseType.GAUSSIAN, 0);
    FirstSample plain = new FirstSample();
    ClassificationReport once = Evaluation.evaluate(plain, data, Region.TEST, noise, 5);
    FirstSample augmented = new FirstSample();
    ClassificationReport tta = Evaluation.evaluate(augmented, data, Region.TEST, noise, 5, 4);
    int windows = plain.seen.size();
    assertEquals(4 * windows, augmented.seen.size());
    assertEquals(once.confusionCounts().length, tta.confusionCounts().length);
    long[] predictedOnce = new long[2];
    long[] predictedTta = new long[2];
    for (int w = 0; w < windows; w++) {
      float[] x = plain.seen.get(w);
      // Shifts of 0, 16, 32 and 48 samples: the stand-in looks at x[0], x[16], x[32], x[48].
      int positives = 0;
      for (int k = 0; k < 4; k++) {
        float[] shifted = augmented.seen.get(4 * w + k);
        assertEquals(x[(k * 16 + 5) % LENGTH], shifted[5], 0f, "window " + w + " shift " + k);
        positives += x[k * 16] > 0 ? 1 : 0;
      }
      predictedOnce[x[0] > 0 ? 0 : 1]++;
      // Mean probability of class 0: (0.7·n + 0.4/7·(4 − n)) / 4; of class 1: (0.3/7·n + 0.6·(4 − n)) / 4.
      double p0 = (0.7 * positives + 0.4 / 7 * (4 - positives)) / 4;
      double p1 = (0.3 / 7 * positives + 0.6 * (4 - positives)) / 4;
      predictedTta[p0 >= p1 ? 0 : 1]++;
    }
    assertEquals(predictedOnce[0], column(once, 0));
    assertEquals(predictedTta[0], column(tta, 0));
    assertEquals(predictedTta[1], column(tta, 1));
    assertThrows(IllegalArgumentException.class, () -> Evaluation.evaluate(plain, data, Region.TEST, noise, 5, 0));
  }

  private static long column(ClassificationReport report, int c) {
    long sum = 0;
    for (long[] row : report.confusionCounts()) {
      sum += row[c];
    }
    return sum;
  }
}
