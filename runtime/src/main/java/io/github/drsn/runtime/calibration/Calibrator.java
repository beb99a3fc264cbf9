package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits a bundle's {@link Calibration} from the network's outputs on held-out in-distribution windows (the
 * validation split): the temperature ({@link TemperatureScaling}), the tied-Gaussian statistics of the pooled
 * features ({@link TiedGaussian}), and for every {@link OodMethod} the threshold that flags the stated fraction of
 * these windows ({@link FalseAlarmThreshold}); ECE and NLL are recorded before and after scaling.
 *
 * <p>The same windows serve to fit T and to choose the thresholds; the thresholds' false-alarm rate on new
 * in-distribution data is therefore an estimate (the open-set protocol measures it on the test split).
 */
public final class Calibrator {

  private Calibrator() {}

  /**
   * The network's outputs on a set of windows.
   *
   * @param logits one row of K logits per window
   * @param features one row of pooled features per window
   * @param labels the windows' true classes (for in-distribution data), or -1 where unknown
   * @param disagreement an ensemble's members' disagreement per window ({@code LeanDiagnoser#rawOutputs}), or null
   *     for a single network
   */
  public record Outputs(double[][] logits, double[][] features, int[] labels, double[] disagreement) {

    /** @throws IllegalArgumentException if the arrays differ in length */
    public Outputs {
      if (logits.length != features.length || logits.length != labels.length
          || (disagreement != null && disagreement.length != labels.length)) {
        throw new IllegalArgumentException(logits.length + " logit rows, " + features.length + " feature rows, "
            + labels.length + " labels" + (disagreement == null ? "" : " and " + disagreement.length
            + " disagreements") + "; expected one of each per window");
      }
    }

    /** The outputs of a single network (no disagreement). */
    public Outputs(double[][] logits, double[][] features, int[] labels) {
      this(logits, features, labels, null);
    }

    /** The methods these outputs can score: all but {@link OodMethod#ENSEMBLE_DISAGREEMENT} for a single network. */
    public List<OodMethod> methods() {
      List<OodMethod> out = new ArrayList<>(List.of(OodMethod.values()));
      if (disagreement == null) {
        out.remove(OodMethod.ENSEMBLE_DISAGREEMENT);
      }
      return out;
    }

    /** Number of windows. */
    public int size() {
      return labels.length;
    }

    /** Every window's score of {@code method} under {@code calibration}'s temperature and statistics. */
    public double[] scores(OodMethod method, Calibration calibration) {
      if (method == OodMethod.ENSEMBLE_DISAGREEMENT) {
        if (disagreement == null) {
          throw new IllegalArgumentException(method + " needs an ensemble; these are one network's outputs");
        }
        return disagreement.clone();
      }
      double[] out = new double[size()];
      double[] work = new double[features.length == 0 ? 0 : features[0].length];
      for (int i = 0; i < out.length; i++) {
        out[i] = OodScores.score(method, logits[i], logits[i].length, calibration.temperature(), features[i],
            calibration.mahalanobis(), work);
      }
      return out;
    }

    /** The windows whose label is in {@code keep} (a mask indexed by class). */
    public Outputs select(boolean[] keep) {
      int n = 0;
      for (int y : labels) {
        n += y >= 0 && keep[y] ? 1 : 0;
      }
      double[][] z = new double[n][];
      double[][] f = new double[n][];
      int[] y = new int[n];
      double[] d = disagreement == null ? null : new double[n];
      int at = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] >= 0 && keep[labels[i]]) {
          z[at] = logits[i];
          f[at] = features[i];
          if (d != null) {
            d[at] = disagreement[i];
          }
          y[at++] = labels[i];
        }
      }
      return new Outputs(z, f, y, d);
    }
  }

  /**
   * Fits the calibration.
   *
   * @param outputs the network's outputs on labelled in-distribution windows
   * @param falseAlarmRate fraction of them each threshold flags, in (0, 1)
   * @param method the method the runtime will threshold
   * @param data a description of the windows, recorded in the bundle
   * @throws IllegalArgumentException if there are no windows, a label is out of range, the rate is not in (0, 1), or
   *     the method is {@link OodMethod#ENSEMBLE_DISAGREEMENT} for one network's outputs
   */
  public static Calibration fit(Outputs outputs, double falseAlarmRate, OodMethod method, String data) {
    if (outputs.size() == 0) {
      throw new IllegalArgumentException("no windows to calibrate on");
    }
    if (!outputs.methods().contains(method)) {
      throw new IllegalArgumentException("OOD method " + method + " needs an ensemble bundle; this model is one"
          + " network (use one of " + outputs.methods() + ")");
    }
    int classes = outputs.logits()[0].length;
    double t = TemperatureScaling.fit(outputs.logits(), outputs.labels());
    Calibration.Mahalanobis stats = TiedGaussian.fit(outputs.features(), outputs.labels(), classes);
    Map<OodMethod, Double> placeholder = new EnumMap<>(OodMethod.class);
    placeholder.put(method, 0.0);
    for (OodMethod m : outputs.methods()) {
      placeholder.put(m, 0.0);
    }
    double eceBefore = CalibrationError.ece(outputs.logits(), outputs.labels(), 1.0);
    double eceAfter = CalibrationError.ece(outputs.logits(), outputs.labels(), t);
    double nllBefore = TemperatureScaling.nll(outputs.logits(), outputs.labels(), 1.0);
    double nllAfter = TemperatureScaling.nll(outputs.logits(), outputs.labels(), t);
    Calibration draft = new Calibration(t, method, placeholder, falseAlarmRate, data, outputs.size(), eceBefore,
        eceAfter, nllBefore, nllAfter, stats);
    Map<OodMethod, Double> thresholds = new EnumMap<>(OodMethod.class);
    for (OodMethod m : outputs.methods()) {
      thresholds.put(m, FalseAlarmThreshold.of(outputs.scores(m, draft), falseAlarmRate));
    }
    return new Calibration(t, method, thresholds, falseAlarmRate, data, outputs.size(), eceBefore, eceAfter,
        nllBefore, nllAfter, stats);
  }
}
