package io.github.drsn.model;

/** Gradient-descent rule the builders configure, each driven by a learning-rate schedule. */
public enum Optimizer {
  /** SGD with Nesterov momentum (DL4J {@code Nesterovs}). */
  SGD_MOMENTUM,
  /**
   * SGD with classical momentum as PyTorch's {@code SGD(momentum=μ)}:
   * {@link io.github.drsn.model.train.ClassicMomentum}.
   */
  SGD_CLASSIC_MOMENTUM,
  /** Plain SGD (DL4J {@code Sgd}). */
  SGD,
  /** Adam (Kingma and Ba, 2015) with DL4J's default β1 0.9, β2 0.999, ε 1e-8. */
  ADAM
}
