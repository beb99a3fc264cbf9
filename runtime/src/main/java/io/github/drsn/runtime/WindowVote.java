package io.github.drsn.runtime;

import io.github.drsn.contract.OutcomeLabels;
import java.util.List;

/**
 * The decision from several healthy windows of one signal: one rule for a whole recording ({@link RecordingDiagnosis},
 * through {@link Diagnoser#diagnose}) and for the span a stream smooths over ({@link StreamingDiagnoser}), so that the
 * same windows get the same answer whichever way they arrive.
 *
 * <p>With n windows, u of them unknown (out of distribution), p̄ the mean of all n windows' class probabilities and
 * c = argmax p̄: {@link Diagnosis.Outcome#UNKNOWN} when 2u ≥ n; else {@link Diagnosis.Outcome#CLASSIFIED} as c when
 * p̄_c ≥ the minimum confidence, the agreement (the share of the n windows whose own most probable class is c, unknown
 * windows naming none) is at least the minimum agreement and the sensor is fit for the model; else
 * {@link Diagnosis.Outcome#UNCERTAIN}. Unknown windows stay in the mean: a minority of them is evidence against a
 * confident answer, not noise to drop.
 */
final class WindowVote {

  private final double[] sum;
  private final int[] votes;
  private int windows;
  private int unknown;
  /** p̄, computed once after the last {@link #add}: the stream asks for it, its arg-max and the agreement per window. */
  private float[] mean;

  /** An empty vote over {@code classes} classes. */
  WindowVote(int classes) {
    sum = new double[classes];
    votes = new int[classes];
  }

  /** Adds one healthy window: its class probabilities, and whether it is out of distribution. */
  void add(float[] probabilities, boolean unknownWindow) {
    mean = null;
    windows++;
    if (unknownWindow) {
      unknown++;
    } else {
      votes[Diagnosis.argMax(probabilities)]++;
    }
    for (int k = 0; k < sum.length; k++) {
      sum[k] += probabilities[k];
    }
  }

  /** @return the windows added */
  int windows() {
    return windows;
  }

  /** @return the unknown windows among them */
  int unknown() {
    return unknown;
  }

  /** @return per class, the known windows whose most probable class it is (a copy) */
  int[] votes() {
    return votes.clone();
  }

  /** @return p̄, the mean class probabilities of all windows added (empty when none was; a copy) */
  float[] mean() {
    return meanView().clone();
  }

  private float[] meanView() {
    if (mean == null) {
      mean = new float[windows == 0 ? 0 : sum.length];
      for (int k = 0; k < mean.length; k++) {
        mean[k] = (float) (sum[k] / windows);
      }
    }
    return mean;
  }

  /** @return c = argmax p̄, or −1 when no window was added */
  int candidate() {
    return windows == 0 ? -1 : Diagnosis.argMax(meanView());
  }

  /** @return the share of the windows whose own most probable class is the candidate (0 when none was added) */
  double agreement() {
    int c = candidate();
    return c < 0 ? 0 : votes[c] / (double) windows;
  }

  /**
   * The outcome by the rule of the class comment.
   *
   * @param sensorHealthy whether the sensor is fit for the model (e.g. its rate); an unfit one is never classified
   * @throws IllegalStateException if no window was added
   */
  Diagnosis.Outcome outcome(double minConfidence, double minAgreement, boolean sensorHealthy) {
    if (windows == 0) {
      throw new IllegalStateException("no healthy window to decide from");
    }
    if (2 * unknown >= windows) {
      return Diagnosis.Outcome.UNKNOWN;
    }
    boolean sure = meanView()[candidate()] >= minConfidence && agreement() >= minAgreement && sensorHealthy;
    return sure ? Diagnosis.Outcome.CLASSIFIED : Diagnosis.Outcome.UNCERTAIN;
  }

  /**
   * The vote as a diagnosis, by the one rule a file's windows, a file and a stream's smoothing span are decided by: the
   * outcome of {@link #outcome} (never classified when {@code sensor} has an issue), p̄, the candidate, its label, and
   * {@code sensor} as the health. A finding on the sensor ({@link HealthCheck#assessSensorRate}: slower than the model,
   * its upper band missing) is the sensor's, not a window's: it rides on every diagnosis and keeps each from being
   * classified, while the windows stay scored, so the model's lean and the out-of-distribution check still speak.
   *
   * @param sensor the sensor's fitness for the model ({@link InputHealth#OK} when fit)
   * @param oodScore the score the diagnosis carries (of a stream, its newest window's)
   * @throws IllegalStateException if no window was added
   */
  Diagnosis diagnosis(double minConfidence, double minAgreement, InputHealth sensor, double oodScore,
      List<String> classes) {
    Diagnosis.Outcome outcome = outcome(minConfidence, minAgreement, sensor.healthy());
    return new Diagnosis(outcome, mean(), candidate(), label(outcome, classes), sensor, oodScore);
  }

  /**
   * One healthy window's own diagnosis ({@link Diagnosis#outcome()} classified, uncertain or unknown) judged by
   * {@link #diagnosis} as a vote of that window alone: how a file reports each window, and what a stream smoothing over
   * one window reports.
   */
  static Diagnosis ofWindow(Diagnosis window, double minConfidence, double minAgreement, InputHealth sensor,
      List<String> classes) {
    WindowVote vote = new WindowVote(classes.size());
    vote.add(window.probabilities(), window.outcome() == Diagnosis.Outcome.UNKNOWN);
    return vote.diagnosis(minConfidence, minAgreement, sensor, window.oodScore(), classes);
  }

  /** The label an outcome of this vote is reported under: the candidate's class name when classified. */
  String label(Diagnosis.Outcome outcome, List<String> classes) {
    return switch (outcome) {
      case CLASSIFIED -> classes.get(candidate());
      case UNKNOWN -> Diagnosis.UNKNOWN_LABEL;
      case UNCERTAIN -> OutcomeLabels.UNCERTAIN;
      case UNHEALTHY_INPUT -> OutcomeLabels.UNHEALTHY_INPUT;
    };
  }
}
