package io.github.drsn.runtime;

import io.github.drsn.contract.InputSpec;

import io.github.drsn.signals.Resampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Diagnoses a live single-channel stream: feed chunks of samples of any size at the sensor's rate, receive a
 * {@link Result} every {@code hop} model-rate samples once a whole window is available.
 *
 * <p>Pipeline: raw samples → resampled to the model's rate (rational polyphase FIR, {@link Resampling}) →
 * windows of the model's length every {@code hop} samples → input-health check on the window's raw samples
 * ({@link HealthCheck}, plus the sensor rate itself) → {@link Diagnoser#classify} (calibrated probabilities and,
 * for a calibrated model, the out-of-distribution score and whether it is beyond the model's threshold) → over the
 * last {@code smoothing} healthy windows: {@link Diagnosis.Outcome#UNKNOWN} when at least half of them are unknown
 * (the rule {@link RecordingDiagnosis} applies to a file), else the mean of the class probabilities of the known ones
 * → {@link Diagnosis.Outcome#UNCERTAIN} when the top mean probability is below {@code minConfidence}. Each result
 * carries the OOD score of its newest window (NaN for an uncalibrated model). An unhealthy window is reported as such
 * and clears the smoothing history (the signal it averaged over was interrupted).
 *
 * <p>Chunking does not change the result: model-rate sample m is computed from a stretch of raw samples that
 * starts at a multiple of the decimation factor and extends at least the filter's half-length beyond m on
 * both sides, so it is bit-identical whether the stream arrived whole or in pieces (it is produced only once
 * enough raw samples follow it). The stream's first samples see the filter's edge extension (odd
 * reflection) like {@link Resampling#resample} of a whole recording does. Non-finite raw samples enter the
 * filter as 0 and mark their windows {@link HealthIssue#NON_FINITE}.
 *
 * <p>Not thread-safe: one instance per stream, fed from one thread at a time. The wrapped {@link Diagnoser}
 * may be shared by any number of streams.
 */
public final class StreamingDiagnoser {

  /**
   * Stream settings.
   *
   * @param sensorRate the sensor's sampling rate in Hz
   * @param hop model-rate samples between the starts of consecutive windows (≥ 1)
   * @param smoothing number of most recent healthy windows whose probabilities are averaged (≥ 1; 1 = none)
   * @param minConfidence top (smoothed) probability below which the outcome is uncertain, in [0, 1]
   */
  public record Config(double sensorRate, int hop, int smoothing, double minConfidence) {
    /** @throws IllegalArgumentException for a non-positive rate, hop or smoothing, or a confidence outside [0, 1] */
    public Config {
      if (!(sensorRate > 0) || Double.isInfinite(sensorRate)) {
        throw new IllegalArgumentException("sensor rate must be finite and > 0 Hz, got " + sensorRate);
      }
      if (hop < 1 || smoothing < 1) {
        throw new IllegalArgumentException("hop and smoothing must be >= 1, got " + hop + " and " + smoothing);
      }
      if (!(minConfidence >= 0 && minConfidence <= 1)) {
        throw new IllegalArgumentException("minConfidence must be in [0, 1], got " + minConfidence);
      }
    }
  }

  /**
   * One diagnosis of the stream.
   *
   * @param window index of the window (0, 1, ...)
   * @param startSeconds stream time of the window's first sample, s (0 = the first sample fed)
   * @param diagnosis the (smoothed) diagnosis
   */
  public record Result(long window, double startSeconds, Diagnosis diagnosis) {
  }

  private final Diagnoser diagnoser;
  private final Config config;
  private final int windowLength;
  private final double modelRate;
  private final int up;
  private final int down;
  private final int contextRaw;
  private final InputHealth rateHealth;
  private final float[][] history;
  private final boolean[] historyUnknown;
  private int historyCount;
  private int historyNext;

  private float[] raw = new float[1 << 14];
  private long rawBase;
  private int rawCount;
  private float[] model = new float[1 << 14];
  private long modelBase;
  private int modelCount;
  private long nextWindow;
  private final float[] window;

  /**
   * @param diagnoser the model (single-channel input)
   * @param config the stream's settings
   * @throws IllegalArgumentException if the model takes several channels, or the rate change is not a ratio
   *     of integers up to {@link Resampling#MAX_FACTOR}
   */
  public StreamingDiagnoser(Diagnoser diagnoser, Config config) {
    this.diagnoser = Objects.requireNonNull(diagnoser, "diagnoser");
    this.config = Objects.requireNonNull(config, "config");
    InputSpec spec = diagnoser.inputSpec();
    if (spec.channels() != 1) {
      throw new IllegalArgumentException("streaming supports single-channel models; this one takes "
          + spec.channels() + " channels");
    }
    if (spec.orderDomain()) {
      throw new IllegalArgumentException("streaming does not serve order-domain models (" + spec.samplesPerRevolution()
          + " samples per revolution): they need each recording's shaft speed; use Diagnoser.diagnose with the speed");
    }
    windowLength = spec.windowLength();
    modelRate = spec.samplingRate();
    Resampling.Ratio ratio = Resampling.ratio(config.sensorRate(), modelRate);
    up = ratio.up();
    down = ratio.down();
    int edge = Resampling.edgeSamples(up, down);
    // Raw samples either side of an output sample that its filter can reach, with margin.
    contextRaw = up == 1 && down == 1 ? 0 : (int) Math.ceil((double) edge * down / up) + down + 4;
    rateHealth = diagnoser.healthCheck().assessSensorRate(config.sensorRate(), modelRate);
    history = new float[config.smoothing()][diagnoser.classes().size()];
    historyUnknown = new boolean[config.smoothing()];
    window = new float[windowLength];
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /** Raw samples fed so far. */
  public long samplesFed() {
    return rawBase + rawCount;
  }

  /** As {@link #feed(float[], int, int)} for the whole array. */
  public List<Result> feed(float[] chunk) {
    return feed(chunk, 0, chunk.length);
  }

  /** As {@link #feed(float[], int, int)} for double samples. */
  public List<Result> feed(double[] chunk) {
    float[] f = new float[chunk.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) chunk[i];
    }
    return feed(f, 0, f.length);
  }

  /**
   * Appends {@code chunk[offset .. offset + length)} (sensor-rate samples, any length including 0) and
   * diagnoses every window that became complete.
   *
   * @return the new results in stream order (often empty)
   */
  public List<Result> feed(float[] chunk, int offset, int length) {
    if (offset < 0 || length < 0 || offset > chunk.length - length) {
      throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
          + ") is outside a chunk of " + chunk.length + " samples");
    }
    raw = ensure(raw, rawCount + length);
    System.arraycopy(chunk, offset, raw, rawCount, length);
    rawCount += length;
    produce();
    List<Result> results = new ArrayList<>();
    while (nextWindow * config.hop() + windowLength <= modelBase + modelCount) {
      results.add(diagnose(nextWindow));
      nextWindow++;
    }
    trim();
    return results;
  }

  /** Resamples every model-rate sample whose filter support has fully arrived. */
  private void produce() {
    long rawEnd = rawBase + rawCount;
    long produced = modelBase + modelCount;
    if (up == 1 && down == 1) {
      int n = (int) (rawEnd - produced);
      model = ensure(model, modelCount + n);
      int from = (int) (produced - rawBase);
      for (int i = 0; i < n; i++) {
        float v = raw[from + i];
        model[modelCount + i] = Float.isFinite(v) ? v : 0f;
      }
      modelCount += n;
      return;
    }
    // Largest m with m·down/up + context <= rawEnd.
    long last = Math.floorDiv((rawEnd - contextRaw) * up, down);
    if (last < produced) {
      return;
    }
    long start = Math.max(0, Math.floorDiv(Math.floorDiv(produced * down, up) - contextRaw, down) * down);
    if (start < rawBase) {
      throw new IllegalStateException("raw history trimmed too far: need " + start + ", have " + rawBase);
    }
    double[] segment = new double[(int) (rawEnd - start)];
    int from = (int) (start - rawBase);
    for (int i = 0; i < segment.length; i++) {
      float v = raw[from + i];
      segment[i] = Float.isFinite(v) ? v : 0.0;
    }
    double[] resampled = Resampling.resampleRational(segment, up, down);
    long firstOut = start / down * up;
    int n = (int) (last - produced + 1);
    model = ensure(model, modelCount + n);
    for (int i = 0; i < n; i++) {
      model[modelCount + i] = (float) resampled[(int) (produced - firstOut) + i];
    }
    modelCount += n;
  }

  private Result diagnose(long index) {
    long start = index * config.hop();
    System.arraycopy(model, (int) (start - modelBase), window, 0, windowLength);
    long rawStart = Math.floorDiv(start * down, up);
    long rawEnd = Math.min(rawBase + rawCount, Math.floorDiv((start + windowLength) * down + up - 1, up));
    InputHealth health = rateHealth.and(diagnoser.healthCheck().assess(raw, (int) (rawStart - rawBase),
        (int) (rawEnd - rawStart)));
    double seconds = start / modelRate;
    if (!health.healthy()) {
      historyCount = 0;
      return new Result(index, seconds, Diagnosis.unhealthy(health));
    }
    Diagnosis latest = diagnoser.classify(window);
    if (latest.outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT) {
      // The model-rate window failed a check its raw samples passed (e.g. clipping that survives resampling).
      historyCount = 0;
      return new Result(index, seconds, latest);
    }
    System.arraycopy(latest.probabilities(), 0, history[historyNext], 0, latest.probabilities().length);
    historyUnknown[historyNext] = latest.outcome() == Diagnosis.Outcome.UNKNOWN;
    historyNext = (historyNext + 1) % history.length;
    historyCount = Math.min(historyCount + 1, history.length);
    float[] mean = new float[latest.probabilities().length];
    int unknown = 0;
    for (int h = 0; h < historyCount; h++) {
      int slot = (historyNext - 1 - h + history.length) % history.length;
      if (historyUnknown[slot]) {
        unknown++;
        continue;
      }
      float[] p = history[slot];
      for (int k = 0; k < mean.length; k++) {
        mean[k] += p[k];
      }
    }
    if (2 * unknown >= historyCount) {
      return new Result(index, seconds, Diagnosis.of(latest.probabilities(), diagnoser.classes(), 0,
          latest.oodScore(), true));
    }
    int known = historyCount - unknown;
    for (int k = 0; k < mean.length; k++) {
      mean[k] /= known;
    }
    return new Result(index, seconds, Diagnosis.of(mean, diagnoser.classes(), config.minConfidence(),
        latest.oodScore(), false));
  }

  /** Drops raw and model samples that no future window or resampling step needs. */
  private void trim() {
    long nextStart = nextWindow * config.hop();
    long produced = modelBase + modelCount;
    long keepModel = Math.min(nextStart, produced);
    long keepRaw = Math.floorDiv(keepModel * down, up);
    if (up != 1 || down != 1) {
      long nextSegment = Math.max(0, Math.floorDiv(Math.floorDiv(produced * down, up) - contextRaw, down) * down);
      keepRaw = Math.min(keepRaw, nextSegment);
    }
    keepRaw = Math.min(keepRaw, rawBase + rawCount);
    int dropRaw = (int) (keepRaw - rawBase);
    if (dropRaw > 0 && dropRaw >= rawCount / 2) {
      System.arraycopy(raw, dropRaw, raw, 0, rawCount - dropRaw);
      rawCount -= dropRaw;
      rawBase = keepRaw;
    }
    int dropModel = (int) (keepModel - modelBase);
    if (dropModel > 0 && dropModel >= modelCount / 2) {
      System.arraycopy(model, dropModel, model, 0, modelCount - dropModel);
      modelCount -= dropModel;
      modelBase = keepModel;
    }
  }

  private static float[] ensure(float[] buffer, int size) {
    return size <= buffer.length ? buffer : Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
  }
}
