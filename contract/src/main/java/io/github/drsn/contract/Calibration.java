package io.github.drsn.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The optional {@code calibration} section of a bundle: how to turn the network's logits into honest probabilities
 * and when to answer "unknown" instead of a class.
 * <ul>
 *   <li>Temperature scaling (Guo et al., ICML 2017): calibrated probabilities are softmax(z / T), T &gt; 0 fitted by
 *       minimising the negative log-likelihood of held-out (validation) windows; T = 1 is the uncalibrated network.
 *   <li>An out-of-distribution score ({@link OodMethod}) and, per method, the threshold above which a window is
 *       flagged unknown, chosen so that a stated fraction ({@link #falseAlarmRate()}, 5 % by default) of the
 *       in-distribution calibration windows would be flagged: the (1 − rate) empirical quantile of their scores.
 *       {@link #method()} is the method the runtime uses.
 *   <li>For {@link OodMethod#MAHALANOBIS}: the class means of the pooled features and the precision matrix (inverse
 *       of the shared covariance) they were fitted with.
 *   <li>For {@link OodMethod#MAHALANOBIS_LAYERS} (single networks): the same statistics for every residual unit's
 *       time-averaged output and the pooled features, with the mean and standard deviation of each layer's distance
 *       ({@link LayerEnsemble}). Bundles written before it have no such statistics and load as before, without it.
 *       In bundle.json its threshold is kept in its own section ({@code calibration.mahalanobis_layers.threshold}),
 *       not in {@code calibration.thresholds}: a drsn older than the method ignores the section and still loads the
 *       bundle (with the other methods) where an unknown name among the thresholds would make it refuse the bundle;
 *       a bundle whose runtime method is the layer ensemble it refuses, naming the method.
 *   <li>For {@link OodMethod#RELATIVE_MAHALANOBIS}: the background Gaussian of the pooled features, one mean μ_0 and
 *       the precision Σ_0⁻¹ of their full covariance over all training windows, regardless of class
 *       ({@link #background()}, a {@link Mahalanobis} with one mean); the class Gaussians are those of
 *       {@link OodMethod#MAHALANOBIS}. Kept, with its threshold, in its own section
 *       ({@code calibration.relative_mahalanobis}: {@code threshold} and {@code background}) for the same reason as
 *       the layer ensemble's: an older drsn ignores it. Bundles written before it load without it.
 *   <li>For {@link OodMethod#KNN}: the training windows' pooled features normalised to unit L2 norm and k
 *       ({@link #neighbours()}). The features are an array, not statistics: they are kept as float32 in their own
 *       archive entry ({@value #NEIGHBOURS_ENTRY}, an .npy of n × d, as the parameters are; {@link Bundle} writes and
 *       checks it against the SHA-256 in the section), and bundle.json holds only their section
 *       ({@code calibration.knn}: {@code threshold}, {@code k}, {@code windows} n, {@code features} d and
 *       {@code sha256}). An older drsn ignores both the section and the entry (it inflates and discards entries it does
 *       not name) and loads the bundle with its other methods; a bundle written before the method loads without it,
 *       and asking it for KNN is refused naming what is missing.
 *   <li>What it was fitted on ({@link #data()}, {@link #windows()}) and the expected calibration error (15 equal-width
 *       confidence bins) and mean negative log-likelihood on those windows before and after scaling.
 * </ul>
 * A bundle without this section is uncalibrated: T = 1 and no unknown answers.
 *
 * @param temperature T in [{@link #MIN_TEMPERATURE}, {@link #MAX_TEMPERATURE}]
 * @param method the score the runtime thresholds; must have an entry in {@code thresholds}
 * @param thresholds per method, the score above which a window is unknown (finite)
 * @param falseAlarmRate the fraction of in-distribution calibration windows the thresholds flag, in (0, 1)
 * @param data a description of the calibration windows (split, data files, noise), for provenance
 * @param windows how many windows the fit used (&ge; 1)
 * @param eceBefore expected calibration error at T = 1, in [0, 1]
 * @param eceAfter expected calibration error at {@code temperature}, in [0, 1]
 * @param nllBefore mean negative log-likelihood at T = 1 (nats, &ge; 0)
 * @param nllAfter mean negative log-likelihood at {@code temperature}
 * @param mahalanobis the Mahalanobis statistics, or null when not fitted (then MAHALANOBIS has no threshold)
 * @param layers the layer ensemble's statistics, or null when not fitted (then MAHALANOBIS_LAYERS has no threshold)
 * @param background the background Gaussian of RELATIVE_MAHALANOBIS (one mean, as many features as
 *     {@code mahalanobis}), or null when not fitted (then RELATIVE_MAHALANOBIS has no threshold)
 * @param neighbours the normalised training features of KNN (as many features as the network pools), or null when
 *     not fitted (then KNN has no threshold)
 */
public record Calibration(double temperature, OodMethod method, Map<OodMethod, Double> thresholds,
    double falseAlarmRate, String data, int windows, double eceBefore, double eceAfter, double nllBefore,
    double nllAfter, Mahalanobis mahalanobis, LayerEnsemble layers, Mahalanobis background, Neighbours neighbours) {

  /** The default false-alarm rate thresholds are chosen for. */
  public static final double DEFAULT_FALSE_ALARM_RATE = 0.05;
  /**
   * The widest pooled-feature vector the Mahalanobis statistics may have: its precision matrix is stored as JSON in
   * bundle.json (512² numbers are ~6 MB, inside the 16 MB metadata limit).
   */
  public static final int MAX_FEATURES = 512;

  /** The archive entry of {@link #neighbours()}' features (float32, n × d). */
  public static final String NEIGHBOURS_ENTRY = "knn-features.npy";

  /**
   * The statistics of {@link OodMethod#KNN} (Sun et al., ICML 2022): n training windows' pooled features, each
   * divided by its L2 norm and rounded to float32 (how the bundle stores them, so a reloaded bundle scores bit for
   * bit as the one that was fitted), and k, which neighbour's distance is the score.
   *
   * @param k the rank of the neighbour whose distance is the score, 1 ≤ k ≤ n
   * @param features d, the length of each row (the pooled features; an ensemble's members' together)
   * @param values n × d, row-major, each row of unit L2 norm (within {@link #NORM_TOLERANCE})
   */
  public record Neighbours(int k, int features, float[] values) {

    /**
     * k of Sun et al.'s CIFAR-10 experiments, kept as it is (fixed before the open-set cells were scored, not tuned on
     * them): our training windows overlap 75 %, so each has ~6 near-duplicates, and k must be well above that.
     */
    public static final int DEFAULT_K = 50;
    /** How far from 1 a stored row's L2 norm may be: float32 rounding of a unit vector moves it by ~1e-7 · √d. */
    public static final double NORM_TOLERANCE = 1e-5;
    /**
     * The most values (n · d) a bundle may hold: 2²⁴ float32 are 64 MB, below the 80 MB up to which a drsn older than
     * the method inflates and discards an archive entry it does not name (its parameter limit), so that it still
     * loads the bundle; and each served window reads all of them (brute-force search).
     */
    public static final int MAX_VALUES = 1 << 24;

    /** @throws IllegalArgumentException naming {@code calibration.knn} if a size or value is out of range */
    public Neighbours {
      if (features < 1 || features > MAX_FEATURES) {
        throw new IllegalArgumentException(KNN_KEY + ".features is " + features + ", expected 1 to " + MAX_FEATURES);
      }
      if (values.length > MAX_VALUES || values.length % features != 0) {
        throw new IllegalArgumentException(KNN_KEY + ": " + values.length + " values, expected n x " + features
            + " with n x " + features + " at most " + MAX_VALUES);
      }
      int n = values.length / features;
      if (k < 1 || k > n) {
        throw new IllegalArgumentException(KNN_KEY + ".k is " + k + ", expected 1 to the " + n
            + " training windows stored");
      }
      values = values.clone();
      for (int i = 0; i < n; i++) {
        double norm = 0;
        for (int j = 0; j < features; j++) {
          float v = values[i * features + j];
          if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(NEIGHBOURS_ENTRY + " row " + i + " holds " + v
                + ", expected finite values");
          }
          norm += (double) v * v;
        }
        if (Math.abs(Math.sqrt(norm) - 1) > NORM_TOLERANCE) {
          throw new IllegalArgumentException(NEIGHBOURS_ENTRY + " row " + i + " has L2 norm " + Math.sqrt(norm)
              + ", expected 1 (the features are stored normalised)");
        }
      }
    }

    /** n, the number of training windows. */
    public int count() {
      return values.length / features;
    }

    /** Value {@code j} of row {@code i}, without copying (for scoring loops). */
    public float value(int i, int j) {
      return values[i * features + j];
    }

    @Override
    public float[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Neighbours m && k == m.k && features == m.features && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * k + features) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Neighbours[k=" + k + ", n=" + count() + ", d=" + features + "]";
    }
  }

  /**
   * Class means and shared precision matrix of the pooled features (Lee et al. 2018).
   *
   * @param classMeans μ_k, one row of {@code features} values per class
   * @param precision Σ⁻¹, {@code features × features}, row-major, symmetric
   */
  public record Mahalanobis(double[][] classMeans, double[] precision) {

    /**
     * @throws IllegalArgumentException if the sizes disagree or a value is not finite (messages name
     *     {@code calibration.mahalanobis}; {@link #of} names another field)
     */
    public Mahalanobis {
      classMeans = copy(classMeans);
      precision = precision.clone();
      check(classMeans, precision, "calibration.mahalanobis");
    }

    /**
     * The statistics kept in bundle.json's {@code field} (a layer of the layer ensemble:
     * {@code calibration.mahalanobis_layers.layers[l]}), whose messages name that field.
     *
     * @throws IllegalArgumentException as the constructor, naming {@code field}
     */
    public static Mahalanobis of(double[][] classMeans, double[] precision, String field) {
      check(classMeans, precision, field);
      return new Mahalanobis(classMeans, precision);
    }

    private static double[][] copy(double[][] rows) {
      double[][] out = new double[rows.length][];
      for (int k = 0; k < rows.length; k++) {
        out[k] = rows[k].clone();
      }
      return out;
    }

    private static void check(double[][] classMeans, double[] precision, String field) {
      if (classMeans.length == 0) {
        throw new IllegalArgumentException(field + ".class_means is empty; expected one row per class");
      }
      int d = classMeans[0].length;
      if (d < 1 || d > MAX_FEATURES) {
        throw new IllegalArgumentException(field + " has " + d + " features, expected 1 to " + MAX_FEATURES);
      }
      for (int k = 0; k < classMeans.length; k++) {
        if (classMeans[k].length != d) {
          throw new IllegalArgumentException(field + ".class_means[" + k + "] has " + classMeans[k].length
              + " values, row 0 has " + d);
        }
        finite(classMeans[k], field + ".class_means[" + k + "]");
      }
      if (precision.length != d * d) {
        throw new IllegalArgumentException(field + ".precision has " + precision.length + " values, expected " + d
            + " x " + d);
      }
      finite(precision, field + ".precision");
      for (int i = 0; i < d; i++) {
        if (!(precision[i * d + i] > 0)) {
          throw new IllegalArgumentException(field + ".precision[" + i + "][" + i + "] is " + precision[i * d + i]
              + "; a precision matrix has a positive diagonal");
        }
        for (int j = 0; j < i; j++) {
          double a = precision[i * d + j];
          double b = precision[j * d + i];
          if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)))) {
            throw new IllegalArgumentException(field + ".precision is not symmetric at [" + i + "][" + j + "] (" + a
                + " vs " + b + ")");
          }
        }
      }
      requirePositiveDefinite(precision, d, field + ".precision");
    }

    /**
     * Refuses a matrix that is not positive definite, by a Cholesky factorisation A = LLᵀ whose pivots must all be
     * positive. An indefinite "precision" makes (f − μ)ᵀ Σ⁻¹ (f − μ) negative along some directions, so a window
     * far from every class would score below every threshold and be classified: the OOD guard would fail open.
     * bundle.json carries no checksum, so this is checked on every load.
     */
    private static void requirePositiveDefinite(double[] a, int d, String field) {
      double[] l = new double[d * d];
      for (int j = 0; j < d; j++) {
        double pivot = a[j * d + j];
        for (int k = 0; k < j; k++) {
          pivot -= l[j * d + k] * l[j * d + k];
        }
        if (!(pivot > 0)) {
          throw new IllegalArgumentException(field + " is not positive definite (Cholesky pivot " + j + " is "
              + pivot + "); expected the inverse of a covariance matrix, whose distances are never negative");
        }
        double ljj = Math.sqrt(pivot);
        l[j * d + j] = ljj;
        for (int i = j + 1; i < d; i++) {
          double v = a[i * d + j];
          for (int k = 0; k < j; k++) {
            v -= l[i * d + k] * l[j * d + k];
          }
          l[i * d + j] = v / ljj;
        }
      }
    }

    /** Length of the pooled feature vector. */
    public int features() {
      return classMeans[0].length;
    }

    @Override
    public double[][] classMeans() {
      return copy(classMeans);
    }

    @Override
    public double[] precision() {
      return precision.clone();
    }

    /** Number of classes (rows of the means). */
    public int classCount() {
      return classMeans.length;
    }

    /** μ_k[i] without copying (for scoring loops). */
    public double mean(int k, int i) {
      return classMeans[k][i];
    }

    /** Σ⁻¹[i][j] without copying. */
    public double precision(int i, int j) {
      return precision[i * classMeans[0].length + j];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Mahalanobis m && Arrays.deepEquals(classMeans, m.classMeans)
          && Arrays.equals(precision, m.precision);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.deepHashCode(classMeans) + Arrays.hashCode(precision);
    }
  }

  /**
   * The statistics of {@link OodMethod#MAHALANOBIS_LAYERS}: per layer (the residual units in order, then the head's
   * pooled features: {@link #widths(ModelLayout)}) the tied Gaussian of its features, and the mean m_l and standard
   * deviation s_l of its distance d_l over the windows the Gaussians were fitted on.
   *
   * @param layers one {@link Mahalanobis} per layer, all of the same classes
   * @param distanceMean m_l per layer (finite)
   * @param distanceSd s_l per layer (finite, at least {@link #minDistanceSd(double) minDistanceSd(m_l)})
   */
  public record LayerEnsemble(List<Mahalanobis> layers, double[] distanceMean, double[] distanceSd) {

    /**
     * The smallest s_l relative to max(1, |m_l|): below it a layer's distance did not vary beyond rounding, and
     * dividing by such an s_l would let rounding noise dominate the sum (the fit uses s_l = 1 instead).
     */
    public static final double MIN_RELATIVE_SD = 1e-9;

    /** The smallest standard deviation a layer whose distances have mean {@code mean} may have. */
    public static double minDistanceSd(double mean) {
      return MIN_RELATIVE_SD * Math.max(1, Math.abs(mean));
    }

    /** @throws IllegalArgumentException if the sizes disagree or a value is out of range */
    public LayerEnsemble {
      layers = List.copyOf(layers);
      if (layers.isEmpty()) {
        throw new IllegalArgumentException(LAYERS_KEY + ".layers is empty; expected one entry per layer");
      }
      if (distanceMean.length != layers.size() || distanceSd.length != layers.size()) {
        throw new IllegalArgumentException(LAYERS_KEY + ": " + layers.size() + " layers but " + distanceMean.length
            + " distance means and " + distanceSd.length + " standard deviations");
      }
      distanceMean = distanceMean.clone();
      distanceSd = distanceSd.clone();
      for (int l = 0; l < layers.size(); l++) {
        String field = LAYERS_KEY + ".layers[" + l + "]";
        if (layers.get(l).classCount() != layers.get(0).classCount()) {
          throw new IllegalArgumentException(field + " has " + layers.get(l).classCount()
              + " class means, layer 0 has " + layers.get(0).classCount());
        }
        if (!Double.isFinite(distanceMean[l])) {
          throw new IllegalArgumentException(field + ".distance_mean is " + distanceMean[l]
              + ", expected a finite number");
        }
        if (!(distanceSd[l] >= minDistanceSd(distanceMean[l])) || Double.isInfinite(distanceSd[l])) {
          throw new IllegalArgumentException(field + ".distance_sd is " + distanceSd[l] + ", expected a finite"
              + " standard deviation >= " + minDistanceSd(distanceMean[l]) + " (" + MIN_RELATIVE_SD
              + " x max(1, |distance_mean|))");
        }
      }
    }

    /**
     * The widths of the layers a single network of {@code layout} gives the ensemble: each residual unit's output
     * channels in order, then the last stage's channels (the pooled features).
     */
    public static int[] widths(ModelLayout layout) {
      int[] out = new int[layout.unitCount() + 1];
      for (int u = 0; u < layout.unitCount(); u++) {
        out[u] = layout.unitChannels(u);
      }
      int[] stages = layout.stageChannels();
      out[out.length - 1] = stages[stages.length - 1];
      return out;
    }

    /** Number of layers. */
    public int count() {
      return layers.size();
    }

    /** The layer's Gaussian. */
    public Mahalanobis layer(int l) {
      return layers.get(l);
    }

    /** m_l. */
    public double distanceMean(int l) {
      return distanceMean[l];
    }

    /** s_l. */
    public double distanceSd(int l) {
      return distanceSd[l];
    }

    @Override
    public double[] distanceMean() {
      return distanceMean.clone();
    }

    @Override
    public double[] distanceSd() {
      return distanceSd.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LayerEnsemble e && layers.equals(e.layers) && Arrays.equals(distanceMean, e.distanceMean)
          && Arrays.equals(distanceSd, e.distanceSd);
    }

    @Override
    public int hashCode() {
      return Objects.hash(layers, Arrays.hashCode(distanceMean), Arrays.hashCode(distanceSd));
    }
  }

  /** The bundle.json key of {@link #layers()}. */
  private static final String LAYERS_KEY = "calibration.mahalanobis_layers";
  /** The bundle.json key of {@link #background()}'s section (its threshold and the Gaussian). */
  private static final String RELATIVE_KEY = "calibration.relative_mahalanobis";
  /** The bundle.json key of {@link #neighbours()}' section (its threshold, k and sizes; the values are an entry). */
  private static final String KNN_KEY = "calibration.knn";

  /** The smallest temperature a calibration may have: the lower end of the range temperature scaling searches. */
  public static final double MIN_TEMPERATURE = 0.01;
  /** The largest temperature a calibration may have. */
  public static final double MAX_TEMPERATURE = 100;

  /** Checks every value; messages name the bundle.json field. */
  public Calibration {
    // The range temperature scaling searches: outside it T was not fitted, and a T of 1e300 would flatten every
    // window to the uniform distribution (bundle.json has no checksum).
    if (!(temperature >= MIN_TEMPERATURE * (1 - 1e-9) && temperature <= MAX_TEMPERATURE * (1 + 1e-9))) {
      throw new IllegalArgumentException("calibration.temperature is " + temperature + ", expected T in ["
          + MIN_TEMPERATURE + ", " + MAX_TEMPERATURE + "], the range temperature scaling fits it in");
    }
    Objects.requireNonNull(method, "calibration.ood_method");
    Map<OodMethod, Double> copy = new EnumMap<>(OodMethod.class);
    for (Map.Entry<OodMethod, Double> e : thresholds.entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException("calibration.thresholds." + e.getKey() + " is " + e.getValue()
            + ", expected a finite number");
      }
      copy.put(e.getKey(), e.getValue());
    }
    if (!copy.containsKey(method)) {
      throw new IllegalArgumentException("calibration.ood_method is " + method + " but calibration.thresholds has no "
          + method + " entry (it has " + copy.keySet() + ")");
    }
    if (copy.containsKey(OodMethod.MAHALANOBIS) && mahalanobis == null) {
      throw new IllegalArgumentException("calibration.thresholds has a MAHALANOBIS entry but there is no"
          + " calibration.mahalanobis section with its statistics");
    }
    if (copy.containsKey(OodMethod.MAHALANOBIS_LAYERS) != (layers != null)) {
      throw new IllegalArgumentException(layers == null ? "a MAHALANOBIS_LAYERS threshold but no " + LAYERS_KEY
          + " statistics" : LAYERS_KEY + " statistics but no MAHALANOBIS_LAYERS threshold; the two come together");
    }
    if (copy.containsKey(OodMethod.RELATIVE_MAHALANOBIS) != (background != null)) {
      throw new IllegalArgumentException(background == null ? "a RELATIVE_MAHALANOBIS threshold but no " + RELATIVE_KEY
          + ".background statistics" : RELATIVE_KEY + ".background statistics but no RELATIVE_MAHALANOBIS threshold;"
          + " the two come together");
    }
    if (background != null) {
      if (mahalanobis == null) {
        throw new IllegalArgumentException(RELATIVE_KEY + " needs the class Gaussians of calibration.mahalanobis,"
            + " and there are none");
      }
      if (background.classCount() != 1) {
        throw new IllegalArgumentException(RELATIVE_KEY + ".background.class_means has " + background.classCount()
            + " rows, expected 1 (μ_0, the mean of all training features)");
      }
      if (background.features() != mahalanobis.features()) {
        throw new IllegalArgumentException(RELATIVE_KEY + ".background has " + background.features()
            + " features, calibration.mahalanobis has " + mahalanobis.features());
      }
    }
    if (copy.containsKey(OodMethod.KNN) != (neighbours != null)) {
      throw new IllegalArgumentException(neighbours == null ? "a KNN threshold but no " + NEIGHBOURS_ENTRY
          + " training features" : NEIGHBOURS_ENTRY + " training features but no KNN threshold; the two come"
          + " together");
    }
    thresholds = Collections.unmodifiableMap(copy);
    if (!(falseAlarmRate > 0 && falseAlarmRate < 1)) {
      throw new IllegalArgumentException("calibration.false_alarm_rate is " + falseAlarmRate + ", expected a"
          + " fraction in (0, 1)");
    }
    data = data == null ? "" : data;
    if (windows < 1) {
      throw new IllegalArgumentException("calibration.windows is " + windows + ", expected at least 1");
    }
    fraction(eceBefore, "calibration.ece_before");
    fraction(eceAfter, "calibration.ece_after");
    nonNegative(nllBefore, "calibration.nll_before");
    nonNegative(nllAfter, "calibration.nll_after");
  }

  /** The threshold of the runtime's method. */
  public double threshold() {
    return thresholds.get(method);
  }

  /**
   * The rule that flags a served window unknown: its score of {@link #method()} is above {@link #threshold()}, or is
   * not a number. A NaN score (the features overflowed, the statistics do not fit the input) says nothing about the
   * window, and a plain {@code score > threshold} would let it through as classified; the model has not vouched for
   * the window, so it is unknown. (+∞ is above any finite threshold already.)
   */
  public boolean unknown(double score) {
    return flags(score, threshold());
  }

  /** The flag rule of {@link #unknown(double)} for any method's {@code threshold}: score &gt; threshold, or NaN. */
  public static boolean flags(double score, double threshold) {
    return !(score <= threshold);
  }

  /** The same calibration with the runtime using {@code other} (which must have a threshold). */
  public Calibration withMethod(OodMethod other) {
    return new Calibration(temperature, other, thresholds, falseAlarmRate, data, windows, eceBefore, eceAfter,
        nllBefore, nllAfter, mahalanobis, layers, background, neighbours);
  }

  /**
   * This calibration with the layer ensemble's statistics and threshold added (or replaced), everything else as it
   * is: how a bundle calibrated before {@link OodMethod#MAHALANOBIS_LAYERS} existed gets it without its other
   * thresholds changing.
   */
  public Calibration withLayers(LayerEnsemble stats, double threshold) {
    Map<OodMethod, Double> t = new EnumMap<>(thresholds);
    t.put(OodMethod.MAHALANOBIS_LAYERS, threshold);
    return new Calibration(temperature, method, t, falseAlarmRate, data, windows, eceBefore, eceAfter, nllBefore,
        nllAfter, mahalanobis, Objects.requireNonNull(stats, "stats"), background, neighbours);
  }

  /**
   * This calibration with the background Gaussian of {@link OodMethod#RELATIVE_MAHALANOBIS} and its threshold added
   * (or replaced), everything else as it is: how a bundle calibrated before the method existed gets it without its
   * other thresholds changing.
   */
  public Calibration withBackground(Mahalanobis gaussian, double threshold) {
    Map<OodMethod, Double> t = new EnumMap<>(thresholds);
    t.put(OodMethod.RELATIVE_MAHALANOBIS, threshold);
    return new Calibration(temperature, method, t, falseAlarmRate, data, windows, eceBefore, eceAfter, nllBefore,
        nllAfter, mahalanobis, layers, Objects.requireNonNull(gaussian, "gaussian"), neighbours);
  }

  /**
   * This calibration with the normalised training features of {@link OodMethod#KNN} and its threshold added (or
   * replaced), everything else as it is: how a bundle calibrated before the method existed gets it without its other
   * thresholds changing.
   */
  public Calibration withNeighbours(Neighbours training, double threshold) {
    Map<OodMethod, Double> t = new EnumMap<>(thresholds);
    t.put(OodMethod.KNN, threshold);
    return new Calibration(temperature, method, t, falseAlarmRate, data, windows, eceBefore, eceAfter, nllBefore,
        nllAfter, mahalanobis, layers, background, Objects.requireNonNull(training, "training"));
  }

  /**
   * Checks that the section fits a network: Mahalanobis statistics need one mean per class and as many features as
   * the last stage has channels (the pooled features).
   *
   * @throws IllegalArgumentException naming the field that does not fit
   */
  public void checkFits(ModelLayout layout) {
    int[] stages = layout.stageChannels();
    checkFits(layout.classes(), stages[stages.length - 1], LayerEnsemble.widths(layout));
  }

  /**
   * As {@link #checkFits(ModelLayout)} for a model of {@code classes} classes that pools {@code features} features (an
   * ensemble pools its members' features, concatenated) and whose layers have {@code layerWidths} features
   * ({@link LayerEnsemble#widths}; null for an ensemble, which has no layer ensemble).
   */
  public void checkFits(int classes, int features, int[] layerWidths) {
    if (layers != null) {
      if (layerWidths == null) {
        throw new IllegalArgumentException(LAYERS_KEY + " is for a single network; this bundle is an ensemble");
      }
      if (layers.count() != layerWidths.length) {
        throw new IllegalArgumentException(LAYERS_KEY + " has " + layers.count() + " layers, the network has "
            + layerWidths.length + " (its residual units and the pooled features)");
      }
      for (int l = 0; l < layerWidths.length; l++) {
        checkFits(layers.layer(l), LAYERS_KEY + ".layers[" + l + "]", classes, layerWidths[l]);
      }
    }
    if (mahalanobis != null) {
      checkFits(mahalanobis, "calibration.mahalanobis", classes, features);
    }
    if (background != null) {
      checkFits(background, RELATIVE_KEY + ".background", 1, features);
    }
    if (neighbours != null && neighbours.features() != features) {
      throw new IllegalArgumentException(KNN_KEY + ".features is " + neighbours.features() + ", the network pools "
          + features + " (its last stage's channels; an ensemble's members' together)");
    }
  }

  private static void checkFits(Mahalanobis mahalanobis, String field, int classes, int features) {
    if (mahalanobis.classMeans.length != classes) {
      throw new IllegalArgumentException(field + ".class_means has " + mahalanobis.classMeans.length
          + " rows, the network has " + classes + " classes");
    }
    if (mahalanobis.features() != features) {
      throw new IllegalArgumentException(field + " has " + mahalanobis.features() + " features, the network"
          + (field.startsWith(LAYERS_KEY) ? "'s layer has " + features : " pools " + features + " (its last stage's"
          + " channels; an ensemble's members' together)"));
    }
  }

  /** The section as bundle.json holds it (JSON values as {@code contract.io.Json} writes them). */
  public Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("temperature", temperature);
    root.put("ood_method", method.name());
    Map<String, Object> t = new LinkedHashMap<>();
    thresholds.forEach((m, v) -> {
      // in their own sections, for older readers (see the class comment)
      if (m != OodMethod.MAHALANOBIS_LAYERS && m != OodMethod.RELATIVE_MAHALANOBIS && m != OodMethod.KNN) {
        t.put(m.name(), v);
      }
    });
    root.put("thresholds", t);
    root.put("false_alarm_rate", falseAlarmRate);
    root.put("data", data);
    root.put("windows", (long) windows);
    root.put("ece_before", eceBefore);
    root.put("ece_after", eceAfter);
    root.put("nll_before", nllBefore);
    root.put("nll_after", nllAfter);
    if (mahalanobis != null) {
      root.put("mahalanobis", toJson(mahalanobis));
    }
    if (layers != null) {
      List<Object> all = new ArrayList<>();
      for (int l = 0; l < layers.count(); l++) {
        Map<String, Object> m = toJson(layers.layer(l));
        m.put("distance_mean", layers.distanceMean[l]);
        m.put("distance_sd", layers.distanceSd[l]);
        all.add(m);
      }
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("threshold", thresholds.get(OodMethod.MAHALANOBIS_LAYERS));
      section.put("layers", all);
      root.put("mahalanobis_layers", section);
    }
    if (background != null) {
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("threshold", thresholds.get(OodMethod.RELATIVE_MAHALANOBIS));
      section.put("background", toJson(background));
      root.put("relative_mahalanobis", section);
    }
    if (neighbours != null) {
      // The values are the NEIGHBOURS_ENTRY; the bundle adds its SHA-256 here when it writes the archive.
      Map<String, Object> section = new LinkedHashMap<>();
      section.put("threshold", thresholds.get(OodMethod.KNN));
      section.put("k", (long) neighbours.k());
      section.put("windows", (long) neighbours.count());
      section.put("features", (long) neighbours.features());
      root.put("knn", section);
    }
    return root;
  }

  private static Map<String, Object> toJson(Mahalanobis mahalanobis) {
    Map<String, Object> m = new LinkedHashMap<>();
    int d = mahalanobis.features();
    m.put("features", (long) d);
    List<Object> means = new ArrayList<>();
    for (double[] row : mahalanobis.classMeans) {
      means.add(numbers(row, 0, d));
    }
    m.put("class_means", means);
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      rows.add(numbers(mahalanobis.precision, i * d, d));
    }
    m.put("precision", rows);
    return m;
  }

  private static List<Object> numbers(double[] values, int from, int count) {
    List<Object> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(values[from + i]);
    }
    return out;
  }

  /**
   * Reads the section from bundle.json's parsed JSON, checking every value against the network before allocating
   * anything sized by the file.
   *
   * @throws IllegalArgumentException naming the field ({@code calibration.…}) and what was expected
   */
  public static Calibration fromJson(Object node, ModelLayout layout) {
    int[] stages = layout.stageChannels();
    return fromJson(node, layout.classes(), stages[stages.length - 1], LayerEnsemble.widths(layout), null);
  }

  /**
   * As {@link #fromJson(Object, ModelLayout)} for a model of {@code classes} classes pooling {@code features}, with
   * layers of {@code layerWidths} features (null for an ensemble: see {@link #checkFits(int, int, int[])}).
   *
   * @param neighbourValues the {@value #NEIGHBOURS_ENTRY} entry's values (checked against the section's SHA-256 by
   *     the caller), or null when the archive has none
   */
  public static Calibration fromJson(Object node, int classes, int features, int[] layerWidths,
      float[] neighbourValues) {
    Map<String, Object> root = object(node, "calibration");
    Map<OodMethod, Double> thresholds = new EnumMap<>(OodMethod.class);
    for (Map.Entry<String, Object> e : object(root.get("thresholds"), "calibration.thresholds").entrySet()) {
      OodMethod m = method(e.getKey(), "calibration.thresholds");
      if (m == OodMethod.MAHALANOBIS_LAYERS || m == OodMethod.RELATIVE_MAHALANOBIS || m == OodMethod.KNN) {
        throw new IllegalArgumentException("calibration.thresholds has a " + m + " entry; its threshold belongs in "
            + (m == OodMethod.MAHALANOBIS_LAYERS ? LAYERS_KEY : m == OodMethod.KNN ? KNN_KEY : RELATIVE_KEY)
            + ".threshold");
      }
      thresholds.put(m, number(e.getValue(), "calibration.thresholds." + e.getKey()));
    }
    OodMethod method = method(text(root.get("ood_method"), "calibration.ood_method"), "calibration.ood_method");
    if (method == OodMethod.MAHALANOBIS_LAYERS && !root.containsKey("mahalanobis_layers")) {
      throw new IllegalArgumentException("calibration.ood_method is MAHALANOBIS_LAYERS but there is no " + LAYERS_KEY
          + " section with its statistics and threshold (recalibrate the bundle with this drsn)");
    }
    if (method == OodMethod.RELATIVE_MAHALANOBIS && !root.containsKey("relative_mahalanobis")) {
      throw new IllegalArgumentException("calibration.ood_method is RELATIVE_MAHALANOBIS but there is no "
          + RELATIVE_KEY + " section with its background Gaussian and threshold (recalibrate the bundle with this"
          + " drsn)");
    }
    if (method == OodMethod.KNN && !root.containsKey("knn")) {
      throw new IllegalArgumentException("calibration.ood_method is KNN but there is no " + KNN_KEY + " section"
          + " with its threshold and normalised training features (recalibrate the bundle with this drsn)");
    }
    Mahalanobis mahalanobis = root.containsKey("mahalanobis")
        ? mahalanobis(object(root.get("mahalanobis"), "calibration.mahalanobis"), "calibration.mahalanobis", classes,
            features, " pools " + features + " features (its last stage's channels; an ensemble's members' together)")
        : null;
    LayerEnsemble layers = null;
    if (root.containsKey("mahalanobis_layers")) {
      if (layerWidths == null) {
        throw new IllegalArgumentException(LAYERS_KEY + " is for a single network; this bundle is an ensemble");
      }
      Map<String, Object> section = object(root.get("mahalanobis_layers"), LAYERS_KEY);
      thresholds.put(OodMethod.MAHALANOBIS_LAYERS, number(section.get("threshold"), LAYERS_KEY + ".threshold"));
      List<Object> all = list(section.get("layers"), LAYERS_KEY + ".layers", layerWidths.length);
      List<Mahalanobis> stats = new ArrayList<>();
      double[] mean = new double[all.size()];
      double[] sd = new double[all.size()];
      for (int l = 0; l < all.size(); l++) {
        String field = LAYERS_KEY + ".layers[" + l + "]";
        Map<String, Object> m = object(all.get(l), field);
        stats.add(mahalanobis(m, field, classes, layerWidths[l], "'s layer has " + layerWidths[l] + " channels"));
        mean[l] = number(m.get("distance_mean"), field + ".distance_mean");
        sd[l] = number(m.get("distance_sd"), field + ".distance_sd");
      }
      layers = new LayerEnsemble(stats, mean, sd);
    }
    Mahalanobis background = null;
    if (root.containsKey("relative_mahalanobis")) {
      Map<String, Object> section = object(root.get("relative_mahalanobis"), RELATIVE_KEY);
      thresholds.put(OodMethod.RELATIVE_MAHALANOBIS, number(section.get("threshold"), RELATIVE_KEY + ".threshold"));
      background = mahalanobis(object(section.get("background"), RELATIVE_KEY + ".background"), RELATIVE_KEY
          + ".background", 1, features, " pools " + features + " features (its last stage's channels; an ensemble's"
          + " members' together)");
    }
    Neighbours neighbours = null;
    if (root.containsKey("knn")) {
      Map<String, Object> section = object(root.get("knn"), KNN_KEY);
      thresholds.put(OodMethod.KNN, number(section.get("threshold"), KNN_KEY + ".threshold"));
      double k = number(section.get("k"), KNN_KEY + ".k");
      double n = number(section.get("windows"), KNN_KEY + ".windows");
      double d = number(section.get("features"), KNN_KEY + ".features");
      if (d != features) {
        throw new IllegalArgumentException(KNN_KEY + ".features is " + section.get("features") + ", the network"
            + " pools " + features + " features (its last stage's channels; an ensemble's members' together)");
      }
      if (neighbourValues == null) {
        throw new IllegalArgumentException(KNN_KEY + " is present but the archive has no " + NEIGHBOURS_ENTRY
            + " entry with its training features (the bundle is incomplete)");
      }
      if (n != Math.rint(n) || k != Math.rint(k) || n * d != neighbourValues.length) {
        throw new IllegalArgumentException(NEIGHBOURS_ENTRY + " holds " + neighbourValues.length + " values, "
            + KNN_KEY + " records " + section.get("windows") + " windows x " + section.get("features")
            + " features (and k " + section.get("k") + ")");
      }
      neighbours = new Neighbours((int) k, features, neighbourValues);
    }
    double windows = number(root.get("windows"), "calibration.windows");
    if (windows != Math.rint(windows) || windows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("calibration.windows is " + root.get("windows") + ", expected a count");
    }
    Object data = root.get("data");
    if (data != null && !(data instanceof String)) {
      throw new IllegalArgumentException("calibration.data must be text, found " + data);
    }
    Calibration c = new Calibration(number(root.get("temperature"), "calibration.temperature"), method, thresholds,
        number(root.get("false_alarm_rate"), "calibration.false_alarm_rate"), (String) data, (int) windows,
        number(root.get("ece_before"), "calibration.ece_before"), number(root.get("ece_after"), "calibration.ece_after"),
        number(root.get("nll_before"), "calibration.nll_before"), number(root.get("nll_after"), "calibration.nll_after"),
        mahalanobis, layers, background, neighbours);
    c.checkFits(classes, features, layerWidths);
    return c;
  }

  /**
   * One tied Gaussian ({@code field}: features, class_means, precision) of {@code d} features, checked before anything
   * sized by the file is allocated; {@code network} completes "the network…" in the message of a wrong width.
   */
  private static Mahalanobis mahalanobis(Map<String, Object> m, String field, int classes, int d, String network) {
    double recorded = number(m.get("features"), field + ".features");
    if (recorded != d) {
      throw new IllegalArgumentException(field + ".features is " + m.get("features") + ", the network" + network);
    }
    if (d > MAX_FEATURES) {
      throw new IllegalArgumentException(field + ": the network" + network + ", more than the " + MAX_FEATURES
          + " a bundle may hold statistics for");
    }
    List<Object> means = list(m.get("class_means"), field + ".class_means", classes);
    double[][] mu = new double[means.size()][];
    for (int k = 0; k < mu.length; k++) {
      mu[k] = row(means.get(k), field + ".class_means[" + k + "]", d);
    }
    List<Object> rows = list(m.get("precision"), field + ".precision", d);
    double[] precision = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(row(rows.get(i), field + ".precision[" + i + "]", d), 0, precision, i * d, d);
    }
    return Mahalanobis.of(mu, precision, field);
  }

  private static double[] row(Object node, String field, int expected) {
    List<Object> values = list(node, field, expected);
    double[] out = new double[expected];
    for (int i = 0; i < expected; i++) {
      out[i] = number(values.get(i), field + "[" + i + "]");
    }
    return finite(out, field);
  }

  private static List<Object> list(Object node, String field, int expected) {
    if (!(node instanceof List<?> l)) {
      throw new IllegalArgumentException(field + " must be an array, found " + node);
    }
    if (l.size() != expected) {
      throw new IllegalArgumentException(field + " has " + l.size() + " entries, expected " + expected);
    }
    @SuppressWarnings("unchecked")
    List<Object> values = (List<Object>) l;
    return values;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object node, String field) {
    if (!(node instanceof Map)) {
      throw new IllegalArgumentException(field + " must be an object, found " + node);
    }
    return (Map<String, Object>) node;
  }

  private static String text(Object node, String field) {
    if (!(node instanceof String s)) {
      throw new IllegalArgumentException("missing text field " + field);
    }
    return s;
  }

  private static double number(Object node, String field) {
    if (!(node instanceof Number n)) {
      throw new IllegalArgumentException(field + " must be a number, found " + node);
    }
    return n.doubleValue();
  }

  private static OodMethod method(String name, String field) {
    for (OodMethod m : OodMethod.values()) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(field + " names '" + name + "', expected one of "
        + Arrays.toString(OodMethod.values()));
  }

  private static double[] finite(double[] values, String field) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(field + "[" + i + "] is " + values[i] + ", expected a finite number");
      }
    }
    return values;
  }

  private static void fraction(double v, String field) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(field + " is " + v + ", expected a fraction in [0, 1]");
    }
  }

  private static void nonNegative(double v, String field) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + " is " + v + ", expected a finite number >= 0");
    }
  }
}
