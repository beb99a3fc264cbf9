package io.github.drsn.datasets.synthetic;

import io.github.drsn.datasets.Recording;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.signals.Normalization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A deliberately plain classifier used to check that a data set is neither trivial nor hopeless:
 * nearest centroid (Euclidean) of the z-scored log FFT amplitude spectrum of each window, with one
 * centroid per (class, operating condition) so that speed changes do not blur the centroids; the
 * predicted class is the class of the nearest centroid.
 */
final class NearestCentroidBaseline {

  private NearestCentroidBaseline() {
  }

  /**
   * @param windows windowed data set
   * @param noise noise for training and test windows, or null for clean
   * @param seed noise seed
   * @return test accuracy
   */
  static double accuracy(WindowedDataset windows, NoiseSpec noise, long seed) {
    return accuracy(windows, noise, seed, true);
  }

  /**
   * @param windows windowed data set
   * @param noise noise for training and test windows, or null for clean
   * @param seed noise seed
   * @param logAmplitude log of the amplitude spectrum (true) or the amplitude itself, before z-scoring
   * @return test accuracy
   */
  static double accuracy(WindowedDataset windows, NoiseSpec noise, long seed, boolean logAmplitude) {
    WindowPipeline pipeline = new WindowPipeline(noise, Normalization.NONE, Representation.FFT_AMPLITUDE);
    int length = pipeline.featureLength(windows.spec().length());
    Map<String, double[]> sums = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Integer> classOf = new HashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (Window w : windows.windows(Region.TRAIN)) {
      Recording r = windows.dataset().recordings().get(w.recordingIndex());
      String key = w.classIndex() + "|" + r.condition().key();
      double[] x = features(r, pipeline, w, random, logAmplitude);
      double[] sum = sums.computeIfAbsent(key, k -> new double[length]);
      for (int j = 0; j < length; j++) {
        sum[j] += x[j];
      }
      counts.merge(key, 1, Integer::sum);
      classOf.put(key, w.classIndex());
    }
    List<double[]> centroids = new ArrayList<>();
    List<Integer> centroidClass = new ArrayList<>();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      double[] c = e.getValue();
      int n = counts.get(e.getKey());
      for (int j = 0; j < length; j++) {
        c[j] /= n;
      }
      centroids.add(c);
      centroidClass.add(classOf.get(e.getKey()));
    }
    List<Window> test = windows.windows(Region.TEST);
    int correct = 0;
    for (Window w : test) {
      Recording r = windows.dataset().recordings().get(w.recordingIndex());
      double[] x = features(r, pipeline, w, WindowPipeline.evaluationRandom(seed, w), logAmplitude);
      int best = -1;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int k = 0; k < centroids.size(); k++) {
        double[] c = centroids.get(k);
        double d = 0;
        for (int j = 0; j < length; j++) {
          double diff = x[j] - c[j];
          d += diff * diff;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = centroidClass.get(k);
        }
      }
      if (best == w.classIndex()) {
        correct++;
      }
    }
    return (double) correct / test.size();
  }

  private static double[] features(Recording r, WindowPipeline pipeline, Window w, RandomGenerator random,
      boolean logAmplitude) {
    double[] amplitude = pipeline.apply(r, w, random)[0];
    for (int j = 0; j < amplitude.length && logAmplitude; j++) {
      amplitude[j] = Math.log(1e-6 + amplitude[j]);
    }
    return Normalization.Z_SCORE.apply(amplitude);
  }
}
