package io.github.drsn.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The outcome for one window (or, for a {@link StreamingDiagnoser}, one hop).
 *
 * @param outcome classified, uncertain, or unhealthy input
 * @param probabilities class probabilities in the model's class order (softmax output, or its mean over the
 *     smoothing windows); empty when the input was unhealthy; the array is owned by this value
 * @param labelIndex index of the most probable class, or -1 when the input was unhealthy
 * @param label that class's name, "uncertain" for {@link Outcome#UNCERTAIN}, or "unhealthy input"
 * @param health the input's health
 */
public record Diagnosis(Outcome outcome, float[] probabilities, int labelIndex, String label, InputHealth health) {

  /** The kind of result. */
  public enum Outcome {
    /** The most probable class reached the confidence threshold. */
    CLASSIFIED,
    /** The most probable class stayed below the confidence threshold; {@code labelIndex} still names it. */
    UNCERTAIN,
    /** The input failed a health check and was not classified. */
    UNHEALTHY_INPUT
  }

  /** Checks the fields' consistency. */
  public Diagnosis {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(probabilities, "probabilities");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(health, "health");
  }

  /**
   * A diagnosis from class probabilities: the arg-max class, uncertain if its probability is below
   * {@code minConfidence}.
   *
   * @param probabilities class probabilities (kept, not copied)
   * @param classes class names
   * @param minConfidence 0 to never answer uncertain
   */
  public static Diagnosis of(float[] probabilities, List<String> classes, double minConfidence) {
    int best = argMax(probabilities);
    boolean sure = probabilities[best] >= minConfidence;
    return new Diagnosis(sure ? Outcome.CLASSIFIED : Outcome.UNCERTAIN, probabilities, best,
        sure ? classes.get(best) : "uncertain", InputHealth.OK);
  }

  /** The diagnosis of an unhealthy window. */
  public static Diagnosis unhealthy(InputHealth health) {
    if (health.healthy()) {
      throw new IllegalArgumentException("unhealthy() needs a health report with issues");
    }
    return new Diagnosis(Outcome.UNHEALTHY_INPUT, new float[0], -1, "unhealthy input", health);
  }

  /** Probability of the most probable class (NaN when unhealthy). */
  public double confidence() {
    return labelIndex < 0 ? Double.NaN : probabilities[labelIndex];
  }

  /** Index of the largest value (the first on ties). */
  public static int argMax(float[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case CLASSIFIED -> String.format(java.util.Locale.ROOT, "%s (p=%.3f)", label, probabilities[labelIndex]);
      case UNCERTAIN -> String.format(java.util.Locale.ROOT, "uncertain (best class %d, p=%.3f)", labelIndex,
          probabilities[labelIndex]);
      case UNHEALTHY_INPUT -> "unhealthy input " + health.issues() + ": " + health.detail();
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Diagnosis d && outcome == d.outcome && labelIndex == d.labelIndex && label.equals(d.label)
        && java.util.Arrays.equals(probabilities, d.probabilities) && health.equals(d.health);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, labelIndex, label, java.util.Arrays.hashCode(probabilities), health);
  }
}
