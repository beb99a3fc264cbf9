package io.github.drsn.model.clean;

import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.TrainingListener;
import io.github.drsn.runtime.Diagnosis;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ensemble data cleaning: finds training windows whose label the data do not support. The training windows are
 * split into K time-block folds ({@link BlockFolds}, no sample shared between a fold's training and held-out
 * windows); for each fold, N networks with different seeds (initialisation, batch draws, training noise) are trained
 * on the other folds by the project's one training path ({@link TrainingRun}, best epoch by validation accuracy on
 * the data's validation region), and every held-out window is scored by the ensemble's mean probability
 * p̄(c | x) = (1/N) Σ_m p_m(c | x), each window with its one fixed noise realisation
 * ({@link Evaluation#probabilities}). So every training window is scored by N models that never saw it.
 *
 * <p>A window is flagged when the ensemble gives its label less than the threshold t:
 * <b>p̄(given | x) &lt; t</b>. This is the "self-confidence" of confident learning (Northcutt, Jiang &amp; Chuang,
 * JAIR 70, 2021), which ranks label errors by it. The rule was chosen over "top class ≠ label with p̄(top) &gt; t"
 * because it also catches windows where the ensemble spreads its mass over several classes none of which is the
 * label (a flipped label between two classes the networks confuse), and because one number, the probability of
 * the label, orders all windows for review (every window whose ensemble class differs from its label with
 * p̄(top) &gt; 1 − t is flagged too). Out-of-fold scoring matters: a network scoring its own training windows would
 * have fitted their wrong labels (deep networks memorise random labels, Zhang et al., ICLR 2017).
 *
 * <p>The default t = {@value #DEFAULT_THRESHOLD} is measured, not derived: networks trained for a few epochs on
 * noisy windows are under-confident, so many correctly labelled windows get p̄(label) between 0.2 and 0.5, while a
 * wrong label mostly gets almost nothing (the ensemble names the true class). On CWRU at 0 dB with 10 % of the labels
 * flipped (ResNet, 6 epochs, K = 3, N = 2, seed 1) t = 0.5 flagged the flipped windows at 45 % precision and 99.7 %
 * recall, t = 0.2 at 95 % and 96 %, and with seed 2 at 98 % and 97.5 % (docs/results/data-cleaning). The right t
 * depends on how confident the networks are; {@code --flip-labels} measures it on one's own data.
 *
 * <pre>{@code
 * EnsembleCleaning.Settings settings = new EnsembleCleaning.Settings(3, 2, EnsembleCleaning.DEFAULT_THRESHOLD, 1);
 * EnsembleCleaning.Result r = EnsembleCleaning.run(windows, config, settings, null, null);
 * r.flagged().forEach(s -> System.out.println(s.window().key() + " p(label) = " + s.pGiven()));
 * }</pre>
 */
public final class EnsembleCleaning {

  /** The default threshold on p̄(given label), chosen on CWRU with flipped labels (see the class comment). */
  public static final double DEFAULT_THRESHOLD = 0.2;

  /**
   * How to clean.
   *
   * @param folds K, at least 2
   * @param models N networks per fold, at least 1
   * @param threshold t in (0, 1): a window is flagged when p̄(given) &lt; t
   * @param seed seeds the folds and, through {@link #memberSeed}, every network
   */
  public record Settings(int folds, int models, double threshold, long seed) {
    /** @throws IllegalArgumentException naming the value that is out of range */
    public Settings {
      if (folds < 2) {
        throw new IllegalArgumentException("folds must be at least 2 (K-fold cross-validation), got " + folds);
      }
      if (models < 1) {
        throw new IllegalArgumentException("models per fold must be at least 1, got " + models);
      }
      if (!(threshold > 0 && threshold < 1)) {
        throw new IllegalArgumentException("the threshold on p(given label) must be in (0, 1), got " + threshold);
      }
    }
  }

  /**
   * One training window's out-of-fold score.
   *
   * @param window the window with its given label
   * @param fold the fold in which it was held out
   * @param probabilities p̄(c | x) for every class c, the mean of the fold's N networks
   */
  public record Score(Window window, int fold, double[] probabilities) {

    /** @return the given label's class index */
    public int givenClass() {
      return window.classIndex();
    }

    /** @return p̄(given | x) */
    public double pGiven() {
      return probabilities[window.classIndex()];
    }

    /** @return the ensemble's class, argmax p̄ */
    public int ensembleClass() {
      return Diagnosis.argMax(probabilities);
    }

    /** @return p̄ of the ensemble's class */
    public double pTop() {
      return probabilities[ensembleClass()];
    }

    /** @return whether p̄(given | x) &lt; threshold */
    public boolean flagged(double threshold) {
      return pGiven() < threshold;
    }
  }

  /**
   * One fold's networks.
   *
   * @param fold the fold
   * @param heldOut windows scored
   * @param training windows the networks trained on
   * @param purged windows of other folds left out of training because they share samples with a held-out window
   * @param validationAccuracy each network's accuracy on the validation region (best epoch)
   */
  public record FoldRun(int fold, int heldOut, int training, int purged, double[] validationAccuracy) {}

  /**
   * What a cleaning pass produced.
   *
   * @param settings the settings
   * @param scores one score per training window, in the order of the data's training region
   * @param folds what each fold trained and scored
   */
  public record Result(Settings settings, List<Score> scores, List<FoldRun> folds) {

    /** @return the windows with p̄(given) &lt; the settings' threshold, in training-region order */
    public List<Score> flagged() {
      return scores.stream().filter(s -> s.flagged(settings.threshold())).toList();
    }

    /**
     * The flagged set at {@code threshold} against known label errors (precision = found / flagged,
     * recall = found / errors).
     *
     * @param errors whether each window's label is wrong, in the order of {@link #scores()}
     * @throws IllegalArgumentException if the lengths differ
     */
    public Validation validate(boolean[] errors, double threshold) {
      if (errors.length != scores.size()) {
        throw new IllegalArgumentException("expected " + scores.size() + " error marks, one per scored window, got "
            + errors.length);
      }
      boolean[] flagged = new boolean[errors.length];
      for (int i = 0; i < flagged.length; i++) {
        flagged[i] = scores.get(i).flagged(threshold);
      }
      return Validation.of(flagged, errors);
    }
  }

  /**
   * A flagged set scored against the known errors.
   *
   * @param errors windows whose label is wrong
   * @param flagged windows flagged
   * @param found windows both flagged and wrong (true positives)
   */
  public record Validation(int errors, int flagged, int found) {

    /** Counts the agreement of two marks per window. */
    public static Validation of(boolean[] flagged, boolean[] errors) {
      if (flagged.length != errors.length) {
        throw new IllegalArgumentException("flag and error marks differ in length: " + flagged.length + " and "
            + errors.length);
      }
      int e = 0;
      int f = 0;
      int tp = 0;
      for (int i = 0; i < flagged.length; i++) {
        e += errors[i] ? 1 : 0;
        f += flagged[i] ? 1 : 0;
        tp += errors[i] && flagged[i] ? 1 : 0;
      }
      return new Validation(e, f, tp);
    }

    /** @return found / flagged, or NaN when nothing is flagged */
    public double precision() {
      return flagged == 0 ? Double.NaN : (double) found / flagged;
    }

    /** @return found / errors, or NaN when there are no errors */
    public double recall() {
      return errors == 0 ? Double.NaN : (double) found / errors;
    }
  }

  private EnsembleCleaning() {}

  /**
   * The seed of network {@code member} of fold {@code fold} (initialisation, batch draws and training noise): a
   * SplitMix64 mix, so that no two networks of a pass, and no two passes with different seeds, share one.
   */
  public static long memberSeed(long seed, int fold, int member) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + fold * 1000L + member);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Scores every window of {@code data}'s training region out of fold.
   *
   * @param data the windows; the training region's labels are the ones judged, the validation region picks each
   *     network's best epoch, the test region is not used
   * @param config the training run of one network; its seeds are replaced per network ({@link #memberSeed})
   * @param listener progress of each network's training, or null
   * @param log one line before each network, or null
   * @throws IllegalArgumentException if the data and the model disagree, or a fold has nothing to train on
   */
  public static Result run(WindowedDataset data, RunConfig config, Settings settings, TrainingListener listener,
      Consumer<String> log) {
    TrainingRun.check(data, config);
    List<Window> windows = data.windows(Region.TRAIN);
    BlockFolds folds = BlockFolds.of(windows, settings.folds(), settings.seed());
    int classes = data.dataset().classCount();
    double[][] mean = new double[windows.size()][classes];
    // Every fold is checked before the first network trains: a fold that cannot train would otherwise stop the run
    // after the earlier folds' networks had taken their time.
    List<WindowedDataset> trainOn = new ArrayList<>();
    for (int f = 0; f < settings.folds(); f++) {
      List<Window> training = folds.training(f);
      List<Window> heldOut = folds.heldOut(f);
      if (training.isEmpty() || heldOut.isEmpty()) {
        throw new IllegalArgumentException("fold " + (f + 1) + " of " + settings.folds() + " has " + training.size()
            + " training and " + heldOut.size() + " held-out windows; use fewer folds or more data");
      }
      String note = "fold " + (f + 1) + " of " + settings.folds() + " (time blocks, seed " + settings.seed() + ")";
      WindowedDataset fold = data.withWindows(training, data.windows(Region.VALIDATION), List.of(), note);
      try {
        TrainingRun.check(fold, config);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(note + " cannot train: " + e.getMessage() + "; use fewer folds", e);
      }
      trainOn.add(fold);
    }
    List<FoldRun> runs = new ArrayList<>();
    for (int f = 0; f < settings.folds(); f++) {
      List<Window> training = folds.training(f);
      List<Window> heldOut = folds.heldOut(f);
      String note = "fold " + (f + 1) + " of " + settings.folds() + " (time blocks, seed " + settings.seed() + ")";
      WindowedDataset score = data.withWindows(List.of(), List.of(), heldOut, note);
      double[][] sum = new double[heldOut.size()][classes];
      double[] accuracy = new double[settings.models()];
      for (int m = 0; m < settings.models(); m++) {
        long seed = memberSeed(settings.seed(), f, m);
        if (log != null) {
          log.accept(note + ", network " + (m + 1) + " of " + settings.models() + " (seed " + seed + "): training on "
              + training.size() + " windows, scoring " + heldOut.size());
        }
        RunConfig member = new RunConfig(config.architecture(), config.spec().toBuilder().seed(seed).build(),
            config.pipeline(), config.batchSize(), config.batchesPerEpoch(), config.sampling(), config.epochs(),
            config.patience(), seed, config.evaluationSeed());
        // The folds share the validation windows: a warning about them is said by the first network only.
        TrainingListener told = listener == null || (f == 0 && m == 0) ? listener : withoutWarnings(listener);
        TrainingRun.Outcome outcome = TrainingRun.run(trainOn.get(f), member, null, false, told, null);
        accuracy[m] = outcome.validation().accuracy();
        double[][] p = Evaluation.probabilities(outcome.network(), score, Region.TEST, member.pipeline(),
            member.evaluationSeed());
        for (int i = 0; i < p.length; i++) {
          for (int c = 0; c < classes; c++) {
            sum[i][c] += p[i][c];
          }
        }
      }
      // heldOut is in the order of `windows`: walk both to put each mean back in training-region order.
      int next = 0;
      for (int i = 0; i < windows.size(); i++) {
        if (folds.foldOf(i) == f) {
          for (int c = 0; c < classes; c++) {
            mean[i][c] = sum[next][c] / settings.models();
          }
          next++;
        }
      }
      runs.add(new FoldRun(f, heldOut.size(), training.size(), windows.size() - heldOut.size() - training.size(),
          accuracy));
    }
    List<Score> scores = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      scores.add(new Score(windows.get(i), folds.foldOf(i), mean[i]));
    }
    return new Result(settings, List.copyOf(scores), List.copyOf(runs));
  }

  /** {@code listener} without its {@link TrainingListener#onWarning}: the progress of every network, the warnings once. */
  private static TrainingListener withoutWarnings(TrainingListener listener) {
    return new TrainingListener() {
      @Override
      public void onBatch(int epoch, int batch, int batchesInEpoch, double loss) {
        listener.onBatch(epoch, batch, batchesInEpoch, loss);
      }

      @Override
      public void onEpoch(io.github.drsn.model.train.EpochRecord record, boolean improved) {
        listener.onEpoch(record, improved);
      }

      @Override
      public void onStart(int firstEpoch, int maxEpochs) {
        listener.onStart(firstEpoch, maxEpochs);
      }
    };
  }
}
