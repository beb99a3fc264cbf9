package io.github.drsn.experiments;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.split.WindowedDataset;
import java.util.HashMap;
import java.util.Map;

/**
 * The data sets one {@link ExperimentRunner} has read, each source read once and shared by every cell (and test
 * set) that reads it: a grid's cells differ in model, noise and seed but train, sweep and shift on the same
 * recordings, which were read and simulated again for every step of every cell.
 *
 * <p>A source is what {@link DataSettings#loadAll()} reads: the source kind, the CWRU folder or manifest, the
 * synthetic seed and drivetrain (the seed only for synthetic data, which real data ignore), the skip policy and the
 * resampling. The split, windows, excluded classes and the input's order-domain view are applied to the shared
 * recordings afterwards, as {@link DataSettings#loadWindows(InputSettings)} applies them, so a cell's windows are
 * those it would have loaded itself. Recordings are read-only ({@link io.github.drsn.datasets.Recording#channel}),
 * so sharing them changes nothing. Not thread-safe; a runner runs its cells one after another.
 */
public final class DataSources {

  /** Reads one source; {@link DataSettings#loadAll()} unless a test counts the reads. */
  interface Loader {
    Dataset load(DataSettings data) throws RecordingLoadException;
  }

  private record Source(DataSettings.Source kind, String dir, String manifest, long seed, boolean skipUnreadable,
      DataSettings.Drivetrain synthetic, Double resampleTo) {

    static Source of(DataSettings d) {
      return new Source(d.source(), d.dir(), d.manifest(), d.source() == DataSettings.Source.synthetic ? d.seed() : 0,
          d.skipUnreadable(), d.synthetic(), d.resampleTo());
    }
  }

  private final Loader loader;
  /** Null when every call reads its source again (as before sources were shared; tests compare the two). */
  private final Map<Source, Dataset> loaded;

  /** Sources read by {@link DataSettings#loadAll()}. */
  public DataSources() {
    this(DataSettings::loadAll);
  }

  DataSources(Loader loader) {
    this(loader, true);
  }

  private DataSources(Loader loader, boolean shared) {
    this.loader = loader;
    this.loaded = shared ? new HashMap<>() : null;
  }

  /** Sources read again on every call, through {@code loader}: the behaviour before sharing, for comparisons. */
  static DataSources readEveryTime(Loader loader) {
    return new DataSources(loader, false);
  }

  /** Every recording of {@code data}'s source, read on the first call for that source. */
  public Dataset loadAll(DataSettings data) throws RecordingLoadException {
    if (loaded == null) {
      return loader.load(data);
    }
    Source source = Source.of(data);
    Dataset dataset = loaded.get(source);
    if (dataset == null) {
      dataset = loader.load(data);
      loaded.put(source, dataset);
    }
    return dataset;
  }

  /** As {@link DataSettings#loadWindows(InputSettings)}, from the shared recordings. */
  public WindowedDataset windows(DataSettings data, InputSettings input) throws RecordingLoadException {
    return data.windows(loadAll(data), input);
  }
}
