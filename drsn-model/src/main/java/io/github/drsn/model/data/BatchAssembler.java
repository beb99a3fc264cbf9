package io.github.drsn.model.data;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Window;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Builds one float DataSet from windows: features in the chosen layout, one-hot labels [N, classes]. */
final class BatchAssembler {

  private final Dataset dataset;
  private final WindowPipeline pipeline;
  private final FeatureLayout layout;
  private final int channels;
  private final int featureLength;

  BatchAssembler(Dataset dataset, WindowPipeline pipeline, FeatureLayout layout, int windowLength) {
    this.dataset = dataset;
    this.pipeline = pipeline;
    this.layout = layout;
    this.channels = dataset.channelCount();
    this.featureLength = pipeline.featureLength(windowLength);
  }

  int channels() {
    return channels;
  }

  int featureLength() {
    return featureLength;
  }

  DataSet assemble(List<Window> windows, Function<Window, RandomGenerator> randomFor) {
    int n = windows.size();
    float[] features = new float[n * channels * featureLength];
    float[] labels = new float[n * dataset.classCount()];
    for (int i = 0; i < n; i++) {
      Window w = windows.get(i);
      Recording r = dataset.recordings().get(w.recordingIndex());
      double[][] x = pipeline.apply(r, w, randomFor.apply(w));
      int base = i * channels * featureLength;
      for (int c = 0; c < channels; c++) {
        for (int j = 0; j < featureLength; j++) {
          features[base + c * featureLength + j] = (float) x[c][j];
        }
      }
      labels[i * dataset.classCount() + w.classIndex()] = 1f;
    }
    INDArray f = Nd4j.create(features, layout.shape(n, channels, featureLength), DataType.FLOAT);
    INDArray l = Nd4j.create(labels, new long[] {n, dataset.classCount()}, DataType.FLOAT);
    return new DataSet(f, l);
  }
}
