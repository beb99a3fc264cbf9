package io.github.drsn.model.pipeline;

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
}
