package io.github.drsn.cli;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.bundle.ModelBundle;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Fits a data set to a bundled model: same classes, sampling rate and window length. */
public final class BundleData {

  private BundleData() {}

  /**
   * Loads the data of {@code data}, resampled to the model's rate if needed, and cut into windows of the
   * model's length.
   *
   * @throws IllegalArgumentException if the data's classes differ from the model's
   */
  public static WindowedDataset windowed(ModelBundle bundle, DataOptions data, PrintWriter err) throws Exception {
    Dataset dataset = data.load();
    if (!dataset.classes().equals(bundle.classes())) {
      throw new IllegalArgumentException("the model was trained on classes " + bundle.classes() + " but "
          + data.describe() + " has classes " + dataset.classes());
    }
    double rate = bundle.input().samplingRate();
    if (dataset.samplingRate() != rate) {
      err.printf("drsn: resampling %s from %.1f Hz to the model's %.1f Hz%n", dataset.name(), dataset.samplingRate(), rate);
      List<Recording> resampled = new ArrayList<>();
      for (Recording r : dataset.recordings()) {
        resampled.add(Resampler.toRate(r, rate));
      }
      dataset = new Dataset(dataset.name(), dataset.classes(), resampled, dataset.skipped());
    }
    WindowSpec requested = data.windowSpec();
    WindowSpec spec = new WindowSpec(bundle.input().windowLength(), requested.trainStride(), bundle.input().windowLength());
    return WindowedDataset.cut(dataset, data.splitPlan(), spec);
  }
}
