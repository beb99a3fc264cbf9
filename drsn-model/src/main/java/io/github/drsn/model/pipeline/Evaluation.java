package io.github.drsn.model.pipeline;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.runtime.Diagnoser;
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
    if (data.windows(region).isEmpty()) {
      throw new IllegalArgumentException("the " + region.key() + " region of " + data.dataset().name()
          + " has no windows to evaluate");
    }
    EvaluationIterator windows =
        new EvaluationIterator(data, region, pipeline, FeatureLayout.NCHW, BATCH, evaluationSeed);
    ConfusionMatrix matrix = new ConfusionMatrix(data.dataset().classes().size());
    while (windows.hasNext()) {
      DataSet batch = windows.next();
      INDArray predicted = network.output(batch.getFeatures(), false).argMax(1);
      INDArray actual = batch.getLabels().argMax(1);
      for (int i = 0; i < predicted.length(); i++) {
        matrix.add(actual.getInt(i), predicted.getInt(i));
      }
    }
    return ClassificationReport.of(data.dataset().classes(), matrix);
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
    List<float[]> inputs = noisyWindows(data, region, noise, diagnoser.inputSpec(), evaluationSeed);
    ConfusionMatrix matrix = new ConfusionMatrix(classes.size());
    float[] probabilities = new float[classes.size()];
    for (int i = 0; i < windows.size(); i++) {
      matrix.add(windows.get(i).classIndex(), diagnoser.predict(inputs.get(i), probabilities));
    }
    return ClassificationReport.of(classes, matrix);
  }

  /**
   * The raw windows of {@code region} as {@link #evaluate(Diagnoser, WindowedDataset, Region, NoiseSpec, long)} scores
   * them: each window's samples with its one noise realisation from {@code evaluationSeed}, channel-major, before the
   * model's preprocessing (which the diagnoser applies), in the order of {@code data.windows(region)}.
   */
  public static List<float[]> noisyWindows(WindowedDataset data, Region region, NoiseSpec noise, InputSpec spec,
      long evaluationSeed) {
    WindowPipeline pipeline = new WindowPipeline(noise, spec.normalization(), spec.representation());
    List<float[]> out = new java.util.ArrayList<>();
    for (Window w : data.windows(region)) {
      Recording recording = data.dataset().recordings().get(w.recordingIndex());
      double[][] x = pipeline.noisy(recording, w, WindowPipeline.evaluationRandom(evaluationSeed, w));
      float[] input = new float[spec.windowSamples()];
      for (int c = 0; c < x.length; c++) {
        for (int l = 0; l < x[c].length; l++) {
          input[c * x[c].length + l] = (float) x[c][l];
        }
      }
      out.add(input);
    }
    return out;
  }
}
