package io.github.drsn.experiments.report;

/** Which metric a table or plot shows. */
public enum Metric {
  ACCURACY("accuracy (%)", 100),
  MACRO_F1("macro-F1 (%)", 100),
  /** Test accuracy of the last epoch's network, as the PyTorch reference reports it. */
  ACCURACY_FINAL_EPOCH("accuracy of the last epoch (%)", 100),
  TRAIN_SECONDS("training time (s)", 1);

  private final String label;
  private final double scale;

  Metric(String label, double scale) {
    this.label = label;
    this.scale = scale;
  }

  /** Human-readable name with unit. */
  public String label() {
    return label;
  }

  /** Factor from stored value to displayed value (100 for fractions shown as percent). */
  public double scale() {
    return scale;
  }
}
