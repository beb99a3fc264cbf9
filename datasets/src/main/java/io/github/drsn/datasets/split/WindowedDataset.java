package io.github.drsn.datasets.split;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.SkippedRecording;
import io.github.drsn.signals.Segmentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A data set cut into windows after splitting: the recordings, the window positions per region, and
 * notes about everything that produced no window (a region shorter than a window, a recording no split
 * region uses, windows in which a channel is all zeros, a class with no windows in a region, as when
 * CWRU's normal class, recorded at 0 hp only, meets a split that trains on loads 1-3). Holds no copies of
 * samples.
 *
 * <pre>{@code
 * WindowedDataset w = WindowedDataset.cut(dataset, SplitPlan.byTime(), WindowSpec.benchmark());
 * List<Window> train = w.windows(Region.TRAIN);
 * System.out.println(w.summary().toJson());
 * }</pre>
 */
public final class WindowedDataset {

  private final Dataset dataset;
  private final SplitPlan plan;
  private final WindowSpec spec;
  private final List<RegionSpan> spans;
  private final Map<Region, List<Window>> windows;
  private final List<String> notes;

  private WindowedDataset(Dataset dataset, SplitPlan plan, WindowSpec spec, List<RegionSpan> spans,
      Map<Region, List<Window>> windows, List<String> notes) {
    this.dataset = dataset;
    this.plan = plan;
    this.spec = spec;
    this.spans = List.copyOf(spans);
    this.windows = windows;
    this.notes = List.copyOf(notes);
  }

  /**
   * The windows of {@code dataset} that a model with {@code classes} and {@code input} can score: the recordings'
   * channels in the model's order when both name them ({@link InputSpec#channelNames}), the recordings resampled to the model's rate when theirs differs from it by more than {@link InputSpec#RATE_TOLERANCE} (to S
   * samples per revolution of each recording's speed for an order-domain model, {@link Resampler#toOrders}), cut into
   * windows of the model's length.
   *
   * @param trainStride stride of the training region's windows (other regions use the window length)
   * @throws IllegalArgumentException if the data set's classes are not the model's, in the model's order, the
   *     recordings lack a channel the model names, or the model is order domain and a recording's speed is unknown
   */
  public static WindowedDataset forModel(Dataset dataset, List<String> classes, InputSpec input, SplitPlan plan,
      int trainStride) {
    if (!dataset.classes().equals(classes)) {
      throw new IllegalArgumentException("the model was trained on classes " + classes + " but " + dataset.name()
          + " has classes " + dataset.classes());
    }
    dataset = inModelOrder(dataset, input);
    if (input.orderDomain()) {
      dataset = Resampler.toOrders(dataset, input.samplesPerRevolution());
    } else if (!input.takesRateAsIs(dataset.samplingRate())) {
      // Within the tolerance the recordings are taken as they are, as predict and the runtime take them.
      List<Recording> resampled = new ArrayList<>();
      for (Recording r : dataset.recordings()) {
        resampled.add(Resampler.toRate(r, input.samplingRate()));
      }
      dataset = new Dataset(dataset.name(), dataset.classes(), resampled, dataset.skipped());
    }
    return cut(dataset, plan, new WindowSpec(input.windowLength(), trainStride, input.windowLength()));
  }

  /**
   * The data set with each recording's channels in the model's order, chosen from each recording by the names the
   * model records ({@link InputSpec#takenChannels}, the rule predict and the runtime follow: a one-channel model
   * takes a recording's only channel under any name), so recordings that offer the model's channels in different
   * orders are each reordered; as it is when the model names no channels. A recording whose channels do not name
   * sensors ({@link Dataset#sensorNames}: {@code ch0}, {@code col2}) is taken by position.
   *
   * @throws IllegalArgumentException naming the recording, the data set, the recording's channels and the model's,
   *     when one is missing
   */
  static Dataset inModelOrder(Dataset dataset, InputSpec input) {
    if (!input.namedChannels()) {
      return dataset;
    }
    List<Recording> ordered = new ArrayList<>();
    boolean changed = false;
    for (Recording r : dataset.recordings()) {
      Recording taken = r;
      if (!Dataset.sensorNames(r.channelNames()).isEmpty()) {
        taken = r.withChannels(input.takenChannels(r.channelNames(), "recording " + r.id() + " of data set "
            + dataset.name(), "every recording must offer the model's channels"));
      }
      changed |= taken != r;
      ordered.add(taken);
    }
    return changed ? new Dataset(dataset.name(), dataset.classes(), ordered, dataset.skipped()) : dataset;
  }

  /**
   * Splits each recording into regions, then cuts windows of {@code spec.length()} with the region's
   * stride ({@link Segmentation#windowStarts}); no window crosses a region boundary.
   *
   * @param dataset the recordings
   * @param plan how to split them
   * @param spec window length and strides
   * @return the windows
   * @throws IllegalArgumentException if the plan's regions overlap within a recording, or a recording that names its
   *     channels lacks one of the first recording's ({@link Dataset#inOneChannelOrder}, which puts recordings naming
   *     the same sensors in different orders into the first recording's order before cutting)
   */
  public static WindowedDataset cut(Dataset dataset, SplitPlan plan, WindowSpec spec) {
    Objects.requireNonNull(dataset, "dataset");
    // Recordings that name the same sensors in different orders (CSV columns DE,FE and FE,DE) are put in the first
    // recording's order by name: a model trained on the windows then takes one sensor per input and records its name.
    dataset = dataset.inOneChannelOrder();
    List<RegionSpan> spans = plan.spans(dataset);
    checkDisjoint(dataset, spans);
    Map<Region, List<Window>> windows = new EnumMap<>(Region.class);
    for (Region region : Region.values()) {
      windows.put(region, new ArrayList<>());
    }
    List<String> notes = new ArrayList<>();
    boolean[] used = new boolean[dataset.recordings().size()];
    for (RegionSpan span : spans) {
      Recording r = dataset.recordings().get(span.recordingIndex());
      used[span.recordingIndex()] = true;
      if (span.length() < spec.length()) {
        notes.add("recording " + r.id() + ": " + span.region().key() + " region [" + span.start() + ", " + span.end()
            + ") has " + span.length() + " samples, fewer than one window of " + spec.length() + "; no windows");
        continue;
      }
      int classIndex = dataset.classIndex(r.label());
      int silent = 0;
      for (int start : Segmentation.windowStarts(span.start(), span.end(), spec.length(), spec.stride(span.region()))) {
        if (hasSilentChannel(r, start, spec.length())) {
          silent++;
          continue;
        }
        windows.get(span.region()).add(new Window(span.recordingIndex(), r.id(), span.region(), start, spec.length(),
            classIndex));
      }
      if (silent > 0) {
        notes.add("recording " + r.id() + ": " + silent + " " + span.region().key() + " windows left out because a"
            + " channel is all zeros there (a sensor dropout; noise at an SNR is undefined for zero power)");
      }
    }
    for (int i = 0; i < used.length; i++) {
      if (!used[i]) {
        Recording r = dataset.recordings().get(i);
        notes.add("recording " + r.id() + " (" + r.label() + ", " + r.condition() + ") is in no region of split '"
            + plan.describe() + "'");
      }
    }
    for (Region region : Region.values()) {
      int[] perClass = new int[dataset.classCount()];
      windows.get(region).forEach(w -> perClass[w.classIndex()]++);
      for (int k = 0; k < perClass.length; k++) {
        if (perClass[k] == 0) {
          notes.add("class " + dataset.classes().get(k) + " has no " + region.key() + " windows");
        }
      }
      windows.put(region, Collections.unmodifiableList(windows.get(region)));
    }
    return new WindowedDataset(dataset, plan, spec, spans, windows, notes);
  }

  /**
   * The same recordings, plan and spans with other window lists per region: for procedures that regroup the
   * windows cut here, such as the folds of a cross-validation over the training region or training labels replaced
   * for a label-noise experiment. The caller keeps the regrouping free of overlap between what trains and what is
   * scored; this only checks that every window lies in one of these recordings with a valid class.
   *
   * @param train the windows to train on
   * @param validation the windows to validate on
   * @param test the windows to test on (may be empty)
   * @param note why the windows were regrouped, added to {@link #notes()}
   * @throws IllegalArgumentException if a window does not belong to this data set's recordings or classes
   */
  public WindowedDataset withWindows(List<Window> train, List<Window> validation, List<Window> test, String note) {
    Map<Region, List<Window>> regrouped = new EnumMap<>(Region.class);
    regrouped.put(Region.TRAIN, List.copyOf(train));
    regrouped.put(Region.VALIDATION, List.copyOf(validation));
    regrouped.put(Region.TEST, List.copyOf(test));
    for (List<Window> list : regrouped.values()) {
      for (Window w : list) {
        if (w.recordingIndex() < 0 || w.recordingIndex() >= dataset.recordings().size()) {
          throw new IllegalArgumentException("window " + w.key() + " names recording " + w.recordingIndex() + " but "
              + dataset.name() + " has " + dataset.recordings().size());
        }
        Recording r = dataset.recordings().get(w.recordingIndex());
        if (!r.id().equals(w.recordingId()) || w.start() < 0 || w.end() > r.length()) {
          throw new IllegalArgumentException("window " + w.key() + " [" + w.start() + ", " + w.end()
              + ") is not inside recording " + r.id() + " of " + r.length() + " samples");
        }
        if (w.classIndex() < 0 || w.classIndex() >= dataset.classCount()) {
          throw new IllegalArgumentException("window " + w.key() + " has class index " + w.classIndex()
              + ", expected 0.." + (dataset.classCount() - 1));
        }
      }
    }
    List<String> allNotes = new ArrayList<>(notes);
    allNotes.add(note);
    return new WindowedDataset(dataset, plan, spec, spans, regrouped, allNotes);
  }

  private static boolean hasSilentChannel(Recording r, int start, int length) {
    for (int c = 0; c < r.channelCount(); c++) {
      double[] x = r.channel(c);
      boolean allZero = true;
      for (int i = start; i < start + length && allZero; i++) {
        allZero = x[i] == 0.0;
      }
      if (allZero) {
        return true;
      }
    }
    return false;
  }

  private static void checkDisjoint(Dataset dataset, List<RegionSpan> spans) {
    List<RegionSpan> sorted = new ArrayList<>(spans);
    sorted.removeIf(span -> span.length() == 0);
    sorted.sort(Comparator.comparingInt(RegionSpan::recordingIndex).thenComparingInt(RegionSpan::start));
    for (int i = 0; i < sorted.size(); i++) {
      RegionSpan x = sorted.get(i);
      int n = dataset.recordings().get(x.recordingIndex()).length();
      if (x.end() > n) {
        throw new IllegalArgumentException("split region " + x + " ends after the recording's " + n + " samples");
      }
      if (i > 0) {
        RegionSpan previous = sorted.get(i - 1);
        if (previous.recordingIndex() == x.recordingIndex() && x.start() < previous.end()) {
          throw new IllegalArgumentException("split regions overlap in recording "
              + dataset.recordings().get(x.recordingIndex()).id() + ": " + previous + " and " + x);
        }
      }
    }
  }

  /** @return the recordings */
  public Dataset dataset() {
    return dataset;
  }

  /** @return the split plan */
  public SplitPlan plan() {
    return plan;
  }

  /** @return window length and strides */
  public WindowSpec spec() {
    return spec;
  }

  /** @return the region spans of every recording */
  public List<RegionSpan> spans() {
    return spans;
  }

  /**
   * @param region a region
   * @return its windows, ordered by recording then start
   */
  public List<Window> windows(Region region) {
    return windows.get(region);
  }

  /**
   * @param region a region
   * @return window counts per class index
   */
  public int[] classCounts(Region region) {
    int[] counts = new int[dataset.classCount()];
    for (Window w : windows.get(region)) {
      counts[w.classIndex()]++;
    }
    return counts;
  }

  /** @return why some recordings or regions produced no windows */
  public List<String> notes() {
    return notes;
  }

  /** @return the plain summary that the CLI prints as JSON */
  public DatasetSummary summary() {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (Region region : Region.values()) {
      Map<String, Integer> perClass = new LinkedHashMap<>();
      int[] c = classCounts(region);
      for (int k = 0; k < c.length; k++) {
        perClass.put(dataset.classes().get(k), c[k]);
      }
      counts.put(region.key(), perClass);
    }
    Map<String, Integer> totals = new LinkedHashMap<>();
    for (Region region : Region.values()) {
      totals.put(region.key(), windows.get(region).size());
    }
    List<String> conditions = dataset.conditions().stream().map(Object::toString).toList();
    List<String> skipped = dataset.skipped().stream().map(SkippedRecording::toString).toList();
    return new DatasetSummary(dataset.name(), dataset.recordings().size(), dataset.classes(),
        dataset.samplingRate(), dataset.channelCount(), conditions, dataset.recordingsPerClass(), plan.describe(),
        spec.length(), spec.trainStride(), spec.evaluationStride(), counts, totals, skipped, notes);
  }
}
