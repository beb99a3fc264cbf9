package io.github.drsn.contract;

import java.util.List;
import java.util.Locale;

/**
 * The labels a diagnosis carries when it names no class: the runtime's abstentions. They share one column with class
 * names (predict's output, the scoring job's diagnosis column), so no class may be named like one of them, in any
 * case: a reader could not tell "the model says class 'unknown'" from "the model does not know".
 */
public final class OutcomeLabels {

  /** Out of distribution: the calibrated OOD score is above the model's threshold. */
  public static final String UNKNOWN = "unknown";
  /** The top probability, or the windows' agreement, is too low to name a class. */
  public static final String UNCERTAIN = "uncertain";
  /** The input failed its health check (dead sensor, clipping, NaN samples, wrong rate). */
  public static final String UNHEALTHY_INPUT = "unhealthy input";

  /** The three labels, in the order above. */
  public static final List<String> ALL = List.of(UNKNOWN, UNCERTAIN, UNHEALTHY_INPUT);

  private OutcomeLabels() {
  }

  /**
   * Refuses a class name that reads as an outcome label (compared trimmed and ignoring case).
   *
   * @param className the class name
   * @param where what names it, for the message (e.g. "manifest m.json, entry 3")
   * @throws IllegalArgumentException naming {@code where}, the class and the reserved labels
   */
  public static void requireClassName(String className, String where) {
    String plain = className.strip().toLowerCase(Locale.ROOT);
    if (ALL.contains(plain)) {
      throw new IllegalArgumentException(where + ": the class name '" + className + "' is reserved for a diagnosis"
          + " that names no class (" + String.join(", ", ALL) + "); rename the class");
    }
  }
}
