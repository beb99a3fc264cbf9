package io.github.drsn.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.train.Trainer;
import io.github.drsn.signals.NoiseType;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which networks {@link TrainingRun} tests: the best-validation epoch's as {@code test}, the last epoch's as
 * {@code testFinalEpoch} (what implementations that keep the final network report), and no last-epoch test when
 * training was interrupted inside an epoch, whose network is then neither a finished epoch's nor resumable as one.
 */
@Tag("slow")
class TrainingRunTest {

  private static final int LENGTH = 256;
  private static final int BATCHES = 3;

  private static WindowedDataset data;

  @BeforeAll
  static void cut() {
    data = WindowedDataset.cut(SyntheticDrivetrain.dataset(7), SplitPlan.byTime(), WindowSpec.of(LENGTH, LENGTH));
  }

  private static RunConfig config(int epochs) {
    ModelSpec spec = ModelSpec.builder().inputLength(LENGTH).stageChannels(2, 4, 4).unitsPerStage(1)
        .classes(SyntheticDrivetrain.CLASSES.size()).seed(3).build();
    return new RunConfig(Architecture.DRSN_CW, spec, WindowPipeline.noisy(new NoiseSpec(NoiseType.GAUSSIAN, 0)), 16,
        BATCHES, Sampling.CLASS_BALANCED, epochs, 0, 5, RunConfig.DEFAULT_EVALUATION_SEED);
  }

  @Test
  void aFinishedRunTestsTheBestAndTheLastEpochsNetworks() {
    RunConfig config = config(3);
    TrainingRun.Outcome outcome = TrainingRun.run(data, config, null, false, null, null);

    Trainer.Result training = outcome.training();
    assertEquals(3, training.history().size());
    assertEquals(Evaluation.evaluate(training.bestModel(), data, Region.TEST, config.pipeline(),
        config.evaluationSeed()), outcome.test());
    assertEquals(Evaluation.evaluate(training.lastModel(), data, Region.TEST, config.pipeline(),
        config.evaluationSeed()), outcome.testFinalEpoch());
    if (training.bestEpoch() == 3) {
      assertSame(outcome.test(), outcome.testFinalEpoch(), "the last epoch is the best: one evaluation serves both");
    }
    assertEquals(data.windows(Region.TEST).size(), outcome.testFinalEpoch().total());
  }

  @Test
  void anInterruptedRunTestsOnlyTheBestFinishedEpoch() {
    RunConfig config = config(3);
    AtomicInteger polls = new AtomicInteger();
    // Polled after each minibatch: stop in the middle of the second epoch.
    TrainingRun.Outcome outcome = TrainingRun.run(data, config, null, false, null,
        () -> polls.incrementAndGet() > BATCHES + 1);

    assertEquals(Trainer.StopReason.INTERRUPTED, outcome.training().stopReason());
    assertEquals(1, outcome.training().history().size(), "only the first epoch finished");
    assertNotNull(outcome.test(), "the best finished epoch is still tested");
    assertNull(outcome.testFinalEpoch(), "the interrupted network is no epoch's, so it gets no last-epoch test");
  }
}
