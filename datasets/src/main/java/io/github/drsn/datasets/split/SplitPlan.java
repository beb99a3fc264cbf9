package io.github.drsn.datasets.split;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * How recordings are divided into training, validation and test regions. The split always comes
 * before windowing, and every window lies wholly inside one region, so no sample is ever seen in two
 * regions (overlapping windows split at random would leak samples into the test set).
 *
 * <ul>
 *   <li>{@link #byTime()}: each recording split in time, first 70 % train, next 10 % validation, last
 *       20 % test (docs/protocol.md). Every class and condition appears in every region.</li>
 *   <li>{@link #byRecording}: whole recordings go to one region, stratified per class, chosen by seed.</li>
 *   <li>{@link #byCondition}: cross-condition generalisation, e.g. train on loads 0-2 hp and test on
 *       3 hp; the validation region is the last part (in time) of each training recording.</li>
 * </ul>
 */
public sealed interface SplitPlan {

  /**
   * @param dataset the data set
   * @return the regions of every recording; recordings a plan does not use have no span
   */
  List<RegionSpan> spans(Dataset dataset);

  /** @return a one-line description for reports, e.g. {@code "by time 70/10/20"} */
  String describe();

  /** @return the protocol's split (docs/protocol.md): by time, 70 % / 10 % / 20 % */
  static SplitPlan byTime() {
    return new ByTime(0.7, 0.1, 0.2);
  }

  /**
   * @param train fraction of each recording for training (first in time)
   * @param validation fraction for validation (next)
   * @param test fraction for test (last)
   * @return a time split; fractions must be &gt;= 0 and sum to 1
   */
  static SplitPlan byTime(double train, double validation, double test) {
    return new ByTime(train, validation, test);
  }

  /**
   * @param train fraction of each class's recordings for training
   * @param validation fraction for validation
   * @param test fraction for test
   * @param seed chooses which recordings go where
   * @return a whole-recording split, stratified per class
   */
  static SplitPlan byRecording(double train, double validation, double test, long seed) {
    return new ByRecording(train, validation, test, seed);
  }

  /**
   * @param train conditions whose recordings are used for training (and validation)
   * @param test conditions whose recordings are used for test
   * @param validationFraction last part (in time) of each training recording held out for validation
   * @param description how the conditions were chosen, for reports, e.g. {@code "train load 0-2, test load 3"}
   * @return a cross-condition split; a recording matching both predicates is an error
   */
  static SplitPlan byCondition(Predicate<OperatingCondition> train, Predicate<OperatingCondition> test,
      double validationFraction, String description) {
    return new ByCondition(train, test, validationFraction, description);
  }

  /**
   * @param trainLoads loads for training, e.g. {@code List.of(0.0, 1.0, 2.0)}
   * @param testLoads loads for test, e.g. {@code List.of(3.0)}
   * @param validationFraction last part of each training recording held out for validation
   * @return the cross-load split used for "train on 0-2 hp, test on 3 hp"
   */
  static SplitPlan byLoad(List<Double> trainLoads, List<Double> testLoads, double validationFraction) {
    List<Double> trainCopy = List.copyOf(trainLoads);
    List<Double> testCopy = List.copyOf(testLoads);
    return new ByCondition(c -> trainCopy.contains(c.load()), c -> testCopy.contains(c.load()), validationFraction,
        "train loads " + trainCopy + ", test loads " + testCopy);
  }

  private static void checkFractions(double train, double validation, double test) {
    if (!(train > 0) || !(validation >= 0) || !(test >= 0) || Math.abs(train + validation + test - 1) > 1e-9) {
      throw new IllegalArgumentException("split fractions must be train > 0, validation >= 0, test >= 0 and sum to 1,"
          + " got " + train + "/" + validation + "/" + test);
    }
  }

  /** A fraction in percent with at most one decimal and no trailing ".0": 0.7 → "70", 0.125 → "12.5". */
  static String percent(double f) {
    String text = String.format(Locale.ROOT, "%.1f", f * 100);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /**
   * Split in time within each recording.
   *
   * @param train fraction for training
   * @param validation fraction for validation
   * @param test fraction for test
   */
  record ByTime(double train, double validation, double test) implements SplitPlan {

    /** @throws IllegalArgumentException if the fractions are invalid */
    public ByTime {
      checkFractions(train, validation, test);
    }

    @Override
    public List<RegionSpan> spans(Dataset dataset) {
      List<RegionSpan> spans = new ArrayList<>();
      for (int i = 0; i < dataset.recordings().size(); i++) {
        int n = dataset.recordings().get(i).length();
        int trainEnd = (int) Math.floor(train * n);
        int validationEnd = (int) Math.floor((train + validation) * n);
        spans.add(new RegionSpan(i, Region.TRAIN, 0, trainEnd));
        spans.add(new RegionSpan(i, Region.VALIDATION, trainEnd, validationEnd));
        spans.add(new RegionSpan(i, Region.TEST, validationEnd, n));
      }
      return spans;
    }

    @Override
    public String describe() {
      return "by time " + percent(train) + "/" + percent(validation) + "/" + percent(test);
    }
  }

  /**
   * Whole recordings to one region, stratified per class: of k recordings of a class,
   * round(test·k) go to test, round(validation·k) to validation, the rest (at least one) to training.
   *
   * @param train fraction for training
   * @param validation fraction for validation
   * @param test fraction for test
   * @param seed shuffles the recordings of each class
   */
  record ByRecording(double train, double validation, double test, long seed) implements SplitPlan {

    /** @throws IllegalArgumentException if the fractions are invalid */
    public ByRecording {
      checkFractions(train, validation, test);
    }

    @Override
    public List<RegionSpan> spans(Dataset dataset) {
      Map<String, List<Integer>> byClass = new LinkedHashMap<>();
      dataset.classes().forEach(c -> byClass.put(c, new ArrayList<>()));
      List<Recording> recordings = dataset.recordings();
      for (int i = 0; i < recordings.size(); i++) {
        byClass.get(recordings.get(i).label()).add(i);
      }
      Map<Integer, Region> assigned = new HashMap<>();
      SplittableRandom random = new SplittableRandom(seed);
      for (List<Integer> indices : byClass.values()) {
        for (int i = indices.size() - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          Integer swap = indices.get(i);
          indices.set(i, indices.get(j));
          indices.set(j, swap);
        }
        int k = indices.size();
        int nTest = Math.min((int) Math.round(test * k), Math.max(0, k - 1));
        int nValidation = Math.min((int) Math.round(validation * k), Math.max(0, k - 1 - nTest));
        for (int p = 0; p < k; p++) {
          Region region = p < nTest ? Region.TEST : p < nTest + nValidation ? Region.VALIDATION : Region.TRAIN;
          assigned.put(indices.get(p), region);
        }
      }
      List<RegionSpan> spans = new ArrayList<>();
      for (int i = 0; i < recordings.size(); i++) {
        spans.add(new RegionSpan(i, assigned.get(i), 0, recordings.get(i).length()));
      }
      return spans;
    }

    @Override
    public String describe() {
      return "by recording " + percent(train) + "/" + percent(validation) + "/" + percent(test)
          + " (seed " + seed + ")";
    }
  }

  /**
   * Cross-condition split.
   *
   * @param train selects training conditions
   * @param test selects test conditions
   * @param validationFraction held-out tail of each training recording
   * @param description for reports
   */
  record ByCondition(Predicate<OperatingCondition> train, Predicate<OperatingCondition> test,
      double validationFraction, String description) implements SplitPlan {

    /** @throws IllegalArgumentException if the validation fraction is outside [0, 1) */
    public ByCondition {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(test, "test");
      Objects.requireNonNull(description, "description");
      if (!(validationFraction >= 0 && validationFraction < 1)) {
        throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
      }
    }

    @Override
    public List<RegionSpan> spans(Dataset dataset) {
      List<RegionSpan> spans = new ArrayList<>();
      for (int i = 0; i < dataset.recordings().size(); i++) {
        Recording r = dataset.recordings().get(i);
        boolean isTrain = train.test(r.condition());
        boolean isTest = test.test(r.condition());
        if (isTrain && isTest) {
          throw new IllegalArgumentException("recording " + r.id() + " at " + r.condition()
              + " matches both the training and the test conditions of split '" + description + "'");
        }
        int n = r.length();
        if (isTrain) {
          int trainEnd = (int) Math.floor((1 - validationFraction) * n);
          spans.add(new RegionSpan(i, Region.TRAIN, 0, trainEnd));
          spans.add(new RegionSpan(i, Region.VALIDATION, trainEnd, n));
        } else if (isTest) {
          spans.add(new RegionSpan(i, Region.TEST, 0, n));
        }
      }
      return spans;
    }

    @Override
    public String describe() {
      return "by condition: " + description + ", validation = last "
          + percent(validationFraction) + " % of training recordings";
    }
  }
}
