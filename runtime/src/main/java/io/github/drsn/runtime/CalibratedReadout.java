package io.github.drsn.runtime;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.runtime.calibration.OodScores;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Diagnoser} turns one healthy window's network outputs into its answer, under the bundle's
 * {@link Calibration} section: the one home of this step, so that every implementation answers alike on one bundle
 * ({@link LeanDiagnoser} computes the outputs in plain Java, the DL4J reference {@code Dl4jDiagnoser} of drsn-model
 * with DL4J, and both hand them here).
 *
 * <ul>
 *   <li>The probabilities are softmax(z / T) of the raw logits z at the calibration's temperature (T = 1 for an
 *       uncalibrated bundle): {@link #softmax}, which the lean network's own forward pass also uses. An ensemble's
 *       probabilities are pooled first ({@link EnsembleAverage}: softmax(log p̄ / T)).
 *   <li>The out-of-distribution score is that of the calibration's method ({@link #score}): from the logits
 *       ({@link OodMethod#MAX_SOFTMAX}, {@link OodMethod#ENERGY}), the pooled features ({@link OodMethod#MAHALANOBIS},
 *       {@link OodMethod#RELATIVE_MAHALANOBIS}, {@link OodMethod#KNN}), every layer's features
 *       ({@link OodMethod#MAHALANOBIS_LAYERS}: each residual unit's output averaged over time, then the pooled
 *       features) or an ensemble's members' probabilities ({@link OodMethod#ENSEMBLE_DISAGREEMENT}), by
 *       {@link OodScores}. An uncalibrated bundle has no score (NaN).
 *   <li>The outcome ({@link #diagnosis}): {@link Diagnosis.Outcome#UNKNOWN} when {@link Calibration#unknown} says so
 *       (the score is above the method's threshold, or NaN), else the most probable class; an uncalibrated bundle
 *       never answers unknown.
 * </ul>
 * The input-health check comes before all of this ({@link Diagnoser#health}): an unhealthy window has no outputs.
 *
 * <p>Immutable and thread-safe; {@link #softmax}, {@link #probabilities} and {@link #score} allocate nothing (callers
 * pass their working memory, {@link #workLength()} doubles), {@link #diagnose} allocates.
 */
public final class CalibratedReadout {

  private final List<String> classes;
  private final Calibration calibration;
  private final double temperature;
  private final int pooledFeatures;
  private final int[] layerWidths;
  private final boolean scoresLayers;
  private final int workLength;

  /**
   * @param classes class names in output order
   * @param calibration the bundle's calibration section, or null for an uncalibrated bundle
   * @param pooledFeatures the number of pooled features (of an ensemble, its members' together)
   * @param layerWidths features per layer of the layer ensemble ({@link Calibration.LayerEnsemble#widths}) of a single
   *     network, or null for an ensemble (which has none)
   * @throws IllegalArgumentException if the calibration does not fit these sizes ({@link Calibration#checkFits})
   */
  public CalibratedReadout(List<String> classes, Calibration calibration, int pooledFeatures, int[] layerWidths) {
    this.classes = List.copyOf(classes);
    this.calibration = calibration;
    this.temperature = calibration == null ? 1.0 : calibration.temperature();
    this.pooledFeatures = pooledFeatures;
    this.layerWidths = layerWidths == null ? null : layerWidths.clone();
    if (calibration != null) {
      calibration.checkFits(classes.size(), pooledFeatures, layerWidths);
    }
    this.scoresLayers = calibration != null && calibration.method() == OodMethod.MAHALANOBIS_LAYERS;
    int widest = pooledFeatures;
    if (layerWidths != null) {
      for (int w : layerWidths) {
        widest = Math.max(widest, w);
      }
    }
    this.workLength = OodScores.workLength(calibration == null ? null : calibration.method(), calibration, widest);
  }

  /** The readout of a bundle: its classes, calibration (or none), pooled features and layer widths. */
  public static CalibratedReadout of(Bundle bundle) {
    return new CalibratedReadout(bundle.classes(), bundle.calibration(), bundle.pooledFeatures(),
        bundle.isEnsemble() ? null : Calibration.LayerEnsemble.widths(bundle.layout()));
  }

  /** Class names in output order. */
  public List<String> classes() {
    return classes;
  }

  /** The calibration section, or null for an uncalibrated bundle. */
  public Calibration calibration() {
    return calibration;
  }

  /** The temperature T of the probabilities (1 for an uncalibrated bundle). */
  public double temperature() {
    return temperature;
  }

  /** The number of pooled features {@link #score} reads. */
  public int pooledFeatures() {
    return pooledFeatures;
  }

  /** Features per layer of the layer ensemble, or null for an ensemble. */
  public int[] layerWidths() {
    return layerWidths == null ? null : layerWidths.clone();
  }

  /**
   * Whether {@link #score} needs every layer's features ({@link OodMethod#MAHALANOBIS_LAYERS} is the calibration's
   * method), so that the forward pass must give each residual unit's time-averaged output.
   */
  public boolean scoresLayers() {
    return scoresLayers;
  }

  /** Doubles of working memory {@link #score} needs. */
  public int workLength() {
    return workLength;
  }

  /**
   * softmax(z / T) of the first {@code n} logits, in double precision with the maximum subtracted, rounded to float
   * (temperature scaling, Guo et al., ICML 2017; at T = 1 the logits are not divided).
   *
   * @param logits z, before any temperature (left unchanged)
   * @param work at least {@code n} doubles of working memory
   * @param out receives {@code n} probabilities
   * @throws IllegalArgumentException if the temperature is not finite and &gt; 0
   */
  public static void softmax(double[] logits, int n, double temperature, double[] work, float[] out) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      work[k] = temperature == 1.0 ? logits[k] : logits[k] / temperature;
      max = Math.max(max, work[k]);
    }
    double norm = 0;
    for (int k = 0; k < n; k++) {
      work[k] = Math.exp(work[k] - max);
      norm += work[k];
    }
    for (int k = 0; k < n; k++) {
      out[k] = (float) (work[k] / norm);
    }
  }

  /**
   * The calibrated probabilities softmax(z / T) of one network's logits ({@link #softmax} at {@link #temperature()}).
   *
   * @param work at least {@code classes().size()} doubles
   */
  public void probabilities(double[] logits, double[] work, float[] out) {
    softmax(logits, classes.size(), temperature, work, out);
  }

  /**
   * The score of the calibration's method for one window's outputs; NaN for an uncalibrated bundle.
   *
   * @param logits the raw logits (of an ensemble: log p̄, {@link EnsembleAverage#logits})
   * @param pooled the pooled features (of an ensemble: its members' concatenated in member order)
   * @param layers for {@link #scoresLayers()}: one row per layer of {@link #layerWidths()}; the rows of the residual
   *     units filled, the last (the pooled features) is filled here from {@code pooled}; else unused, may be null
   * @param memberProbabilities an ensemble's members' probabilities at T = 1, for
   *     {@link OodMethod#ENSEMBLE_DISAGREEMENT}; null for a single network
   * @param mean their mean ({@link EnsembleAverage#mean}); null for a single network
   * @param work at least {@link #workLength()} doubles
   * @throws IllegalArgumentException if the method needs what was not given (layers, an ensemble's members) or
   *     statistics the calibration lacks
   */
  public double score(double[] logits, double[] pooled, double[][] layers, double[][] memberProbabilities,
      double[] mean, double[] work) {
    if (calibration == null) {
      return Double.NaN;
    }
    OodMethod method = calibration.method();
    if (method == OodMethod.ENSEMBLE_DISAGREEMENT) {
      if (memberProbabilities == null || mean == null) {
        throw new IllegalArgumentException(method + " is the disagreement of an ensemble's members; none were given");
      }
      return EnsembleAverage.disagreement(memberProbabilities, mean, classes.size());
    }
    if (scoresLayers) {
      if (layers == null) {
        throw new IllegalArgumentException(method + " needs every residual unit's time-averaged output; none were"
            + " given");
      }
      lastLayer(pooled, layers);
    }
    return OodScores.score(method, logits, classes.size(), calibration, pooled, layers, work);
  }

  /**
   * The diagnosis of a healthy window from its calibrated probabilities and its score: unknown when the calibration
   * says so ({@link Calibration#unknown}), else the most probable class; an uncalibrated bundle's (score ignored)
   * never unknown.
   *
   * @param probabilities calibrated probabilities (owned by the diagnosis afterwards)
   */
  public Diagnosis diagnosis(float[] probabilities, double score) {
    if (calibration == null) {
      return Diagnosis.of(probabilities, classes, 0);
    }
    return Diagnosis.of(probabilities, classes, 0, score, calibration.unknown(score));
  }

  /**
   * The diagnosis of a healthy window of a single network from its raw outputs: {@link #probabilities},
   * {@link #score} and {@link #diagnosis} in one call (allocates its working memory).
   *
   * @param logits raw logits (before any temperature)
   * @param pooled pooled features
   * @param layers as for {@link #score}; may be null unless {@link #scoresLayers()}
   * @throws IllegalArgumentException as {@link #score}, or for arrays of the wrong sizes
   */
  public Diagnosis diagnose(double[] logits, double[] pooled, double[][] layers) {
    if (logits.length != classes.size() || pooled.length != pooledFeatures) {
      throw new IllegalArgumentException(logits.length + " logits and " + pooled.length + " pooled features given;"
          + " the model has " + classes.size() + " classes and pools " + pooledFeatures + " features");
    }
    if (layers != null && layerWidths != null) {
      boolean fits = layers.length == layerWidths.length;
      for (int l = 0; fits && l < layers.length; l++) {
        fits = layers[l].length == layerWidths[l];
      }
      if (!fits) {
        throw new IllegalArgumentException("layer rows of the wrong sizes; the model's layers have "
            + Arrays.toString(layerWidths) + " features");
      }
    }
    float[] p = new float[classes.size()];
    double[] work = new double[Math.max(workLength, classes.size())];
    probabilities(logits, work, p);
    return diagnosis(p, score(logits, pooled, layers, null, null, work));
  }

  /** Fills the last layer of the layer ensemble, the pooled features, from {@code pooled}. */
  public static void lastLayer(double[] pooled, double[][] layers) {
    Objects.requireNonNull(layers, "layers");
    double[] last = layers[layers.length - 1];
    System.arraycopy(pooled, 0, last, 0, last.length);
  }
}
