package io.github.drsn.datasets.csv;

/** Whether the first data line of a CSV recording holds column names. */
public enum HeaderMode {
  /** A header if any field of the first line is not a number. */
  AUTO,
  /** The first line is a header. */
  PRESENT,
  /** There is no header; columns are named {@code col1, col2, ...}. */
  ABSENT
}
