package io.github.drsn.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The learning-rate range test of Smith ("Cyclical Learning Rates for Training Neural Networks", WACV 2017, Sec.
 * 3.3): train from initialisation while the learning rate grows exponentially from {@code minLr} to {@code maxLr}
 * over {@code iterations} minibatches, lr_i = minLr · (maxLr / minLr)^(i / (iterations − 1)), and record the loss.
 * The loss is smoothed with a bias-corrected exponential average (as fastai's {@code lr_find}):
 * a_i = β a_(i−1) + (1 − β) loss_i, smoothed_i = a_i / (1 − β^(i+1)), β = 0.98. The sweep stops when the
 * smoothed loss exceeds {@value #DIVERGENCE_FACTOR} × its lowest value so far, or is not finite (divergence).
 *
 * <p>Suggestions, from the points before divergence: the <em>steepest</em> learning rate, where the smoothed loss
 * falls fastest per decade (the most negative central difference d smoothed / d log10 lr up to the lowest loss);
 * and a cycle for {@code triangular} schedules: its maximum the learning rate of the lowest smoothed loss (where
 * the loss stops falling, Smith's max_lr), its base a quarter of that (Smith: "base_lr 1/3 or 1/4 of max_lr").
 * Both searches skip the first {@value #SKIP_START} points when the curve has more than twice as many (fastai's
 * {@code skip_start}): there the bias-corrected average rests on a handful of minibatches, and on a sweep of a few
 * hundred steps over many decades one step spans a few hundredths of a decade, so minibatch noise alone makes
 * slopes per decade steeper, and minima lower, than the real descent (seen on CWRU at −8 dB: 200 steps from 1e-5
 * to 10 suggested 1e-5 for both).
 */
public final class LrRangeTest {

  /** The sweep stops when the smoothed loss exceeds this multiple of its lowest value. */
  public static final double DIVERGENCE_FACTOR = 4;
  /** Smoothing factor β of the loss average. */
  public static final double BETA = 0.98;
  /** base = max / this, for the suggested cycle. */
  public static final double CYCLE_RATIO = 4;
  /**
   * The smallest fall of the smoothed loss, from the first point the suggestions consider to its lowest, as a fraction
   * of the former, for which the suggestions are taken to rest on a real descent; below it the network barely learned
   * during the sweep and the curve's slopes and minimum are minibatch noise (seen on CWRU at −8 dB: GroupNorm, and any
   * network at batch 8, fell 1-3 % in 200 steps where BatchNorm at batch 128 fell 7 %).
   */
  public static final double MIN_DESCENT = 0.05;
  /** Points at the start of the curve that the suggestions do not consider (see the class comment). */
  public static final int SKIP_START = 10;

  /**
   * One step of the sweep.
   *
   * @param iteration 0-based step
   * @param learningRate the rate this step took
   * @param loss the minibatch's loss (the network's score)
   * @param smoothedLoss the bias-corrected exponential average of the losses so far
   */
  public record Point(int iteration, double learningRate, double loss, double smoothedLoss) {}

  /**
   * The curve and its suggestions.
   *
   * @param points every step taken, the diverging one included
   * @param diverged whether the sweep stopped before {@code iterations} steps because the loss diverged
   * @param steepestLr learning rate of the steepest descent of the smoothed loss
   * @param minLossLr learning rate of the lowest smoothed loss (the suggested cycle's maximum)
   * @param cycleBase suggested base of a cyclical schedule, {@code minLossLr / CYCLE_RATIO}
   * @param descent 1 − (lowest smoothed loss) / (smoothed loss at the first point considered): how far the loss fell
   */
  public record Result(List<Point> points, boolean diverged, double steepestLr, double minLossLr, double cycleBase,
      double descent) {

    /** Whether the loss fell by at least {@link #MIN_DESCENT}, so that the suggestions mean something. */
    public boolean clearDescent() {
      return descent >= MIN_DESCENT;
    }

    /** The suggested cycle's maximum. */
    public double cycleMax() {
      return minLossLr;
    }
  }

  private LrRangeTest() {}

  /**
   * The schedule of the sweep, to build the network with: lr = minLr · γ^iteration with γ = (maxLr / minLr)^(1 /
   * (iterations − 1)), so iteration 0 takes minLr and iteration {@code iterations − 1} takes maxLr.
   *
   * @throws IllegalArgumentException unless 0 < minLr < maxLr (finite) and iterations ≥ 2
   */
  public static ISchedule schedule(double minLr, double maxLr, int iterations) {
    if (!(minLr > 0 && maxLr > minLr) || Double.isInfinite(maxLr)) {
      throw new IllegalArgumentException("--min-lr and --max-lr need 0 < min < max, got " + minLr + " and " + maxLr);
    }
    if (iterations < 2) {
      throw new IllegalArgumentException("--iterations must be at least 2, got " + iterations);
    }
    return new ExponentialSchedule(ScheduleType.ITERATION, minLr, Math.pow(maxLr / minLr, 1.0 / (iterations - 1)));
  }

  /**
   * Runs the sweep on {@code network}, built with {@link #schedule} as its learning rate and freshly initialised;
   * minibatches come from {@code data}'s training epochs in turn (epoch 0, 1, ... as each runs out).
   */
  public static Result run(MultiLayerNetwork network, Trainer.EpochData data, int iterations) {
    Objects.requireNonNull(network, "network");
    List<Point> points = new ArrayList<>();
    double average = 0;
    double best = Double.POSITIVE_INFINITY;
    boolean diverged = false;
    int epoch = 0;
    DataSetIterator batches = data.trainingEpoch(epoch);
    for (int i = 0; i < iterations; i++) {
      if (!batches.hasNext()) {
        batches = data.trainingEpoch(++epoch);
        if (!batches.hasNext()) {
          throw new IllegalStateException("epoch " + epoch + " produced no training minibatches");
        }
      }
      DataSet batch = batches.next();
      double lr = Trainer.learningRate(network);
      network.fit(batch);
      double loss = network.score();
      average = BETA * average + (1 - BETA) * loss;
      double smoothed = average / (1 - Math.pow(BETA, i + 1));
      points.add(new Point(i, lr, loss, smoothed));
      if (!Double.isFinite(smoothed) || smoothed > DIVERGENCE_FACTOR * best) {
        diverged = true;
        break;
      }
      best = Math.min(best, smoothed);
    }
    return suggest(points, diverged);
  }

  /** The suggestions for a curve (see the class comment); the last point is left out when it diverged. */
  static Result suggest(List<Point> points, boolean diverged) {
    List<Point> usable = diverged && points.size() > 1 ? points.subList(0, points.size() - 1) : points;
    int start = usable.size() > 2 * SKIP_START ? SKIP_START : 0;
    int minAt = start;
    for (int i = start + 1; i < usable.size(); i++) {
      if (usable.get(i).smoothedLoss() < usable.get(minAt).smoothedLoss()) {
        minAt = i;
      }
    }
    int steepestAt = start;
    double steepest = Double.POSITIVE_INFINITY;
    for (int i = start; i <= minAt && usable.size() > 1; i++) {
      int lo = Math.max(start, i - 1);
      int hi = Math.min(usable.size() - 1, i + 1);
      double slope = (usable.get(hi).smoothedLoss() - usable.get(lo).smoothedLoss())
          / (Math.log10(usable.get(hi).learningRate()) - Math.log10(usable.get(lo).learningRate()));
      if (slope < steepest) {
        steepest = slope;
        steepestAt = i;
      }
    }
    double minLossLr = usable.get(minAt).learningRate();
    double descent = 1 - usable.get(minAt).smoothedLoss() / usable.get(start).smoothedLoss();
    return new Result(List.copyOf(points), diverged, usable.get(steepestAt).learningRate(), minLossLr,
        minLossLr / CYCLE_RATIO, descent);
  }
}
