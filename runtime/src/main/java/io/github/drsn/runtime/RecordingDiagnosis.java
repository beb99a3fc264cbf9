package io.github.drsn.runtime;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.OutcomeLabels;
import io.github.drsn.signals.OrderDomain;
import io.github.drsn.signals.Resampling;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The diagnosis of a whole recording of any length and sampling rate, as {@link Diagnoser#diagnose} makes it:
 * the recording is resampled to the model's rate when its rate differs (said in {@link #resampled()}), cut into
 * windows of the model's length every {@code hop} samples, and every window goes through the diagnoser's health
 * check and classification. A resampled window's health is judged as {@link StreamingDiagnoser} judges it, by
 * {@link HealthCheck#assessResampledWindow}: on the recording's own samples under it (the filter hides clipping and a
 * stuck sensor), and of the resampled window only what those cannot show (an overflow to infinity, no signal in the
 * model's band); a window that passes is classified without the diagnoser's check of the resampled samples, whose
 * extremes are the filter's ({@link Diagnoser#predictScored}, as the stream classifies it). The file's outcome is
 * decided from the windows:
 * <ol>
 *   <li>{@link Diagnosis.Outcome#UNHEALTHY_INPUT} when at least half of the windows are unhealthy (a dead sensor,
 *       clipping, NaN samples): the recording is not diagnosed, {@link #health()} says why;</li>
 *   <li>{@link Diagnosis.Outcome#UNKNOWN} when at least half of the healthy windows are unknown (their
 *       out-of-distribution score is beyond the calibrated model's threshold: the recording does not look like any
 *       class the model knows);</li>
 *   <li>otherwise the candidate is the class with the highest mean probability over the healthy windows, and the
 *       outcome is {@link Diagnosis.Outcome#UNCERTAIN} when that mean is below {@link Options#minConfidence()},
 *       when fewer than {@link Options#minAgreement()} of the healthy windows name it (unknown windows name no
 *       class, so they count against agreement: the file abstains when its windows disagree or are unknown), or
 *       when the recording's rate is below the model's (the band the model learnt from is missing); else
 *       {@link Diagnosis.Outcome#CLASSIFIED}.</li>
 * </ol>
 * A recording slower than the model's rate ({@link HealthCheck#assessSensorRate}) is a finding on the sensor, not on
 * its windows: they are judged on their own samples and scored, each window's diagnosis carries the finding
 * ({@link HealthIssue#SAMPLING_RATE} in its health) and is never classified, and {@link #health()} counts it once. A
 * {@link StreamingDiagnoser} of the same sensor reports its windows by the same rule ({@link WindowVote}).
 * An uncalibrated model never answers unknown, and the rules reduce to the first and third.
 *
 * <p>An order-domain model ({@link InputSpec#orderDomain()}) needs the recording's shaft speed: the recording is
 * resampled to f_r·S samples per second ({@code signals.OrderDomain}, the same function training applies), which is
 * then the "model's rate" of the fields below; the sensor check compares the recording's rate with the rate of the
 * model's training recordings ({@link InputSpec#samplingRate()}).
 *
 * @param outcome classified, uncertain or unhealthy input
 * @param label the class for {@link Diagnosis.Outcome#CLASSIFIED}, else "uncertain" or "unhealthy input"
 * @param candidate index of the class with the highest mean probability over the healthy windows (kept when
 *     uncertain, so a reviewer sees what the model leant towards), or -1 when no window was healthy
 * @param meanProbabilities mean class probabilities over the healthy windows (empty when none was healthy)
 * @param agreement fraction of the healthy windows that name the candidate (classified or uncertain windows whose
 *     most probable class it is; 0 when none)
 * @param votes healthy windows per most probable class, unknown windows left out
 * @param health windows per health issue, over the whole recording (and the rate finding, counted once)
 * @param healthDetail the first detail of each issue found, for a person to read
 * @param samplingRate the recording's rate in Hz
 * @param modelRate the model's rate in Hz, at which window starts count (f_r·S for an order-domain model)
 * @param resampled whether the recording was resampled to the model's rate
 * @param hop samples between window starts at the model's rate
 * @param windows every window's diagnosis, in time order (a healthy window's is the vote of that window alone, with
 *     the sensor's rate finding: classified, uncertain or unknown)
 * @param unknownWindows healthy windows whose outcome is {@link Diagnosis.Outcome#UNKNOWN}
 * @param medianOodScore median out-of-distribution score over the healthy windows (NaN for an uncalibrated model or
 *     when no window was healthy)
 */
public record RecordingDiagnosis(Diagnosis.Outcome outcome, String label, int candidate, float[] meanProbabilities,
    double agreement, int[] votes, Map<HealthIssue, Integer> health, Map<HealthIssue, String> healthDetail,
    double samplingRate, double modelRate, boolean resampled, int hop, List<Window> windows, int unknownWindows,
    double medianOodScore) {

  /**
   * One window of the recording.
   *
   * @param start its first sample in the samples the windows were cut from: the recording's own when it was not
   *     resampled, else the resampled recording's at the model's rate
   * @param startSeconds its time from the start of the recording
   * @param diagnosis its diagnosis (with the window-level confidence threshold)
   */
  public record Window(int start, double startSeconds, Diagnosis diagnosis) {
  }

  /**
   * How a recording is cut and judged.
   *
   * @param hop samples between window starts at the model's rate; 0 means the window length (no overlap)
   * @param minConfidence probability below which a window, or the file's mean, is uncertain, in [0, 1]
   * @param minAgreement fraction of healthy windows that must name the file's class, in [0, 1]
   */
  public record Options(int hop, double minConfidence, double minAgreement) {

    /** Non-overlapping windows, uncertain below a mean probability of 0.6 or when fewer than half the windows agree. */
    public static final Options DEFAULT = new Options(0, 0.6, 0.5);

    /** @throws IllegalArgumentException for a negative hop or a threshold outside [0, 1] */
    public Options {
      if (hop < 0) {
        throw new IllegalArgumentException("hop must be >= 0 samples (0 = the window length), got " + hop);
      }
      if (!(minConfidence >= 0 && minConfidence <= 1)) {
        throw new IllegalArgumentException("minimum confidence must be in [0, 1], got " + minConfidence);
      }
      if (!(minAgreement >= 0 && minAgreement <= 1)) {
        throw new IllegalArgumentException("minimum agreement must be in [0, 1], got " + minAgreement);
      }
    }
  }

  /** Windows classified per call of the diagnoser (bounds the memory of a long recording). */
  private static final int BATCH = 256;
  /** Windows a recording may be cut into: a day at 12 kHz without overlap is ~500,000. */
  static final int MAX_WINDOWS = 2_000_000;

  /** Copies the collections. */
  public RecordingDiagnosis {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(label, "label");
    meanProbabilities = meanProbabilities.clone();
    votes = votes.clone();
    health = Collections.unmodifiableMap(new EnumMap<>(health.isEmpty() ? new EnumMap<>(HealthIssue.class) : health));
    healthDetail = Collections.unmodifiableMap(new LinkedHashMap<>(healthDetail));
    windows = List.copyOf(windows);
  }

  /** The mean probability of the candidate class (NaN when no window was healthy). */
  public double confidence() {
    return candidate < 0 ? Double.NaN : meanProbabilities[candidate];
  }

  @Override
  public float[] meanProbabilities() {
    return meanProbabilities.clone();
  }

  @Override
  public int[] votes() {
    return votes.clone();
  }

  /**
   * Diagnoses a recording with a diagnoser's parts: see the class description.
   *
   * @param classifyBatch the diagnoser's {@link Diagnoser#classifyBatch}
   * @param classifyWithoutHealthCheck a window's diagnosis without the diagnoser's health check, for a resampled
   *     window that passed {@link HealthCheck#assessResampledWindow} but not the diagnoser's own check (as the stream
   *     classifies a window whose health it judged itself: {@link Diagnoser#predictScored}, unknown when the
   *     calibration says so)
   * @param channels the recording, one array per channel of the model's input, all of the same length
   * @param samplingRate the recording's rate in Hz
   * @param shaftHz the recording's shaft speed in Hz, or NaN when unknown (needed by an order-domain model only)
   * @throws IllegalArgumentException if the channel count is not the model's, the channels differ in length, the
   *     rate is not finite and positive, the model is order domain and the speed is unknown or not positive, or the
   *     recording is shorter than one window (the message gives both durations)
   */
  static RecordingDiagnosis of(InputSpec spec, HealthCheck check, List<String> classes,
      Function<float[][], Diagnosis[]> classifyBatch, Function<float[], Diagnosis> classifyWithoutHealthCheck,
      double[][] channels, double samplingRate, double shaftHz, Options options) {
    if (channels.length != spec.channels()) {
      throw new IllegalArgumentException("the recording has " + channels.length + " channel(s), the model takes "
          + spec.channels());
    }
    if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
      throw new IllegalArgumentException("the sampling rate must be finite and > 0 Hz, got " + samplingRate);
    }
    if (spec.orderDomain() && !(shaftHz > 0 && Double.isFinite(shaftHz))) {
      throw new IllegalArgumentException("the model is order domain (" + spec.samplesPerRevolution() + " samples per"
          + " shaft revolution) and needs the recording's shaft speed; "
          + (Double.isNaN(shaftHz) ? "none is known" : "got " + shaftHz + " Hz"));
    }
    double modelRate = spec.windowRate(shaftHz);
    // The order domain resamples exactly as training did (any rate difference); otherwise a rate within the health
    // check's tolerance is taken as the model's.
    boolean resample = spec.orderDomain() ? samplingRate != modelRate
        : !check.assessSameRate(samplingRate, modelRate).healthy();
    int n = channels[0].length;
    int length = spec.windowLength();
    // Checked before resampling as well as after: the band-limited interpolation's kernel is fsIn/fsOut samples wide,
    // so a rate typed a million times too high would spend hours resampling a recording shorter than one window.
    if (resample && n * (modelRate / samplingRate) + 1 < length) {
      throw tooShort(n, samplingRate, length, modelRate);
    }
    if (resample) {
      long resampled = (long) Math.ceil(n * (modelRate / samplingRate)) * channels.length;
      long budget = Runtime.getRuntime().maxMemory() / 4 / Double.BYTES;
      if (resampled > budget) {
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the recording's %d samples at %.1f Hz"
            + " resampled to the model's %.1f Hz would be %d samples, more than a quarter of this JVM's heap holds;"
            + " is the sampling rate right?", n, samplingRate, modelRate, resampled));
      }
    }
    // Samples that are not finite cannot be resampled (the filter would spread them); they are set to 0 for the
    // filter, and each window's health is judged on the recording's own samples under it (below).
    double[][] x = new double[channels.length][];
    for (int c = 0; c < channels.length; c++) {
      if (channels[c].length != n) {
        throw new IllegalArgumentException("channel " + c + " has " + channels[c].length + " samples, channel 0 has "
            + n);
      }
      double[] source = channels[c];
      if (resample) {
        for (int i = 0; i < n; i++) {
          if (!Double.isFinite(source[i])) {
            if (source == channels[c]) {
              source = channels[c].clone();
            }
            source[i] = 0;
          }
        }
      }
      x[c] = !resample ? source : spec.orderDomain()
          ? OrderDomain.resample(source, samplingRate, shaftHz, spec.samplesPerRevolution())
          : Resampling.resample(source, samplingRate, modelRate);
    }
    if (x[0].length < length) {
      throw tooShort(n, samplingRate, length, modelRate);
    }
    int hop = options.hop() == 0 ? length : options.hop();
    long windowsWanted = (x[0].length - length) / hop + 1L;
    if (windowsWanted > MAX_WINDOWS) {
      throw new IllegalArgumentException("a hop of " + hop + " samples cuts the recording into " + windowsWanted
          + " windows, more than " + MAX_WINDOWS + "; use a larger hop");
    }
    // Every window's diagnosis is kept (its probabilities included): a small hop over a long recording must be
    // refused here, not by an OutOfMemoryError after minutes of forward passes.
    long windowBytes = 160L + 4L * classes.size();
    long heapBudget = Runtime.getRuntime().maxMemory() / 4;
    if (windowsWanted * windowBytes > heapBudget) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a hop of %d samples cuts the"
          + " recording into %d windows, whose diagnoses (about %d bytes each) would take more than a quarter of this"
          + " JVM's heap of %d MB; use a larger hop, cut the recording, or raise the heap (e.g."
          + " DRSN_JAVA_OPTS=-Xmx4g)", hop, windowsWanted, windowBytes, Runtime.getRuntime().maxMemory() >> 20));
    }
    int count = (int) windowsWanted;
    Diagnosis[] raw = new Diagnosis[count];
    double scale = samplingRate / modelRate;
    for (int from = 0; from < count; from += BATCH) {
      float[][] batch = new float[Math.min(BATCH, count - from)][spec.windowSamples()];
      for (int b = 0; b < batch.length; b++) {
        int start = (from + b) * hop;
        for (int c = 0; c < x.length; c++) {
          for (int l = 0; l < length; l++) {
            batch[b][c * length + l] = (float) x[c][start + l];
          }
        }
      }
      // Every window goes to classifyBatch, in order (a diagnoser may rely on seeing them all); its health check
      // comes first, so a window that is not finite is reported, never passed to the network.
      Diagnosis[] classified = classifyBatch.apply(batch);
      if (!resample) {
        System.arraycopy(classified, 0, raw, from, batch.length);
        continue;
      }
      // The filter turns a clipped plateau into ripple and a stuck sensor's constant into a tiny periodic wobble that
      // z-scoring blows up to unit variance, and its residue has flat-looking extremes of its own: a resampled window
      // is judged by the rule the stream applies (HealthCheck.assessResampledWindow), not by the diagnoser's check of
      // the resampled samples.
      for (int b = 0; b < batch.length; b++) {
        int w = from + b;
        int first = (int) Math.min(n - 1, Math.floor(w * (long) hop * scale));
        int last = (int) Math.max(first + 1, Math.min(n, Math.ceil((w * (long) hop + length) * scale)));
        InputHealth health = InputHealth.OK;
        for (int c = 0; c < channels.length; c++) {
          float[] samples = new float[last - first];
          for (int i = first; i < last; i++) {
            samples[i - first] = (float) channels[c][i];
          }
          health = health.and(check.assessResampledWindow(samples, 0, samples.length, batch[b], c * length, length,
              modelRate));
        }
        raw[w] = !health.healthy() ? Diagnosis.unhealthy(health)
            // The diagnoser's own check judged the resampled samples (the filter's extremes): classify without it.
            : classified[b].outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT ? classifyWithoutHealthCheck.apply(batch[b])
            : classified[b];
      }
    }
    List<Window> windows = new ArrayList<>(count);
    Map<HealthIssue, Integer> health = new EnumMap<>(HealthIssue.class);
    Map<HealthIssue, String> detail = new LinkedHashMap<>();
    // The sensor's fitness for the model is no window's issue: it goes with each window's decision and the file's
    // (WindowVote, as a stream decides), and is counted once.
    InputHealth sensor = check.assessSensorRate(samplingRate, spec.samplingRate());
    WindowVote vote = new WindowVote(classes.size());
    double[] scores = new double[count];
    int scored = 0;
    for (int w = 0; w < count; w++) {
      Diagnosis d = raw[w];
      if (d.outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT) {
        for (HealthIssue issue : d.health().issues()) {
          health.merge(issue, 1, Integer::sum);
          detail.putIfAbsent(issue, d.health().detail());
        }
      } else {
        d = WindowVote.ofWindow(d, options.minConfidence(), options.minAgreement(), sensor, classes);
        vote.add(d.probabilities(), d.outcome() == Diagnosis.Outcome.UNKNOWN);
        if (!Double.isNaN(d.oodScore())) {
          scores[scored++] = d.oodScore();
        }
      }
      // Not resampled, the samples are the recording's own, at its rate (which may differ from the model's within
      // the health check's tolerance).
      windows.add(new Window(w * hop, w * hop / (resample ? modelRate : samplingRate), d));
    }
    if (!sensor.healthy()) {
      health.merge(HealthIssue.SAMPLING_RATE, 1, Integer::sum);
      detail.putIfAbsent(HealthIssue.SAMPLING_RATE, sensor.detail());
    }
    int healthy = vote.windows();
    int unknown = vote.unknown();
    int[] votes = vote.votes();
    float[] mean = vote.mean();
    int candidate = vote.candidate();
    double agreement = vote.agreement();
    double median = median(scores, scored);
    if (healthy == 0 || 2 * (count - healthy) >= count) {
      return new RecordingDiagnosis(Diagnosis.Outcome.UNHEALTHY_INPUT, OutcomeLabels.UNHEALTHY_INPUT, candidate, mean,
          agreement, votes, health, detail, samplingRate, modelRate, resample, hop, windows, unknown, median);
    }
    // One rule for a file and a stream's smoothing span (WindowVote).
    Diagnosis.Outcome outcome = vote.outcome(options.minConfidence(), options.minAgreement(), sensor.healthy());
    return new RecordingDiagnosis(outcome, vote.label(outcome, classes), candidate, mean, agreement, votes, health,
        detail, samplingRate, modelRate, resample, hop, windows, unknown, median);
  }

  private static IllegalArgumentException tooShort(int n, double samplingRate, int length, double modelRate) {
    return new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the recording has %d samples at"
        + " %.1f Hz (%.3g s) but the model needs windows of %d samples at %.1f Hz (%.3f s)", n, samplingRate,
        n / samplingRate, length, modelRate, length / modelRate));
  }

  private static double median(double[] values, int n) {
    if (n == 0) {
      return Double.NaN;
    }
    double[] sorted = java.util.Arrays.copyOf(values, n);
    java.util.Arrays.sort(sorted);
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
