package io.github.drsn.datasets.cwru;

/** Which motor bearing of the CWRU rig carries the seeded fault. */
public enum BearingEnd {
  /** No faulty bearing (normal baseline). */
  NONE,
  /** Drive-end bearing, SKF 6205-2RS JEM. */
  DRIVE_END,
  /** Fan-end bearing, SKF 6203-2RS JEM. */
  FAN_END
}
