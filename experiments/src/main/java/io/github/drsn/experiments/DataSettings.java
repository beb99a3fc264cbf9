package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.manifest.Manifest;
import io.github.drsn.datasets.cwru.CwruTasks;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
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
 */
@JsonPropertyOrder({"source", "dir", "manifest", "seed", "split", "fractions", "train_loads", "test_loads", "window",
    "train_stride", "exclude_classes", "skip_unreadable"})
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
    @JsonProperty("skip_unreadable") boolean skipUnreadable) {

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

  /** Loads every class of the data set ({@link #excludeClasses()} not applied). */
  public Dataset loadAll() throws RecordingLoadException {
    ErrorPolicy policy = skipUnreadable ? ErrorPolicy.SKIP_AND_REPORT : ErrorPolicy.FAIL_FAST;
    return switch (source) {
      case synthetic -> SyntheticDrivetrain.dataset(seed);
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
      case synthetic -> "synthetic (seed " + seed + ")";
      case cwru -> "cwru (" + dir + ")";
      case manifest -> "manifest (" + manifest + ")";
    };
    return excludeClasses.isEmpty() ? described : described + " without " + String.join(", ", excludeClasses);
  }
}
