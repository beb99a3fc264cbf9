package io.github.drsn.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.HealthIssue;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One recording taken to a model by the two paths the project has: the data-set path ({@link WindowedDataset#forModel},
 * what {@code evaluate}, {@code calibrate}, training and the experiment harness classify) and the runtime path
 * ({@link Diagnoser#diagnose}, what {@code predict}, {@code score} and a service classify), the file read by
 * {@link SignalFiles} as {@code predict} and {@code score} read it.
 */
class RecordingPathParityTest {

  private static final InputSpec SPEC = new InputSpec(12_000, 256, 1, Normalization.Z_SCORE, Representation.TIME);

  @TempDir Path dir;

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
  @Disabled("defect: datasets resample any rate != the model's; the runtime takes a rate within 0.5 % as the model's")
  void aRecordingWithinTheRateToleranceIsResampledByBothPathsOrByNeither() {
    double rate = 12_030; // 0.25 % off the model's 12 kHz: within HealthCheck.DEFAULT's rate tolerance
    double[] x = noise(120_300);
    Dataset dataset = new Dataset("t", List.of("a"),
        List.of(Recording.of("r", "a", rate, x, OperatingCondition.UNKNOWN)), List.of());
    WindowedDataset windows = WindowedDataset.forModel(dataset, List.of("a"), SPEC, SplitPlan.byTime(), 256);
    boolean evaluateResamples = windows.dataset().recordings().get(0).samplingRate() != rate;
    boolean predictResamples = CUTTER.diagnose(x, rate).resampled();
    assertEquals(evaluateResamples, predictResamples, "evaluate/calibrate resample: " + evaluateResamples
        + ", predict/score resample: " + predictResamples);
  }

  @Test
  @Disabled("defect: SignalFiles refuses a file with one NaN sample; diagnose() reports that window unhealthy and goes on")
  void aDropoutSampleIsJudgedByTheHealthCheckOnBothPaths() throws Exception {
    double[] x = noise(256 * 8);
    x[300] = Double.NaN; // a one-sample dropout in window 1
    RecordingDiagnosis library = CUTTER.diagnose(x, 12_000);
    assertEquals(1, library.health().get(HealthIssue.NON_FINITE));
    assertEquals(Diagnosis.Outcome.CLASSIFIED, library.outcome());
    StringBuilder csv = new StringBuilder("a\n");
    for (double v : x) {
      csv.append(Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v)).append('\n');
    }
    Path file = dir.resolve("dropout.csv");
    Files.writeString(file, csv);
    // What predict and score do with the file before diagnose() sees it.
    assertDoesNotThrow(() -> SignalFiles.readForModel(file, 12_000.0, List.of(), 1));
  }
}
