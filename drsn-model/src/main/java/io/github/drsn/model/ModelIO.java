package io.github.drsn.model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saving and loading DRSN networks so that a reloaded network gives identical outputs and continues
 * training identically (parameters, batch-norm running statistics, optimiser state and the
 * iteration/epoch counters that drive learning-rate schedules).
 *
 * <p>Two routes: DL4J's {@link ModelSerializer} zip ({@link #save}/{@link #load}), and a plain
 * {@link State} (configuration JSON + flat parameter and updater-state arrays + counters) for
 * callers that store networks in their own format without Java deserialisation.
 */
public final class ModelIO {

  private ModelIO() {
  }

  /**
   * Everything needed to rebuild a network exactly.
   *
   * @param configurationJson {@code MultiLayerConfiguration.toJson()}
   * @param parameters        flat parameter vector {@code [1, numParams]} (includes running statistics)
   * @param updaterState      flat optimiser state (may be empty for updaters without state)
   * @param iteration         iteration count (drives ITERATION schedules)
   * @param epoch             epoch count (drives EPOCH schedules)
   */
  public record State(String configurationJson, INDArray parameters, INDArray updaterState, int iteration,
      int epoch) {
    public State {
      Objects.requireNonNull(configurationJson, "configurationJson");
      Objects.requireNonNull(parameters, "parameters");
      Objects.requireNonNull(updaterState, "updaterState");
      if (iteration < 0 || epoch < 0) {
        throw new IllegalArgumentException("iteration and epoch must be non-negative, got " + iteration + ", "
            + epoch);
      }
    }

    /**
     * State from plain numbers, e.g. read back from a bundle: parameters and updater state in the
     * network's data type (as given by the configuration JSON); doubles hold float values exactly.
     */
    public static State fromValues(String configurationJson, double[] parameters, double[] updaterState,
        int iteration, int epoch) {
      DataType type = MultiLayerConfiguration.fromJson(configurationJson).getDataType();
      INDArray p = Nd4j.createFromArray(parameters).castTo(type).reshape(1, parameters.length);
      INDArray u = updaterState.length == 0 ? Nd4j.empty(type)
          : Nd4j.createFromArray(updaterState).castTo(type).reshape(1, updaterState.length);
      return new State(configurationJson, p, u, iteration, epoch);
    }

    /** The flat parameter vector as plain numbers (float values are represented exactly). */
    public double[] parameterValues() {
      return parameters.toDoubleVector();
    }

    /** The flat optimiser state as plain numbers (empty for updaters without state). */
    public double[] updaterValues() {
      return updaterState.length() == 0 ? new double[0] : updaterState.toDoubleVector();
    }
  }

  /** Writes {@code net} with its updater state to {@code file} atomically (temp file + rename). */
  public static void save(MultiLayerNetwork net, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      ModelSerializer.writeModel(net, tmp.toFile(), true);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a network written by {@link #save}, with its updater state. */
  public static MultiLayerNetwork load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No model file at " + file);
    }
    return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
  }

  /** A detached copy of the network's complete state. */
  public static State export(MultiLayerNetwork net) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    INDArray updater = net.getUpdater() == null || net.getUpdater().getStateViewArray() == null
        ? Nd4j.empty(net.params().dataType())
        : net.getUpdater().getStateViewArray().dup();
    return new State(conf.toJson(), net.params().dup(), updater, conf.getIterationCount(), conf.getEpochCount());
  }

  /** Rebuilds a network from {@link #export}ed state. */
  public static MultiLayerNetwork restore(State state) {
    MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(state.configurationJson());
    conf.setIterationCount(state.iteration());
    conf.setEpochCount(state.epoch());
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init(state.parameters().dup(), false);
    if (state.updaterState().length() > 0) {
      if (net.getUpdater().getStateViewArray() == null
          || net.getUpdater().getStateViewArray().length() != state.updaterState().length()) {
        throw new IllegalArgumentException("Updater state of length " + state.updaterState().length()
            + " does not fit this configuration's updater");
      }
      net.getUpdater().getStateViewArray().assign(state.updaterState());
    }
    return net;
  }
}
