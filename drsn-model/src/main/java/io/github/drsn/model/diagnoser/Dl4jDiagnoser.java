package io.github.drsn.model.diagnoser;

import io.github.drsn.contract.Calibration;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.runtime.CalibratedReadout;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.InputHealth;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Preprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Diagnoser} backed by the DL4J network of a {@link ModelBundle}: DL4J computes the network's outputs
 * ({@code MultiLayerNetwork.feedForward} on {@code [N, C, 1, L]} input, after the same {@link Preprocessor} and
 * {@link HealthCheck} as the lean runtime's {@code LeanDiagnoser}), and the runtime's {@link CalibratedReadout} turns
 * them into the answer, the same code that {@code LeanDiagnoser} hands its outputs to. So both give one answer per
 * window on one bundle (within float rounding): for a bundle with a {@code calibration} section, probabilities
 * softmax(z / T) everywhere ({@link #predict} included), the out-of-distribution score of its method and
 * {@link Diagnosis.Outcome#UNKNOWN} above its threshold; for one without, T = 1, no score, never unknown. It is the
 * reference the lean runtime is tested against; services that can afford DL4J and its natives (~220 MB) may use it
 * through the same API.
 *
 * <p>The outputs it gives the readout: the logits z = f·W + b of the output layer (before its softmax), the pooled
 * features f (the head's output, the output layer's input) and, only when the calibration's method is
 * {@link io.github.drsn.contract.OodMethod#MAHALANOBIS_LAYERS}, each residual unit's output averaged over time per
 * channel. Every method of a single network is thus scored; an ensemble bundle, whose
 * {@link io.github.drsn.contract.OodMethod#ENSEMBLE_DISAGREEMENT} needs its members, is refused when it is read
 * ({@link ModelBundle#of}: a DL4J network is one member). Windows go through DL4J in chunks of {@value #CHUNK}, so that
 * the activations kept per pass stay bounded.
 *
 * <p>Thread-safe: a {@code MultiLayerNetwork} is not, so forward passes are serialised on this instance
 * (one forward pass at a time; {@link #classifyBatch} runs a batch as few passes).
 */
public final class Dl4jDiagnoser implements Diagnoser {

  /** Windows per DL4J forward pass. */
  static final int CHUNK = 64;

  private final MultiLayerNetwork network;
  private final List<String> classes;
  private final InputSpec input;
  private final Preprocessor preprocessor;
  private final HealthCheck healthCheck;
  private final DataType dataType;
  private final CalibratedReadout readout;
  /** The number of residual units: layers 1..units of the network (after the stem), then head and output. */
  private final int units;

  private Dl4jDiagnoser(ModelBundle bundle, HealthCheck healthCheck) {
    this.network = bundle.network();
    this.classes = bundle.classes();
    this.input = bundle.input();
    this.preprocessor = new Preprocessor(input);
    this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
    this.dataType = network.params().dataType();
    this.readout = CalibratedReadout.of(bundle.bundle());
    this.units = bundle.bundle().layout().unitCount();
    if (network.getnLayers() != units + 3) {
      throw new IllegalStateException("the network has " + network.getnLayers() + " layers; its layout says stem, "
          + units + " residual units, head and output");
    }
  }

  /**
   * Reads a bundle with drsn-model's {@link ModelBundle#read}.
   *
   * @throws io.github.drsn.contract.BundleFormatException if it is not a readable bundle
   */
  public static Dl4jDiagnoser load(Path bundle) throws IOException {
    return new Dl4jDiagnoser(ModelBundle.read(bundle), HealthCheck.DEFAULT);
  }

  /** Wraps an already loaded bundle (its network is used, not copied: do not train it further). */
  public static Dl4jDiagnoser of(ModelBundle bundle, HealthCheck healthCheck) {
    return new Dl4jDiagnoser(bundle, healthCheck);
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  @Override
  public InputSpec inputSpec() {
    return input;
  }

  @Override
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /** The bundle's calibration section, or null for an uncalibrated model. */
  @Override
  public Calibration calibration() {
    return readout.calibration();
  }

  /** The calibrated probabilities (softmax(z / T), T = 1 uncalibrated) of one window, without health check. */
  @Override
  public int predict(float[] window, float[] probabilities) {
    if (probabilities.length != classes.size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + classes.size() + " classes");
    }
    Outputs out = outputs(new float[][] {window}, false);
    readout.probabilities(out.logits()[0], new double[classes.size()], probabilities);
    return Diagnosis.argMax(probabilities);
  }

  /**
   * The calibrated probabilities and the out-of-distribution score of one window without health check, as
   * {@code LeanDiagnoser} gives them: a resampled window that passes {@code HealthCheck.assessResampledWindow} is
   * classified this way (Diagnoser's default would check the resampled samples again and answer NaN, i.e. unknown).
   */
  @Override
  public double predictScored(float[] window, float[] probabilities) {
    if (probabilities.length != classes.size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + classes.size() + " classes");
    }
    Outputs out = outputs(new float[][] {window}, readout.scoresLayers());
    Diagnosis d = readout.diagnose(out.logits()[0], out.pooled()[0], out.layers() == null ? null : out.layers()[0]);
    System.arraycopy(d.probabilities(), 0, probabilities, 0, probabilities.length);
    return d.oodScore();
  }

  /**
   * As {@link Diagnoser#classify(float[])}, with the calibrated probabilities and, for a calibrated bundle, the
   * out-of-distribution score of its method: {@link Diagnosis.Outcome#UNKNOWN} when the score is above its threshold
   * or is NaN ({@link CalibratedReadout#diagnosis}).
   */
  @Override
  public Diagnosis classify(float[] window) {
    return classifyBatch(new float[][] {window})[0];
  }

  @Override
  public Diagnosis[] classifyBatch(float[][] windows) {
    Diagnosis[] result = new Diagnosis[windows.length];
    int healthy = 0;
    int[] index = new int[windows.length];
    for (int n = 0; n < windows.length; n++) {
      InputHealth health = health(windows[n]);
      if (health.healthy()) {
        index[healthy++] = n;
      } else {
        result[n] = Diagnosis.unhealthy(health);
      }
    }
    if (healthy > 0) {
      float[][] batch = new float[healthy][];
      for (int i = 0; i < healthy; i++) {
        batch[i] = windows[index[i]];
      }
      Outputs out = outputs(batch, readout.scoresLayers());
      for (int i = 0; i < healthy; i++) {
        result[index[i]] = readout.diagnose(out.logits()[i], out.pooled()[i],
            out.layers() == null ? null : out.layers()[i]);
      }
    }
    return result;
  }

  /**
   * The network input of raw windows: each through the model's {@link Preprocessor}, stacked as
   * {@code [N, C, 1, L]} in {@code dataType} (the layout the DRSN networks take).
   */
  public static INDArray features(Preprocessor preprocessor, float[][] windows, DataType dataType) {
    int c = preprocessor.spec().channels();
    int length = preprocessor.spec().featureLength();
    float[] features = new float[windows.length * c * length];
    float[] one = new float[c * length];
    double[] scratch = preprocessor.newScratch();
    for (int n = 0; n < windows.length; n++) {
      preprocessor.apply(windows[n], one, scratch);
      System.arraycopy(one, 0, features, n * one.length, one.length);
    }
    return Nd4j.create(features, new long[] {windows.length, c, 1, length}, 'c').castTo(dataType);
  }

  /**
   * One window's network outputs as DL4J computes them.
   *
   * @param logits per window, the output layer's logits z = f·W + b (before its softmax)
   * @param pooled per window, the pooled features f (the head's output)
   * @param layers per window, each residual unit's output averaged over time per channel, then a row for the pooled
   *     features (filled by {@link CalibratedReadout#score}); null when not asked for
   */
  private record Outputs(double[][] logits, double[][] pooled, double[][][] layers) {}

  /** The outputs of each window, in DL4J forward passes of at most {@link #CHUNK} windows. */
  private Outputs outputs(float[][] windows, boolean layers) {
    int count = windows.length;
    double[][] logits = new double[count][];
    double[][] pooled = new double[count][];
    double[][][] layerFeatures = layers ? new double[count][][] : null;
    // activations.get(0) is the input, get(i + 1) layer i's output: layer 0 the stem, 1..units the residual units,
    // units + 1 the head (its output the pooled features), units + 2 the output layer.
    int pooledAt = units + 2;
    for (int from = 0; from < count; from += CHUNK) {
      int to = Math.min(count, from + CHUNK);
      INDArray x = features(preprocessor, java.util.Arrays.copyOfRange(windows, from, to), dataType);
      List<INDArray> activations;
      INDArray z;
      synchronized (this) {
        activations = network.feedForward(x, false);
        org.deeplearning4j.nn.api.Layer output = network.getLayer(units + 2);
        z = activations.get(pooledAt).mmul(output.getParam("W")).addiRowVector(output.getParam("b"));
      }
      double[][] f = activations.get(pooledAt).toDoubleMatrix();
      double[][] zz = z.toDoubleMatrix();
      double[][][] means = null;
      if (layers) {
        means = new double[units][][];
        for (int u = 0; u < units; u++) {
          // Unit u is layer u + 1; its output [N, C, 1, L] averaged over time per channel.
          INDArray unit = activations.get(u + 2);
          means[u] = unit.mean(2, 3).reshape(to - from, unit.size(1)).toDoubleMatrix();
        }
      }
      for (int n = from; n < to; n++) {
        logits[n] = zz[n - from];
        pooled[n] = f[n - from];
        if (layers) {
          double[][] row = new double[units + 1][];
          for (int u = 0; u < units; u++) {
            row[u] = means[u][n - from];
          }
          row[units] = new double[f[n - from].length];
          layerFeatures[n] = row;
        }
      }
    }
    return new Outputs(logits, pooled, layerFeatures);
  }
}
