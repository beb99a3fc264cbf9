package io.github.drsn.model.pipeline;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.Diagnosis;
import java.util.List;
import io.github.drsn.model.data.EvaluationIterator;
import io.github.drsn.model.data.FeatureLayout;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.data.EvaluationIterator;
import io.github.drsn.model.data.FeatureLayout;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.eval.ConfusionMatrix;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;

/** Evaluation of a trained network on one region of a windowed data set, with fixed noise per window. */
public final class Evaluation {

  /** Windows per forward pass; evaluation results do not depend on it. */
  public static final int BATCH = 256;

  private Evaluation() {}

  /**
   * Classifies every window of {@code region} (each with its one noise realisation from
   * {@code evaluationSeed}) and tallies predictions against the true classes.
   *
   * @throws IllegalArgumentException if the region has no windows
   */
  public static ClassificationReport evaluate(
      MultiLayerNetwork network, WindowedDataset data, Region region, WindowPipeline pipeline, long evaluationSeed) {
    return evaluate(List.of(network), data, region, pipeline, evaluationSeed);
  }

  /**
   * As {@link #evaluate(MultiLayerNetwork, WindowedDataset, Region, WindowPipeline, long)} for an ensemble: each
   * window's class is the argmax of the mean of the members' probabilities ({@link #meanProbabilities}).
   *
   * @throws IllegalArgumentException if the region has no windows or there are no members
   */
  public static ClassificationReport evaluate(List<MultiLayerNetwork> members, WindowedDataset data, Region region,
      WindowPipeline pipeline, long evaluationSeed) {
    if (data.windows(region).isEmpty()) {
      throw new IllegalArgumentException("the " + region.key() + " region of " + data.dataset().name()
          + " has no windows to evaluate");
    }
    double[][] probabilities = probabilities(members, data, region, pipeline, evaluationSeed);
    List<Window> windows = data.windows(region);
    ConfusionMatrix matrix = new ConfusionMatrix(data.dataset().classes().size());
    for (int i = 0; i < probabilities.length; i++) {
      matrix.add(windows.get(i).classIndex(), Diagnosis.argMax(probabilities[i]));
    }
    return ClassificationReport.of(data.dataset().classes(), matrix);
  }

