package io.github.drsn.runtime;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.BundleFormatException;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.runtime.calibration.OodScores;
import io.github.drsn.runtime.impl.LeanNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The plain-Java {@link Diagnoser}: reads a drsn model bundle directly (no DL4J, no native code) and runs
 * the network's inference forward pass over float arrays ({@code impl.LeanNetwork}: batch norm folded at
 * load time, group norm, soft thresholds, pooling, dense, softmax). Its probabilities match the DL4J
 * model's within 1e-4 (tested for every architecture).
 *
 * <p>Immutable and thread-safe: parameters are read-only after loading; each calling thread gets its own
 * working memory (a {@link ThreadLocal}, ~180 KB for the paper's network), so {@link #predict} allocates
 * nothing per window in steady state.
 *
 * <p>A bundle with a {@link Calibration} section gives calibrated probabilities, softmax(z / T), everywhere
 * ({@link #predict} included), and {@link #classify} computes the section's out-of-distribution score and answers
 * {@link Diagnosis.Outcome#UNKNOWN} above its threshold. A bundle without one behaves exactly as before (T = 1, no
 * score, never unknown).
 *
 * <pre>{@code
 * Diagnoser d = LeanDiagnoser.load(Path.of("drsn-cw.zip"));
 * Diagnosis r = d.classify(window);   // 2048 samples at 12 kHz
 * }</pre>
 */
public final class LeanDiagnoser implements Diagnoser {

  private final Bundle bundle;
  private final LeanNetwork network;
  private final Preprocessor preprocessor;
  private final HealthCheck healthCheck;
  private final ThreadLocal<Work> work;
  private final double temperature;
  private final Calibration calibration;

  private LeanDiagnoser(Bundle bundle, HealthCheck healthCheck) {
    this(bundle, new LeanNetwork(bundle.layout(), bundle.floatParameters()), healthCheck);
  }

  private LeanDiagnoser(Bundle bundle, LeanNetwork network, HealthCheck healthCheck) {
    this.bundle = bundle;
    this.network = network;
    this.preprocessor = new Preprocessor(bundle.input());
    this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
    this.calibration = bundle.calibration();
    this.temperature = bundle.temperature();
    int[] stages = bundle.layout().stageChannels();
    int pooled = stages[stages.length - 1];
    this.work = ThreadLocal.withInitial(() -> new Work(network.newScratch(),
        new float[bundle.input().channels() * bundle.input().featureLength()], preprocessor.newScratch(),
        new double[bundle.classes().size()], new double[pooled], new double[pooled]));
  }

  /** Per-thread working memory. */
  private record Work(LeanNetwork.Scratch scratch, float[] features, double[] normalization, double[] logits,
      double[] pooled, double[] distance) {
  }

  /**
   * Loads a bundle written by {@link Bundle#write} (format version 1), with the default
   * {@link HealthCheck}.
   *
   * @throws BundleFormatException if the file is missing, truncated, corrupt or inconsistent (the message names it)
   * @throws IOException on other read errors
   */
  public static LeanDiagnoser load(Path bundle) throws IOException {
    return load(bundle, HealthCheck.DEFAULT);
  }

  /** As {@link #load(Path)} with explicit health thresholds. */
  public static LeanDiagnoser load(Path bundle, HealthCheck healthCheck) throws IOException {
    return new LeanDiagnoser(Bundle.read(bundle), healthCheck);
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
    return new LeanDiagnoser(bundle, network, healthCheck);
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
    if (probabilities.length != bundle.classes().size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + bundle.classes().size() + " classes");
    }
    Work w = work.get();
    preprocessor.apply(window, w.features(), w.normalization());
    network.forward(w.features(), w.scratch(), probabilities, temperature);
    return Diagnosis.argMax(probabilities);
  }

  /**
   * As {@link #predict(float[], float[])}, reporting each residual shrinkage unit's learned thresholds for this
   * window to {@code probe} (see {@link LeanNetwork.ShrinkageProbe}); for explanations, not the monitoring path.
   * The probabilities are calibrated as {@link #predict(float[], float[])}'s.
   */
  public int predict(float[] window, float[] probabilities, LeanNetwork.ShrinkageProbe probe) {
    if (probabilities.length != bundle.classes().size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + bundle.classes().size() + " classes");
    }
    Work w = work.get();
    preprocessor.apply(window, w.features(), w.normalization());
    network.forward(w.features(), w.scratch(), probabilities, temperature, probe);
    return Diagnosis.argMax(probabilities);
  }

  /** The bundle's calibration section, or null for an uncalibrated model. */
  public Calibration calibration() {
    return calibration;
  }

  /**
   * As {@link Diagnoser#classify(float[])}, with the calibrated probabilities and, for a calibrated bundle, the
   * out-of-distribution score of its method: {@link Diagnosis.Outcome#UNKNOWN} when the score is above its threshold.
   */
  @Override
  public Diagnosis classify(float[] window) {
    InputHealth health = health(window);
    if (!health.healthy()) {
      return Diagnosis.unhealthy(health);
    }
    float[] p = new float[classes().size()];
    predict(window, p);
    if (calibration == null) {
      return Diagnosis.of(p, classes(), 0);
    }
    double score = lastScore(work.get());
    return Diagnosis.of(p, classes(), 0, score, score > calibration.threshold());
  }

  /** The calibration method's score of the last forward pass in {@code w}. */
  private double lastScore(Work w) {
    LeanNetwork.Scratch s = w.scratch();
    double[] logits = w.logits();
    for (int k = 0; k < logits.length; k++) {
      logits[k] = s.logit(k);
    }
    double[] pooled = w.pooled();
    for (int c = 0; c < pooled.length; c++) {
      pooled[c] = s.pooled(c);
    }
    return OodScores.score(calibration.method(), logits, logits.length, temperature, pooled,
        calibration.mahalanobis(), w.distance());
  }

  /**
   * The network's raw outputs for one window (after the model's preprocessing, without health check): the logits
   * before any temperature, and the pooled features (the dense layer's input). What calibration is fitted on.
   *
   * @param logits receives {@code classes().size()} logits
   * @param pooled receives the last stage's channel count of features
   */
  public void rawOutputs(float[] window, double[] logits, double[] pooled) {
    Work w = work.get();
    if (logits.length != w.logits().length || pooled.length != w.pooled().length) {
      throw new IllegalArgumentException("arrays of " + logits.length + " logits and " + pooled.length
          + " features given; the model has " + w.logits().length + " classes and pools " + w.pooled().length
          + " features");
    }
    preprocessor.apply(window, w.features(), w.normalization());
    float[] p = new float[logits.length];
    network.forward(w.features(), w.scratch(), p, 1.0);
    for (int k = 0; k < logits.length; k++) {
      logits[k] = w.scratch().logit(k);
    }
    for (int c = 0; c < pooled.length; c++) {
      pooled[c] = w.scratch().pooled(c);
    }
  }

  /** Number of pooled features (the last stage's channels). */
  public int pooledFeatures() {
    return work.get().pooled().length;
  }
}
