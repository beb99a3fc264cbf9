package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.manifest.Manifest;
import io.github.drsn.datasets.cwru.CwruTasks;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.DrivetrainConfig;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a run's recordings come from and how they are split and windowed. The JSON keys are the record's
 * {@code @JsonProperty} names; the defaults ({@link #DEFAULTS}) are those of {@code drsn train}.
 *
 * @param source synthetic, cwru or manifest
 * @param dir the CWRU folder (holding normal/ and 12k_drive_end/), for source cwru
 * @param manifest a data set manifest (.json or .csv), for source manifest
 * @param seed seed of the synthetic data set (and of the recording split); real data ignore it
 * @param split time, recording or load
 * @param fractions train, validation and test fractions of the time and recording splits; with the load split
 *     the test fraction is unused and the last validation/(train+validation) of each training recording
 *     validates
 * @param trainLoads loads (hp) that train, for the load split
 * @param testLoads loads (hp) that test, for the load split
 * @param window samples per window
 * @param trainStride step between training windows (validation and test windows never overlap)
 * @param excludeClasses classes left out
 * @param skipUnreadable leave out unreadable recordings and report them instead of failing at the first
 * @param synthetic the simulated drivetrain, for source synthetic: changes to {@link DrivetrainConfig#defaults()}
 *     (null: the defaults), e.g. another sampling rate, resonance or speeds for the synthetic-shift protocol
 * @param resampleTo bring every recording to this rate in Hz before windowing (null: keep the source's rate)
 */
@JsonPropertyOrder({"source", "dir", "manifest", "seed", "split", "fractions", "train_loads", "test_loads", "window",
    "train_stride", "exclude_classes", "skip_unreadable", "synthetic", "resample_to"})
public record DataSettings(
    @JsonProperty("source") Source source,
    @JsonProperty("dir") String dir,
    @JsonProperty("manifest") String manifest,
    @JsonProperty("seed") long seed,
    @JsonProperty("split") Split split,
    @JsonProperty("fractions") List<Double> fractions,
    @JsonProperty("train_loads") List<Double> trainLoads,
    @JsonProperty("test_loads") List<Double> testLoads,
    @JsonProperty("window") int window,
    @JsonProperty("train_stride") int trainStride,
    @JsonProperty("exclude_classes") List<String> excludeClasses,
    @JsonProperty("skip_unreadable") boolean skipUnreadable,
    @JsonProperty("synthetic") Drivetrain synthetic,
    @JsonProperty("resample_to") Double resampleTo) {

  /**
   * Changes to the default simulated drivetrain; a null field keeps the default.
   *
   * @param samplingRate Hz
   * @param speedsRpm input-shaft speeds, one operating condition each
   * @param loads loads as fractions of rated torque
   * @param bearingResonanceHz centre of the bearing/housing resonance
   * @param gearResonanceHz centre of the gear-body resonance
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"sampling_rate", "speeds_rpm", "loads", "bearing_resonance_hz", "gear_resonance_hz"})
  public record Drivetrain(
      @JsonProperty("sampling_rate") Double samplingRate,
      @JsonProperty("speeds_rpm") List<Double> speedsRpm,
      @JsonProperty("loads") List<Double> loads,
      @JsonProperty("bearing_resonance_hz") Double bearingResonanceHz,
      @JsonProperty("gear_resonance_hz") Double gearResonanceHz) {

    /** @return the changes, e.g. {@code "48000 Hz, 900/2100 rpm, bearing resonance 4500 Hz"} */
    public String describe() {
      List<String> parts = new java.util.ArrayList<>();
      if (samplingRate != null) {
        parts.add(number(samplingRate) + " Hz");
      }
      if (speedsRpm != null) {
        parts.add(String.join("/", speedsRpm.stream().map(DataSettings::number).toList()) + " rpm");
      }
      if (loads != null) {
        parts.add("loads " + loads);
      }
      if (bearingResonanceHz != null) {
        parts.add("bearing resonance " + number(bearingResonanceHz) + " Hz");
      }
      if (gearResonanceHz != null) {
        parts.add("gear resonance " + number(gearResonanceHz) + " Hz");
      }
      return parts.isEmpty() ? "default drivetrain" : String.join(", ", parts);
    }

    /**
     * @return the default drivetrain with these changes
     * @throws IllegalArgumentException naming the setting for a drivetrain that cannot be simulated
     */
    public DrivetrainConfig config() {
      DrivetrainConfig d = DrivetrainConfig.defaults();
      try {
        return new DrivetrainConfig(samplingRate == null ? d.samplingRate() : samplingRate,
            speedsRpm == null ? d.speedsRpm() : speedsRpm, loads == null ? d.loads() : loads,
            d.samplesPerRecording(), d.pinionTeeth(), d.gearTeeth(), d.bearing(),
            bearingResonanceHz == null ? d.bearingResonanceHz() : bearingResonanceHz,
            gearResonanceHz == null ? d.gearResonanceHz() : gearResonanceHz);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("data.synthetic: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Settings without a changed drivetrain or resampling.
   *
   * @see DataSettings the canonical constructor for the parameters
   */
  public DataSettings(Source source, String dir, String manifest, long seed, Split split, List<Double> fractions,
      List<Double> trainLoads, List<Double> testLoads, int window, int trainStride, List<String> excludeClasses,
      boolean skipUnreadable) {
    this(source, dir, manifest, seed, split, fractions, trainLoads, testLoads, window, trainStride, excludeClasses,
        skipUnreadable, null, null);
  }

  /** The kinds of data source. */
  public enum Source {
    synthetic,
    cwru,
    manifest
  }

  /** How recordings are divided into training, validation and test. */
  public enum Split {
    time,
    recording,
    load
  }

  /** {@code drsn train}'s defaults: the synthetic drivetrain, time split 70/10/20, windows 2048, stride 512. */
  public static final DataSettings DEFAULTS = new DataSettings(null, null, null, 42, Split.time,
      List.of(0.7, 0.1, 0.2), null, null, 2048, 512, List.of(), false);

  /**
   * Checks the settings; a null source means manifest when a manifest is given, else synthetic (as on the
   * command line).
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public DataSettings {
    if (source == null) {
      source = manifest != null ? Source.manifest : Source.synthetic;
    }
    if (split == null) {
      throw new IllegalArgumentException("data.split must be time, recording or load");
    }
    if (fractions == null || fractions.size() != 3 || fractions.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("data.fractions needs three numbers [train, validation, test], got "
          + fractions);
    }
    fractions = List.copyOf(fractions);
    trainLoads = trainLoads == null ? null : List.copyOf(trainLoads);
    testLoads = testLoads == null ? null : List.copyOf(testLoads);
    excludeClasses = excludeClasses == null ? List.of() : List.copyOf(excludeClasses);
    if (window < 8) {
      throw new IllegalArgumentException("data.window must be at least 8 samples, got " + window);
    }
    if (trainStride < 1) {
      throw new IllegalArgumentException("data.train_stride must be at least 1, got " + trainStride);
    }
    if (synthetic != null && source != Source.synthetic) {
      throw new IllegalArgumentException("data.synthetic changes the simulated drivetrain; the source is " + source);
    }
    if (synthetic != null) {
      synthetic.config();
    }
    if (resampleTo != null && !(resampleTo >= 100 && resampleTo <= 1e6)) {
      throw new IllegalArgumentException("data.resample_to must be a rate in [100, 1e6] Hz, got " + resampleTo);
    }
  }

  /**
   * Loads the data set, without the excluded classes.
   *
   * @throws IllegalArgumentException for a missing folder or manifest setting, or an unknown excluded class
   * @throws RecordingLoadException when a recording cannot be read
   */
  public Dataset load() throws RecordingLoadException {
    return withoutExcludedClasses(loadAll());
  }

  /** Loads every class of the data set ({@link #excludeClasses()} not applied), resampled when asked. */
  public Dataset loadAll() throws RecordingLoadException {
    Dataset dataset = loadSource();
    if (resampleTo == null) {
      return dataset;
    }
    List<Recording> resampled = new java.util.ArrayList<>();
    for (Recording r : dataset.recordings()) {
      resampled.add(Resampler.toRate(r, resampleTo));
    }
    return new Dataset(dataset.name() + " at " + number(resampleTo) + " Hz", dataset.classes(),
        resampled, dataset.skipped());
  }

  private Dataset loadSource() throws RecordingLoadException {
    ErrorPolicy policy = skipUnreadable ? ErrorPolicy.SKIP_AND_REPORT : ErrorPolicy.FAIL_FAST;
    return switch (source) {
      case synthetic -> synthetic == null ? SyntheticDrivetrain.dataset(seed)
          : SyntheticDrivetrain.dataset(synthetic.config(), seed);
      case cwru -> {
        if (dir == null) {
          throw new IllegalArgumentException(
              "data source cwru needs data.dir, the CWRU folder holding normal/ and 12k_drive_end/");
        }
        Path folder = Path.of(dir);
        if (!Files.isDirectory(folder)) {
          throw new IllegalArgumentException("CWRU folder " + dir + " does not exist or is not a directory");
        }
        yield CwruTasks.tenClass(folder, policy);
      }
      case manifest -> {
        if (manifest == null) {
          throw new IllegalArgumentException("data source manifest needs data.manifest (a .json or .csv manifest)");
        }
        yield Manifest.load(Path.of(manifest), policy);
      }
    };
  }

  /**
   * {@code dataset} without {@link #excludeClasses()}.
   *
   * @throws IllegalArgumentException if an excluded class is not one of the data set's
   */
  public Dataset withoutExcludedClasses(Dataset dataset) {
    if (excludeClasses.isEmpty()) {
      return dataset;
    }
    for (String c : excludeClasses) {
      if (!dataset.classes().contains(c)) {
        throw new IllegalArgumentException("excluded class " + c + ": no such class; classes are "
            + dataset.classes());
      }
    }
    List<String> kept = dataset.classes().stream().filter(c -> !excludeClasses.contains(c)).toList();
    List<Recording> recordings = dataset.recordings().stream().filter(r -> kept.contains(r.label())).toList();
    return new Dataset(dataset.name() + " without " + String.join(", ", excludeClasses), kept, recordings,
        dataset.skipped());
  }

  /** Loads the data set and cuts it into windows by {@link #splitPlan()} and {@link #windowSpec()}. */
  public WindowedDataset loadWindows() throws RecordingLoadException {
    return WindowedDataset.cut(load(), splitPlan(), windowSpec());
  }

  /**
   * Loads the data as a model with these input settings sees it (in the order domain when they say so) and cuts it
   * into windows.
   */
  public WindowedDataset loadWindows(InputSettings input) throws RecordingLoadException {
    return windows(loadAll(), input);
  }

  /**
   * {@link #loadWindows(InputSettings)} from recordings already read: {@code all} is what {@link #loadAll()} gives
   * (e.g. shared by {@link DataSources}).
   */
  WindowedDataset windows(Dataset all, InputSettings input) {
    return WindowedDataset.cut(input.view(withoutExcludedClasses(all)), splitPlan(), windowSpec());
  }

  /** The split plan. */
  public SplitPlan splitPlan() {
    double train = fractions.get(0);
    double validation = fractions.get(1);
    double test = fractions.get(2);
    return switch (split) {
      case time -> SplitPlan.byTime(train, validation, test);
      case recording -> SplitPlan.byRecording(train, validation, test, seed);
      case load -> {
        if (trainLoads == null || testLoads == null) {
          throw new IllegalArgumentException("data.split load needs data.train_loads and data.test_loads, e.g."
              + " [0, 1, 2] and [3]");
        }
        yield SplitPlan.byLoad(trainLoads, testLoads, validation / (train + validation));
      }
    };
  }

  /** Window length and strides; validation and test windows do not overlap. */
  public WindowSpec windowSpec() {
    return new WindowSpec(window, trainStride, window);
  }

  /** A short description of the source for reports, e.g. {@code "cwru (../shared/data/cwru)"}. */
  public String describe() {
    String described = switch (source) {
      case synthetic -> "synthetic (seed " + seed + (synthetic == null ? "" : ", " + synthetic.describe()) + ")";
      case cwru -> "cwru (" + dir + ")";
      case manifest -> "manifest (" + manifest + ")";
    };
    if (resampleTo != null) {
      described += " at " + number(resampleTo) + " Hz";
    }
    return excludeClasses.isEmpty() ? described : described + " without " + String.join(", ", excludeClasses);
  }

  /** A number as written in settings: 48000, not 48000.0. */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
