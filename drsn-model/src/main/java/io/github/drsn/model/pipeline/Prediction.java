package io.github.drsn.model.pipeline;

import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.signals.Resampling;
import io.github.drsn.signals.Segmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Diagnosis of a recording of any length and sampling rate with a bundled model: the signal is resampled
 * to the model's rate, cut into windows of the model's length every {@code hop} samples, each window is
 * preprocessed as in training (representation, then per-window normalisation; no noise is added), and
 * classified. The recording's diagnosis is the class with the highest mean probability over its windows.
 */
public final class Prediction {

  /**
   * @param start first sample of the window, at the model's sampling rate
   * @param probabilities class probabilities in the model's class order
   * @param predicted index of the most probable class
   */
  public record WindowResult(int start, double[] probabilities, int predicted) {}

  /**
   * @param windows one result per window, in time order
   * @param meanProbabilities mean of the windows' probabilities
   * @param predicted class with the highest mean probability
   * @param votes windows predicted as each class
   * @param samplingRate the model's rate, at which window starts count
   */
  public record Result(
      List<WindowResult> windows, double[] meanProbabilities, int predicted, int[] votes, double samplingRate) {}

  private static final int BATCH = 256;

  private Prediction() {}

  /**
   * @param hop samples (at the model's rate) between window starts; the window length gives
   *     non-overlapping windows
   * @throws IllegalArgumentException if the recording is shorter than one window, or an argument is invalid
   */
  public static Result classify(ModelBundle bundle, double[] samples, double samplingRate, int hop) {
    double modelRate = bundle.input().samplingRate();
    int length = bundle.input().windowLength();
    if (hop < 1) {
      throw new IllegalArgumentException("hop must be at least 1 sample, got " + hop);
    }
    double[] x = samplingRate == modelRate ? samples : Resampling.resample(samples, samplingRate, modelRate);
    if (x.length < length) {
      throw new IllegalArgumentException(String.format("the recording has %d samples at %.1f Hz (%.3f s) but the "
          + "model needs windows of %d samples (%.3f s)", x.length, modelRate, x.length / modelRate, length,
          length / modelRate));
    }
    int[] starts = Segmentation.windowStarts(0, x.length, length, hop);
    WindowPipeline pipeline = new WindowPipeline(null, bundle.input().normalization(), bundle.input().representation());
    int features = bundle.spec().inputLength();
    int classes = bundle.classes().size();
    List<WindowResult> results = new ArrayList<>(starts.length);
    double[] mean = new double[classes];
    int[] votes = new int[classes];
    for (int from = 0; from < starts.length; from += BATCH) {
      int n = Math.min(BATCH, starts.length - from);
      float[] batch = new float[n * features];
      for (int i = 0; i < n; i++) {
        int start = starts[from + i];
        double[] input = pipeline.applyToSamples(Arrays.copyOfRange(x, start, start + length), modelRate, null);
        for (int j = 0; j < features; j++) {
          batch[i * features + j] = (float) input[j];
        }
      }
      INDArray output = bundle.network().output(Nd4j.create(batch, new long[] {n, 1, 1, features}), false);
      for (int i = 0; i < n; i++) {
        double[] p = output.getRow(i).toDoubleVector();
        int best = argMax(p);
        votes[best]++;
        for (int c = 0; c < classes; c++) {
          mean[c] += p[c] / starts.length;
        }
        results.add(new WindowResult(starts[from + i], p, best));
      }
    }
    return new Result(List.copyOf(results), mean, argMax(mean), votes, modelRate);
  }

  private static int argMax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }
}
