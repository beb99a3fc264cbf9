package io.github.drsn.model.adapt;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.RecordingDiagnosis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unlabeled target recordings cut into a model's windows, exactly as the runtime cuts them for {@code predict}:
 * each file read by {@link SignalFiles}, resampled to the model's rate when its rate differs, cut every {@code hop}
 * samples, every window health-checked ({@link Diagnoser#diagnose} does all of it; here through a diagnoser that
 * classifies nothing and keeps the windows). Unhealthy windows (dead sensor, clipping, NaN) are left out: they would
 * teach the norms the statistics of a fault of the sensor, not of the machine. For an order-domain model
 * ({@link InputSpec#orderDomain()}) each file is resampled to S samples per revolution of its shaft speed, as
 * {@code predict} does; a file whose speed is unknown is refused.
 *
 * @param windows the healthy windows, raw (before the model's preprocessing), channel-major, file by file
 * @param files what each file gave
 * @param hop samples between window starts at the model's rate
 */
public record TargetWindows(List<float[]> windows, List<TargetFile> files, int hop) {

  /**
   * One file's contribution.
   *
   * @param path as given
   * @param sha256 of its bytes
   * @param signal what was read (file, variable or column, rate)
   * @param samplingRate its rate in Hz
   * @param resampled whether it was resampled to the model's rate
   * @param windows healthy windows taken
   * @param unhealthy windows left out by the health check
   * @param speed the shaft speed it was put in the order domain with, or null (the model is not order domain)
   */
  public record TargetFile(Path path, String sha256, String signal, double samplingRate, boolean resampled,
      int windows, int unhealthy, SignalFiles.RecordedSpeed speed) {}

  /** Where an order-domain model's target files get their shaft speeds. */
  @FunctionalInterface
  public interface ShaftSpeeds {

    /** For a model that is not order domain: never asked. */
    ShaftSpeeds NONE = recording -> Optional.empty();

    /**
     * The shaft speed of one file.
     *
     * @param recording the file as read for the model (what it records is asked of it, not read again)
     * @return the speed in rpm and where it comes from (e.g. "--rpm", "file variable X105RPM"), or empty when unknown
     * @throws IOException if the file cannot be read for it
     */
    Optional<SignalFiles.RecordedSpeed> of(SignalFiles.ModelRead recording) throws IOException;
  }

  /**
   * Reads and cuts {@code files}.
   *
   * @param rate the files' sampling rate in Hz, or null to take it from the file (WAV, catalogued CWRU MAT files)
   * @param channels the channel of each model input; empty for the model's named channels or, when it records no
   *     names, the default ({@code SignalFiles.readForModel})
   * @param hop samples between windows at the model's rate; 0 for the window length
   * @param speeds each file's shaft speed, asked only of an order-domain model ({@link ShaftSpeeds#NONE} otherwise)
   * @throws RecordingLoadException if a file cannot be read (the message names it)
   * @throws IllegalArgumentException if a recording does not fit the model, or the model is order domain and a
   *     file's speed is unknown (named with its file)
   */
  public static TargetWindows read(List<Path> files, Double rate, List<String> channels, InputSpec spec,
      HealthCheck check, int hop, ShaftSpeeds speeds) throws IOException {
    List<float[]> windows = new ArrayList<>();
    List<TargetFile> described = new ArrayList<>();
    RecordingDiagnosis.Options options = new RecordingDiagnosis.Options(hop, 0, 0);
    long keptBytes = 0;
    for (Path file : files) {
      // The model's channels by the names it was trained on, as predict chooses them (given channels override them),
      // from one parse of the file.
      SignalFiles.ModelRead recording = SignalFiles.readForModel(file, rate, channels, spec);
      List<SignalFiles.Signal> read = recording.signals();
      double[][] samples = recording.channels().samples();
      SignalFiles.RecordedSpeed speed = null;
      if (spec.orderDomain()) {
        speed = speeds.of(recording).orElseThrow(() -> new IllegalArgumentException(file + ": the model is order"
            + " domain (" + spec.samplesPerRevolution() + " samples per shaft revolution) and no shaft speed is known for this"
            + " file"));
      }
      keptBytes += windowBytes(file, samples[0].length, read.get(0).samplingRate(),
          speed == null ? Double.NaN : speed.rpm() / 60, spec, hop, keptBytes);
      Keeper keeper = new Keeper(spec, check);
      RecordingDiagnosis cut;
      try {
        cut = keeper.diagnose(samples, read.get(0).samplingRate(), speed == null ? Double.NaN : speed.rpm() / 60,
            options);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      int healthy = 0;
      for (int w = 0; w < cut.windows().size(); w++) {
        if (cut.windows().get(w).diagnosis().outcome() != Diagnosis.Outcome.UNHEALTHY_INPUT) {
          windows.add(keeper.kept.get(w));
          healthy++;
        }
      }
      described.add(new TargetFile(file, FileDigests.sha256(file), String.join(" + ",
          read.stream().map(SignalFiles.Signal::description).toList()), read.get(0).samplingRate(), cut.resampled(),
          healthy, cut.windows().size() - healthy, speed));
    }
    return new TargetWindows(List.copyOf(windows), List.copyOf(described), hop == 0 ? spec.windowLength() : hop);
  }

  /**
   * The bytes the windows of one file will hold once cut and kept (every window's samples, as float, and its
   * diagnosis), checked with the files before it against a quarter of the heap: a small hop over long recordings is
   * refused here, not by an OutOfMemoryError after the cutting.
   *
   * @throws IllegalArgumentException naming the file when the kept windows would not fit
   */
  private static long windowBytes(Path file, int samples, double samplingRate, double shaftHz, InputSpec spec,
      int hop, long before) {
    double rate;
    try {
      rate = spec.windowRate(shaftHz);
    } catch (IllegalArgumentException e) {
      return 0; // the cutting refuses the speed with its own message
    }
    long length = (long) Math.floor(samples * rate / samplingRate);
    int step = hop == 0 ? spec.windowLength() : hop;
    long windows = length < spec.windowLength() ? 0 : (length - spec.windowLength()) / step + 1;
    long bytes = windows * (4L * spec.windowSamples() + 200);
    long budget = Runtime.getRuntime().maxMemory() / 4;
    if (before + bytes > budget) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: a hop of %d samples cuts it into"
          + " about %,d windows of %d samples, which with the files before it would hold %d MB, more than a quarter"
          + " of this JVM's heap of %d MB; use a larger --hop (e.g. %d), fewer or shorter files, or raise the heap"
          + " (e.g. DRSN_JAVA_OPTS=-Xmx4g)", file, step, windows, spec.windowLength(), (before + bytes) >> 20,
          Runtime.getRuntime().maxMemory() >> 20, spec.windowLength() / 4));
    }
    return bytes;
  }

  /**
   * The record of the target for the adapted bundle: hop and, per file, path, SHA-256, rate, windows and, for an
   * order-domain model, the shaft speed and its source.
   */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hop", hop);
    List<Object> list = new ArrayList<>();
    for (TargetFile f : files) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("path", f.path().toString());
      e.put("sha256", f.sha256());
      e.put("signal", f.signal());
      e.put("sampling_rate", f.samplingRate());
      e.put("resampled", f.resampled());
      e.put("windows", f.windows());
      e.put("unhealthy_windows", f.unhealthy());
      if (f.speed() != null) {
        e.put("shaft_rpm", f.speed().rpm());
        e.put("shaft_speed_source", f.speed().source());
      }
      list.add(e);
    }
    m.put("files", list);
    return m;
  }

  /** A diagnoser that classifies nothing (one dummy class) and keeps every window it is given, in order. */
  private static final class Keeper implements Diagnoser {
    private static final List<String> ONE = List.of("window");
    private final InputSpec spec;
    private final HealthCheck check;
    final List<float[]> kept = new ArrayList<>();

    Keeper(InputSpec spec, HealthCheck check) {
      this.spec = spec;
      this.check = check;
    }

    @Override
    public List<String> classes() {
      return ONE;
    }

    @Override
    public InputSpec inputSpec() {
      return spec;
    }

    @Override
    public HealthCheck healthCheck() {
      return check;
    }

    @Override
    public int predict(float[] window, float[] probabilities) {
      probabilities[0] = 1;
      return 0;
    }

    @Override
    public Diagnosis[] classifyBatch(float[][] windows) {
      kept.addAll(List.of(windows));
      return Diagnoser.super.classifyBatch(windows);
    }
  }
}
