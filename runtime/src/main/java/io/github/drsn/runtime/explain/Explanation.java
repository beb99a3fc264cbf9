package io.github.drsn.runtime.explain;

import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.bearing.BearingEvidence;
import io.github.drsn.signals.bearing.BearingGeometry;
import io.github.drsn.signals.bearing.Severity;
import java.util.List;

/**
 * One recording explained: the network's diagnosis, the physics beside it, their agreement, the fused diagnosis,
 * what the shrinkage thresholds did, which stretch of a window drove the decision, and the severity.
 *
 * @param diagnosis the {@link io.github.drsn.runtime.Diagnoser}'s diagnosis of the recording
 * @param networkFamily the fault family of the network's most probable class ({@link FaultFamily#ofClass})
 * @param physics the envelope analysis
 * @param agreement network family vs physics verdict
 * @param fused the combined diagnosis
 * @param thresholds per shrinkage unit, averaged over the analysed windows; empty when the diagnoser cannot report
 *     them (not a {@link io.github.drsn.runtime.LeanDiagnoser}, or a network without thresholds)
 * @param saliency occlusion saliency over one window, or null when the input was not diagnosed
 * @param severity ISO 20816-3 velocity and zone, or null when the units are unknown
 */
public record Explanation(RecordingDiagnosis diagnosis, FaultFamily networkFamily, Physics physics,
    Agreement agreement, Fused fused, List<UnitThresholds> thresholds, Saliency saliency,
    Severity.Assessment severity) {

  /**
   * The physics part.
   *
   * @param shaftHz shaft frequency used, Hz
   * @param shaftSource where it came from, e.g. {@code "--rpm"}, {@code "file variable X105RPM"} or
   *     {@code "estimated from the spectrum (12.3 dB)"}
   * @param bearing the bearing's name, or {@code "geometry n,d,D,angle"}
   * @param geometry the bearing's geometry
   * @param evidence frequencies, band, envelope spectrum, evidence per family and verdict
   */
  public record Physics(double shaftHz, String shaftSource, String bearing, BearingGeometry geometry,
      BearingEvidence evidence) {

    /** The verdict as a {@link FaultFamily}, or null for none. */
    public FaultFamily verdict() {
      return evidence.verdictOrNull() == null ? null : FaultFamily.of(evidence.verdictOrNull());
    }
  }

  /**
   * The fused diagnosis ({@link Explainer} documents the rule).
   *
   * @param label a class of the model, or {@code "<family> (size unknown)"}, or the network's label
   * @param family its family; {@link FaultFamily#UNKNOWN} when no family is named (no verdict on either side, or a
   *     class of no bearing family)
   * @param basis which rule gave it, in words
   * @param review true when the physics fixed the family against a confident network, or on evidence that
   *     includes a shaft harmonic: a person should look
   */
  public record Fused(String label, FaultFamily family, String basis, boolean review) {}

  /**
   * What one residual shrinkage unit's soft thresholds did to this input (means over the analysed windows).
   *
   * @param unit 0-based unit index
   * @param meanThreshold mean learned threshold τ
   * @param thresholdToMeanAbs τ ÷ mean |feature| (the mean scaling α of the paper)
   * @param zeroedFraction fraction of the unit's features set to zero
   */
  public record UnitThresholds(int unit, double meanThreshold, double thresholdToMeanAbs, double zeroedFraction) {}

  /**
   * Occlusion saliency over the window that most supports the diagnosis: a stretch of {@code stretch} samples,
   * moved by half its length, is set to zero and the drop of the diagnosed class's probability is measured;
   * each sample's saliency is the mean drop of the stretches covering it.
   *
   * @param className the class whose probability was watched
   * @param windowStart first sample of the window at the model's rate
   * @param samplingRate the rate of the samples the window was cut from, Hz: the model's, f_r·S of an order-domain
   *     model at the recording's speed, or the recording's own when it was taken as is (within the rate tolerance)
   * @param window the window's samples (first channel)
   * @param baseProbability the class's probability on the intact window
   * @param stretch occluded stretch length, samples
   * @param perSample saliency of each sample (probability drop; negative: occluding it made the class likelier)
   */
  public record Saliency(String className, int windowStart, double samplingRate, float[] window,
      double baseProbability, int stretch, double[] perSample) {

    /** Start (samples) of the most salient stretch. */
    public int peakStart() {
      int best = 0;
      for (int i = 1; i < perSample.length; i++) {
        if (perSample[i] > perSample[best]) {
          best = i;
        }
      }
      return Math.max(0, Math.min(best - stretch / 2, perSample.length - stretch));
    }
  }
}
