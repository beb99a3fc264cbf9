package io.github.drsn.runtime;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.BundleFormatException;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.runtime.impl.LeanNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The plain-Java {@link Diagnoser}: reads a drsn model bundle directly (no DL4J, no native code) and runs
 * the network's inference forward pass over float arrays ({@code impl.LeanNetwork}: batch norm folded at
 * load time, group norm, soft thresholds, pooling, dense, softmax; with the Vector API module present, as the
 * {@code drsn} launcher adds it, batch-norm networks of kernel 3 run a vectorised pass, {@code impl.VectorForward}).
 * Its probabilities match the DL4J model's within 1e-4 (tested for every architecture).
 *
 * <p>Immutable and thread-safe: parameters are read-only after loading; each calling thread gets its own
 * working memory (a {@link ThreadLocal}; for the paper's network ~180 KB with the scalar pass, ~90 KB with the vector
 * pass, and 8 bytes per training window more when the runtime method is the nearest-neighbour distance, whose
 * distances it holds), so {@link #predict} allocates nothing per window in steady state.
 *
 * <p>A bundle with a {@link Calibration} section gives calibrated probabilities, softmax(z / T), everywhere
 * ({@link #predict} included), and {@link #classify} computes the section's out-of-distribution score and answers
 * {@link Diagnosis.Outcome#UNKNOWN} above its threshold. A bundle without one behaves exactly as before (T = 1, no
 * score, never unknown). Probabilities, score and outcome come from the pass's outputs through
 * {@link CalibratedReadout}, the code the DL4J diagnoser of drsn-model hands its outputs to as well. Only a bundle
 * that thresholds the layer ensemble ({@link io.github.drsn.contract.OodMethod#MAHALANOBIS_LAYERS}) has the passes
 * that score it ({@link #classify}, {@link #predictScored}) also average every residual unit's output (one more pass
 * over each unit's output, nothing allocated); {@link #predict} never does.
 *
 * <p>An ensemble bundle ({@link Bundle#isEnsemble()}) runs every member and answers the mean of their softmax
 * probabilities ({@link EnsembleAverage}); its temperature applies to the pooled prediction, softmax(log p̄ / T), not
 * to each member, and its raw outputs ({@link #rawOutputs}) are log p̄ and the members' pooled features concatenated.
 * {@link #disagreement} gives the members' disagreement, an uncertainty signal beside the calibrated OOD score (and
 * the score itself with {@link io.github.drsn.contract.OodMethod#ENSEMBLE_DISAGREEMENT}).
 *
 * <pre>{@code
 * Diagnoser d = LeanDiagnoser.load(Path.of("drsn-cw.zip"));
 * Diagnosis r = d.classify(window);   // 2048 samples at 12 kHz
 * }</pre>
 */
public final class LeanDiagnoser implements Diagnoser {

  private final Bundle bundle;
  private final LeanNetwork network;
  /** Every member's network, {@link #network} first; one entry for a single-network bundle. */
  private final List<LeanNetwork> members;
  private final Preprocessor preprocessor;
  private final HealthCheck healthCheck;
  private final ThreadLocal<Work> work;
  private final double temperature;
  private final Calibration calibration;
  /** What turns a pass's outputs into probabilities, score and diagnosis (shared with the DL4J diagnoser). */
  private final CalibratedReadout readout;
  /** Features per layer of the layer ensemble ({@link Calibration.LayerEnsemble#widths}), or null for an ensemble. */
  private final int[] layerWidths;
  /** Whether {@link #classify} scores the layer ensemble, so that its forward passes must give every unit's means. */
  private final boolean scoresLayers;

  private LeanDiagnoser(Bundle bundle, HealthCheck healthCheck) {
    this(bundle, bundle.members().stream().map(m -> new LeanNetwork(m.layout(), m.floatParameters())).toList(),
        healthCheck);
  }

  private LeanDiagnoser(Bundle bundle, List<LeanNetwork> members, HealthCheck healthCheck) {
    this.bundle = bundle;
    this.members = members;
    this.network = members.get(0);
    this.preprocessor = new Preprocessor(bundle.input());
    this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
    this.readout = CalibratedReadout.of(bundle);
    this.calibration = readout.calibration();
    this.temperature = readout.temperature();
    this.layerWidths = readout.layerWidths();
    this.scoresLayers = readout.scoresLayers();
    this.work = ThreadLocal.withInitial(this::newWork);
  }

  private Work newWork() {
    int pooled = bundle.pooledFeatures();
    int classes = bundle.classes().size();
    int count = members.size();
    double[][] layers = null;
    LeanNetwork.UnitProbe probe = null;
    if (layerWidths != null) {
      layers = new double[layerWidths.length][];
      for (int l = 0; l < layers.length; l++) {
        layers[l] = new double[layerWidths[l]];
      }
      double[][] into = layers;
      probe = (unit, means, channels) -> System.arraycopy(means, 0, into[unit], 0, channels);
    }
    return new Work(network.newScratch(), new float[bundle.input().channels() * bundle.input().featureLength()],
        preprocessor.newScratch(), new double[classes], new double[pooled],
        new double[readout.workLength()],
        members.stream().map(LeanNetwork::newScratch).toArray(LeanNetwork.Scratch[]::new), new float[count][classes],
        new double[count][classes], new double[classes], layers, probe);
  }

  /**
   * Per-thread working memory; four serve ensembles: each member's scratch, probabilities (float, as the network
   * writes them, and double), and their mean; the last two a single network's layer features (of the last pass that
   * asked for them) and the probe that fills them (null for an ensemble).
   */
  private record Work(LeanNetwork.Scratch scratch, float[] features, double[] normalization, double[] logits,
      double[] pooled, double[] distance, LeanNetwork.Scratch[] scratches, float[][] memberFloat,
      double[][] memberProbabilities, double[] mean, double[][] layers, LeanNetwork.UnitProbe unitProbe) {
  }

  /**
   * Loads a bundle written by {@link Bundle#write} (any format version {@link Bundle#read} reads), with the default
   * {@link HealthCheck}.
   *
   * @throws BundleFormatException if the file is missing, truncated, corrupt or inconsistent, or a double-precision
   *     bundle holds a parameter beyond the float32 range this runtime computes in (the message names it)
   * @throws IOException on other read errors
   */
  public static LeanDiagnoser load(Path bundle) throws IOException {
    return load(bundle, HealthCheck.DEFAULT);
  }

  /** As {@link #load(Path)} with explicit health thresholds. */
  public static LeanDiagnoser load(Path bundle, HealthCheck healthCheck) throws IOException {
    Bundle read = Bundle.read(bundle);
    // It computes in float32: a double bundle's weight beyond that range would be an infinity, every output NaN.
    read.requireFloatRange(bundle);
    return new LeanDiagnoser(read, healthCheck);
  }

  /** The diagnoser of a bundle already read (e.g. to look at its metadata too), with the default health checks. */
  public static LeanDiagnoser of(Bundle bundle) {
    return new LeanDiagnoser(bundle, HealthCheck.DEFAULT);
  }

  /** The bundle it was loaded from. */
  public Bundle bundle() {
    return bundle;
  }

  /** The same model with other health thresholds (shares the network and its parameters). */
  public LeanDiagnoser withHealthCheck(HealthCheck healthCheck) {
    return new LeanDiagnoser(bundle, members, healthCheck);
  }

  /**
   * Whether every network's forward pass runs in Vector API registers ({@code impl.VectorForward}): the JVM has the
   * module {@code jdk.incubator.vector} (the {@code drsn} launcher adds it), {@code -Ddrsn.vector=false} is not set
   * ({@link VectorApi}) and the layout is one that pass covers; else the scalar loops run.
   */
  public boolean vectorised() {
    return members.stream().allMatch(LeanNetwork::vectorised);
  }

  /** The number of networks whose probabilities are averaged (1 for a single-network bundle). */
  public int memberCount() {
    return members.size();
  }

  @Override
  public List<String> classes() {
    return bundle.classes();
  }

  @Override
  public InputSpec inputSpec() {
    return bundle.input();
  }

  @Override
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /** The architecture's bundle name, e.g. "drsn-cw". */
  public String architecture() {
    return bundle.layout().architecture().label();
  }

  @Override
  public int predict(float[] window, float[] probabilities) {
    return pass(window, probabilities, null, false);
  }

  /**
   * Preprocesses {@code window} and runs {@link #forward}; {@code layers} only on the paths that score the layer
   * ensemble ({@link #classify}, {@link #predictScored}), so that a plain prediction never averages the units.
   */
  private int pass(float[] window, float[] probabilities, LeanNetwork.ShrinkageProbe probe, boolean layers) {
    if (probabilities.length != bundle.classes().size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + bundle.classes().size() + " classes");
    }
    Work w = work.get();
    preprocessor.apply(window, w.features(), w.normalization());
    forward(w, probabilities, temperature, probe, layers);
    return Diagnosis.argMax(probabilities);
  }

  /**
   * One forward pass of the preprocessed window in {@code w}: a single network as it always ran (with {@code layers},
   * also every unit's channel means into {@code w.layers()}); an ensemble's members at T = 1, then their mean, its
   * logits log p̄ (left in {@code w.logits()}) and the calibrated probabilities.
   */
  private void forward(Work w, float[] probabilities, double t, LeanNetwork.ShrinkageProbe probe, boolean layers) {
    if (members.size() == 1) {
      network.forward(w.features(), w.scratch(), probabilities, t, probe, layers ? w.unitProbe() : null);
      return;
    }
    int classes = probabilities.length;
    for (int m = 0; m < members.size(); m++) {
      members.get(m).forward(w.features(), w.scratches()[m], w.memberFloat()[m], 1.0, m == 0 ? probe : null);
      for (int k = 0; k < classes; k++) {
        w.memberProbabilities()[m][k] = w.memberFloat()[m][k];
      }
    }
    EnsembleAverage.mean(w.memberProbabilities(), classes, w.mean());
    EnsembleAverage.logits(w.mean(), classes, w.logits());
    EnsembleAverage.calibrated(w.mean(), w.logits(), classes, t, probabilities);
  }

  /**
   * The disagreement of an ensemble's members on one window, (1/M) Σ_m KL(p_m ‖ p̄) ({@link EnsembleAverage}),
   * after the model's preprocessing and without health check; 0 for a single network (nothing to disagree with).
   */
  public double disagreement(float[] window) {
    if (members.size() == 1) {
      return 0;
    }
    Work w = work.get();
    preprocessor.apply(window, w.features(), w.normalization());
    forward(w, new float[bundle.classes().size()], temperature, null, false);
    return EnsembleAverage.disagreement(w.memberProbabilities(), w.mean(), bundle.classes().size());
  }

  /**
   * As {@link #predict(float[], float[])}, reporting each residual shrinkage unit's learned thresholds for this
   * window to {@code probe} (see {@link LeanNetwork.ShrinkageProbe}); for explanations, not the monitoring path.
   * The probabilities are calibrated as {@link #predict(float[], float[])}'s; of an ensemble, only the first member's
   * units are reported (the probabilities are the ensemble's).
   */
  public int predict(float[] window, float[] probabilities, LeanNetwork.ShrinkageProbe probe) {
    return pass(window, probabilities, probe, false);
  }

  /** The bundle's calibration section, or null for an uncalibrated model. */
  public Calibration calibration() {
    return calibration;
  }

  /**
   * As {@link Diagnoser#classify(float[])}, with the calibrated probabilities and, for a calibrated bundle, the
   * out-of-distribution score of its method: {@link Diagnosis.Outcome#UNKNOWN} when the score is above its threshold
   * or is NaN ({@link Calibration#unknown}).
   */
  @Override
  public Diagnosis classify(float[] window) {
    InputHealth health = health(window);
    if (!health.healthy()) {
      return Diagnosis.unhealthy(health);
    }
    float[] p = new float[classes().size()];
    pass(window, p, null, scoresLayers);
    return readout.diagnosis(p, calibration == null ? Double.NaN : lastScore(work.get()));
  }

  /**
   * As {@link Diagnoser#predictScored}: one forward pass into the caller's buffer and, for a calibrated bundle, the
   * score of its method from that pass's outputs (no health check; nothing allocated in steady state).
   */
  @Override
  public double predictScored(float[] window, float[] probabilities) {
    pass(window, probabilities, null, scoresLayers);
    return calibration == null ? Double.NaN : lastScore(work.get());
  }

  /** The calibration method's score of the last forward pass in {@code w} ({@link CalibratedReadout#score}). */
  private double lastScore(Work w) {
    copyOutputs(w, w.logits(), w.pooled());
    boolean ensemble = members.size() > 1;
    return readout.score(w.logits(), w.pooled(), w.layers(), ensemble ? w.memberProbabilities() : null,
        ensemble ? w.mean() : null, w.distance());
  }

  /**
   * The last pass's logits (of an ensemble: log p̄, already in {@code w.logits()}) and pooled features (of an
   * ensemble: the members' concatenated in member order).
   */
  private void copyOutputs(Work w, double[] logits, double[] pooled) {
    if (members.size() == 1) {
      for (int k = 0; k < logits.length; k++) {
        logits[k] = w.scratch().logit(k);
      }
      for (int c = 0; c < pooled.length; c++) {
        pooled[c] = w.scratch().pooled(c);
      }
      return;
    }
    if (logits != w.logits()) {
      System.arraycopy(w.logits(), 0, logits, 0, logits.length);
    }
    int at = 0;
    for (LeanNetwork.Scratch s : w.scratches()) {
      for (int c = 0; c < s.featureCount(); c++) {
        pooled[at++] = s.pooled(c);
      }
    }
  }

  /**
   * The network's raw outputs for one window (after the model's preprocessing, without health check): the logits
   * before any temperature, and the pooled features (the dense layer's input). What calibration is fitted on. For an
   * ensemble: log p̄ of the members' mean probabilities, and the members' pooled features concatenated.
   *
   * @param logits receives {@code classes().size()} logits
   * @param pooled receives {@link #pooledFeatures()} features
   * @return the members' {@link #disagreement} on the window (0 for a single network)
   */
  public double rawOutputs(float[] window, double[] logits, double[] pooled) {
    return rawOutputs(window, logits, pooled, null);
  }

  /**
   * As {@link #rawOutputs(float[], double[], double[])}, with, when {@code layers} is not null, the features of every
   * layer of the layer ensemble ({@link io.github.drsn.contract.OodMethod#MAHALANOBIS_LAYERS}): each residual unit's
   * output averaged over time per channel, then the pooled features. Single networks only.
   *
   * @param layers null, or one row per layer of {@link #layerWidths()} values
   * @throws IllegalArgumentException for arrays of the wrong sizes, or layers asked of an ensemble
   */
  public double rawOutputs(float[] window, double[] logits, double[] pooled, double[][] layers) {
    Work w = work.get();
    if (logits.length != w.logits().length || pooled.length != w.pooled().length) {
      throw new IllegalArgumentException("arrays of " + logits.length + " logits and " + pooled.length
          + " features given; the model has " + w.logits().length + " classes and pools " + w.pooled().length
          + " features");
    }
    if (layers != null) {
      if (layerWidths == null) {
        throw new IllegalArgumentException("layer features are those of one network; this model is an ensemble of "
            + members.size());
      }
      boolean fits = layers.length == layerWidths.length;
      for (int l = 0; fits && l < layers.length; l++) {
        fits = layers[l].length == layerWidths[l];
      }
      if (!fits) {
        throw new IllegalArgumentException("layer rows of the wrong sizes; the model's layers have "
            + java.util.Arrays.toString(layerWidths) + " features");
      }
    }
    preprocessor.apply(window, w.features(), w.normalization());
    float[] p = new float[logits.length];
    forward(w, p, 1.0, null, layers != null);
    copyOutputs(w, logits, pooled);
    if (layers != null) {
      for (int l = 0; l < layers.length - 1; l++) {
        System.arraycopy(w.layers()[l], 0, layers[l], 0, layers[l].length);
      }
      CalibratedReadout.lastLayer(pooled, layers);
    }
    return members.size() == 1 ? 0 : EnsembleAverage.disagreement(w.memberProbabilities(), w.mean(), logits.length);
  }

  /**
   * Features per layer of the layer ensemble: each residual unit's output channels, then the pooled features
   * ({@link Calibration.LayerEnsemble#widths}); null for an ensemble, which has none.
   */
  public int[] layerWidths() {
    return layerWidths == null ? null : layerWidths.clone();
  }

  /** Number of pooled features (the last stage's channels; of an ensemble, the sum over its members). */
  public int pooledFeatures() {
    return work.get().pooled().length;
  }
}
