package io.github.drsn.model.layers;

import io.github.drsn.contract.NormKind;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A DRSN layer configuration that contains normalisations: which kind, the number of groups for
 * group norm, ε and the batch-norm running-average decay.
 */
public abstract class NormalizedLayerConfig extends DrsnLayerConfig {

  private static final long serialVersionUID = 1L;

  /** Default ε added to variances (PyTorch's and DL4J's default). */
  public static final double DEFAULT_EPS = 1e-5;
  /** Default running-average decay of batch norm (DL4J's default; PyTorch momentum 0.1). */
  public static final double DEFAULT_DECAY = 0.9;

  @JsonProperty("normalization")
  private NormKind normalization = NormKind.BATCH_NORM;
  @JsonProperty("groups")
  private int groups = 4;
  @JsonProperty("normEps")
  private double normEps = DEFAULT_EPS;
  @JsonProperty("normDecay")
  private double normDecay = DEFAULT_DECAY;

  protected NormalizedLayerConfig() {
    super();
  }

  public NormKind getNormalization() {
    return normalization;
  }

  /** @throws IllegalArgumentException for {@link NormKind#NONE}, which only a threshold sub-network may have */
  public void setNormalization(NormKind normalization) {
    if (Objects.requireNonNull(normalization, "normalization") == NormKind.NONE) {
      throw new IllegalArgumentException("normalization NONE is only for a residual unit's threshold sub-network"
          + " (ResidualUnit.setThresholdNormalization); the trunk and head need BATCH_NORM or GROUP_NORM");
    }
    this.normalization = normalization;
  }

  /** Requested group count; a norm over C channels uses {@code ModelLayout.effectiveGroups(C, groups)}. */
  public int getGroups() {
    return groups;
  }

  public void setGroups(int groups) {
    if (groups <= 0) {
      throw new IllegalArgumentException("groups must be positive, got " + groups);
    }
    this.groups = groups;
  }

  public double getNormEps() {
    return normEps;
  }

  public void setNormEps(double normEps) {
    if (!(normEps > 0) || Double.isInfinite(normEps)) {
      throw new IllegalArgumentException("normEps must be a positive finite number, got " + normEps);
    }
    this.normEps = normEps;
  }

  public double getNormDecay() {
    return normDecay;
  }

  public void setNormDecay(double normDecay) {
    if (!(normDecay >= 0 && normDecay < 1)) {
      throw new IllegalArgumentException("normDecay must be in [0, 1), got " + normDecay);
    }
    this.normDecay = normDecay;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && o instanceof NormalizedLayerConfig n && normalization == n.normalization
        && groups == n.groups && normEps == n.normEps && normDecay == n.normDecay;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), normalization, groups, normEps, normDecay);
  }
}
