package io.github.drsn.model.layers;

import io.github.drsn.contract.ModelLayout;
import io.github.drsn.model.layers.impl.NormBlock;
import io.github.drsn.model.layers.impl.NormBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer whose only parameters are one normalisation over all its input channels (the standalone
 * {@link NormLayer} and the head {@link NormReluPool}).
 */
public abstract class WholeInputNormConfig extends NormalizedLayerConfig {

  private static final long serialVersionUID = 1L;

  protected WholeInputNormConfig() {}

  /** The normalisation over the input channels. */
  public NormBlock norm() {
    return new NormBlock("n", getNormalization(), (int) getNIn(),
        ModelLayout.effectiveGroups((int) getNIn(), getGroups()), getNormEps(), getNormDecay());
  }

  @Override
  public List<ParamSpec> paramSpecs() {
    List<ParamSpec> p = new ArrayList<>(norm().trainableSpecs());
    p.addAll(norm().stateSpecs());
    return p;
  }
}
