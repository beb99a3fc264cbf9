package io.github.drsn.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The outcome for one window (or, for a {@link StreamingDiagnoser}, one hop).
 *
 * @param outcome classified, uncertain, unknown, or unhealthy input
 * @param probabilities class probabilities in the model's class order (softmax output, calibrated, softmax(z / T),
 *     when the model's bundle has a calibration section, or its mean over the smoothing windows); empty when the
 *     input was unhealthy; the array is owned by this value
 * @param labelIndex index of the most probable class, or -1 when the input was unhealthy
 * @param label that class's name, "uncertain" for {@link Outcome#UNCERTAIN}, "unknown" for {@link Outcome#UNKNOWN},
 *     or "unhealthy input"
 * @param health the input's health: the issues of an unhealthy window; otherwise {@link InputHealth#OK}, or the
 *     finding on a sensor slower than the model ({@link HealthIssue#SAMPLING_RATE}, {@link HealthCheck#assessSensorRate})
 *     that kept a scored window or recording from being classified
 * @param oodScore the out-of-distribution score of the bundle's method (higher = less like the training data; see
 *     {@code contract.OodMethod}), or NaN when the model has none or the input was unhealthy
 */
public record Diagnosis(Outcome outcome, float[] probabilities, int labelIndex, String label, InputHealth health,
    double oodScore) {

  /** The kind of result. */
  public enum Outcome {
    /** The most probable class reached the confidence threshold. */
    CLASSIFIED,
    /** The most probable class stayed below the confidence threshold; {@code labelIndex} still names it. */
    UNCERTAIN,
    /** The input failed a health check and was not classified. */
    UNHEALTHY_INPUT,
    /**
     * The window's out-of-distribution score is above the model's calibrated threshold: it does not look like any
     * class the model was trained on (an unseen fault, another machine); {@code labelIndex} still names the most
     * probable class.
     */
    UNKNOWN
  }

  /** The label of {@link Outcome#UNKNOWN}. */
  public static final String UNKNOWN_LABEL = io.github.drsn.contract.OutcomeLabels.UNKNOWN;

  /** A diagnosis without an out-of-distribution score. */
  public Diagnosis(Outcome outcome, float[] probabilities, int labelIndex, String label, InputHealth health) {
    this(outcome, probabilities, labelIndex, label, health, Double.NaN);
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
    return of(probabilities, classes, minConfidence, Double.NaN, false);
  }

  /**
   * A diagnosis from class probabilities and an out-of-distribution score: {@link Outcome#UNKNOWN} when
   * {@code unknown}, else as {@link #of(float[], List, double)}.
   *
   * @param oodScore the score (NaN for none)
   * @param unknown whether the score is beyond the model's threshold
   */
  public static Diagnosis of(float[] probabilities, List<String> classes, double minConfidence, double oodScore,
      boolean unknown) {
    int best = argMax(probabilities);
    if (unknown) {
      return new Diagnosis(Outcome.UNKNOWN, probabilities, best, UNKNOWN_LABEL, InputHealth.OK, oodScore);
    }
    boolean sure = probabilities[best] >= minConfidence;
    return new Diagnosis(sure ? Outcome.CLASSIFIED : Outcome.UNCERTAIN, probabilities, best,
        sure ? classes.get(best) : io.github.drsn.contract.OutcomeLabels.UNCERTAIN, InputHealth.OK, oodScore);
  }

  /**
   * This diagnosis judged again with another confidence threshold; unhealthy and unknown windows stay as they are
   * (the out-of-distribution decision does not depend on the confidence threshold).
   */
  public Diagnosis withMinConfidence(double minConfidence, List<String> classes) {
    if (outcome == Outcome.UNHEALTHY_INPUT || outcome == Outcome.UNKNOWN) {
      return this;
    }
    return of(probabilities, classes, minConfidence, oodScore, false);
  }

  /** The diagnosis of an unhealthy window. */
  public static Diagnosis unhealthy(InputHealth health) {
    if (health.healthy()) {
      throw new IllegalArgumentException("unhealthy() needs a health report with issues");
    }
    return new Diagnosis(Outcome.UNHEALTHY_INPUT, new float[0], -1, io.github.drsn.contract.OutcomeLabels.UNHEALTHY_INPUT, health);
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

  /** Index of the largest value (the first on ties), for probabilities averaged in double precision. */
  public static int argMax(double[] values) {
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
      case UNKNOWN -> String.format(java.util.Locale.ROOT, "unknown (OOD score %.3g; best class %d, p=%.3f)", oodScore,
          labelIndex, probabilities[labelIndex]);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Diagnosis d && outcome == d.outcome && labelIndex == d.labelIndex && label.equals(d.label)
        && java.util.Arrays.equals(probabilities, d.probabilities) && health.equals(d.health)
        && Double.compare(oodScore, d.oodScore) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, labelIndex, label, java.util.Arrays.hashCode(probabilities), health);
  }
}
