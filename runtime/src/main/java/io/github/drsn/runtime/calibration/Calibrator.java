package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import java.util.EnumMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits a bundle's {@link Calibration} from the network's outputs on in-distribution windows: the tied-Gaussian
 * statistics of the pooled features ({@link TiedGaussian}) and their class-blind background Gaussian
 * ({@link #background}) and their normalised values for the nearest-neighbour distance ({@link #neighbours}) on the
 * training windows (and, when the outputs have them, of every residual unit's features
 * for the layer ensemble, {@link #layerEnsemble}), and on held-out
 * (validation) windows the temperature ({@link TemperatureScaling}) and, for every {@link OodMethod}, the threshold that flags
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
   * @param layers per window, the features of every layer of the layer ensemble (each residual unit's output averaged
   *     over time, then the pooled features: {@code layers[i][l]}), or null when not computed (an ensemble's)
   */
  public record Outputs(double[][] logits, double[][] features, int[] labels, double[] disagreement,
      double[][][] layers) {

    /** @throws IllegalArgumentException if the arrays differ in length */
    public Outputs {
      if (logits.length != features.length || logits.length != labels.length
          || (disagreement != null && disagreement.length != labels.length)
          || (layers != null && layers.length != labels.length)) {
        throw new IllegalArgumentException(logits.length + " logit rows, " + features.length + " feature rows, "
            + labels.length + " labels" + (disagreement == null ? "" : ", " + disagreement.length
            + " disagreements") + (layers == null ? "" : ", " + layers.length + " layer rows")
            + "; expected one of each per window");
      }
    }

    /** The outputs of a single network (no disagreement, no layer features). */
    public Outputs(double[][] logits, double[][] features, int[] labels) {
      this(logits, features, labels, null, null);
    }

    /**
     * The methods these outputs can score: {@link OodMethod#ENSEMBLE_DISAGREEMENT} only with the members'
     * disagreement, {@link OodMethod#MAHALANOBIS_LAYERS} only with the layer features.
     */
    public List<OodMethod> methods() {
      List<OodMethod> out = new ArrayList<>(List.of(OodMethod.values()));
      if (disagreement == null) {
        out.remove(OodMethod.ENSEMBLE_DISAGREEMENT);
      }
      if (layers == null) {
        out.remove(OodMethod.MAHALANOBIS_LAYERS);
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
      int widest = features.length == 0 ? 0 : features[0].length;
      if (layers != null && layers.length > 0) {
        for (double[] layer : layers[0]) {
          widest = Math.max(widest, layer.length);
        }
      }
      double[] work = new double[OodScores.workLength(method, calibration, widest)];
      for (int i = 0; i < out.length; i++) {
        out[i] = OodScores.score(method, logits[i], logits[i].length, calibration, features[i],
            layers == null ? null : layers[i], work);
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
      double[][][] l = layers == null ? null : new double[n][][];
      int at = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] >= 0 && keep[labels[i]]) {
          z[at] = logits[i];
          f[at] = features[i];
          if (d != null) {
            d[at] = disagreement[i];
          }
          if (l != null) {
            l[at] = layers[i];
          }
          y[at++] = labels[i];
        }
      }
      return new Outputs(z, f, y, d, l);
    }
  }

  /**
   * Fits the calibration as Lee et al. (NeurIPS 2018) fit their detector: the class-conditional Gaussians of the
   * pooled features on the windows the network was trained on ({@code featureFit}), and the temperature and every
   * method's threshold on held-out windows ({@code heldOut}, the validation split). Choosing a threshold on the
   * windows that also estimated the means and the covariance puts it too low (in-sample distances are shorter), so
   * the false-alarm rate on new windows would exceed the one stated.
   *
   * @param featureFit the network's outputs on labelled training windows (features, layer features when present, and
   *     labels are used)
   * @param heldOut the network's outputs on labelled held-out in-distribution windows
   * @param falseAlarmRate fraction of the held-out windows each threshold flags, in (0, 1)
   * @param method the method the runtime will threshold
   * @param data a description of both sets of windows, recorded in the bundle
   * @throws IllegalArgumentException if either set has no windows, a label is out of range, the rate is not in
   *     (0, 1), the method is {@link OodMethod#ENSEMBLE_DISAGREEMENT} for one network's outputs or
   *     {@link OodMethod#MAHALANOBIS_LAYERS} for outputs without layer features, or only one set has layer features
   */
  public static Calibration fit(Outputs featureFit, Outputs heldOut, double falseAlarmRate, OodMethod method,
      String data) {
    if (heldOut.size() == 0 || featureFit.size() == 0) {
      throw new IllegalArgumentException(heldOut.size() == 0 ? "no held-out windows to calibrate on"
          : "no training windows to fit the feature statistics on");
    }
    if (!heldOut.methods().contains(method)) {
      throw new IllegalArgumentException("OOD method " + method + (method == OodMethod.ENSEMBLE_DISAGREEMENT
          ? " needs an ensemble bundle; this model is one network"
          : " needs every residual unit's features of a single network; an ensemble has none")
          + " (use one of " + heldOut.methods() + ")");
    }
    if ((featureFit.layers() == null) != (heldOut.layers() == null)) {
      throw new IllegalArgumentException("the training outputs " + (featureFit.layers() == null ? "lack" : "have")
          + " layer features and the held-out outputs " + (heldOut.layers() == null ? "lack" : "have")
          + " them; compute both the same way");
    }
    int classes = heldOut.logits()[0].length;
    double t = TemperatureScaling.fit(heldOut.logits(), heldOut.labels());
    Calibration.Mahalanobis stats = TiedGaussian.fit(featureFit.features(), featureFit.labels(), classes);
    Calibration.LayerEnsemble layers = featureFit.layers() == null ? null : layerEnsemble(featureFit, classes);
    Calibration.Mahalanobis background = background(featureFit);
    // The nearest-neighbour distance is one method among several: a network with no usable training features for it
    // (all zero: a collapsed run) is still calibrated for the others, without it.
    Calibration.Neighbours neighbours = usableNeighbours(featureFit);
    if (neighbours == null && method == OodMethod.KNN) {
      throw new IllegalArgumentException("OOD method KNN needs training windows whose pooled features are not all"
          + " zero; this network has none (use one of the other methods)");
    }
    List<OodMethod> methods = new ArrayList<>(heldOut.methods());
    if (neighbours == null) {
      methods.remove(OodMethod.KNN);
    }
    Map<OodMethod, Double> placeholder = new EnumMap<>(OodMethod.class);
    placeholder.put(method, 0.0);
    for (OodMethod m : methods) {
      placeholder.put(m, 0.0);
    }
    double eceBefore = CalibrationError.ece(heldOut.logits(), heldOut.labels(), 1.0);
    double eceAfter = CalibrationError.ece(heldOut.logits(), heldOut.labels(), t);
    double nllBefore = TemperatureScaling.nll(heldOut.logits(), heldOut.labels(), 1.0);
    double nllAfter = TemperatureScaling.nll(heldOut.logits(), heldOut.labels(), t);
    Calibration draft = new Calibration(t, method, placeholder, falseAlarmRate, data, heldOut.size(), eceBefore,
        eceAfter, nllBefore, nllAfter, stats, layers, background, neighbours);
    Map<OodMethod, Double> thresholds = new EnumMap<>(OodMethod.class);
    for (OodMethod m : methods) {
      thresholds.put(m, FalseAlarmThreshold.of(heldOut.scores(m, draft), falseAlarmRate));
    }
    return new Calibration(t, method, thresholds, falseAlarmRate, data, heldOut.size(), eceBefore, eceAfter,
        nllBefore, nllAfter, stats, layers, background, neighbours);
  }

  /**
   * {@code calibration} with every threshold chosen again, on windows of the machine the model is to watch, so that
   * each flags {@code falseAlarmRate} of them: the monitoring practice of setting alarm limits on a machine's own
   * baseline. The temperature, the feature statistics and the ECE/NLL measured on the validation windows are kept;
   * only the thresholds (and the description of where they came from) change. The windows carry no labels: they are
   * taken to be in distribution, i.e. of a state the model has a class for (typically healthy); a window of an
   * unknown fault among them raises the thresholds and hides that fault.
   *
   * @param reference the network's outputs on the reference windows (labels are not used); for an ensemble with the
   *     members' disagreement, for a single network with the layer features when {@code calibration} has a layer
   *     ensemble
   * @param method the method the runtime will threshold; must be one {@code calibration} has statistics for
   * @param data where the reference windows come from, recorded in the bundle
   * @throws IllegalArgumentException if there are no reference windows, the rate is not in (0, 1), or the method has
   *     no threshold in {@code calibration} or cannot be scored on these outputs
   */
  public static Calibration rethreshold(Calibration calibration, Outputs reference, double falseAlarmRate,
      OodMethod method, String data) {
    return rethreshold(calibration, scores(calibration, reference), falseAlarmRate, method, data);
  }

  /**
   * Every method's scores of {@code outputs} under {@code calibration}, for the methods it has thresholds for and the
   * outputs can score. They depend on the temperature and the statistics only, which {@link #rethreshold} keeps, so
   * one set serves the old thresholds and the new.
   */
  static Map<OodMethod, double[]> scores(Calibration calibration, Outputs outputs) {
    Map<OodMethod, double[]> scores = new EnumMap<>(OodMethod.class);
    for (OodMethod m : calibration.thresholds().keySet()) {
      if (outputs.methods().contains(m)) {
        scores.put(m, outputs.scores(m, calibration));
      }
    }
    return scores;
  }

  /** As {@link #rethreshold(Calibration, Outputs, double, OodMethod, String)}, on scores already computed. */
  static Calibration rethreshold(Calibration calibration, Map<OodMethod, double[]> scores, double falseAlarmRate,
      OodMethod method, String data) {
    if (scores.isEmpty() || scores.values().iterator().next().length == 0) {
      throw new IllegalArgumentException("no reference windows to choose the thresholds on");
    }
    if (!calibration.thresholds().containsKey(method)) {
      throw new IllegalArgumentException("OOD method " + method + " has no statistics in this calibration (it has "
          + calibration.thresholds().keySet() + ")");
    }
    Map<OodMethod, Double> thresholds = new EnumMap<>(OodMethod.class);
    scores.forEach((m, s) -> thresholds.put(m, FalseAlarmThreshold.of(s, falseAlarmRate)));
    if (!thresholds.containsKey(method)) {
      throw new IllegalArgumentException("OOD method " + method + " cannot be scored on these outputs (they can score "
          + scores.keySet() + ")");
    }
    // windows stays the count of the held-out windows that T and the ECE were measured on; data says where the
    // thresholds came from.
    return new Calibration(calibration.temperature(), method, thresholds, falseAlarmRate, data, calibration.windows(),
        calibration.eceBefore(), calibration.eceAfter(), calibration.nllBefore(), calibration.nllAfter(),
        calibration.mahalanobis(), calibration.layers(), calibration.background(), calibration.neighbours());
  }

  /**
   * {@code calibration} with the statistics of the feature methods it lacks fitted as {@link #fit} fits them (the
   * layer ensemble when the outputs have layer features, the background Gaussian of
   * {@link OodMethod#RELATIVE_MAHALANOBIS} when it has class Gaussians to be relative to, the normalised training
   * features of {@link OodMethod#KNN}) on {@code featureFit}, and
   * their thresholds chosen on {@code heldOut} at its false-alarm rate, scored with its own class Gaussians; its
   * temperature, statistics and other thresholds are kept as they are. For bundles calibrated before those methods
   * existed. Returned unchanged when nothing is missing.
   *
   * @throws IllegalArgumentException as {@link #fit} for empty or mismatched outputs
   */
  public static Calibration complete(Calibration calibration, Outputs featureFit, Outputs heldOut) {
    Calibration out = calibration;
    if (out.layers() == null && featureFit.layers() != null) {
      if (heldOut.size() == 0) {
        // Before the class count is read from the held-out logits: the message, not an index error.
        throw new IllegalArgumentException("no held-out windows to choose the " + OodMethod.MAHALANOBIS_LAYERS
            + " threshold on");
      }
      Calibration.LayerEnsemble layers = layerEnsemble(featureFit, heldOut.logits()[0].length);
      out = out.withLayers(layers, threshold(out.withLayers(layers, 0), OodMethod.MAHALANOBIS_LAYERS, heldOut));
    }
    if (out.background() == null && out.mahalanobis() != null) {
      Calibration.Mahalanobis background = background(featureFit);
      out = out.withBackground(background, threshold(out.withBackground(background, 0),
          OodMethod.RELATIVE_MAHALANOBIS, heldOut));
    }
    Calibration.Neighbours neighbours = out.neighbours() == null ? usableNeighbours(featureFit) : null;
    if (neighbours != null) {
      out = out.withNeighbours(neighbours, threshold(out.withNeighbours(neighbours, 0), OodMethod.KNN, heldOut));
    }
    return out;
  }

  /** The threshold of {@code method} under {@code draft} that flags its false-alarm rate of {@code heldOut}. */
  private static double threshold(Calibration draft, OodMethod method, Outputs heldOut) {
    if (heldOut.size() == 0) {
      throw new IllegalArgumentException("no held-out windows to choose the " + method + " threshold on");
    }
    return FalseAlarmThreshold.of(heldOut.scores(method, draft), draft.falseAlarmRate());
  }

  /**
   * The background Gaussian of {@link OodMethod#RELATIVE_MAHALANOBIS} (Ren et al. 2021): one mean μ_0 and the full
   * covariance Σ_0 = (1/n) Σ_i (f_i − μ_0)(f_i − μ_0)ᵀ of the pooled features of every window of {@code featureFit}
   * (the training windows), whatever its class; the one-class {@link TiedGaussian}, so shrunk and inverted the same
   * way as the class Gaussians (Σ_0 + λ_0 I, λ_0 = 10⁻³ · trace(Σ_0)/d).
   *
   * @throws IllegalArgumentException if there are no windows
   */
  public static Calibration.Mahalanobis background(Outputs featureFit) {
    return TiedGaussian.fit(featureFit.features(), new int[featureFit.size()], 1);
  }

  /**
   * The training features of {@link OodMethod#KNN} at k = {@link Calibration.Neighbours#DEFAULT_K}, or at every window
   * with non-zero features when there are fewer (only toy fits in tests have; a CWRU model has thousands of training
   * windows); null when no window has non-zero features (a collapsed network: it is calibrated without KNN).
   */
  static Calibration.Neighbours usableNeighbours(Outputs featureFit) {
    int usable = 0;
    for (double[] row : featureFit.features()) {
      for (double v : row) {
        if (v != 0) {
          usable++;
          break;
        }
      }
    }
    return usable == 0 ? null
        : neighbours(featureFit, Math.min(Calibration.Neighbours.DEFAULT_K, usable));
  }

  /**
   * The training features of {@link OodMethod#KNN} (Sun et al., ICML 2022): the pooled features of the windows of
   * {@code featureFit} (the training windows, as the Mahalanobis statistics), whatever its class, each divided by its
   * L2 norm (in double, then rounded to float32 as the bundle stores them). A window whose features are all zero has
   * no direction and is left out. When more windows than {@link Calibration.Neighbours#MAX_VALUES} / d remain (a day
   * of one sensor at the default network's 16 features), every s-th is kept with the smallest stride s that fits: Sun
   * et al. subsample the training set too (a random fraction α; a stride keeps the fit deterministic).
   *
   * @throws IllegalArgumentException if fewer than {@code k} windows have non-zero features
   */
  public static Calibration.Neighbours neighbours(Outputs featureFit, int k) {
    double[][] all = featureFit.features();
    int d = all.length == 0 ? 0 : all[0].length;
    int cap = d == 0 ? all.length : Calibration.Neighbours.MAX_VALUES / d;
    int stride = (int) Math.max(1, (all.length + (long) cap - 1) / cap);
    double[][] f = new double[(all.length + stride - 1) / stride][];
    for (int i = 0; i < f.length; i++) {
      f[i] = all[i * stride];
    }
    float[] values = new float[f.length * d];
    int n = 0;
    for (double[] row : f) {
      if (row.length != d) {
        throw new IllegalArgumentException("a training window has " + row.length + " pooled features, the first "
            + d);
      }
      double norm = 0;
      for (double v : row) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      if (norm > 0) {
        for (int j = 0; j < d; j++) {
          values[n * d + j] = (float) (row[j] / norm);
        }
        n++;
      }
    }
    if (n < k) {
      throw new IllegalArgumentException(n + " training windows with non-zero pooled features, the nearest-neighbour"
          + " distance needs at least k = " + k);
    }
    return new Calibration.Neighbours(k, d, java.util.Arrays.copyOf(values, n * d));
  }

  /**
   * The statistics of {@link OodMethod#MAHALANOBIS_LAYERS} from the layer features of {@code featureFit} (the
   * training windows): per layer l a {@link TiedGaussian}, then the distances d_l of the same windows to it and their
   * mean m_l and population standard deviation s_l = sqrt((1/n) Σ (d_l − m_l)²); s_l = 1 where the windows' distances
   * do not vary (s_l below {@link Calibration.LayerEnsemble#minDistanceSd}, 10⁻⁹ · max(1, |m_l|), rounding: the
   * layer is then only centred, not divided by noise; a bundle holding a smaller s_l is refused).
   *
   * @throws IllegalArgumentException if the outputs have no layer features
   */
  public static Calibration.LayerEnsemble layerEnsemble(Outputs featureFit, int classes) {
    double[][][] byWindow = featureFit.layers();
    if (byWindow == null || byWindow.length == 0) {
      throw new IllegalArgumentException("no layer features to fit the layer ensemble on");
    }
    int n = byWindow.length;
    int count = byWindow[0].length;
    List<Calibration.Mahalanobis> layers = new ArrayList<>();
    double[] mean = new double[count];
    double[] sd = new double[count];
    for (int l = 0; l < count; l++) {
      double[][] f = new double[n][];
      for (int i = 0; i < n; i++) {
        if (byWindow[i].length != count) {
          throw new IllegalArgumentException("window " + i + " has " + byWindow[i].length + " layers, window 0 has "
              + count);
        }
        f[i] = byWindow[i][l];
      }
      Calibration.Mahalanobis gaussian = TiedGaussian.fit(f, featureFit.labels(), classes);
      layers.add(gaussian);
      double[] d = new double[n];
      double[] work = new double[gaussian.features()];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        d[i] = OodScores.mahalanobis(f[i], gaussian, work);
        sum += d[i];
      }
      mean[l] = sum / n;
      double squares = 0;
      for (double v : d) {
        squares += (v - mean[l]) * (v - mean[l]);
      }
      double s = Math.sqrt(squares / n);
      sd[l] = s >= Calibration.LayerEnsemble.minDistanceSd(mean[l]) ? s : 1;
    }
    return new Calibration.LayerEnsemble(layers, mean, sd);
  }
}
