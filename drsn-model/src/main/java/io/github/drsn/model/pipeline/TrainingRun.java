package io.github.drsn.model.pipeline;

import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.EvaluationIterator;
import io.github.drsn.model.data.FeatureLayout;
import io.github.drsn.model.data.TrainingIterator;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.schedule.RestartingSchedule;
import io.github.drsn.model.train.Trainer;
import io.github.drsn.model.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * One training run of the benchmark protocol: build the network, train it with fresh noise on every
 * draw and class-balanced batches, keep the best epoch by validation accuracy, then evaluate that
 * network on the validation and test regions with their fixed noise. The network of the last epoch is
 * tested too, because other implementations (e.g. the PyTorch reference) report that one.
 *
 * <pre>{@code
 * WindowedDataset data = WindowedDataset.cut(SyntheticDrivetrain.dataset(42), SplitPlan.byTime(), WindowSpec.benchmark());
 * RunConfig config = ...;
 * TrainingRun.Outcome outcome = TrainingRun.run(data, config, Path.of("runs/x/checkpoints"), false, null, null);
 * System.out.println(outcome.test().accuracy());
 * }</pre>
 */
public final class TrainingRun {

  /**
   * What a run produced.
   *
   * @param network the network of the best validation epoch
   * @param training the trainer's result (history, stop reason, last network)
   * @param validation the best network on the validation region
   * @param test the best network on the test region, or null when the split has no test windows
   * @param testFinalEpoch the network of the last epoch on the test region (the same report as {@code test}
   *     when the last epoch is the best), or null when the split has no test windows or training was
   *     interrupted (the network then stopped inside an epoch)
   * @param trainSeconds wall time of training (all sittings of a resumed run)
   * @param snapshots the snapshot ensemble's evaluation, or null when the run kept no snapshots (none asked for, none
   *     taken, or training was interrupted)
   */
  public record Outcome(
      MultiLayerNetwork network,
      Trainer.Result training,
      ClassificationReport validation,
      ClassificationReport test,
      ClassificationReport testFinalEpoch,
      double trainSeconds,
      SnapshotEvaluation snapshots) {}

  /**
   * A snapshot ensemble (Huang et al. 2017) on the validation and test regions: each snapshot alone and the mean of
   * their probabilities.
   *
   * @param members the snapshots, oldest first
   * @param validation each snapshot on the validation region, in member order
   * @param test each snapshot on the test region (empty without test windows)
   * @param ensembleValidation the ensemble on the validation region
   * @param ensembleTest the ensemble on the test region, or null without test windows
   */
  public record SnapshotEvaluation(List<Trainer.Snapshot> members, List<ClassificationReport> validation,
      List<ClassificationReport> test, ClassificationReport ensembleValidation, ClassificationReport ensembleTest) {}

  private TrainingRun() {}

  /**
   * Trains and evaluates.
   *
   * @param checkpointDir where {@code last.ckpt}/{@code best.ckpt} go; null keeps none
   * @param resume continue the run whose checkpoints are in {@code checkpointDir}
   * @param listener progress callbacks, or null
   * @param stopRequested polled after each minibatch (Ctrl-C), or null
   * @throws IllegalArgumentException if the data and the model disagree (classes, window length)
   */
  public static Outcome run(
      WindowedDataset data,
      RunConfig config,
      Path checkpointDir,
      boolean resume,
      TrainingListener listener,
      BooleanSupplier stopRequested) {
    check(data, config);
    if (listener != null) {
      coverageWarnings(data).forEach(listener::onWarning);
    }
    Trainer.EpochData epochs = epochData(data, config);
    Trainer.Options options = new Trainer.Options(config.epochs(), config.patience(), checkpointDir, stopRequested,
        config.spec().recipe().emaDecay(), config.spec().recipe().fgm(), config.spec().recipe().snapshots(),
        cycles(config));
    Trainer.Result result = resume
        ? Trainer.resume(DrsnModels.network(config.architecture(), config.spec()), epochs, options, listener)
        : Trainer.train(DrsnModels.network(config.architecture(), config.spec()), epochs, options, listener);
    double seconds = result.history().stream().mapToDouble(e -> e.seconds()).sum();
    MultiLayerNetwork best = result.bestModel();
    ClassificationReport validation =
        Evaluation.evaluate(best, data, Region.VALIDATION, config.pipeline(), config.evaluationSeed());
    boolean testable = !data.windows(Region.TEST).isEmpty();
    ClassificationReport test = testable
        ? Evaluation.evaluate(best, data, Region.TEST, config.pipeline(), config.evaluationSeed())
        : null;
    ClassificationReport testFinalEpoch = !testable || result.stopReason() == Trainer.StopReason.INTERRUPTED ? null
        : result.bestEpoch() == result.history().size() ? test
        : Evaluation.evaluate(result.lastModel(), data, Region.TEST, config.pipeline(), config.evaluationSeed());
    SnapshotEvaluation snapshots = result.snapshots().isEmpty()
        || result.stopReason() == Trainer.StopReason.INTERRUPTED ? null
        : evaluateSnapshots(result.snapshots(), data, config, testable);
    return new Outcome(best, result, validation, test, testFinalEpoch, seconds, snapshots);
  }

