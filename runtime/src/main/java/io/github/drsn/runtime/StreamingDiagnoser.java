package io.github.drsn.runtime;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.signals.OrderDomain;
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
 * ({@link HealthCheck}, plus the sensor rate itself; of a resampled window, {@link HealthCheck#assessResampledWindow},
 * the rule {@link Diagnoser#diagnose} applies to a recording's resampled windows: the raw samples under it, and of the
 * resampled window only what they cannot show, an overflow to infinity or no signal in the model's band) →
 * {@link Diagnoser#predictScored} (calibrated probabilities and, for a calibrated model, the out-of-distribution score;
 * unknown when it is above the model's threshold; the stream asks for no second health check of the resampled window,
 * whose own extremes are the filter's; a sensor slower than the model is no window's issue but the sensor's, below) →
 * over the
 * last {@code smoothing} healthy windows, the rule a file's windows are decided by ({@link WindowVote}, as
 * {@link RecordingDiagnosis}): {@link Diagnosis.Outcome#UNKNOWN} when at least half of them are unknown, else the
 * class of the highest mean probability over all of them, {@link Diagnosis.Outcome#UNCERTAIN} when that mean is below
 * {@code minConfidence} or fewer than {@code minAgreement} of the windows name that class. The result's probabilities
 * are that mean (unknown windows included). Each result carries the OOD score of its newest window (NaN for an
 * uncalibrated model). An unhealthy window is reported as such
 * and clears the smoothing history (the signal it averaged over was interrupted).
 *
 * <p>Chunking does not change the result: model-rate sample m is computed from a stretch of raw samples that
 * starts at a multiple of the decimation factor and extends at least the filter's half-length beyond m on
 * both sides, so it is bit-identical whether the stream arrived whole or in pieces (it is produced only once
 * enough raw samples follow it). The stream's first samples see the filter's edge extension (odd
 * reflection) like {@link Resampling#resample} of a whole recording does. Non-finite raw samples enter the
 * filter as 0 and mark their windows {@link HealthIssue#NON_FINITE}.
 *
 * <p>A sensor slower than the model's rate ({@link HealthCheck#assessSensorRate}: the model's upper band is missing) is
 * reported {@link HealthIssue#SAMPLING_RATE} in the health of every result that is not unhealthy, and no result is then
 * classified: it is {@link Diagnosis.Outcome#UNCERTAIN}, or {@link Diagnosis.Outcome#UNKNOWN} when the smoothed windows
 * are out of distribution. The finding is the sensor's, not a window's: its windows are judged on their own samples,
 * scored and smoothed, by the rule {@link Diagnoser#diagnose} applies to the same sensor's recording
 * ({@link WindowVote}), so that a file and a stream of one sensor agree. One more than {@link #MAX_UPSAMPLING} times
 * slower is refused by the constructor (a
 * rate typed in kHz, 48 for 48,000 Hz: each window would be interpolated from a handful of raw samples, minutes per
 * chunk, only to be reported), as a rate so high that a window would span more raw samples than an array holds is.
 *
 * <p>A sensor rate within {@link HealthCheck#rateTolerance()} of the model's is taken as the model's and not
 * resampled, as {@link Diagnoser#diagnose} takes it (window times then count at the sensor's own rate). A rate that
 * is no ratio of the model's with factors up to {@link Resampling#MAX_FACTOR} (e.g. 32,768 Hz to 12 kHz) is
 * resampled window by window by band-limited interpolation from the raw samples under it and
 * {@link Resampling#reachInputSamples} of context either side, as an order-domain window is (below): each window
 * then starts within half a model-rate sample of its nominal time, where {@code diagnose} interpolates the whole
 * recording on one grid.
 *
 * <p>An order-domain model ({@link InputSpec#orderDomain()}, S samples per shaft revolution) needs the shaft speed,
 * stated per stream with {@link #setShaftHz} before the first samples and again whenever it changes. Each window is
 * then resampled on its own from the raw samples under it, with {@link Resampling#reachInputSamples} raw samples of
 * context either side, by {@link OrderDomain#resample} at the speed stated when the window is diagnosed: the
 * function {@link Diagnoser#diagnose(double[][], double, double, RecordingDiagnosis.Options)} applies to a whole
 * recording. Window starts advance by {@code hop} samples of the order domain (hop / S revolutions), in raw time
 * hop·fs / (f_r·S) at the current speed; a speed change takes effect at the next window, whose start is rounded to
 * a raw sample. At a constant speed whose rate f_r·S is a ratio up/down of the sensor's (factors up to
 * {@link Resampling#MAX_FACTOR}) the windows are bit for bit those of the whole recording resampled as
 * {@code diagnose} does; otherwise (band-limited interpolation) a window starts within half an order-domain sample
 * of its nominal time. The sensor-rate check compares the sensor with the rate of the model's training recordings,
 * as {@code diagnose} does. A speed that drifts within a window is out of scope ({@link OrderDomain}).
 *
 * <p>Not thread-safe: one instance per stream, fed from one thread at a time. The wrapped {@link Diagnoser}
 * may be shared by any number of streams.
 */
public final class StreamingDiagnoser {

  /**
   * The most a sensor may be slower than the model's rate ({@link InputSpec#samplingRate()}): a sensor rate below
   * the model's divided by this is refused by the constructor (is the rate in Hz?). Slower sensors within it stream,
   * every result reported {@link HealthIssue#SAMPLING_RATE} and none classified (the class comment).
   */
  public static final int MAX_UPSAMPLING = 16;

  /**
   * Stream settings.
   *
   * @param sensorRate the sensor's sampling rate in Hz; a {@link StreamingDiagnoser} refuses one more than
   *     {@link StreamingDiagnoser#MAX_UPSAMPLING} times below its model's rate, or so high that a window spans more raw
   *     samples than an array holds
   * @param hop model-rate samples between the starts of consecutive windows (≥ 1); of an order-domain model, samples
   *     at S per revolution
   * @param smoothing number of most recent healthy windows whose probabilities are averaged (≥ 1; 1 = none)
   * @param minConfidence top (smoothed) probability below which the outcome is uncertain, in [0, 1]
   * @param minAgreement share of the smoothed windows that must name the outcome's class, in [0, 1], as
   *     {@link RecordingDiagnosis.Options#minAgreement()} for a file
   */
  public record Config(double sensorRate, int hop, int smoothing, double minConfidence, double minAgreement) {

    /** Settings with a file's default agreement ({@link RecordingDiagnosis.Options#DEFAULT}: half the windows). */
    public Config(double sensorRate, int hop, int smoothing, double minConfidence) {
      this(sensorRate, hop, smoothing, minConfidence, RecordingDiagnosis.Options.DEFAULT.minAgreement());
    }

    /**
     * @throws IllegalArgumentException for a non-positive rate, hop or smoothing, or a confidence or agreement outside
     *     [0, 1]
     */
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
      if (!(minAgreement >= 0 && minAgreement <= 1)) {
        throw new IllegalArgumentException("minAgreement must be in [0, 1], got " + minAgreement);
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
  /**
   * Whether windows are resampled (judged by {@link HealthCheck#assessResampledWindow}) rather than the sensor's own
   * samples taken as the model's.
   */
  private final boolean resampled;
  /** Of an order-domain model: S, samples per shaft revolution; 0 otherwise. */
  private final double samplesPerRevolution;
  /**
   * Whether each window is resampled on its own from the raw samples under it: an order-domain model, or a sensor
   * rate that is no ratio of the model's with factors up to {@link Resampling#MAX_FACTOR} (band-limited
   * interpolation at a constant rate, as {@code diagnose} resamples such a recording).
   */
  private final boolean perWindow;
  /** The rate of the samples windows are cut from on the rational path: the sensor's when it is taken as is. */
  private final double streamRate;
  private final Calibration calibration;
  private final float[] probabilities;
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

  /** The order domain's state: the stated speed (NaN until stated) and what follows from it. */
  private double shaftHz = Double.NaN;
  /** Raw samples per sample of a window resampled on its own: fs / (f_r·S), or fs / the model's rate. */
  private double step;
  /** f_r·S / fs as a reduced ratio up/down, or null when it has none (band-limited interpolation). */
  private Resampling.Ratio orderRatio;
  /** Raw samples of context either side of a window. */
  private int reach;
  /** The raw sample where window {@link #anchorWindow} starts: window starts are counted from it at one speed. */
  private long anchor;
  private long anchorWindow;

  /**
   * @param diagnoser the model (single-channel input); an order-domain model needs {@link #setShaftHz} before feeding
   * @param config the stream's settings
   * @throws IllegalArgumentException if the model takes several channels, the sensor's rate is more than
   *     {@link #MAX_UPSAMPLING} times below the model's ({@link InputSpec#samplingRate()}; is the rate in Hz?), or a
   *     window at the sensor's rate would span more raw samples than an array holds
   */
  public StreamingDiagnoser(Diagnoser diagnoser, Config config) {
    this.diagnoser = Objects.requireNonNull(diagnoser, "diagnoser");
    this.config = Objects.requireNonNull(config, "config");
    InputSpec spec = diagnoser.inputSpec();
    if (spec.channels() != 1) {
      throw new IllegalArgumentException("streaming supports single-channel models; this one takes "
          + spec.channels() + " channels");
    }
    if (config.sensorRate() * MAX_UPSAMPLING < spec.samplingRate()) {
      // Symmetric with the refusal of a rate far too high (below): every window would be interpolated from a few raw
      // samples (minutes per chunk at 1 Hz, gigabytes per window at 0.001 Hz) only to be reported SAMPLING_RATE.
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a sensor rate of %s Hz is more than"
          + " %d times below the model's %s Hz (each window of %d samples would be interpolated from %.3g raw"
          + " samples); is the rate in Hz (e.g. 48 typed for 48000)?", hz(config.sensorRate()), MAX_UPSAMPLING,
          hz(spec.samplingRate()), spec.windowLength(), spec.windowLength() * config.sensorRate()
          / spec.samplingRate()));
    }
    windowLength = spec.windowLength();
    samplesPerRevolution = spec.samplesPerRevolution();
    calibration = diagnoser.calibration();
    // A rate within the health check's tolerance of the model's is taken as the model's, as diagnose takes it.
    boolean sameRate = !spec.orderDomain()
        && diagnoser.healthCheck().assessSameRate(config.sensorRate(), spec.samplingRate()).healthy();
    java.util.Optional<Resampling.Ratio> ratio = spec.orderDomain() ? java.util.Optional.empty()
        : sameRate ? java.util.Optional.of(new Resampling.Ratio(1, 1))
        : Resampling.findRatio(config.sensorRate(), spec.samplingRate());
    perWindow = ratio.isEmpty();
    if (perWindow) {
      // The model-rate stream of the rational path does not exist: each window is resampled on its own.
      modelRate = spec.orderDomain() ? Double.NaN : spec.samplingRate();
      up = 1;
      down = 1;
      contextRaw = 0;
      streamRate = Double.NaN;
      if (!spec.orderDomain()) {
        step = config.sensorRate() / modelRate;
        // As setShaftHz refuses a speed: a window must span fewer raw samples than an array holds, or the stream
        // would buffer every sample it is fed and never diagnose one (a rate typed as 1e15 Hz).
        if ((windowLength + 2.0) * step > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "at a sensor rate of %.4g Hz a"
              + " window of %d samples at the model's %.1f Hz spans %.4g raw samples, more than an array holds; is"
              + " the rate right?", config.sensorRate(), windowLength, modelRate, windowLength * step));
        }
        reach = Resampling.reachInputSamples(config.sensorRate(), modelRate);
        if ((windowLength + 2.0) * step + 2.0 * reach > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "at a sensor rate of %.4g Hz a"
              + " window and its resampling context span %.4g raw samples, more than an array holds; is the rate"
              + " right?", config.sensorRate(), (windowLength + 2.0) * step + 2.0 * reach));
        }
      }
    } else {
      modelRate = spec.samplingRate();
      up = ratio.get().up();
      down = ratio.get().down();
      streamRate = sameRate ? config.sensorRate() : modelRate;
      int edge = Resampling.edgeSamples(up, down);
      // Raw samples either side of an output sample that its filter can reach, with margin.
      contextRaw = up == 1 && down == 1 ? 0 : (int) Math.ceil((double) edge * down / up) + down + 4;
    }
    resampled = perWindow || up != 1 || down != 1;
    rateHealth = diagnoser.healthCheck().assessSensorRate(config.sensorRate(), spec.samplingRate());
    probabilities = new float[diagnoser.classes().size()];
    history = new float[config.smoothing()][diagnoser.classes().size()];
    historyUnknown = new boolean[config.smoothing()];
    window = new float[windowLength];
  }

  /** The settings. */
  public Config config() {
    return config;
  }

  /**
   * States the shaft speed for the windows diagnosed from now on (an order-domain model needs it before the first
   * samples; other models ignore it, as {@code Diagnoser.diagnose} does). Call it again whenever the speed changes
   * (a tachometer or the machine's controller says so); the next window starts where it would have at the old speed,
   * rounded to a raw sample, and later windows advance at the new one.
   *
   * @param hz the shaft frequency in Hz (rpm / 60)
   * @throws IllegalArgumentException if it is not finite and positive, or f_r·S samples per second would need more
   *     raw samples per window than an array holds
   */
  public void setShaftHz(double hz) {
    if (!(hz > 0) || Double.isInfinite(hz)) {
      throw new IllegalArgumentException("shaft speed must be finite and > 0 Hz, got " + hz + " Hz");
    }
    if (samplesPerRevolution == 0) {
      shaftHz = hz;
      return;
    }
    if (hz == shaftHz) {
      return;
    }
    double orderRate = OrderDomain.rate(hz, samplesPerRevolution);
    double newStep = config.sensorRate() / orderRate;
    int newReach = Resampling.reachInputSamples(config.sensorRate(), orderRate);
    if ((windowLength + 2.0) * newStep + 2.0 * newReach > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "at %.4g Hz a window of %d samples at"
          + " %s per revolution spans %.4g raw samples at %.1f Hz, more than an array holds; is the speed right?", hz,
          windowLength, samplesPerRevolution, windowLength * newStep, config.sensorRate()));
    }
    if (!Double.isNaN(shaftHz)) {
      anchor = Math.round(nominalStart(nextWindow));
      anchorWindow = nextWindow;
    }
    shaftHz = hz;
    step = newStep;
    reach = newReach;
    orderRatio = Resampling.findRatio(config.sensorRate(), orderRate).orElse(null);
  }

  /** The shaft speed last stated in Hz, NaN before {@link #setShaftHz}. */
  public double shaftHz() {
    return shaftHz;
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
    if (perWindow) {
      return feedPerWindow(chunk, offset, length);
    }
    raw = ensure(raw, rawCount + length);
    System.arraycopy(chunk, offset, raw, rawCount, length);
    rawCount += length;
    produce();
    List<Result> results = new ArrayList<>();
    while (nextWindow * config.hop() + windowLength <= modelBase + modelCount) {
      // Advanced first: should the model throw on a window, the stream goes on with the next one.
      results.add(diagnose(nextWindow++));
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
    return judge(index, start / streamRate, rawStart, rawEnd);
  }

  /**
   * The (smoothed) diagnosis of {@link #window}, filled with window {@code index}, whose raw samples are
   * [rawStart, rawEnd): their health (of a resampled window, with what they cannot show: an overflow, no signal in
   * the model's band), then the model.
   */
  private Result judge(long index, double seconds, long rawStart, long rawEnd) {
    int from = (int) (rawStart - rawBase);
    int count = (int) (rawEnd - rawStart);
    HealthCheck check = diagnoser.healthCheck();
    // The window's own health; the sensor's rate finding is no window's issue and goes with the decision (WindowVote).
    InputHealth health = !resampled ? check.assess(raw, from, count)
        : check.assessResampledWindow(raw, from, count, window, 0, windowLength,
            samplesPerRevolution > 0 ? OrderDomain.rate(shaftHz, samplesPerRevolution) : modelRate);
    if (!health.healthy()) {
      historyCount = 0;
      return new Result(index, seconds, Diagnosis.unhealthy(health));
    }
    // The window passed the health check; it is not checked again (predictScored): a resampled window's own extremes
    // and flatness are the filter's, not the sensor's.
    double score = diagnoser.predictScored(window, probabilities);
    boolean unknownWindow = calibration != null && calibration.unknown(score);
    System.arraycopy(probabilities, 0, history[historyNext], 0, probabilities.length);
    historyUnknown[historyNext] = unknownWindow;
    historyNext = (historyNext + 1) % history.length;
    historyCount = Math.min(historyCount + 1, history.length);
    // The decision over the smoothing span is the one a file gets from the same windows (WindowVote).
    WindowVote vote = new WindowVote(probabilities.length);
    for (int h = historyCount - 1; h >= 0; h--) {
      int slot = (historyNext - 1 - h + history.length) % history.length;
      vote.add(history[slot], historyUnknown[slot]);
    }
    return new Result(index, seconds, vote.diagnosis(config.minConfidence(), config.minAgreement(), rateHealth, score,
        diagnoser.classes()));
  }

  /** The order domain's feed: appends the raw samples and diagnoses every window whose raw context has arrived. */
  private List<Result> feedPerWindow(float[] chunk, int offset, int length) {
    if (samplesPerRevolution > 0 && Double.isNaN(shaftHz)) {
      throw new IllegalStateException("the model is order domain (" + samplesPerRevolution + " samples per shaft"
          + " revolution) and needs the shaft speed: call setShaftHz(rpm / 60) before feeding samples");
    }
    raw = ensure(raw, rawCount + length);
    System.arraycopy(chunk, offset, raw, rawCount, length);
    rawCount += length;
    List<Result> results = new ArrayList<>();
    while (true) {
      Stretch s = stretch(nextWindow);
      if (s.end() > rawBase + rawCount) {
        break;
      }
      // Advanced first: should the model throw on a window, the stream goes on with the next one.
      results.add(diagnosePerWindow(nextWindow++, s));
    }
    // Keep the raw samples from the next window's stretch on (its start never decreases at one speed, and a speed
    // change anchors at that window's nominal start, which lies beyond its stretch's start).
    long keep = Math.min(stretch(nextWindow).start(), nextStartFloor());
    int drop = (int) (Math.min(keep, rawBase + rawCount) - rawBase);
    if (drop > 0 && drop >= rawCount / 2) {
      System.arraycopy(raw, drop, raw, 0, rawCount - drop);
      rawCount -= drop;
      rawBase += drop;
    }
    return results;
  }

  /** The raw sample at or before window {@code index}'s nominal start, less the context a new speed may need. */
  private long nextStartFloor() {
    return Math.max(0, (long) Math.floor(nominalStart(nextWindow)) - reach);
  }

  /** Window {@code index}'s nominal start in raw samples (fractional) at the current speed. */
  private double nominalStart(long index) {
    return anchor + (double) ((index - anchorWindow) * config.hop()) * step;
  }

  /**
   * The raw stretch [start, end) resampled for one window, and the window's first sample in the resampled stretch.
   *
   * @param start first raw sample of the stretch
   * @param end one past its last
   * @param first index of the window's first sample in the stretch at f_r·S
   */
  private record Stretch(long start, long end, int first) {
  }

  /**
   * Where window {@code index} is: at a rational rate change up/down the stretch starts at a multiple of down from the
   * anchor, so that its output grid is the anchor's and the window starts exactly on it; otherwise on the output
   * sample nearest its nominal start. The stretch holds {@link #reach} raw samples beyond the window at both ends
   * (fewer at the stream's start, where the resampler extends the signal as it does at a recording's start).
   */
  private Stretch stretch(long index) {
    long k = (index - anchorWindow) * config.hop();
    long start;
    long first;
    if (orderRatio != null) {
      long up = orderRatio.up();
      long down = orderRatio.down();
      long q = Math.floorDiv(k * down - (long) reach * up, up * down);
      if (anchor + q * down < 0) {
        q = -Math.floorDiv(anchor, down);
      }
      if (anchor + q * down < rawBase) {
        // Only after a speed change that needs more context than was kept: less of it, on the same grid.
        q = Math.floorDiv(rawBase - anchor + down - 1, down);
      }
      start = anchor + q * down;
      first = k - q * up;
    } else {
      double t = nominalStart(index);
      start = Math.max(rawBase, Math.max(0, (long) Math.floor(t) - reach));
      first = Math.round((t - start) / step);
    }
    long end = start + (long) Math.ceil((first + windowLength) * step) + reach + 1;
    return new Stretch(start, end, (int) first);
  }

  private Result diagnosePerWindow(long index, Stretch s) {
    double[] segment = new double[(int) (s.end() - s.start())];
    int from = (int) (s.start() - rawBase);
    for (int i = 0; i < segment.length; i++) {
      float v = raw[from + i];
      segment[i] = Float.isFinite(v) ? v : 0.0;
    }
    double[] orders = samplesPerRevolution > 0
        ? OrderDomain.resample(segment, config.sensorRate(), shaftHz, samplesPerRevolution)
        : Resampling.resample(segment, config.sensorRate(), modelRate);
    for (int i = 0; i < windowLength; i++) {
      window[i] = (float) orders[s.first() + i];
    }
    double startRaw = orderRatio != null ? nominalStart(index) : s.start() + s.first() * step;
    long rawStart = (long) Math.floor(startRaw);
    long rawEnd = Math.min(s.end(), (long) Math.ceil(startRaw + windowLength * step));
    return judge(index, startRaw / config.sensorRate(), rawStart, rawEnd);
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

  /** A rate as a person typed it: 48000, not 48000.0 or 4.80000e+04. */
  private static String hz(double rate) {
    return rate == Math.rint(rate) && Math.abs(rate) < 1e15 ? Long.toString((long) rate) : Double.toString(rate);
  }

  private static float[] ensure(float[] buffer, int size) {
    return size <= buffer.length ? buffer : Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
  }
}