  /**
   * The mean of the members' softmax probabilities, p̄ = (1/M) Σ_m p_m, for a batch of features, in inference mode:
   * the DL4J side of {@code io.github.drsn.runtime.EnsembleAverage} (deep and snapshot ensembles, cross-validated
   * models); one member gives its own output.
   *
   * @return [N, K] probabilities (a new array)
   * @throws IllegalArgumentException if there are no members
   */
  public static INDArray meanProbabilities(List<MultiLayerNetwork> members, INDArray features) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    if (members.size() == 1) {
      return members.get(0).output(features, false);
    }
    INDArray sum = members.get(0).output(features, false).dup();
    for (int m = 1; m < members.size(); m++) {
      sum.addi(members.get(m).output(features, false));
    }
    return sum.divi(members.size());
  }

  /**
   * The network's class probabilities (its softmax output) for every window of {@code region}, each window with its
   * one noise realisation from {@code evaluationSeed}, in the order of {@code data.windows(region)}: what
   * {@link #evaluate(MultiLayerNetwork, WindowedDataset, Region, WindowPipeline, long)} takes the argmax of.
   *
   * @return one row of class probabilities per window
   */
  public static double[][] probabilities(
      MultiLayerNetwork network, WindowedDataset data, Region region, WindowPipeline pipeline, long evaluationSeed) {
    return probabilities(List.of(network), data, region, pipeline, evaluationSeed);
  }

  /**
   * As {@link #probabilities(MultiLayerNetwork, WindowedDataset, Region, WindowPipeline, long)} for an ensemble: the
   * mean of the members' probabilities ({@link #meanProbabilities}) of every window.
   */
  public static double[][] probabilities(List<MultiLayerNetwork> members, WindowedDataset data, Region region,
      WindowPipeline pipeline, long evaluationSeed) {
    EvaluationIterator windows =
        new EvaluationIterator(data, region, pipeline, FeatureLayout.NCHW, BATCH, evaluationSeed);
    double[][] out = new double[windows.size()][];
    int next = 0;
    while (windows.hasNext()) {
      DataSet batch = windows.next();
      INDArray output = meanProbabilities(members, batch.getFeatures());
      for (int i = 0; i < output.rows(); i++) {
        out[next++] = output.getRow(i).toDoubleVector();
      }
    }
    return out;
  }

  /**
   * As {@link #evaluate(MultiLayerNetwork, WindowedDataset, Region, WindowPipeline, long)} through a
   * {@link Diagnoser}, as a service would score the windows: each window's samples with its one noise realisation
   * (the same draws as the training run's evaluation) go to {@link Diagnoser#predict}, which applies the model's own
   * preprocessing. The diagnoser's classes must be the data set's, in the same order.
   *
   * @throws IllegalArgumentException if the region has no windows or the classes differ
   */
  public static ClassificationReport evaluate(
      Diagnoser diagnoser, WindowedDataset data, Region region, NoiseSpec noise, long evaluationSeed) {
    return evaluate(diagnoser, data, region, noise, evaluationSeed, 1);
  }

  /**
   * As {@link #evaluate(Diagnoser, WindowedDataset, Region, NoiseSpec, long)} with test-time augmentation over
   * circular shifts: each noisy window x of length L is also classified as its circular shifts x_k[l] = x[(l + s_k)
   * mod L], s_k = ⌊k·L / shifts⌋ for k = 0..shifts − 1 (every channel shifted alike), and the class is the argmax of
   * the mean of the {@code shifts} probability vectors. One shift is the plain evaluation. The shifts are applied to
   * the samples before the diagnoser's own preprocessing, so the deployed runtime is unchanged; a shift moves the
   * wrap-around seam into the window, which a time-domain network sees as a discontinuity.
   *
   * @param shifts number of shifts, at least 1 and at most the window length
   * @throws IllegalArgumentException if the region has no windows, the classes differ or shifts is out of range
   */
  public static ClassificationReport evaluate(
      Diagnoser diagnoser, WindowedDataset data, Region region, NoiseSpec noise, long evaluationSeed, int shifts) {
    if (shifts < 1) {
      throw new IllegalArgumentException("--tta-shifts must be at least 1 (1 = no augmentation), got " + shifts);
    }
    List<Window> windows = data.windows(region);
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("the " + region.key() + " region of " + data.dataset().name()
          + " has no windows to evaluate");
    }
    List<String> classes = data.dataset().classes();
    if (!classes.equals(diagnoser.classes())) {
      throw new IllegalArgumentException("the model's classes " + diagnoser.classes() + " are not the classes "
          + classes + " of " + data.dataset().name());
    }
    ConfusionMatrix matrix = new ConfusionMatrix(classes.size());
    float[] probabilities = new float[classes.size()];
    InputSpec spec = diagnoser.inputSpec();
    int length = spec.windowLength();
    if (shifts > length) {
      throw new IllegalArgumentException("--tta-shifts " + shifts + " exceeds the window length " + length);
    }
    float[] shifted = new float[spec.windowSamples()];
    double[] mean = new double[classes.size()];
    forEachWindow(spec, data, region, noise, evaluationSeed, (w, input) -> {
      if (shifts == 1) {
        matrix.add(w.classIndex(), diagnoser.predict(input, probabilities));
        return;
      }
      java.util.Arrays.fill(mean, 0);
      for (int k = 0; k < shifts; k++) {
        shiftCircularly(input, spec.channels(), length, (int) ((long) k * length / shifts), shifted);
        diagnoser.predict(shifted, probabilities);
        for (int c = 0; c < mean.length; c++) {
          mean[c] += probabilities[c] / shifts;
        }
      }
      matrix.add(w.classIndex(), Diagnosis.argMax(mean));
    });
    return ClassificationReport.of(classes, matrix);
  }

  /**
   * The raw windows of {@code region} as {@link #evaluate(Diagnoser, WindowedDataset, Region, NoiseSpec, long)} scores
   * them ({@link #forEachWindow}), each its own copy, in the order of {@code data.windows(region)}.
   */
  public static List<float[]> noisyWindows(WindowedDataset data, Region region, NoiseSpec noise, InputSpec spec,
      long evaluationSeed) {
    List<float[]> out = new java.util.ArrayList<>();
    forEachWindow(spec, data, region, noise, evaluationSeed, (w, input) -> out.add(input.clone()));
    return out;
  }

  /**
   * Gives every window of {@code region} as a model's input samples ({@code spec.windowSamples()} floats,
   * channel-major), each with its one noise realisation from {@code evaluationSeed}: the draws every evaluation,
   * calibration and open-set measurement of the project uses. The array is reused between calls.
   */
  public static void forEachWindow(InputSpec spec, WindowedDataset data, Region region, NoiseSpec noise,
      long evaluationSeed, java.util.function.BiConsumer<Window, float[]> action) {
    WindowPipeline pipeline = new WindowPipeline(noise, spec.normalization(), spec.representation());
    float[] input = new float[spec.windowSamples()];
    for (Window w : data.windows(region)) {
      Recording recording = data.dataset().recordings().get(w.recordingIndex());
      double[][] x = pipeline.noisy(recording, w, WindowPipeline.evaluationRandom(evaluationSeed, w));
      for (int c = 0; c < x.length; c++) {
        for (int l = 0; l < x[c].length; l++) {
          input[c * x[c].length + l] = (float) x[c][l];
        }
      }
      action.accept(w, input);
    }
  }

  /**
   * {@code out[c·L + l] = in[c·L + (l + shift) mod L]} for each of {@code channels} channels of {@code length}
   * samples stored one after the other.
   */
  static void shiftCircularly(float[] in, int channels, int length, int shift, float[] out) {
    for (int c = 0; c < channels; c++) {
      int base = c * length;
      for (int l = 0; l < length; l++) {
        out[base + l] = in[base + (l + shift) % length];
      }
    }
  }
}
