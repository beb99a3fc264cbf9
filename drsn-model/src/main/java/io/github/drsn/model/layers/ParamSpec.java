package io.github.drsn.model.layers;

import java.util.Arrays;

/**
 * One named parameter array of a DRSN layer: its key, shape, role and the fan-in/fan-out used to
 * initialise it.
 *
 * @param key    parameter key, unique within the layer (DL4J prefixes it with the layer index)
 * @param shape  shape of the array, c order
 * @param role   what the parameter is, which decides initialisation, updater and regularisation
 * @param fanIn  fan-in for weight initialisation (ignored unless {@code role == WEIGHT})
 * @param fanOut fan-out for weight initialisation (ignored unless {@code role == WEIGHT})
 */
public record ParamSpec(String key, long[] shape, Role role, double fanIn, double fanOut) {

  /** Parameter roles. */
  public enum Role {
    /** Convolution or dense weights: weight-initialised, updated, L2-regularised. */
    WEIGHT,
    /** Bias: zero-initialised, updated, bias regularisation only. */
    BIAS,
    /** Normalisation scale γ: initialised to 1, updated, bias regularisation only. */
    GAMMA,
    /** Normalisation shift β: initialised to 0, updated, bias regularisation only. */
    BETA,
    /** Batch-norm running mean: state, not trained; updated by a moving average. */
    RUNNING_MEAN,
    /** Batch-norm running variance: state, not trained; updated by a moving average. */
    RUNNING_VAR;

    /** True for running statistics, which are state carried in the parameter vector, not trainable. */
    public boolean isState() {
      return this == RUNNING_MEAN || this == RUNNING_VAR;
    }
  }

  /** Number of scalars in the array. */
  public long length() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamSpec p && key.equals(p.key) && Arrays.equals(shape, p.shape) && role == p.role
        && fanIn == p.fanIn && fanOut == p.fanOut;
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return key + Arrays.toString(shape) + ":" + role;
  }
}
