package io.github.drsn.model.layers.impl;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reusable {@code double[]} buffers for the Java kernels. A training step needs a few dozen
 * activation-sized arrays per unit, of a handful of sizes; allocating them afresh spent 14 % of the
 * step in the JVM's zeroing of new arrays (profiled). Borrowed arrays have undefined contents: every
 * borrower overwrites them fully. The pool keeps at most a quarter of the maximum heap.
 */
final class DoublePool {

  private static final long MAX_RETAINED_DOUBLES = Runtime.getRuntime().maxMemory() / Double.BYTES / 4;
  private static final Map<Integer, ArrayDeque<double[]>> FREE = new HashMap<>();
  private static final Set<double[]> FREE_SET = Collections.newSetFromMap(new IdentityHashMap<>());
  private static long retainedDoubles;

  private DoublePool() {
  }

  /** An array of exactly {@code size} elements with undefined contents. */
  static synchronized double[] borrow(int size) {
    ArrayDeque<double[]> free = FREE.get(size);
    double[] a = free == null ? null : free.pollFirst();
    if (a == null) {
      return new double[size];
    }
    FREE_SET.remove(a);
    retainedDoubles -= size;
    return a;
  }

  /** Returns arrays to the pool (nulls and arrays already returned are ignored). */
  static synchronized void release(double[]... arrays) {
    for (double[] a : arrays) {
      if (a == null || FREE_SET.contains(a) || retainedDoubles + a.length > MAX_RETAINED_DOUBLES) {
        continue;
      }
      FREE.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addFirst(a);
      FREE_SET.add(a);
      retainedDoubles += a.length;
    }
  }
}
