package io.github.drsn.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.contract.io.FileFormatException;
import io.github.drsn.contract.io.Npy;
import io.github.drsn.contract.io.NpyArray;
import io.github.drsn.contract.io.ZipEntries;
import io.github.drsn.datasets.io.JsonMappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import io.github.drsn.model.schedule.RestartingSchedule;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Trains a {@link MultiLayerNetwork} (the form the model builders produce) epoch by epoch, validates
 * after each epoch, keeps the best model by
 * validation accuracy (ties broken by lower validation loss), stops early after {@code patience} epochs
 * without improvement, and writes a resumable checkpoint after every epoch.
 *
 * <p>Resuming is exact: a run interrupted after epoch k and resumed with {@link #resume} produces the same
 * parameters as an uninterrupted run, provided {@link EpochData#trainingEpoch(int)} is a pure function of
 * the epoch index (seed the epoch's shuffling and noise from {@code (seed, epoch)}). The checkpoint holds
 * the parameters, the optimizer state, the iteration and epoch counters and the training history.
 *
 * <p>Checkpoint files ({@code last.ckpt}, {@code best.ckpt} in the checkpoint directory) are replaced
 * atomically, so an interruption at any moment (Ctrl-C, a crash) leaves the previous checkpoint intact.
 *
 * <p>Two training recipes live here because they change the loop rather than the network: a weight EMA
 * ({@link Options#emaDecay()}; its shadow is validated, kept and returned, and saved as {@code ema.npy} beside the
 * parameters) and FGM adversarial training ({@link Options#fgm()}, {@link Fgm}).
 *
 * <p>Snapshot ensembles (Huang et al., "Snapshot Ensembles: Train 1, get M for free", ICLR 2017): with a
 * {@link RestartingSchedule} and {@link Options#snapshots()} K &gt; 0, the weights at the end of every cycle of the
 * schedule (after the last step before a restart, where the rate is lowest) are kept, the last K of them, in the
 * checkpoints too ({@code snapshot-<slot>.npy}), so that a resumed run keeps the snapshots of its earlier sittings.
 * A snapshot holds the live weights (batch-norm running statistics included), not a weight-EMA shadow.
 */
public final class Trainer {

  /** Name of the checkpoint of the last completed epoch. */
  public static final String LAST_CHECKPOINT = "last.ckpt";
  /** Name of the checkpoint with the best validation accuracy so far. */
  public static final String BEST_CHECKPOINT = "best.ckpt";

  private static final String FORMAT = "drsn-training-checkpoint";
  private static final int FORMAT_VERSION = 2;
  private static final String STATE_ENTRY = "state.json";
  private static final String PARAMETERS_ENTRY = "parameters.npy";
  private static final String UPDATER_ENTRY = "updater.npy";
  private static final String EMA_ENTRY = "ema.npy";
  private static final ObjectMapper JSON =
      JsonMappers.compact().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** The data of a run: training minibatches per epoch and a fixed validation set. */
  public interface EpochData {
    /** Training minibatches of epoch {@code epoch}; must depend only on the epoch for exact resumes. */
    DataSetIterator trainingEpoch(int epoch);

    /** The validation set; the same windows and noise every time it is asked for. */
    DataSetIterator validation();

    /** Minibatches per training epoch, for progress reporting; -1 when unknown. */
    default int batchesPerEpoch() {
      return -1;
    }
  }

  /**
   * How long to train and where to keep checkpoints.
   *
   * @param maxEpochs number of epochs of a full run (a resume counts the epochs already done)
   * @param patience epochs without validation improvement before stopping; 0 never stops early
   * @param checkpointDir directory for {@code last.ckpt} and {@code best.ckpt}; null keeps nothing on disk
   * @param stopRequested polled after every minibatch; when true the run stops at once and keeps the
   *     checkpoint of the last completed epoch (so a later resume repeats the interrupted epoch)
   * @param emaDecay d in (0, 1) to keep an exponential moving average of the parameters, θ_ema ← d·θ_ema +
   *     (1 − d)·θ after every step, starting from the initial parameters; it is validated, kept as the best model
   *     and returned instead of the live network. 0 = off.
   * @param fgm ε of adversarial training on the input ({@link Fgm}); 0 = off
   * @param snapshots K, the number of cycle-end snapshots to keep (the last K); 0 = none
   * @param cycles the run's learning-rate schedule, whose cycle ends are the snapshot points; needed (and
   *     {@link RestartingSchedule#restarts()}) when {@code snapshots > 0}, else ignored
   */
  public record Options(int maxEpochs, int patience, Path checkpointDir, BooleanSupplier stopRequested,
      double emaDecay, double fgm, int snapshots, RestartingSchedule cycles) {
    public Options {
      if (snapshots < 0 || snapshots > io.github.drsn.contract.Bundle.MAX_MEMBERS) {
        throw new IllegalArgumentException("--snapshots must be between 0 (none) and "
            + io.github.drsn.contract.Bundle.MAX_MEMBERS + " (the members a bundle holds), got " + snapshots);
      }
      if (snapshots > 0 && (cycles == null || !cycles.restarts())) {
        throw new IllegalArgumentException("--snapshots keeps the weights at the end of each learning-rate cycle, and"
            + (cycles == null ? " the run's schedule (the default steps, or a step schedule) has no cycles"
                : " the schedule " + cycles + " has no cycles") + "; use a cyclic schedule, e.g. --schedule"
            + " sgdr:max=0.1,min=0.001,t0=10,mult=1,unit=epoch or triangular:base=0.001,max=0.1,step=S");
      }
      if (emaDecay != 0 && !(emaDecay > 0 && emaDecay < 1)) {
        throw new IllegalArgumentException("emaDecay must be in (0, 1) (0 = off), got " + emaDecay);
      }
      if (!(fgm >= 0) || Double.isInfinite(fgm)) {
        throw new IllegalArgumentException("fgm must be a finite number >= 0 (0 = off), got " + fgm);
      }
      if (maxEpochs < 1) {
        throw new IllegalArgumentException("maxEpochs must be at least 1, got " + maxEpochs);
      }
      if (patience < 0) {
        throw new IllegalArgumentException("patience must be >= 0 (0 disables early stopping), got " + patience);
      }
      stopRequested = stopRequested == null ? () -> false : stopRequested;
    }

    public Options(int maxEpochs, int patience, Path checkpointDir, BooleanSupplier stopRequested, double emaDecay,
        double fgm) {
      this(maxEpochs, patience, checkpointDir, stopRequested, emaDecay, fgm, 0, null);
    }

    public Options(int maxEpochs, int patience, Path checkpointDir) {
      this(maxEpochs, patience, checkpointDir, null, 0, 0);
    }

    public Options(int maxEpochs, int patience, Path checkpointDir, BooleanSupplier stopRequested) {
      this(maxEpochs, patience, checkpointDir, stopRequested, 0, 0);
    }

    public Options(int maxEpochs, int patience, Path checkpointDir, BooleanSupplier stopRequested, double emaDecay) {
      this(maxEpochs, patience, checkpointDir, stopRequested, emaDecay, 0);
    }
  }

  /** Why a run ended. */
  public enum StopReason {
    /** All {@code maxEpochs} epochs ran. */
    COMPLETED,
    /** {@code patience} epochs passed without a better validation accuracy. */
    EARLY_STOPPED,
    /** {@link Options#stopRequested} became true. */
    INTERRUPTED
  }

  /**
   * The outcome of a run.
   *
   * @param bestModel the network of the best epoch (a copy; the trained network is left at its last state); with
   *     weight EMA, the averaged parameters of that epoch
   * @param lastModel the network after the last step; with weight EMA, a copy holding the averaged parameters
   * @param bestEpoch number (1-based) of the epoch that gave the best model, 0 if no epoch completed
   * @param history every completed epoch, including those of earlier sittings of a resumed run
   * @param snapshots the last {@link Options#snapshots()} cycle-end snapshots, oldest first; empty when off
   */
  public record Result(
      MultiLayerNetwork bestModel,
      MultiLayerNetwork lastModel,
      int bestEpoch,
      double bestValidationAccuracy,
      List<EpochRecord> history,
      StopReason stopReason,
      List<Snapshot> snapshots) {}

  /**
   * The weights at the end of a learning-rate cycle.
   *
   * @param cycle the schedule's cycle (from 0) that ended
   * @param iteration the number of steps taken when it was kept
   * @param epoch the epoch (from 1) in which it was kept
   * @param network a copy of the network with those weights
   */
  public record Snapshot(int cycle, int iteration, int epoch, MultiLayerNetwork network) {}

  /** Where a kept snapshot is and what it is, in a checkpoint's state. */
  static final class SnapshotRecord {
    public int cycle;
    public int iteration;
    public int epoch;
    public int slot;
    public String sha256;
    /** The weights read from a checkpoint (not part of state.json). */
    private double[] values;
  }

  /** Resumable state; serialised as JSON next to the network inside a checkpoint. */
  static final class State {
    public String format = FORMAT;
    public int formatVersion = FORMAT_VERSION;
    public int completedEpochs;
    public int bestEpoch;
    public double bestValidationAccuracy = Double.NEGATIVE_INFINITY;
    public double bestValidationLoss = Double.POSITIVE_INFINITY;
    public int epochsWithoutImprovement;
    public List<EpochRecord> history = new ArrayList<>();
    /** DL4J's iteration and epoch counters, which drive learning-rate schedules. */
    public int iteration;
    public int epoch;
    public long parameterCount;
    public String parametersSha256;
    public long updaterCount;
    public String updaterSha256;
    /** Size and SHA-256 of {@code ema.npy}, the weight-EMA shadow; 0 and null when the run keeps none. */
    public long emaCount;
    public String emaSha256;
    /** The shadow read from a checkpoint (not part of state.json: it has no getter and is not public). */
    private double[] ema;
    /** The kept snapshots, oldest first, with the entries that hold them. */
    public List<SnapshotRecord> snapshots = new ArrayList<>();
    /** The last cycle whose end was kept; -1 when none. */
    public int lastSnapshotCycle = -1;
    /**
     * ND4J's random generator ({@code Nd4j.getRandom()}: {@code rootState}, {@code nodeState}) when the checkpoint was
     * written, from which dropout and spatial dropout draw their masks; null in checkpoints written before it was
     * kept. A resumed run restores it, since building its network reseeds the generator to the run's start.
     */
    public Long randomRootState;
    /** See {@link #randomRootState}. */
    public Long randomNodeState;
  }

  private Trainer() {}

  /** Trains {@code network} (already initialised) from epoch 0. */
  public static Result train(
      MultiLayerNetwork network, EpochData data, Options options, TrainingListener listener) {
    Objects.requireNonNull(network, "network");
    return run(network, network.clone(), new State(), data, options, listener);
  }

  /**
   * Continues the run whose checkpoints are in {@code options.checkpointDir()} from its last completed epoch.
   * A checkpoint holds numbers only (parameters, optimiser state, counters, history), never a network's
   * configuration: the caller rebuilds the network from the run's own settings, exactly as it was built at the
   * start, and the checkpoint's numbers are loaded into it.
   *
   * @param network a freshly initialised network of the run's configuration (its parameters are replaced)
   * @throws IllegalArgumentException if the directory holds no checkpoint, one this version cannot read, or one
   *     whose sizes do not fit {@code network} (the message names the file)
   */
  public static Result resume(MultiLayerNetwork network, EpochData data, Options options, TrainingListener listener) {
    Objects.requireNonNull(network, "network");
    Path dir = options.checkpointDir();
    if (dir == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
    Path bestPath = dir.resolve(BEST_CHECKPOINT);
    boolean hasBest = Files.exists(bestPath);
    // Cloned before the last checkpoint is loaded: the clone is a network of the same configuration to load into.
    MultiLayerNetwork best = hasBest ? network.clone() : null;
    State state = readCheckpoint(dir.resolve(LAST_CHECKPOINT), network);
    requireEma(state, options, dir.resolve(LAST_CHECKPOINT));
    if (hasBest) {
      State bestState = readCheckpoint(bestPath, best);
      requireEma(bestState, options, bestPath);
      if (options.emaDecay() > 0) {
        // The best model of an EMA run is the shadow of its best epoch.
        best.setParams(Nd4j.createFromArray(bestState.ema).castTo(best.params().dataType()).reshape(1, bestState.ema.length));
      }
    } else {
      best = network.clone();
    }
    if (state.randomRootState != null && state.randomNodeState != null) {
      // The masks of the epochs to come are those an uninterrupted run draws (network.init() reseeded the generator).
      Nd4j.getRandom().setStates(state.randomRootState, state.randomNodeState);
    }
    return run(network, best, state, data, options, listener);
  }

  private static void requireEma(State state, Options options, Path file) {
    if (options.emaDecay() > 0 && state.ema == null) {
      throw new IllegalArgumentException("checkpoint " + file + " keeps no weight EMA but this run averages weights"
          + " (ema " + options.emaDecay() + "); resume it with the settings it was started with");
    }
    if (options.emaDecay() == 0 && state.ema != null) {
      throw new IllegalArgumentException("checkpoint " + file + " keeps a weight EMA but this run has none; resume it"
          + " with the settings it was started with");
    }
  }

  private static Result run(
      MultiLayerNetwork network,
      MultiLayerNetwork best,
      State state,
      EpochData data,
      Options options,
      TrainingListener listener) {
    if (options.checkpointDir() != null) {
      // A process killed while writing a checkpoint leaves its temporary file; this run owns the folder now.
      try {
        AtomicFiles.removeLeftovers(options.checkpointDir().resolve(LAST_CHECKPOINT));
        AtomicFiles.removeLeftovers(options.checkpointDir().resolve(BEST_CHECKPOINT));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clean " + options.checkpointDir() + ": " + e.getMessage(), e);
      }
    }
    TrainingListener progress = listener == null ? new TrainingListener() {} : listener;
    progress.onStart(state.completedEpochs, options.maxEpochs());
    StopReason reason = StopReason.COMPLETED;
    MultiLayerNetwork bestModel = best;
    double d = options.emaDecay();
    // The shadow starts at the initial parameters (or the checkpoint's) and lives in the network's data type, so
    // an interrupted and resumed run averages exactly as an uninterrupted one.
    INDArray ema = d == 0 ? null : state.ema != null
        ? Nd4j.createFromArray(state.ema).castTo(network.params().dataType()).reshape(network.params().shape())
        : network.params().dup();
    MultiLayerNetwork shadow = ema == null ? null : network.clone();
    // The snapshots' weights, in the order of state.snapshots (from a checkpoint, or kept in this sitting).
    List<INDArray> kept = new ArrayList<>();
    for (SnapshotRecord r : state.snapshots) {
      kept.add(Nd4j.createFromArray(r.values).castTo(network.params().dataType()).reshape(network.params().shape()));
    }
    for (int epoch = state.completedEpochs; epoch < options.maxEpochs(); epoch++) {
      if (options.patience() > 0 && state.epochsWithoutImprovement >= options.patience()) {
        reason = StopReason.EARLY_STOPPED;
        break;
      }
      long start = System.nanoTime();
      double learningRate = learningRate(network);
      double lossSum = 0;
      int batches = 0;
      DataSetIterator train = data.trainingEpoch(epoch);
      int batchesInEpoch = data.batchesPerEpoch();
      boolean interrupted = false;
      while (train.hasNext()) {
        DataSet batch = train.next();
        int taken = network.getLayerWiseConfigurations().getIterationCount();
        network.fit(options.fgm() > 0 ? Fgm.adversarialBatch(network, batch, options.fgm()) : batch);
        keepSnapshot(options, state, kept, network, taken, epoch, epoch);
        if (ema != null) {
          updateEma(ema, network.params(), d);
        }
        double loss = network.score();
        lossSum += loss;
        batches++;
        progress.onBatch(epoch, batches, batchesInEpoch, loss);
        if (options.stopRequested().getAsBoolean()) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) {
        reason = StopReason.INTERRUPTED;
        break;
      }
      if (batches == 0) {
        throw new IllegalStateException("epoch " + epoch + " produced no training minibatches");
      }
      network.getLayerWiseConfigurations().setEpochCount(epoch + 1);
      // An epoch-counted schedule's cycle can only end here, when the next step belongs to the next epoch.
      keepSnapshot(options, state, kept, network,
          network.getLayerWiseConfigurations().getIterationCount() - 1, epoch, epoch + 1);
      MultiLayerNetwork evaluated = network;
      if (shadow != null) {
        shadow.setParams(ema);
        evaluated = shadow;
      }
      double[] validation = validate(evaluated, data.validation());
      EpochRecord record =
          new EpochRecord(
              epoch + 1,
              lossSum / batches,
              validation[1],
              validation[0],
              learningRate,
              (System.nanoTime() - start) / 1e9);
      boolean improved =
          record.validationAccuracy() > state.bestValidationAccuracy
              || (record.validationAccuracy() == state.bestValidationAccuracy
                  && record.validationLoss() < state.bestValidationLoss);
      state.completedEpochs = epoch + 1;
      state.history.add(record);
      if (improved) {
        state.bestEpoch = epoch + 1;
        state.bestValidationAccuracy = record.validationAccuracy();
        state.bestValidationLoss = record.validationLoss();
        state.epochsWithoutImprovement = 0;
        bestModel = evaluated.clone();
      } else {
        state.epochsWithoutImprovement++;
      }
      if (options.checkpointDir() != null) {
        if (improved) {
          writeCheckpoint(options.checkpointDir().resolve(BEST_CHECKPOINT), network, ema, kept, state);
        }
        writeCheckpoint(options.checkpointDir().resolve(LAST_CHECKPOINT), network, ema, kept, state);
      }
      progress.onEpoch(record, improved);
    }
    if (reason == StopReason.COMPLETED
        && options.patience() > 0
        && state.epochsWithoutImprovement >= options.patience()
        && state.completedEpochs < options.maxEpochs()) {
      reason = StopReason.EARLY_STOPPED;
    }
    MultiLayerNetwork lastModel = network;
    if (shadow != null) {
      lastModel = network.clone();
      lastModel.setParams(ema);
    }
    List<Snapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      SnapshotRecord r = state.snapshots.get(i);
      MultiLayerNetwork copy = network.clone();
      copy.setParams(kept.get(i));
      snapshots.add(new Snapshot(r.cycle, r.iteration, r.epoch, copy));
    }
    return new Result(
        bestModel,
        lastModel,
        state.bestEpoch,
        state.bestValidationAccuracy,
        List.copyOf(state.history),
        reason,
        List.copyOf(snapshots));
  }

  /**
   * Keeps the network's weights when the step just taken, at ({@code taken}, {@code epoch}), ended a cycle of the
   * schedule: the next step, at ({@code taken + 1}, {@code nextEpoch}), belongs to a later cycle. Each cycle is kept
   * once (an iteration-counted cycle that ends with an epoch is seen by both checks), and only the last K are kept.
   */
  private static void keepSnapshot(Options options, State state, List<INDArray> kept, MultiLayerNetwork network,
      int taken, int epoch, int nextEpoch) {
    if (options.snapshots() == 0) {
      return;
    }
    int cycle = options.cycles().cycle(taken, epoch);
    if (cycle < 0 || cycle <= state.lastSnapshotCycle || options.cycles().cycle(taken + 1, nextEpoch) <= cycle) {
      return;
    }
    SnapshotRecord r = new SnapshotRecord();
    r.cycle = cycle;
    r.iteration = taken + 1;
    r.epoch = epoch + 1;
    state.lastSnapshotCycle = cycle;
    if (kept.size() == options.snapshots()) {
      kept.remove(0);
      state.snapshots.remove(0);
    }
    kept.add(network.params().dup());
    state.snapshots.add(r);
  }

  /**
   * One step of the weight EMA, in place: {@code ema ← d·ema + (1 − d)·params}. Every entry of DL4J's flat
   * parameter vector is averaged, batch-norm running means and variances included (as timm's {@code ModelEmaV2}
   * averages buffers): the shadow's statistics then describe the activations of the averaged weights rather than
   * the live ones.
   */
  static void updateEma(INDArray ema, INDArray params, double d) {
    ema.muli(d).addi(params.mul(1 - d));
  }

  /**
   * Accuracy and mean cross-entropy of {@code network} over {@code iterator}, in inference mode.
   *
   * @return {accuracy, mean −log p(true class)}
   */
  public static double[] validate(MultiLayerNetwork network, DataSetIterator iterator) {
    iterator.reset();
    long correct = 0;
    long total = 0;
    double crossEntropy = 0;
    while (iterator.hasNext()) {
      DataSet batch = iterator.next();
      INDArray probabilities = network.output(batch.getFeatures(), false);
      INDArray labels = batch.getLabels();
      long rows = probabilities.rows();
      for (int i = 0; i < rows; i++) {
        int predicted = probabilities.getRow(i).argMax().getInt(0);
        int actual = labels.getRow(i).argMax().getInt(0);
        if (predicted == actual) {
          correct++;
        }
        crossEntropy -= Math.log(Math.max(probabilities.getDouble(i, actual), 1e-12));
      }
      total += rows;
    }
    if (total == 0) {
      throw new IllegalStateException("the validation set is empty");
    }
    return new double[] {(double) correct / total, crossEntropy / total};
  }

  /** The learning rate the network's next step takes (that of its first parameter with one). */
  static double learningRate(MultiLayerNetwork network) {
    int iteration = network.getLayerWiseConfigurations().getIterationCount();
    int epoch = network.getLayerWiseConfigurations().getEpochCount();
    for (Layer layer : network.getLayers()) {
      for (String param : layer.paramTable().keySet()) {
        IUpdater updater = layer.conf().getLayer().getUpdaterByParam(param);
        if (updater != null && updater.hasLearningRate()) {
          return updater.getLearningRate(iteration, epoch);
        }
      }
    }
    return Double.NaN;
  }

  /**
   * Writes a checkpoint ({@value #FORMAT} version {@value #FORMAT_VERSION}) atomically: a zip archive with
   * {@code state.json} (the trainer's state, DL4J's counters, and the size and SHA-256 of each array) and the flat
   * parameter and optimiser-state vectors as {@code parameters.npy} and {@code updater.npy} in the network's
   * data type. Nothing in it names a class, and reading it deserialises no Java object.
   */
  static void writeCheckpoint(Path file, MultiLayerNetwork network, State state) {
    writeCheckpoint(file, network, null, List.of(), state);
  }

  /**
   * As above, with the weight-EMA shadow as {@code ema.npy} when {@code ema} is not null, and the kept snapshots as
   * {@code snapshot-<slot>.npy} (slot i holds {@code state.snapshots.get(i)}).
   */
  static void writeCheckpoint(Path file, MultiLayerNetwork network, INDArray ema, List<INDArray> snapshots,
      State state) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      INDArray params = network.params();
      INDArray updater = network.getUpdater() == null ? null : network.getUpdater().getStateViewArray();
      byte[] parameters = npy(params);
      byte[] updaterState = npy(updater);
      state.randomRootState = Nd4j.getRandom().rootState();
      state.randomNodeState = Nd4j.getRandom().nodeState();
      state.iteration = network.getLayerWiseConfigurations().getIterationCount();
      state.epoch = network.getLayerWiseConfigurations().getEpochCount();
      state.parameterCount = params.length();
      state.parametersSha256 = sha256(parameters);
      state.updaterCount = updater == null ? 0 : updater.length();
      state.updaterSha256 = sha256(updaterState);
      byte[] emaState = ema == null ? null : npy(ema);
      state.emaCount = ema == null ? 0 : ema.length();
      state.emaSha256 = ema == null ? null : sha256(emaState);
      List<byte[]> snapshotStates = new ArrayList<>();
      for (int i = 0; i < snapshots.size(); i++) {
        byte[] bytes = npy(snapshots.get(i));
        snapshotStates.add(bytes);
        state.snapshots.get(i).slot = i;
        state.snapshots.get(i).sha256 = sha256(bytes);
      }
      byte[] stateJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
      AtomicFiles.write(file, out -> {
        ZipOutputStream zip = new ZipOutputStream(out);
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(List.of(Map.entry(STATE_ENTRY, stateJson),
            Map.entry(PARAMETERS_ENTRY, parameters), Map.entry(UPDATER_ENTRY, updaterState)));
        if (emaState != null) {
          entries.add(Map.entry(EMA_ENTRY, emaState));
        }
        for (int i = 0; i < snapshotStates.size(); i++) {
          entries.add(Map.entry(snapshotEntry(i), snapshotStates.get(i)));
        }
        for (var entry : entries) {
          zip.putNextEntry(new ZipEntry(entry.getKey()));
          zip.write(entry.getValue());
          zip.closeEntry();
        }
        zip.finish();
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static String snapshotEntry(int slot) {
    return "snapshot-" + slot + ".npy";
  }

  private static byte[] npy(INDArray values) throws IOException {
    int n = values == null ? 0 : Math.toIntExact(values.length());
    NpyArray array = values != null && values.dataType() == DataType.DOUBLE
        ? NpyArray.ofDoubles(n == 0 ? new double[0] : values.toDoubleVector(), n)
        : NpyArray.ofFloats(n == 0 ? new float[0] : values.toFloatVector(), n);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Npy.write(bytes, array);
    return bytes.toByteArray();
  }

  /**
   * Loads a checkpoint's parameters, optimiser state and counters into {@code network}.
   *
   * @return the trainer's state saved with them
   * @throws IllegalArgumentException naming the file when it is missing, unreadable, of another format or version,
   *     corrupt (a SHA-256 differs), or does not fit {@code network}
   */
  static State readCheckpoint(Path file, MultiLayerNetwork network) {
    long paramsLimit = 8 * network.numParams() + 4096;
    INDArray updaterView = network.getUpdater() == null ? null : network.getUpdater().getStateViewArray();
    long updaterLength = updaterView == null ? 0 : updaterView.length();
    Map<String, byte[]> entries;
    try {
      Map<String, Long> limits = new java.util.HashMap<>(Map.of(STATE_ENTRY, 64L << 20, PARAMETERS_ENTRY, paramsLimit,
          UPDATER_ENTRY, 8 * updaterLength + 4096, EMA_ENTRY, paramsLimit));
      for (int slot = 0; slot < io.github.drsn.contract.Bundle.MAX_MEMBERS; slot++) {
        limits.put(snapshotEntry(slot), paramsLimit);
      }
      entries = ZipEntries.read(file, limits);
    } catch (FileFormatException e) {
      if (!Files.exists(file)) {
        throw new IllegalArgumentException(
            "no checkpoint at " + file + ": nothing to resume (start a run without resume first)", e);
      }
      throw new IllegalArgumentException("checkpoint " + file + " is unreadable: " + e.problem(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint " + file + " is unreadable: " + e.getMessage(), e);
    }
    byte[] stateJson = entries.get(STATE_ENTRY);
    if (stateJson == null) {
      throw new IllegalArgumentException("checkpoint " + file + " is not a " + FORMAT + " file (no " + STATE_ENTRY
          + " entry)");
    }
    State state;
    try {
      state = JSON.readValue(stateJson, State.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint " + file + " has an unreadable " + STATE_ENTRY + ": "
          + e.getMessage(), e);
    }
    if (!FORMAT.equals(state.format) || state.formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("checkpoint " + file + " is format " + state.format + " v"
          + state.formatVersion + "; this version reads " + FORMAT + " v" + FORMAT_VERSION
          + (state.formatVersion < FORMAT_VERSION ? " (older checkpoints stored the network with Java serialisation,"
          + " which is no longer read; start the run again)" : ""));
    }
    double[] parameters = array(file, entries, PARAMETERS_ENTRY, state.parametersSha256, network.numParams());
    double[] updater = array(file, entries, UPDATER_ENTRY, state.updaterSha256, updaterLength);
    if (state.emaSha256 != null) {
      state.ema = array(file, entries, EMA_ENTRY, state.emaSha256, network.numParams());
    }
    for (SnapshotRecord r : state.snapshots) {
      r.values = array(file, entries, snapshotEntry(r.slot), r.sha256, network.numParams());
    }
    if (state.iteration < 0 || state.epoch < 0 || state.completedEpochs < 0) {
      throw new IllegalArgumentException("checkpoint " + file + " has negative counters");
    }
    DataType type = network.params().dataType();
    network.setParams(Nd4j.createFromArray(parameters).castTo(type).reshape(1, parameters.length));
    if (updaterLength > 0) {
      updaterView.assign(Nd4j.createFromArray(updater).castTo(updaterView.dataType()).reshape(updaterView.shape()));
    }
    network.getLayerWiseConfigurations().setIterationCount(state.iteration);
    network.getLayerWiseConfigurations().setEpochCount(state.epoch);
    return state;
  }

  private static double[] array(Path file, Map<String, byte[]> entries, String name, String sha256, long expected) {
    byte[] bytes = entries.get(name);
    if (bytes == null) {
      throw new IllegalArgumentException("checkpoint " + file + " has no " + name + " entry (incomplete file)");
    }
    if (!sha256(bytes).equals(sha256)) {
      throw new IllegalArgumentException("checkpoint " + file + ": " + name + " does not match its recorded SHA-256"
          + " (corrupt file)");
    }
    NpyArray array;
    try {
      array = Npy.read(bytes, file.resolve(name));
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint " + file + ": " + e.getMessage(), e);
    }
    if (array.size() != expected) {
      throw new IllegalArgumentException("checkpoint " + file + ": " + name + " holds " + array.size()
          + " values, the run's network needs " + expected + " (a checkpoint of another configuration)");
    }
    double[] values = array.toDoubleArray();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("checkpoint " + file + ": " + name + " value " + i + " is " + values[i]);
      }
    }
    return values;
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
