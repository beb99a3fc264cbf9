package io.github.drsn.experiments;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.calibration.CalibrationError;
import io.github.drsn.runtime.calibration.Calibrator;
import io.github.drsn.runtime.calibration.NetworkOutputs;
import io.github.drsn.runtime.calibration.TemperatureScaling;
import io.github.drsn.runtime.explain.FaultFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calibrating a model and measuring its uncertainty, the one implementation behind {@code TrainingJob} (every new
 * model is calibrated on its validation split), {@code drsn calibrate} (an existing bundle, on the validation split
 * its recorded settings name), {@code drsn evaluate} (ECE, unknown fraction, fault-family accuracy) and the open-set
 * protocol. The network's outputs come from the lean runtime ({@link LeanDiagnoser#rawOutputs}), so what is fitted
 * is exactly what a service runs; the windows and their noise are those of {@link Evaluation#forEachWindow}.
 */
public final class Calibrations {

  /**
   * The method a newly calibrated bundle thresholds: Mahalanobis distance on the pooled features (Lee et al. 2018),
   * which looks at the features rather than the logits the classifier was trained to separate; the open-set protocol
   * compares it with the others, its layer ensemble ({@link OodMethod#MAHALANOBIS_LAYERS}, which every single-network
   * bundle also gets statistics and a threshold for), its relative form ({@link OodMethod#RELATIVE_MAHALANOBIS}) and
   * the nearest-neighbour distance on the same features ({@link OodMethod#KNN}), which every bundle gets, included.
   */
  public static final OodMethod DEFAULT_METHOD = OodMethod.MAHALANOBIS;

  private Calibrations() {}

  /**
   * The network's logits and pooled features on every window of {@code region} and, for a single network, the layer
   * ensemble's features ({@link LeanDiagnoser#rawOutputs(float[], double[], double[], double[][])}); a window's label
   * is its class's index among the model's classes, or -1 when the model does not know its class (an excluded class).
   */
  public static Calibrator.Outputs outputs(LeanDiagnoser model, WindowedDataset data, Region region, NoiseSpec noise,
      long evaluationSeed) {
    List<String> dataClasses = data.dataset().classes();
    int[] toModel = new int[dataClasses.size()];
    for (int k = 0; k < toModel.length; k++) {
      toModel[k] = model.classes().indexOf(dataClasses.get(k));
    }
    NetworkOutputs collected = new NetworkOutputs(model);
    Evaluation.forEachWindow(model.inputSpec(), data, region, noise, evaluationSeed,
        (w, input) -> collected.add(input, toModel[w.classIndex()]));
    return collected.outputs();
  }

  /**
   * Fits the calibration of {@code bundle} ({@link Calibrator#fit(Calibrator.Outputs, Calibrator.Outputs, double,
   * OodMethod, String)}): the feature statistics on the training windows of {@code data}, the temperature and the
   * thresholds on its validation windows (the classes the model knows, in both).
   *
   * @param noise the noise both sets of windows get (the run's training noise, as its validation metrics)
   * @throws IllegalArgumentException if the training or validation region has no window of a class the model knows
   */
  public static Calibration fit(Bundle bundle, WindowedDataset data, NoiseSpec noise, long evaluationSeed,
      double falseAlarmRate, OodMethod method) {
    FitWindows windows = fitWindows(bundle, data, noise, evaluationSeed);
    String described = String.format(Locale.ROOT, "feature statistics on the %d training windows, temperature and"
        + " thresholds on the validation windows of %s, split %s, %s, evaluation seed %d", windows.training().size(),
        data.dataset().name(), data.plan().describe(), noise == null ? "no noise" : noise.toString(), evaluationSeed);
    return Calibrator.fit(windows.training(), windows.validation(), falseAlarmRate, method, described);
  }

  /** The uncalibrated network's outputs on the training and the validation windows of the classes it knows. */
  private record FitWindows(Calibrator.Outputs training, Calibrator.Outputs validation) {}

  /**
   * The windows {@link #fit} fits on, as the uncalibrated network sees them.
   *
   * @throws IllegalArgumentException if either region has no window of a class the model knows
   */
  private static FitWindows fitWindows(Bundle bundle, WindowedDataset data, NoiseSpec noise, long evaluationSeed) {
    LeanDiagnoser uncalibrated = LeanDiagnoser.of(bundle.withCalibration(null));
    boolean[] known = new boolean[bundle.classes().size()];
    java.util.Arrays.fill(known, true);
    Calibrator.Outputs validation = outputs(uncalibrated, data, Region.VALIDATION, noise, evaluationSeed).select(known);
    Calibrator.Outputs training = outputs(uncalibrated, data, Region.TRAIN, noise, evaluationSeed).select(known);
    for (Calibrator.Outputs set : List.of(validation, training)) {
      if (set.size() == 0) {
        throw new IllegalArgumentException("the " + (set == validation ? "validation" : "training") + " region of "
            + data.dataset().name() + " has no windows of the model's classes " + bundle.classes()
            + " to calibrate on");
      }
    }
    return new FitWindows(training, validation);
  }

  /** The evaluation seed a bundle's provenance records, else the default. */
  public static long recordedEvaluationSeed(Bundle bundle) {
    return bundle.provenance().get("evaluation_seed") instanceof Number n ? n.longValue()
        : RunConfig.DEFAULT_EVALUATION_SEED;
  }

  /**
   * {@code bundle} with its calibration fitted on the training and validation windows of {@code data}
   * ({@link #fit}) and, in its metrics, a {@code calibration} summary: temperature, method, threshold, validation ECE/NLL before and after,
   * and on the test windows (when there are any) the {@link #measure} of the calibrated model.
   */
  public static Bundle calibrate(Bundle bundle, WindowedDataset data, NoiseSpec noise, long evaluationSeed,
      double falseAlarmRate, OodMethod method) {
    Calibration calibration = fit(bundle, data, noise, evaluationSeed, falseAlarmRate, method);
    Bundle calibrated = bundle.withCalibration(calibration);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("temperature", calibration.temperature());
    summary.put("ood_method", calibration.method().name());
    summary.put("threshold", calibration.threshold());
    summary.put("false_alarm_rate", calibration.falseAlarmRate());
    summary.put("data", calibration.data());
    Map<String, Object> validation = new LinkedHashMap<>();
    validation.put("windows", calibration.windows());
    validation.put("ece_before", calibration.eceBefore());
    validation.put("ece_after", calibration.eceAfter());
    validation.put("nll_before", calibration.nllBefore());
    validation.put("nll_after", calibration.nllAfter());
    summary.put("validation", validation);
    if (!data.windows(Region.TEST).isEmpty()) {
      summary.put("test", measure(calibration, bundle.classes(),
          outputs(LeanDiagnoser.of(calibrated), data, Region.TEST, noise, evaluationSeed)).toMap());
    }
    Map<String, Object> metrics = new LinkedHashMap<>(bundle.metrics());
    metrics.put("calibration", summary);
    return calibrated.withMetrics(metrics);
  }

  /**
   * Calibrates a bundle as it was trained ({@link #calibrate}): the data, split and noise of the run settings it
   * records, and its recorded evaluation seed.
   *
   * @throws IllegalArgumentException if the bundle records no run settings
   */
  public static Bundle calibrateAsTrained(Bundle bundle, Object name, double falseAlarmRate, OodMethod method)
      throws RecordingLoadException {
    return calibrateAsTrained(bundle, name, falseAlarmRate, method, new DataSources());
  }

  /** As {@link #calibrateAsTrained(Bundle, Object, double, OodMethod)}, the recordings from {@code sources}. */
  static Bundle calibrateAsTrained(Bundle bundle, Object name, double falseAlarmRate, OodMethod method,
      DataSources sources) throws RecordingLoadException {
    RunSettings settings = RunSettings.recordedIn(bundle, name);
    if (settings == null) {
      throw new IllegalArgumentException("model bundle " + name + " records no run settings, so its validation split"
          + " is unknown; retrain it with this drsn");
    }
    WindowedDataset windows = sources.windows(settings.data(), settings.input());
    RunConfig config = settings.runConfig(windows);
    return calibrate(bundle, windows, config.pipeline().noise(), recordedEvaluationSeed(bundle), falseAlarmRate,
        method);
  }

  /**
   * A bundle's calibration with the statistics and thresholds of the feature methods it lacks
   * ({@link OodMethod#MAHALANOBIS_LAYERS} for a single network, {@link OodMethod#RELATIVE_MAHALANOBIS},
   * {@link OodMethod#KNN}), fitted as
   * {@link #fit} fits them for a new bundle ({@link Calibrator#complete}): on the training and validation windows of
   * the run {@code settings} describe (the data, split and noise the model was trained with) and the bundle's recorded
   * evaluation seed. Its other statistics and thresholds are kept as they are. For bundles calibrated before those
   * methods existed; a calibration that has them all is returned unchanged, without reading any data.
   */
  public static Calibration withEveryMethod(Bundle bundle, RunSettings settings) throws RecordingLoadException {
    return withEveryMethod(bundle, settings, new DataSources());
  }

  /** As {@link #withEveryMethod(Bundle, RunSettings)}, the recordings from {@code sources}. */
  static Calibration withEveryMethod(Bundle bundle, RunSettings settings, DataSources sources)
      throws RecordingLoadException {
    Calibration calibration = bundle.calibration();
    if (calibration == null) {
      return null;
    }
    boolean lacksLayers = calibration.layers() == null && !bundle.isEnsemble();
    boolean lacksBackground = calibration.background() == null && calibration.mahalanobis() != null;
    boolean lacksNeighbours = calibration.neighbours() == null;
    if (!lacksLayers && !lacksBackground && !lacksNeighbours) {
      return calibration;
    }
    WindowedDataset windows = sources.windows(settings.data(), settings.input());
    FitWindows fitted = fitWindows(bundle, windows, settings.runConfig(windows).pipeline().noise(),
        recordedEvaluationSeed(bundle));
    return Calibrator.complete(calibration, fitted.training(), fitted.validation());
  }

  private static Uncertainty measureUncalibrated(List<String> classes, Calibrator.Outputs outputs) {
    Map<OodMethod, Double> none = new java.util.EnumMap<>(OodMethod.class);
    none.put(OodMethod.MAX_SOFTMAX, 0.0); // −max p ≤ 0: flags nothing
    Calibration identity = new Calibration(1.0, OodMethod.MAX_SOFTMAX, none, 0.5, "uncalibrated", 1, 0, 0, 0, 0, null,
        null, null, null);
    Uncertainty u = measure(identity, classes, outputs);
    return new Uncertainty(u.windows(), u.eceBefore(), u.eceAfter(), u.nllBefore(), u.nllAfter(), u.accuracy(),
        u.familyAccuracy(), Double.NaN, Double.NaN, Double.NaN);
  }

  /**
   * Uncertainty measures of a calibrated model on labelled windows.
   *
   * @param windows windows of classes the model knows
   * @param eceBefore ECE at T = 1
   * @param eceAfter ECE at the calibrated T
   * @param nllBefore mean NLL at T = 1
   * @param nllAfter mean NLL at the calibrated T
   * @param accuracy arg-max accuracy over all windows (unknown flags ignored)
   * @param familyAccuracy fault-family accuracy over all windows
   * @param unknownFraction fraction flagged unknown by the bundle's method and threshold
   * @param answeredAccuracy accuracy over the windows not flagged (NaN if all were)
   * @param answeredFamilyAccuracy family accuracy over the windows not flagged
   */
  public record Uncertainty(int windows, double eceBefore, double eceAfter, double nllBefore, double nllAfter,
      double accuracy, double familyAccuracy, double unknownFraction, double answeredAccuracy,
      double answeredFamilyAccuracy) {

    /** As a JSON-able map with snake_case keys (NaN, e.g. no unknown fraction for an uncalibrated model, as null). */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("windows", windows);
      m.put("ece_before", eceBefore);
      m.put("ece_after", eceAfter);
      m.put("nll_before", nllBefore);
      m.put("nll_after", nllAfter);
      m.put("accuracy", accuracy);
      m.put("family_accuracy", familyAccuracy);
      m.put("unknown_fraction", unknownFraction);
      m.put("answered_accuracy", answeredAccuracy);
      m.put("answered_family_accuracy", answeredFamilyAccuracy);
      m.replaceAll((k, v) -> v instanceof Double d && d.isNaN() ? null : v);
      return m;
    }
  }

  /**
   * Measures {@code calibration} (null: the uncalibrated model, T = 1, no unknown fraction) on windows of known
   * classes ({@code outputs} labels ≥ 0; others are left out).
   *
   * @throws IllegalArgumentException if no window has a known class
   */
  public static Uncertainty measure(Calibration calibration, List<String> classes, Calibrator.Outputs outputs) {
    if (calibration == null) {
      return measureUncalibrated(classes, outputs);
    }
    boolean[] known = new boolean[classes.size()];
    java.util.Arrays.fill(known, true);
    Calibrator.Outputs in = outputs.select(known);
    if (in.size() == 0) {
      throw new IllegalArgumentException("no window of the model's classes " + classes + " to measure");
    }
    double t = calibration.temperature();
    double[] scores = in.scores(calibration.method(), calibration);
    int correct = 0;
    int family = 0;
    int unknown = 0;
    int answeredCorrect = 0;
    int answeredFamily = 0;
    for (int i = 0; i < in.size(); i++) {
      double[] z = in.logits()[i];
      int best = 0;
      for (int k = 1; k < z.length; k++) {
        if (z[k] > z[best]) {
          best = k;
        }
      }
      boolean right = best == in.labels()[i];
      boolean sameFamily = FaultFamily.sameFamily(classes.get(in.labels()[i]), classes.get(best));
      correct += right ? 1 : 0;
      family += sameFamily ? 1 : 0;
      if (calibration.unknown(scores[i])) {
        unknown++;
      } else {
        answeredCorrect += right ? 1 : 0;
        answeredFamily += sameFamily ? 1 : 0;
      }
    }
    int n = in.size();
    int answered = n - unknown;
    return new Uncertainty(n, CalibrationError.ece(in.logits(), in.labels(), 1.0),
        CalibrationError.ece(in.logits(), in.labels(), t), TemperatureScaling.nll(in.logits(), in.labels(), 1.0),
        TemperatureScaling.nll(in.logits(), in.labels(), t), correct / (double) n, family / (double) n,
        unknown / (double) n, answered == 0 ? Double.NaN : answeredCorrect / (double) answered,
        answered == 0 ? Double.NaN : answeredFamily / (double) answered);
  }
}
