package io.github.drsn.runtime.calibration;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.runtime.LeanDiagnoser;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alarm limits set on a machine's own baseline: a bundle's thresholds chosen again on raw windows of recordings of
 * the machine it is to watch ({@link Calibrator#rethreshold}), with what the old thresholds and the network made of
 * those windows. The monitoring practice of setting limits on the machine itself: a threshold chosen on the validation
 * windows holds for windows like those, and another machine's sensor, mounting and noise are not. {@code drsn
 * calibrate --reference} is this over files; a service calls it with the windows it has.
 *
 * @param bundle the bundle with the new thresholds
 * @param flaggedBefore per method, the fraction of the reference windows its previous threshold flagged: how the
 *     validation windows' false-alarm rate carried over to this machine
 * @param flaggedAfter per method, the fraction of the reference windows its new threshold flags (at most the rate
 *     asked for; less when few windows make the rate fall between two of them)
 * @param classShares per class, the fraction of the reference windows the network calls it (its most probable
 *     class): what the network makes of the machine
 */
public record ReferenceThresholds(Bundle bundle, Map<OodMethod, Double> flaggedBefore,
    Map<OodMethod, Double> flaggedAfter, Map<String, Double> classShares) {

  /** How {@link Calibration#data()} of thresholds chosen by {@link #choose} begins. */
  private static final String DATA_PREFIX = "thresholds on ";

  private static final String AS_BEFORE = "; temperature and ECE as before: ";

  /** Whether {@code calibration}'s thresholds were chosen on reference recordings ({@link #choose}). */
  public static boolean chosenOnReference(Calibration calibration) {
    return calibration != null && calibration.data().startsWith(DATA_PREFIX);
  }

  /**
   * The fewest healthy reference windows a false-alarm rate α can be set on: ⌈1/α⌉. A threshold that flags α of n
   * windows is the score ranked n·α from the top; below 1/α windows there is no such rank.
   *
   * @throws IllegalArgumentException if the rate is not in (0, 1)
   */
  public static int minimumWindows(double falseAlarmRate) {
    if (!(falseAlarmRate > 0 && falseAlarmRate < 1)) {
      throw new IllegalArgumentException("the false-alarm rate must be in (0, 1), got " + falseAlarmRate);
    }
    return (int) Math.ceil(1 / falseAlarmRate);
  }

  /**
   * Chooses the thresholds: {@code bundle} with its thresholds chosen again on windows of the machine it is to watch
   * ({@link Calibrator#rethreshold}), everything else of its calibration kept, and in its metrics' {@code calibration}
   * summary a {@code reference} entry: the windows, where they came from, and {@link #flaggedBefore} and
   * {@link #classShares}. The summary's {@code test} entry, measured at the previous thresholds, is dropped. Windows
   * that fail the model's health check (a dead sensor, clipping, NaN) are left out, as the runtime reports them
   * {@code unhealthy input} and never scores them.
   *
   * @param windows raw windows of the reference recordings at the model's rate, taken to be of states the model has
   *     classes for
   * @param described where the windows come from, recorded in the bundle
   * @throws IllegalArgumentException if the bundle is not calibrated, fewer than {@link #minimumWindows} windows are
   *     healthy, the rate is not in (0, 1) or the method has no statistics in the bundle
   */
  public static ReferenceThresholds choose(Bundle bundle, List<float[]> windows, String described,
      double falseAlarmRate, OodMethod method) {
    Calibration before = bundle.calibration();
    if (before == null) {
      throw new IllegalArgumentException("the model is not calibrated: its thresholds are set on reference recordings"
          + " from the statistics of its training windows; calibrate it first (drsn calibrate --model M)");
    }
    LeanDiagnoser network = LeanDiagnoser.of(bundle.withCalibration(null));
    List<float[]> healthy = windows.stream().filter(w -> network.health(w).healthy()).toList();
    if (healthy.isEmpty()) {
      throw new IllegalArgumentException("none of the " + windows.size() + " reference windows is healthy input (a"
          + " dead sensor, clipping or NaN in every one); nothing to choose the thresholds on");
    }
    if (healthy.size() < minimumWindows(falseAlarmRate)) {
      throw new IllegalArgumentException(healthy.size() + " healthy reference window(s) of " + windows.size()
          + "; a threshold that flags " + falseAlarmRate + " of them needs at least " + minimumWindows(falseAlarmRate)
          + " (below that no score ranks there, and the largest score would be taken, flagging none)");
    }
    Calibrator.Outputs reference = NetworkOutputs.of(network, healthy);
    // One score per window and method serves the old thresholds and the new: both share T and the statistics.
    Map<OodMethod, double[]> scores = Calibrator.scores(before, reference);
    Map<OodMethod, Double> flaggedBefore = new EnumMap<>(OodMethod.class);
    scores.forEach((m, s) -> flaggedBefore.put(m, FalseAlarmThreshold.flagRate(s, before.thresholds().get(m))));
    Map<String, Double> classShares = new LinkedHashMap<>();
    bundle.classes().forEach(c -> classShares.put(c, 0.0));
    for (double[] z : reference.logits()) {
      int top = 0;
      for (int k = 1; k < z.length; k++) {
        top = z[k] > z[top] ? k : top;
      }
      classShares.merge(bundle.classes().get(top), 1.0 / reference.size(), Double::sum);
    }
    // Chosen again on another machine's windows: the temperature and ECE still come from the training data, said once.
    String trained = chosenOnReference(before) && before.data().contains(AS_BEFORE)
        ? before.data().substring(before.data().indexOf(AS_BEFORE) + AS_BEFORE.length()) : before.data();
    Calibration after = Calibrator.rethreshold(before, scores, falseAlarmRate, method,
        DATA_PREFIX + described + AS_BEFORE + trained);
    Map<OodMethod, Double> flaggedAfter = new EnumMap<>(OodMethod.class);
    after.thresholds().forEach((m, t) -> flaggedAfter.put(m, FalseAlarmThreshold.flagRate(scores.get(m), t)));
    Map<String, Object> summary = new LinkedHashMap<>();
    if (bundle.metrics().get("calibration") instanceof Map<?, ?> old) {
      old.forEach((k, v) -> summary.put(String.valueOf(k), v));
    }
    summary.remove("test");
    summary.put("ood_method", after.method().name());
    summary.put("threshold", after.threshold());
    summary.put("false_alarm_rate", after.falseAlarmRate());
    summary.put("data", after.data());
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("windows", reference.size());
    ref.put("unhealthy_windows_left_out", windows.size() - healthy.size());
    ref.put("data", described);
    Map<String, Object> flagged = new LinkedHashMap<>();
    flaggedBefore.forEach((m, f) -> flagged.put(m.name(), f));
    ref.put("flagged_by_previous_thresholds", flagged);
    Map<String, Object> flaggedNow = new LinkedHashMap<>();
    flaggedAfter.forEach((m, f) -> flaggedNow.put(m.name(), f));
    ref.put("flagged_by_new_thresholds", flaggedNow);
    ref.put("class_shares", classShares);
    summary.put("reference", ref);
    Map<String, Object> metrics = new LinkedHashMap<>(bundle.metrics());
    metrics.put("calibration", summary);
    return new ReferenceThresholds(bundle.withCalibration(after).withMetrics(metrics), flaggedBefore, flaggedAfter,
        classShares);
  }
}