  private static SnapshotEvaluation evaluateSnapshots(List<Trainer.Snapshot> snapshots, WindowedDataset data,
      RunConfig config, boolean testable) {
    List<MultiLayerNetwork> members = snapshots.stream().map(Trainer.Snapshot::network).toList();
    List<ClassificationReport> validation = new ArrayList<>();
    List<ClassificationReport> test = new ArrayList<>();
    for (MultiLayerNetwork m : members) {
      validation.add(Evaluation.evaluate(m, data, Region.VALIDATION, config.pipeline(), config.evaluationSeed()));
      if (testable) {
        test.add(Evaluation.evaluate(m, data, Region.TEST, config.pipeline(), config.evaluationSeed()));
      }
    }
    return new SnapshotEvaluation(snapshots, validation, test,
        Evaluation.evaluate(members, data, Region.VALIDATION, config.pipeline(), config.evaluationSeed()),
        testable ? Evaluation.evaluate(members, data, Region.TEST, config.pipeline(), config.evaluationSeed()) : null);
  }

  /**
   * The run's data as the trainer takes it: each epoch's class-balanced (or shuffled) minibatches with fresh noise
   * seeded by (seed, epoch), and the validation region with its fixed noise.
   */
  public static Trainer.EpochData epochData(WindowedDataset data, RunConfig config) {
    int trainWindows = data.windows(Region.TRAIN).size();
    int batches = config.batchesPerEpoch() > 0
        ? config.batchesPerEpoch()
        : (trainWindows + config.batchSize() - 1) / config.batchSize();
    return new Trainer.EpochData() {
      @Override
      public DataSetIterator trainingEpoch(int epoch) {
        return new TrainingIterator(data, config.pipeline(), FeatureLayout.NCHW, config.batchSize(),
            config.sampling(), batches, config.epochSeed(epoch));
      }

      @Override
      public DataSetIterator validation() {
        return new EvaluationIterator(data, Region.VALIDATION, config.pipeline(), FeatureLayout.NCHW,
            Evaluation.BATCH, config.evaluationSeed());
      }

      @Override
      public int batchesPerEpoch() {
        return batches;
      }
    };
  }

  /**
   * What the run will not stop for but its figures depend on: each class that has training windows and none in the
   * validation region (the best epoch is chosen without it) or none in the test region (its accuracy is not
   * measured, and the test accuracy is over the other classes). Cross-load setups do this on purpose; anyone else
   * has recordings too short for the split.
   *
   * @return one sentence per finding, in class order; empty when every class is in every region that has windows
   */
  public static java.util.List<String> coverageWarnings(WindowedDataset data) {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    int classes = data.dataset().classCount();
    int[] validation = new int[classes];
    int[] test = new int[classes];
    data.windows(Region.VALIDATION).forEach(w -> validation[w.classIndex()]++);
    data.windows(Region.TEST).forEach(w -> test[w.classIndex()]++);
    boolean tested = !data.windows(Region.TEST).isEmpty();
    for (int k = 0; k < classes; k++) {
      boolean noValidation = validation[k] == 0;
      boolean noTest = tested && test[k] == 0;
      if (noValidation || noTest) {
        String missing = noValidation && noTest ? "no validation and no test windows"
            : noValidation ? "no validation windows" : "no test windows";
        String consequence = noValidation && noTest
            ? "the best epoch is chosen without it and its test accuracy is not measured"
            : noValidation ? "the best epoch is chosen without it" : "its test accuracy is not measured";
        warnings.add("class " + data.dataset().classes().get(k) + " has " + missing + " (split "
            + data.plan().describe() + "): " + consequence);
      }
    }
    return warnings;
  }

