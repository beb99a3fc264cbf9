package io.github.drsn.datasets.split;

import java.util.Locale;

/** The three parts of a split. */
public enum Region {
  /** Fitting the model. */
  TRAIN,
  /** Model selection and early stopping. */
  VALIDATION,
  /** The reported result; never looked at while training. */
  TEST;

  /** @return the lower-case name used in reports and JSON, e.g. {@code "validation"} */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
