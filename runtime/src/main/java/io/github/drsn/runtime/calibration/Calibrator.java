package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits a bundle's {@link Calibration} from the network's outputs on in-distribution windows: the tied-Gaussian
 * statistics of the pooled features ({@link TiedGaussian}) on the training windows, and on held-out (validation)
 * windows the temperature ({@link TemperatureScaling}) and, for every {@link OodMethod}, the threshold that flags
 * the stated fraction of them ({@link FalseAlarmThreshold}); ECE and NLL are recorded before and after scaling.
 *
 * <p>The same validation windows serve to fit T and to choose the thresholds, so the thresholds' false-alarm rate on new in-distribution data is an estimate (the
 * open-set protocol measures it on the test split).
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
   * Fits the calibration as Lee et al. (NeurIPS 2018) fit their detector: the class-conditional Gaussians of the
   * pooled features on the windows the network was trained on ({@code featureFit}), and the temperature and every
   * method's threshold on held-out windows ({@code heldOut}, the validation split). Choosing a threshold on the
   * windows that also estimated the means and the covariance puts it too low (in-sample distances are shorter), so
   * the false-alarm rate on new windows would exceed the one stated.
   *
   * @param featureFit the network's outputs on labelled training windows (features and labels are used)
   * @param heldOut the network's outputs on labelled held-out in-distribution windows
   * @param falseAlarmRate fraction of the held-out windows each threshold flags, in (0, 1)
   * @param method the method the runtime will threshold
   * @param data a description of both sets of windows, recorded in the bundle
   * @throws IllegalArgumentException if either set has no windows, a label is out of range, the rate is not in
   *     (0, 1), or the method is {@link OodMethod#ENSEMBLE_DISAGREEMENT} for one network's outputs
   */
  public static Calibration fit(Outputs featureFit, Outputs heldOut, double falseAlarmRate, OodMethod method,
      String data) {
    if (heldOut.size() == 0 || featureFit.size() == 0) {
      throw new IllegalArgumentException(heldOut.size() == 0 ? "no held-out windows to calibrate on"
          : "no training windows to fit the feature statistics on");
    }
    if (!heldOut.methods().contains(method)) {
      throw new IllegalArgumentException("OOD method " + method + " needs an ensemble bundle; this model is one"
          + " network (use one of " + heldOut.methods() + ")");
    }
    int classes = heldOut.logits()[0].length;
    double t = TemperatureScaling.fit(heldOut.logits(), heldOut.labels());
    Calibration.Mahalanobis stats = TiedGaussian.fit(featureFit.features(), featureFit.labels(), classes);
    Map<OodMethod, Double> placeholder = new EnumMap<>(OodMethod.class);
    placeholder.put(method, 0.0);
    for (OodMethod m : heldOut.methods()) {
      placeholder.put(m, 0.0);
    }
    double eceBefore = CalibrationError.ece(heldOut.logits(), heldOut.labels(), 1.0);
    double eceAfter = CalibrationError.ece(heldOut.logits(), heldOut.labels(), t);
    double nllBefore = TemperatureScaling.nll(heldOut.logits(), heldOut.labels(), 1.0);
    double nllAfter = TemperatureScaling.nll(heldOut.logits(), heldOut.labels(), t);
    Calibration draft = new Calibration(t, method, placeholder, falseAlarmRate, data, heldOut.size(), eceBefore,
        eceAfter, nllBefore, nllAfter, stats);
    Map<OodMethod, Double> thresholds = new EnumMap<>(OodMethod.class);
    for (OodMethod m : heldOut.methods()) {
      thresholds.put(m, FalseAlarmThreshold.of(heldOut.scores(m, draft), falseAlarmRate));
    }
    return new Calibration(t, method, thresholds, falseAlarmRate, data, heldOut.size(), eceBefore, eceAfter,
        nllBefore, nllAfter, stats);
  }
}
