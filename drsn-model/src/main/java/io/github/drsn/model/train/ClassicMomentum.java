package io.github.drsn.model.train;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SGD with classical (heavy-ball) momentum as PyTorch's {@code torch.optim.SGD(momentum=μ)} and the DRSN
 * authors' TFLearn {@code Momentum} apply it, which DL4J does not offer (its {@code Nesterovs} is Nesterov's
 * variant, with the learning rate inside the velocity):
 *
 * <pre>
 *   v ← μ·v + g        p ← p − lr(t)·v
 * </pre>
 * where {@code g} is the gradient including L2 (DL4J adds {@code λ·w} before the updater, as PyTorch's
 * {@code weight_decay} does) and {@code v} starts at zero. Because {@code lr} multiplies the velocity, a
 * step in the learning-rate schedule scales the very next update, as in PyTorch. The updater state is
 * {@code v}, one value per parameter, saved with the network, so a resumed run continues exactly.
 */
public final class ClassicMomentum implements IUpdater {

  private static final long serialVersionUID = 1L;

  private final double learningRate;
  private final ISchedule learningRateSchedule;
  private final double momentum;

  /**
   * @param learningRate the constant learning rate, used when {@code learningRateSchedule} is null
   * @param learningRateSchedule the learning rate over iterations/epochs, or null
   * @param momentum μ in [0, 1)
   */
  @JsonCreator
  public ClassicMomentum(
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
      @JsonProperty("momentum") double momentum) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (learningRateSchedule == null && !(learningRate >= 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
    }
    this.learningRate = learningRate;
    this.learningRateSchedule = learningRateSchedule;
    this.momentum = momentum;
  }

  /** Classical momentum driven by {@code schedule}. */
  public ClassicMomentum(ISchedule schedule, double momentum) {
    this(Double.NaN, Objects.requireNonNull(schedule, "schedule"), momentum);
  }

  @JsonProperty("learningRate")
  public double getLearningRate() {
    return learningRate;
  }

  @JsonProperty("learningRateSchedule")
  public ISchedule getLearningRateSchedule() {
    return learningRateSchedule;
  }

  @JsonProperty("momentum")
  public double getMomentum() {
    return momentum;
  }

  @Override
  public long stateSize(long numParams) {
    return numParams;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    Updater updater = new Updater(this);
    updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
    return updater;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    Updater updater = new Updater(this);
    updater.setState(updaterState, initializeStateArrays);
    return updater;
  }

  @Override
  public ClassicMomentum clone() {
    return new ClassicMomentum(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(),
        momentum);
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
  }

  @Override
  public boolean hasLearningRate() {
    return true;
  }

  /**
   * Not supported: DL4J calls this only to change a learning rate after construction (e.g.
   * {@code network.setLearningRate}), which the schedules of this project never do.
   */
  @Override
  public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
    throw new UnsupportedOperationException("ClassicMomentum is immutable; build a new one with the learning rate");
  }

  @Override
  public boolean equals(Object other) {
    // DL4J groups variables into one updater block only when their updaters are equal, so equal
    // configurations must compare equal, also after a model is saved and restored.
    return other instanceof ClassicMomentum o
        && Double.compare(learningRate, o.learningRate) == 0
        && Double.compare(momentum, o.momentum) == 0
        && Objects.equals(learningRateSchedule, o.learningRateSchedule);
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRate, learningRateSchedule, momentum);
  }

  @Override
  public String toString() {
    return "ClassicMomentum(lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate)
        + ", momentum=" + momentum + ")";
  }

  /** The per-variable state and step of {@link ClassicMomentum}. */
  static final class Updater implements GradientUpdater<ClassicMomentum> {
    static final String VELOCITY = "V";

    private final ClassicMomentum config;
    private INDArray velocity;

    Updater(ClassicMomentum config) {
      this.config = config;
    }

    @Override
    public ClassicMomentum getConfig() {
      return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
      if (stateMap == null || stateMap.size() != 1 || !stateMap.containsKey(VELOCITY)) {
        throw new IllegalStateException("ClassicMomentum expects one state array '" + VELOCITY + "', got "
            + (stateMap == null ? null : stateMap.keySet()));
      }
      velocity = stateMap.get(VELOCITY);
      if (initialize) {
        velocity.assign(0);
      }
    }

    @Override
    public Map<String, INDArray> getState() {
      return Map.of(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
      if (!viewArray.isRowVectorOrScalar()) {
        throw new IllegalArgumentException("invalid state view array: expected a row vector, got shape "
            + java.util.Arrays.toString(viewArray.shape()));
      }
      if (initialize) {
        viewArray.assign(0);
      }
      velocity = viewArray.reshape(gradientOrder, gradientShape);
    }

    /** Turns {@code gradient} into the step DL4J subtracts from the parameters: {@code lr·(μ·v + g)}. */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
      if (velocity == null) {
        throw new IllegalStateException("ClassicMomentum: updater state not initialised");
      }
      double lr = config.getLearningRate(iteration, epoch);
      velocity.muli(config.momentum).addi(gradient);
      gradient.assign(velocity).muli(lr);
    }
  }
}
