package io.github.drsn.model.adapt;

import io.github.drsn.runtime.Diagnosis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Self-training on confident pseudo-labels (Lee, "Pseudo-Label: The Simple and Efficient Semi-Supervised Learning
 * Method for Deep Neural Networks", ICML 2013 workshop): the windows whose most probable class has probability ≥ a
 * threshold are labelled with that class, and the network is fine-tuned on them with cross-entropy for a few
 * epochs at a small learning rate. The two steps are separate ({@link #select}, {@link #fineTune}) so that any
 * caller (adaptation, semi-supervised recipes) chooses its windows and its network the same way.
 *
 * <p>Class-balanced selection keeps, per class, at most ⌈N / K⌉ of its most confident windows (N windows, K
 * classes: the share a class would have in a balanced target), so that the class the model already favours cannot
 * fill the pseudo-labelled set and pull the fine-tuning further towards itself (Zou et al., ECCV 2018, balance
 * self-training per class for the same reason).
 *
 * <p>The fine-tuning is a small loop over DL4J's {@code fit}, not the project's {@code Trainer}: the Trainer keeps
 * the best epoch by validation accuracy and writes checkpoints, and without labels there is no validation set to
 * choose by. In training mode batch norm uses mini-batch statistics and moves its running statistics towards them;
 * callers that want running statistics of the whole target set re-estimate them afterwards ({@link
 * NormStatistics}), as {@link Adaptation} does.
 */
public final class PseudoLabels {

  private PseudoLabels() {}

  /**
   * How to select and fine-tune.
   *
   * @param threshold minimum probability of the predicted class for a window to be pseudo-labelled, in (0, 1]
   * @param classBalanced keep at most ⌈N / K⌉ windows per class (its most confident)
   * @param epochs passes over the pseudo-labelled windows, ≥ 1
   * @param learningRate fixed learning rate of the network's own updater (e.g. SGD with momentum), &gt; 0
   * @param batch windows per minibatch, ≥ 2 (batch norm needs two)
   * @param seed shuffles the windows each epoch
   */
  public record Options(double threshold, boolean classBalanced, int epochs, double learningRate, int batch,
      long seed) {

    /** Threshold 0.9, class-balanced, 3 epochs at learning rate 0.001, batch 64, seed 1. */
    public static final Options DEFAULT = new Options(0.9, true, 3, 1e-3, 64, 1);

    /** @throws IllegalArgumentException for a value out of its range (named in the message) */
    public Options {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("pseudo-label threshold must be in (0, 1], got " + threshold);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("pseudo-label epochs must be >= 1, got " + epochs);
      }
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException("pseudo-label learning rate must be finite and > 0, got " + learningRate);
      }
      if (batch < 2) {
        throw new IllegalArgumentException("pseudo-label batch must be >= 2 windows (batch norm), got " + batch);
      }
    }
  }

  /**
   * The windows chosen and their labels.
   *
   * @param windows indices into the probabilities given to {@link #select}, ascending
   * @param labels the pseudo-label of each chosen window (its most probable class)
   * @param perClass chosen windows per class
   * @param confident windows per class whose probability reached the threshold (before any balancing)
   */
  public record Selection(int[] windows, int[] labels, int[] perClass, int[] confident) {

    /** Number of windows chosen. */
    public int size() {
      return windows.length;
    }
  }

  /**
   * Chooses the windows whose most probable class has probability ≥ {@code threshold}; with {@code classBalanced},
   * at most ⌈N / K⌉ per class, the most confident first (ties: the earlier window).
   *
   * @param probabilities one row of K class probabilities per window
   * @throws IllegalArgumentException if there are no windows, rows differ in length, or the threshold is not in
   *     (0, 1]
   */
  public static Selection select(float[][] probabilities, double threshold, boolean classBalanced) {
    if (probabilities.length == 0) {
      throw new IllegalArgumentException("no windows to pseudo-label");
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("pseudo-label threshold must be in (0, 1], got " + threshold);
    }
    int classes = probabilities[0].length;
    List<List<Integer>> byClass = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < probabilities.length; i++) {
      if (probabilities[i].length != classes) {
        throw new IllegalArgumentException("window " + i + " has " + probabilities[i].length
            + " probabilities, window 0 has " + classes);
      }
      int best = Diagnosis.argMax(probabilities[i]);
      if (probabilities[i][best] >= threshold) {
        byClass.get(best).add(i);
      }
    }
    int cap = classBalanced ? (probabilities.length + classes - 1) / classes : Integer.MAX_VALUE;
    int[] confident = new int[classes];
    int[] perClass = new int[classes];
    List<Integer> chosen = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      List<Integer> members = byClass.get(k);
      confident[k] = members.size();
      if (members.size() > cap) {
        int label = k;
        members.sort(Comparator.<Integer>comparingDouble(i -> -probabilities[i][label]).thenComparingInt(i -> i));
        members = members.subList(0, cap);
      }
      perClass[k] = members.size();
      chosen.addAll(members);
    }
    int[] windows = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] labels = new int[windows.length];
    for (int j = 0; j < windows.length; j++) {
      labels[j] = Diagnosis.argMax(probabilities[windows[j]]);
    }
    return new Selection(windows, labels, perClass, confident);
  }

  /**
   * Fine-tunes {@code network} in place with cross-entropy on the selected windows and their pseudo-labels: the
   * network's updater at a fixed {@link Options#learningRate()}, {@link Options#epochs()} passes, the windows
   * shuffled each epoch from {@code (seed, epoch)}; a last minibatch of a single window is dropped (batch norm).
   *
   * @param features all windows {@code [N, C, 1, L]}, preprocessed, in the network's data type
   * @return the mean training loss of each epoch (the network's score: cross-entropy plus regularisation)
   * @throws IllegalArgumentException if nothing was selected
   */
  public static double[] fineTune(MultiLayerNetwork network, INDArray features, Selection selection,
      Options options) {
    if (selection.size() == 0) {
      throw new IllegalArgumentException("no window reached the pseudo-label threshold " + options.threshold()
          + "; nothing to fine-tune on");
    }
    int classes = selection.perClass().length;
    network.setLearningRate(options.learningRate());
    double[] losses = new double[options.epochs()];
    int[] order = selection.windows().clone();
    int[] labelOf = new int[(int) features.size(0)];
    for (int j = 0; j < selection.size(); j++) {
      labelOf[selection.windows()[j]] = selection.labels()[j];
    }
    for (int epoch = 0; epoch < options.epochs(); epoch++) {
      shuffle(order, new Random(options.seed() * 1_000_003L + epoch));
      double sum = 0;
      int batches = 0;
      for (int from = 0; from + 1 < order.length; from += options.batch()) {
        int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + options.batch()));
        INDArray x = rows(features, rows);
        INDArray y = Nd4j.zeros(x.dataType(), rows.length, classes);
        for (int r = 0; r < rows.length; r++) {
          y.putScalar(r, labelOf[rows[r]], 1.0);
        }
        network.fit(new DataSet(x, y));
        sum += network.score();
        batches++;
      }
      losses[epoch] = batches == 0 ? Double.NaN : sum / batches;
    }
    return losses;
  }

  /** The windows {@code rows} of {@code features}, in that order, as one array. */
  static INDArray rows(INDArray features, int[] rows) {
    INDArray[] parts = new INDArray[rows.length];
    for (int r = 0; r < rows.length; r++) {
      parts[r] = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(rows[r], rows[r] + 1));
    }
    return Nd4j.concat(0, parts);
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
