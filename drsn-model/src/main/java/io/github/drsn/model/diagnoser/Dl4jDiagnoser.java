package io.github.drsn.model.diagnoser;

import io.github.drsn.model.bundle.ModelBundle;
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
 * The {@link Diagnoser} backed by the DL4J network of a {@link ModelBundle}: {@code MultiLayerNetwork.output}
 * on {@code [N, C, 1, L]} input, after the same {@link Preprocessor} and {@link HealthCheck} as the lean
 * runtime's {@code LeanDiagnoser}. It is the reference the lean runtime is tested against; services that can
 * afford DL4J and its natives (~220 MB) may use it through the same API.
 *
 * <p>It ignores a bundle's {@code calibration} section: its probabilities are the network's softmax at T = 1 and
 * it never answers unknown. Calibrated answers (temperature, OOD score, unknown) come from {@code LeanDiagnoser}.
 *
 * <p>Thread-safe: a {@code MultiLayerNetwork} is not, so forward passes are serialised on this instance
 * (one forward pass at a time; {@link #classifyBatch} runs a whole batch as one pass).
 */
public final class Dl4jDiagnoser implements Diagnoser {

  private final MultiLayerNetwork network;
  private final List<String> classes;
  private final InputSpec input;
  private final Preprocessor preprocessor;
  private final HealthCheck healthCheck;
  private final DataType dataType;

  private Dl4jDiagnoser(ModelBundle bundle, HealthCheck healthCheck) {
    this.network = bundle.network();
    this.classes = bundle.classes();
    this.input = bundle.input();
    this.preprocessor = new Preprocessor(input);
    this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
    this.dataType = network.params().dataType();
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

  @Override
  public int predict(float[] window, float[] probabilities) {
    if (probabilities.length != classes.size()) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + classes.size() + " classes");
    }
    float[][] out = forward(new float[][] {window});
    System.arraycopy(out[0], 0, probabilities, 0, probabilities.length);
    return Diagnosis.argMax(probabilities);
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
      float[][] p = forward(batch);
      for (int i = 0; i < healthy; i++) {
        result[index[i]] = Diagnosis.of(p[i], classes, 0);
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

  /** Probabilities of each window, one DL4J forward pass for the batch. */
  private float[][] forward(float[][] windows) {
    INDArray x = features(preprocessor, windows, dataType);
    INDArray y;
    synchronized (this) {
      y = network.output(x, false);
    }
    float[][] out = new float[windows.length][];
    for (int n = 0; n < windows.length; n++) {
      out[n] = y.getRow(n).toFloatVector();
    }
    return out;
  }
}