  /**
   * Everything {@link #run} checks before it trains, for callers that validate before they write anything: the
   * data and the model agree (classes, window length, channels), the network is within the bundle format's limits,
   * both the training and the validation region have windows, and a batch fits the heap.
   *
   * @throws IllegalArgumentException saying which check failed and what was expected
   */
  public static void check(WindowedDataset data, RunConfig config) {
    checkCompatible(data, config);
    checkSnapshots(data, config);
    config.spec().layout(config.architecture());
    int trainWindows = data.windows(Region.TRAIN).size();
    if (trainWindows == 0) {
      throw new IllegalArgumentException("the training region of " + data.dataset().name() + " has no windows");
    }
    // A class without training windows (recordings shorter than a window, a split that put them all elsewhere) would
    // still get an output, one that no example ever taught.
    int[] perClass = new int[data.dataset().classCount()];
    data.windows(Region.TRAIN).forEach(w -> perClass[w.classIndex()]++);
    for (int k = 0; k < perClass.length; k++) {
      if (perClass[k] == 0) {
        String name = data.dataset().classes().get(k);
        throw new IllegalArgumentException("class " + name + " of " + data.dataset().name() + " has no training"
            + " windows (split " + data.plan().describe() + ", windows of " + data.spec().length() + " samples);"
            + " expected training windows of every class: give it recordings longer than a window, use shorter"
            + " windows, or leave it out (--exclude-class " + name + ")");
      }
    }
    if (data.windows(Region.VALIDATION).isEmpty()) {
      throw new IllegalArgumentException("the validation region of " + data.dataset().name() + " (split "
          + data.plan().describe() + ") has no windows: the recordings are too short for the split's validation"
          + " fraction and the window length; use longer recordings, a larger validation fraction or shorter windows");
    }
    long batchBytes = (long) config.batchSize() * config.spec().inputChannels() * config.spec().inputLength() * 8;
    if (batchBytes > Runtime.getRuntime().maxMemory() / 8) {
      throw new IllegalArgumentException("a batch of " + config.batchSize() + " windows of " + config.spec().inputChannels()
          + " x " + config.spec().inputLength() + " values needs " + (batchBytes >> 20) + " MB per copy, more than this"
          + " JVM's heap of " + (Runtime.getRuntime().maxMemory() >> 20) + " MB can train with; expected a batch size"
          + " such as 128");
    }
  }

  private static RestartingSchedule cycles(RunConfig config) {
    return config.spec().learningRate() instanceof RestartingSchedule r ? r : null;
  }

  /** A snapshot ensemble needs a cyclic schedule with at least two cycle ends within the run. */
  private static void checkSnapshots(WindowedDataset data, RunConfig config) {
    int k = config.spec().recipe().snapshots();
    if (k == 0) {
      return;
    }
    RestartingSchedule cycles = cycles(config);
    new Trainer.Options(config.epochs(), config.patience(), null, null, 0, 0, k, cycles); // the schedule has cycles
    boolean byIteration = cycles.getScheduleType() == org.nd4j.linalg.schedule.ScheduleType.ITERATION;
    int steps = byIteration ? config.epochs() * epochData(data, config).batchesPerEpoch() : config.epochs();
    java.util.List<Integer> ends = cycles.cycleEnds(steps, byIteration);
    if (ends.size() < 2) {
      throw new IllegalArgumentException("--snapshots " + k + ": the schedule " + config.spec().learningRate()
          + " ends " + ends.size() + " cycle(s) within the run's " + steps + (byIteration ? " iterations" : " epochs")
          + ", and an ensemble needs at least 2; train longer or use shorter cycles");
    }
  }

  private static void checkCompatible(WindowedDataset data, RunConfig config) {
    ModelSpec spec = config.spec();
    int classes = data.dataset().classes().size();
    if (spec.classes() != classes) {
      throw new IllegalArgumentException("the model has " + spec.classes() + " outputs but "
          + data.dataset().name() + " has " + classes + " classes " + data.dataset().classes());
    }
    int featureLength = config.pipeline().featureLength(data.spec().length());
    if (spec.inputLength() != featureLength) {
      throw new IllegalArgumentException("the model expects inputs of " + spec.inputLength()
          + " values but windows of " + data.spec().length() + " samples give " + featureLength);
    }
    int channels = data.dataset().recordings().get(0).channelCount();
    if (spec.inputChannels() != channels) {
      throw new IllegalArgumentException("the model expects " + spec.inputChannels() + " input channel(s) but "
          + data.dataset().name() + " has " + channels);
    }
  }
}
