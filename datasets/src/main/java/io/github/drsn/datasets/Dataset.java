package io.github.drsn.datasets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A labelled set of recordings with a fixed class order, plus every recording its loader skipped and
 * why. The class order fixes the one-hot label index of each class, so it is part of the data set and
 * not derived from the order files happened to load in.
 *
 * <p>All recordings share one sampling rate and one channel count, so that windows of one length mean
 * the same time span for every class (this is what forces 97.mat to be decimated to 12 kHz in the CWRU
 * task).
 *
 * <p>Where data sets come from, and what follows:
 * <pre>{@code
 * Dataset data = SyntheticDrivetrain.dataset(42);                       // built-in, no files needed
 * Dataset data = CwruTasks.tenClass(Path.of("../shared/data/cwru"));    // the 10 classes of docs/protocol.md
 * Dataset data = Manifest.load(Path.of("my-rig.json"), ErrorPolicy.SKIP_AND_REPORT); // user data
 *
 * WindowedDataset windows = WindowedDataset.cut(data, SplitPlan.byTime(), WindowSpec.benchmark());
 * System.out.println(windows.summary().toJson());
 * NoiseSpec noise = new NoiseSpec(NoiseType.GAUSSIAN, -4);
 * DataSetIterator train = new TrainingIterator(windows, WindowPipeline.noisy(noise), FeatureLayout.NCHW, 128,
 *     Sampling.CLASS_BALANCED, 0, seed);
 * DataSetIterator test = new EvaluationIterator(windows, Region.TEST, WindowPipeline.noisy(noise),
 *     FeatureLayout.NCHW, 256, evaluationSeed);
 * }</pre>
 */
public final class Dataset {

  private final String name;
  private final List<String> classes;
  private final List<Recording> recordings;
  private final List<SkippedRecording> skipped;

