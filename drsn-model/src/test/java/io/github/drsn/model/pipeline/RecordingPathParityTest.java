package io.github.drsn.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.signals.Normalization;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One recording taken to a model by the two paths the project has: the data-set path ({@link WindowedDataset#forModel},
 * what {@code evaluate}, {@code calibrate}, training and the experiment harness classify) and the runtime path
 * ({@link Diagnoser#diagnose}, what {@code predict}, {@code score} and a service classify), the file read by
 * as {@code predict} and {@code score} pass it. (A file with NaN samples is refused by the readers both paths share,
 * naming the row: a user's file is corrected, a live stream's dropout is reported per window by the runtime.)
 */
class RecordingPathParityTest {

  private static final InputSpec SPEC = new InputSpec(12_000, 256, 1, Normalization.Z_SCORE, Representation.TIME);

  /** A one-class diagnoser that classifies nothing: only the cutting and health rules of diagnose() run. */
  private static final Diagnoser CUTTER = new Diagnoser() {
    @Override
    public List<String> classes() {
      return List.of("a");
    }

    @Override
    public InputSpec inputSpec() {
      return SPEC;
    }

    @Override
    public HealthCheck healthCheck() {
      return HealthCheck.DEFAULT;
    }

    @Override
    public int predict(float[] window, float[] probabilities) {
      probabilities[0] = 1;
      return 0;
    }
  };

  private static double[] noise(int n) {
    SplittableRandom random = new SplittableRandom(1);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian();
    }
    return x;
  }

  @Test
  void aRecordingWithinTheRateToleranceIsResampledByBothPathsOrByNeither() {
    // 0.25 % off the model's 12 kHz (within InputSpec.RATE_TOLERANCE): neither; 0.83 % off: both.
    for (double rate : new double[] {12_030, 12_100}) {
      double[] x = noise((int) (10 * rate));
      Dataset dataset = new Dataset("t", List.of("a"),
          List.of(Recording.of("r", "a", rate, x, OperatingCondition.UNKNOWN)), List.of());
      WindowedDataset windows = WindowedDataset.forModel(dataset, List.of("a"), SPEC, SplitPlan.byTime(), 256);
      boolean evaluateResamples = windows.dataset().recordings().get(0).samplingRate() != rate;
      boolean predictResamples = CUTTER.diagnose(x, rate).resampled();
      assertEquals(rate == 12_100, predictResamples, "the runtime at " + rate + " Hz");
      assertEquals(evaluateResamples, predictResamples, rate + " Hz: evaluate/calibrate resample: " + evaluateResamples
          + ", predict/score resample: " + predictResamples);
    }
  }
}
