package io.github.drsn.runtime.explain;

import io.github.drsn.runtime.Diagnosis;
import java.util.Locale;

/**
 * Whether the network's decision names the fault family of the physics verdict. Stated only between a decision and
 * a verdict, as {@link Explainer}'s fusion rule reads them: {@link #INCONCLUSIVE} when the network did not decide
 * (its outcome is uncertain, unknown or unhealthy input: the class it leant towards, or the candidate of a recording
 * only partly healthy, is no decision, and the fused result names no family from it), when the physics has no
 * verdict (absence of envelope evidence is not evidence of health: ball faults rarely show), or when the model's
 * class has no known {@link FaultFamily}.
 */
public enum Agreement {
  /** Same family. */
  AGREE,
  /** Different families (including a network that says normal against a physics verdict). */
  DISAGREE,
  /** Nothing to compare. */
  INCONCLUSIVE;

  /**
   * The agreement of the network's decision with the physics verdict.
   *
   * @param outcome the network's outcome for the recording; only {@link Diagnosis.Outcome#CLASSIFIED} is a decision
   * @param network the family of the network's class (null or {@link FaultFamily#UNKNOWN}: none known)
   * @param physics the verdict, or null when the physics has none
   */
  public static Agreement of(Diagnosis.Outcome outcome, FaultFamily network, FaultFamily physics) {
    if (outcome != Diagnosis.Outcome.CLASSIFIED || physics == null || network == null
        || network == FaultFamily.UNKNOWN) {
      return INCONCLUSIVE;
    }
    return network == physics ? AGREE : DISAGREE;
  }

  /** Lower-case name for JSON and reports. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