  /**
   * @param name short name for reports, e.g. {@code "cwru-10"}
   * @param classes class names in label-index order, unique
   * @param recordings the recordings; ids unique, labels among {@code classes}, one sampling rate and
   *     channel count
   * @param skipped recordings the loader left out, with reasons
   * @throws IllegalArgumentException if a condition above does not hold
   */
  public Dataset(String name, List<String> classes, List<Recording> recordings, List<SkippedRecording> skipped) {
    this.name = Objects.requireNonNull(name, "name");
    this.classes = List.copyOf(classes);
    this.recordings = List.copyOf(recordings);
    this.skipped = List.copyOf(skipped);
    if (this.classes.isEmpty()) {
      throw new IllegalArgumentException("data set " + name + ": expected at least one class");
    }
    if (new HashSet<>(this.classes).size() != this.classes.size()) {
      throw new IllegalArgumentException("data set " + name + ": class names must be unique, got " + this.classes);
    }
    Set<String> ids = new HashSet<>();
    for (Recording r : this.recordings) {
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException("data set " + name + ": recording id " + r.id() + " appears twice");
      }
      if (!this.classes.contains(r.label())) {
        throw new IllegalArgumentException("data set " + name + ": recording " + r.id() + " has label "
            + r.label() + ", expected one of " + this.classes);
      }
      Recording first = this.recordings.get(0);
      if (r.samplingRate() != first.samplingRate()) {
        throw new IllegalArgumentException("data set " + name + ": recording " + r.id() + " is sampled at "
            + r.samplingRate() + " Hz but " + first.id() + " at " + first.samplingRate()
            + " Hz; resample to a common rate first");
      }
      if (r.channelCount() != first.channelCount()) {
        throw new IllegalArgumentException("data set " + name + ": recording " + r.id() + " has "
            + r.channelCount() + " channels but " + first.id() + " has " + first.channelCount());
      }
    }
  }

  /** @return the data set's name */
  public String name() {
    return name;
  }

  /** @return class names in label-index order */
  public List<String> classes() {
    return classes;
  }

  /** @return number of classes */
  public int classCount() {
    return classes.size();
  }

  /**
   * @param label a class name
   * @return its label index
   * @throws IllegalArgumentException if the class is unknown
   */
  public int classIndex(String label) {
    int index = classes.indexOf(label);
    if (index < 0) {
      throw new IllegalArgumentException("unknown class " + label + ", expected one of " + classes);
    }
    return index;
  }

  /** @return the recordings */
  public List<Recording> recordings() {
    return recordings;
  }

  /** @return recordings the loader left out, with reasons */
  public List<SkippedRecording> skipped() {
    return skipped;
  }

  /** @return the common sampling rate in Hz (NaN for an empty data set) */
  public double samplingRate() {
    return recordings.isEmpty() ? Double.NaN : recordings.get(0).samplingRate();
  }

  /** @return the common channel count (0 for an empty data set) */
  public int channelCount() {
    return recordings.isEmpty() ? 0 : recordings.get(0).channelCount();
  }

  /**
   * The channels' names as a model trained on this data set records them ({@code InputSpec.channelNames}), in
   * channel order: the recordings' names, a CWRU accelerometer variable's by its position ({@code X097_DE_time} is
   * {@code DE}, the same sensor in every file); empty when recordings name their channels differently, or when the
   * names only count the channels ({@code ch0}, {@code col2}: {@link SignalFiles#positionalName}), which says nothing
   * of the sensor a recording to diagnose must come from. Recordings that name the same sensors in different orders
   * are first put in one order by {@link #inOneChannelOrder} (as {@code WindowedDataset.cut} does for training), after
   * which their names are recorded.
   */
  public List<String> modelChannelNames() {
    List<String> names = null;
    for (Recording r : recordings) {
      List<String> these = sensorNames(r.channelNames());
      if (these.isEmpty() || (names != null && !names.equals(these))) {
        return List.of();
      }
      names = these;
    }
    return names == null ? List.of() : names;
  }

  /**
   * The names a recording's channels are recorded under in a bundle ({@code InputSpec.channelName}: {@code DE} for
   * {@code X097_DE_time}), in its order; empty when they do not name sensors: a positional name ({@code ch0},
   * {@code col2}, {@code 3}: {@link SignalFiles#positionalName}), two names alike ignoring case, or a name a bundle
   * would refuse (blank, control characters, too long). A recording whose names are empty is taken by position.
   *
   * @param channelNames a recording's channel names, in its order
   */
  public static List<String> sensorNames(List<String> channelNames) {
    List<String> names = channelNames.stream().map(io.github.drsn.contract.InputSpec::channelName).toList();
    if (names.isEmpty() || names.stream().anyMatch(SignalFiles::positionalName)
        || new HashSet<>(names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList()).size()
            != names.size()) {
      return List.of();
    }
    try {
      // The bundle's own rules (non-blank, no control characters, bounded length): a name it would refuse is none.
      new io.github.drsn.contract.InputSpec(1, 1, names.size(), io.github.drsn.signals.Normalization.Z_SCORE,
          io.github.drsn.contract.Representation.TIME, 0, names);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    return names;
  }

  /**
   * This data set with every recording's channels in the first recording's order, chosen by name, so that a model
   * trained on it takes one sensor per input channel and records their names ({@link #modelChannelNames}): CSV files
   * exported with their columns {@code DE,FE} and {@code FE,DE} become one order, {@code DE, FE}. The data set as it is
   * when the first recording's channels do not name sensors ({@link #sensorNames}) or it has one channel (no order to
   * get wrong); a recording whose own names do not name sensors is taken by position, as before names were recorded.
   *
   * @throws IllegalArgumentException naming the recording, its channels and the first recording's, when a recording
   *     that names its channels lacks one of the first recording's (or offers one twice)
   */
  public Dataset inOneChannelOrder() {
    if (recordings.isEmpty()) {
      return this;
    }
    Recording first = recordings.get(0);
    List<String> names = sensorNames(first.channelNames());
    if (names.size() < 2) {
      return this;
    }
    io.github.drsn.contract.InputSpec order = new io.github.drsn.contract.InputSpec(1, 1, names.size(),
        io.github.drsn.signals.Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME, 0, names);
    List<Recording> ordered = new ArrayList<>();
    boolean changed = false;
    for (Recording r : recordings) {
      Recording taken = r;
      if (!sensorNames(r.channelNames()).isEmpty()) {
        int[] indices = order.takenChannels(r.channelNames(), "recording " + r.id() + " of data set " + name,
            "every recording that names its channels must offer the first recording's (" + first.id() + "), which a"
            + " model trained on the data set takes in that order");
        taken = r.withChannels(indices);
      }
      changed |= taken != r;
      ordered.add(taken);
    }
    return changed ? new Dataset(name, classes, ordered, skipped) : this;
  }

  /** @return number of recordings per class, in class order */
  public Map<String, Integer> recordingsPerClass() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    classes.forEach(c -> counts.put(c, 0));
    recordings.forEach(r -> counts.merge(r.label(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  /** @return the distinct operating conditions, sorted by load then speed */
  public List<OperatingCondition> conditions() {
    Set<OperatingCondition> set = new TreeSet<>((a, b) -> {
      int byLoad = Double.compare(a.load(), b.load());
      return byLoad != 0 ? byLoad : Double.compare(a.rpm(), b.rpm());
    });
    recordings.forEach(r -> set.add(r.condition()));
    return List.copyOf(new ArrayList<>(set));
  }

  /** @return total samples per channel over all recordings */
  public long totalSamples() {
    return recordings.stream().mapToLong(Recording::length).sum();
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ", " + recordings.size() + " recordings, classes " + classes + ", "
        + skipped.size() + " skipped]";
  }
}
