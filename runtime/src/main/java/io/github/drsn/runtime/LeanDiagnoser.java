package io.github.drsn.runtime;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.BundleFormatException;
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
 * load time, group norm, soft thresholds, pooling, dense, softmax). Its probabilities match the DL4J
 * model's within 1e-4 (tested for every architecture).
 *
 * <p>Immutable and thread-safe: parameters are read-only after loading; each calling thread gets its own
 * working memory (a {@link ThreadLocal}, ~180 KB for the paper's network), so {@link #predict} allocates
 * nothing per window in steady state.
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

  private LeanDiagnoser(Bundle bundle, HealthCheck healthCheck) {
    this(bundle, new LeanNetwork(bundle.layout(), bundle.floatParameters()), healthCheck);
  }

  private LeanDiagnoser(Bundle bundle, LeanNetwork network, HealthCheck healthCheck) {
    this.bundle = bundle;
    this.network = network;
    this.preprocessor = new Preprocessor(bundle.input());
    this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
    this.work = ThreadLocal.withInitial(() -> new Work(network.newScratch(),
        new float[bundle.input().channels() * bundle.input().featureLength()], preprocessor.newScratch()));
  }

  /** Per-thread working memory. */
  private record Work(LeanNetwork.Scratch scratch, float[] features, double[] normalization) {
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
    network.forward(w.features(), w.scratch(), probabilities);
    return Diagnosis.argMax(probabilities);
  }

  /**
   * As {@link #predict(float[], float[])}, reporting each residual shrinkage unit's learned thresholds for this
   * window to {@code probe} (see {@link LeanNetwork.ShrinkageProbe}); for explanations, not the monitoring path.
   */
  public int predict(float[] window, float[] probabilities, LeanNetwork.ShrinkageProbe probe) {
    if (probabilities.length != bundle.classes().size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + bundle.classes().size() + " classes");
    }
    Work w = work.get();
    preprocessor.apply(window, w.features(), w.normalization());
    network.forward(w.features(), w.scratch(), probabilities, probe);
    return Diagnosis.argMax(probabilities);
  }
}
