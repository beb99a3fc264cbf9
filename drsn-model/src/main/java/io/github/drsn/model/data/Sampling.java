package io.github.drsn.model.data;

/** How a training iterator chooses windows. */
public enum Sampling {
  /**
   * Every example: a class drawn uniformly, then one of its training windows drawn uniformly (with
   * replacement), so that short classes (CWRU's normal) weigh as much as long ones.
   */
  CLASS_BALANCED,
  /** Every training window once per epoch, in a seeded random order. */
  SHUFFLED
}
