package io.github.drsn.datasets.cwru;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.RecordingLoadException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Standard CWRU tasks as {@link Dataset}s.
 *
 * <pre>{@code
 * Dataset cwru = CwruTasks.tenClass(Path.of("../shared/data/cwru"));
 * WindowedDataset windows = Windowing.cut(cwru, SplitPlan.byTime(), WindowSpec.benchmark());
 * }</pre>
 */
public final class CwruTasks {

  /** The ten classes of docs/protocol.md, in label-index order. */
  public static final List<String> TEN_CLASSES = List.of(
      "normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  /**
   * The files of the 10-class task: 97.mat (normal, 0 hp) and the 12 kHz drive-end IR, B and OR@6
   * faults of 0.007", 0.014" and 0.021" at loads 0-3 hp.
   */
  public static final List<Integer> TEN_CLASS_FILES = List.of(97,
      105, 106, 107, 108, 118, 119, 120, 121, 130, 131, 132, 133,
      169, 170, 171, 172, 185, 186, 187, 188, 197, 198, 199, 200,
      209, 210, 211, 212, 222, 223, 224, 225, 234, 235, 236, 237);

  /** Sampling rate of the 10-class task in Hz. */
  public static final double TEN_CLASS_RATE = 12_000;

  private CwruTasks() {
  }

  /**
   * The 10-class task of docs/protocol.md: drive-end channel, 37 recordings at 12 kHz (97.mat low-passed
   * and decimated 48 → 12 kHz), classes {@link #TEN_CLASSES}, loads 0-3 hp pooled per class and kept as
   * operating conditions. Any unreadable file fails the load.
   *
   * @param dataDir the CWRU folder (e.g. {@code ../shared/data/cwru})
   * @return the data set, named {@code "cwru-10"}
   * @throws RecordingLoadException naming the first file that is missing or unreadable
   */
  public static Dataset tenClass(Path dataDir) throws RecordingLoadException {
    return tenClass(dataDir, ErrorPolicy.FAIL_FAST);
  }

  /**
   * @param dataDir the CWRU folder
   * @param policy what to do with a missing or unreadable file
   * @return the 10-class data set; skipped files are listed in {@link Dataset#skipped()}
   * @throws RecordingLoadException under {@link ErrorPolicy#FAIL_FAST}
   * @see #tenClass(Path)
   */
  public static Dataset tenClass(Path dataDir, ErrorPolicy policy) throws RecordingLoadException {
    Map<Integer, String> labels = new LinkedHashMap<>();
    for (int number : TEN_CLASS_FILES) {
      labels.put(number, CwruCatalogue.require(number).tenClassLabel());
    }
    return new CwruLoader(dataDir).dataset("cwru-10", TEN_CLASSES, labels, List.of(Sensor.DE), TEN_CLASS_RATE,
        policy);
  }
}
