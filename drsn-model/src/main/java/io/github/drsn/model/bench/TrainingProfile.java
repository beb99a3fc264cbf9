package io.github.drsn.model.bench;

import io.github.drsn.model.layers.impl.Phases;
import io.github.drsn.model.layers.impl.Phases.Phase;
import io.github.drsn.signals.Noise;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.Normalization;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The share of each phase of a training step ({@code drsn bench --profile}): one epoch of {@code fit(DataSet)}
 * with the kernels' phase timers on ({@link Phases}) and a listener marking the ends of DL4J's forward pass,
 * backward pass, gradient bookkeeping and updater step. DL4J's own layers (the dense output layer and the
 * loss) are the forward and backward time the custom layers do not account for. The data pipeline's
 * per-batch work (Gaussian noise at −4 dB and z-score standardisation of 128 windows, {@link Noise},
 * {@link Normalization}) is timed separately: the benchmark's {@code train_windows_per_sec} excludes it.
 * The timers add a few percent to the step.
 */
public final class TrainingProfile {

  private TrainingProfile() {
  }

  /** Marks, on the training thread, when each part of DL4J's step ended. */
  private static final class Marks extends BaseTrainingListener {
    long start;
    long forward;
    long backward;
    long gradient;
    long forwardTotal;
    long backwardTotal;
    long gradientTotal;
    long updaterTotal;
    long stepTotal;

    void begin() {
      start = System.nanoTime();
      forward = backward = gradient = 0;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
      forward = System.nanoTime();
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
      forward = System.nanoTime();
    }

    @Override
    public void onBackwardPass(Model model) {
      backward = System.nanoTime();
    }

    @Override
    public void onGradientCalculation(Model model) {
      gradient = System.nanoTime();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      long end = System.nanoTime();
      if (forward > 0 && backward > forward && gradient >= backward) {
        forwardTotal += forward - start;
        backwardTotal += backward - forward;
        gradientTotal += gradient - backward;
        updaterTotal += end - gradient;
      }
    }
  }

  /**
   * Trains {@code net} on {@code batches} once with the timers on and prints the table to {@code out}: per
   * phase, milliseconds per step and the share of the step's wall time.
   */
  public static void print(MultiLayerNetwork net, List<DataSet> batches, PrintStream out) {
    Marks marks = new Marks();
    java.util.Collection<TrainingListener> before = new java.util.ArrayList<>(net.getListeners());
    net.addListeners(marks);
    Phases.reset();
    Phases.enable(true);
    try {
      for (DataSet ds : batches) {
        long t = System.nanoTime();
        marks.begin();
        net.fit(ds);
        marks.stepTotal += System.nanoTime() - t;
      }
    } finally {
      Phases.enable(false);
      net.setListeners(before);
    }
    int steps = batches.size();
    Map<Phase, Long> phases = Phases.totals();
    double step = marks.stepTotal / (double) steps;
    out.printf(Locale.ROOT, "Training step, batch %d: %.2f ms wall (%d steps, %d kernel threads)%n",
        batches.get(0).numExamples(), step / 1e6, steps, io.github.drsn.model.NativeBackend.computeThreads());
    out.printf(Locale.ROOT, "%-84s %9s %7s%n", "phase", "ms/step", "share");
    long customForward = 0;
    long customBackward = 0;
    for (Phase p : Phase.values()) {
      long nanos = phases.get(p);
      if (p == Phase.WEIGHT_GRADIENTS) {
        nanos /= Math.max(1, io.github.drsn.model.NativeBackend.computeThreads());
      } else if (p.name().endsWith("BACKWARD") || p == Phase.UNIT_INPUT_GRADIENT || p == Phase.UNIT_NORMS) {
        customBackward += nanos;
      } else {
        customForward += nanos;
      }
      row(out, p.label(), nanos / (double) steps, step);
    }
    if (marks.forwardTotal > 0) {
      row(out, "DL4J forward outside the custom layers (output layer, activations kept)",
          (marks.forwardTotal - customForward) / (double) steps, step);
      row(out, "DL4J backward outside the custom layers (loss, output layer)",
          (marks.backwardTotal - customBackward) / (double) steps, step);
      row(out, "DL4J gradient bookkeeping (score, flattening)", marks.gradientTotal / (double) steps, step);
      row(out, "updater (regularisation, momentum, parameter step)", marks.updaterTotal / (double) steps, step);
    } else {
      out.println("(DL4J did not call the listener's forward/backward hooks: no split of its own time)");
    }
    out.printf(Locale.ROOT, "Data pipeline per batch, not in train_windows_per_sec: %.2f ms (Gaussian noise at"
        + " -4 dB + z-score, %d windows of %d, one thread)%n", dataMillis(batches.get(0)), batches.get(0).numExamples(),
        batches.get(0).getFeatures().size(3));
  }

  private static void row(PrintStream out, String label, double nanosPerStep, double step) {
    out.printf(Locale.ROOT, "%-84s %9.3f %6.1f%%%n", label, nanosPerStep / 1e6, 100 * nanosPerStep / step);
  }

  /** Median over 9 runs of the noise and standardisation of one batch's windows. */
  private static double dataMillis(DataSet batch) {
    int n = (int) batch.numExamples();
    int length = (int) batch.getFeatures().size(3);
    float[] clean = batch.getFeatures().dup('c').data().asFloat();
    SplittableRandom rng = new SplittableRandom(1);
    double[] ms = new double[9];
    for (int r = 0; r < ms.length; r++) {
      float[] windows = clean.clone();
      long t = System.nanoTime();
      for (int s = 0; s < n; s++) {
        Noise.addAtSnrInPlace(windows, s * length, length, NoiseType.GAUSSIAN, -4.0, rng);
        Normalization.Z_SCORE.applyInPlace(windows, s * length, length);
      }
      ms[r] = (System.nanoTime() - t) / 1e6;
    }
    java.util.Arrays.sort(ms);
    return ms[ms.length / 2];
  }
}
