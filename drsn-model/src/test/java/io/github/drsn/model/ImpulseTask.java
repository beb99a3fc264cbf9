package io.github.drsn.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small synthetic task where noise hides the class: class k is a train of decaying 0.25-cycle/sample
 * bursts repeating every {@code PERIODS[k]} samples (random phase), buried in white Gaussian noise at
 * a stated SNR (P_signal / P_noise over the window); every window is standardised.
 */
final class ImpulseTask {

  static final int[] PERIODS = {24, 40};

  private ImpulseTask() {
  }

  /** {@code count} windows of {@code length} samples, classes alternating, as [N, 1, 1, L] features. */
  static DataSet generate(int count, int length, double snrDb, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] features = new double[count * length];
    INDArray labels = Nd4j.zeros(DataType.FLOAT, count, PERIODS.length);
    for (int n = 0; n < count; n++) {
      int label = n % PERIODS.length;
      labels.putScalar(n, label, 1.0);
      double[] s = new double[length];
      int period = PERIODS[label];
      int phase = rng.nextInt(period);
      for (int start = phase; start < length; start += period) {
        for (int t = 0; t < 12 && start + t < length; t++) {
          s[start + t] += Math.exp(-t / 3.0) * Math.sin(Math.PI / 2 * t + 0.5);
        }
      }
      double ps = 0;
      for (double v : s) {
        ps += v * v;
      }
      ps /= length;
      double sigma = Math.sqrt(ps / Math.pow(10, snrDb / 10));
      double mean = 0;
      for (int t = 0; t < length; t++) {
        s[t] += sigma * gaussian(rng);
        mean += s[t];
      }
      mean /= length;
      double var = 0;
      for (double v : s) {
        var += (v - mean) * (v - mean);
      }
      double sd = Math.sqrt(var / length);
      for (int t = 0; t < length; t++) {
        features[n * length + t] = (s[t] - mean) / sd;
      }
    }
    INDArray x = Nd4j.create(features, new long[] {count, 1, 1, length}).castTo(DataType.FLOAT);
    return new DataSet(x, labels);
  }

  private static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
