package io.github.drsn.model.layers.impl;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a training step of the plain-Java kernels spends its time: wall nanoseconds per phase, accumulated
 * while {@link #enable enabled} (off by default; then each probe is one volatile read). The layer phases
 * are timed on the thread that calls the layer (a phase's parallel sweep counts once, as wall time);
 * {@link Phase#WEIGHT_GRADIENTS} is summed over the kernel threads inside the backward sweeps, so its
 * wall share is about its total divided by the thread count. Used by {@code SpeedBenchmark --profile}.
 */
public final class Phases {

  /** The phases; {@link #label()} is what the profile prints. */
  public enum Phase {
    STEM_FORWARD("stem forward (conv, stride 2)"),
    STEM_BACKWARD("stem backward"),
    UNIT_READ("units fwd: read input, norm1 moments"),
    UNIT_CONV1("units fwd: norm1-ReLU-conv1, norm2 moments"),
    UNIT_CONV2("units fwd: norm2-ReLU-conv2, mean|x|"),
    UNIT_THRESHOLD("units fwd: threshold sub-network"),
    UNIT_SHRINK("units fwd: soft threshold + shortcut, write"),
    UNIT_SHRINK_BACKWARD("units bwd: read, soft threshold backward"),
    UNIT_THRESHOLD_BACKWARD("units bwd: threshold sub-network"),
    UNIT_CONV2_BACKWARD("units bwd: conv2 (input + weight gradients), ReLU, norm2 sums"),
    UNIT_CONV1_BACKWARD("units bwd: norm2 input grad, conv1 (input + weight gradients), norm1 sums"),
    UNIT_INPUT_GRADIENT("units bwd: norm1 input grad + shortcut, write"),
    UNIT_NORMS("units: batch-norm coefficients and parameter gradients"),
    WEIGHT_GRADIENTS("  within the above: conv weight gradients, stem and units (thread time / threads)"),
    HEAD_FORWARD("head fwd: norm-ReLU-pool"),
    HEAD_BACKWARD("head bwd: norm-ReLU-pool");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    /** A short description for the profile table. */
    public String label() {
      return label;
    }
  }

  private static volatile boolean enabled;
  private static final AtomicLongArray NANOS = new AtomicLongArray(Phase.values().length);

  private Phases() {
  }

  /** Starts (true) or stops (false) accumulating; {@link #reset} clears the totals. */
  public static void enable(boolean on) {
    enabled = on;
  }

  /** Clears the totals. */
  public static void reset() {
    for (int i = 0; i < NANOS.length(); i++) {
      NANOS.set(i, 0);
    }
  }

  /** Nanoseconds accumulated per phase since the last {@link #reset}. */
  public static Map<Phase, Long> totals() {
    Map<Phase, Long> m = new EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      m.put(p, NANOS.get(p.ordinal()));
    }
    return m;
  }

  /** A start mark for {@link #stop}: System.nanoTime() when enabled, else 0. */
  static long start() {
    return enabled ? System.nanoTime() : 0;
  }

  /** Adds the time since {@code mark} to {@code phase} (nothing when disabled); returns a new mark. */
  static long stop(Phase phase, long mark) {
    if (!enabled) {
      return 0;
    }
    long now = System.nanoTime();
    if (mark != 0) {
      NANOS.addAndGet(phase.ordinal(), now - mark);
    }
    return now;
  }
}
