package io.github.drsn.runtime;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import java.util.List;

/**
 * Classifies windows of raw vibration samples with a trained model. A window is {@link InputSpec#channels()}
 * × {@link InputSpec#windowLength()} samples at the model's sampling rate, channel-major
 * ({@code window[c * L + l]}); the diagnoser applies the model's representation and per-window normalisation
 * itself (docs/protocol.md, "Speed": preprocessing included), after the {@link HealthCheck}: a window with NaN/Inf,
 * clipping or a dead sensor is reported as {@link Diagnosis.Outcome#UNHEALTHY_INPUT}, not classified.
 *
 * <p>Implementations are immutable and thread-safe: one instance serves any number of threads. Two
 * implementations exist: {@link LeanDiagnoser} (plain Java, this module) and the DL4J reference
 * {@code io.github.drsn.model.diagnoser.Dl4jDiagnoser} (module drsn-model); services choose by dependency.
 */
public interface Diagnoser {

  /** Class names in output order. */
  List<String> classes();

  /** What a window must be. */
  InputSpec inputSpec();

  /** The health thresholds applied to every window. */
  HealthCheck healthCheck();

  /**
   * Class probabilities of one window, written into {@code probabilities} without checking the window's
   * health (the allocation-free path for callers that check health themselves, e.g. a streaming loop).
   *
   * @param window {@link InputSpec#windowSamples()} finite samples at the model's rate
   * @param probabilities receives {@code classes().size()} probabilities
   * @return the index of the most probable class
   * @throws IllegalArgumentException if an array has the wrong length or the window holds NaN/Inf
   */
  int predict(float[] window, float[] probabilities);

  /**
   * The model's calibration (temperature, out-of-distribution method and threshold), or null for an uncalibrated
   * model, which never answers {@link Diagnosis.Outcome#UNKNOWN}. {@link LeanDiagnoser} and the DL4J diagnoser return
   * their bundle's section and apply it through the same {@link CalibratedReadout}; the default is null.
   */
  default Calibration calibration() {
    return null;
  }

  /**
   * As {@link #predict(float[], float[])}, and the window's out-of-distribution score of {@link #calibration()}'s
   * method: the path of a caller that checked the window's health itself (a stream checks the raw samples before
   * resampling) and keeps one probability buffer. The window is unknown when {@link Calibration#unknown} says so
   * (the score is above {@link Calibration#threshold()} or is NaN), as {@link #classify(float[])} decides.
   *
   * <p>An uncalibrated model answers {@link #predict(float[], float[])} and NaN, allocation-free as predict is. For a
   * calibrated one the default goes through {@link #classify(float[])}, which checks the window's health again and
   * allocates; an implementation that computes the score apart from classify overrides this to skip both. A window
   * that classify would call unhealthy gets predict's probabilities and NaN, which that rule counts as unknown: the
   * model has not vouched for it.
   *
   * @param window {@link InputSpec#windowSamples()} finite samples at the model's rate
   * @param probabilities receives {@code classes().size()} probabilities
   * @return the out-of-distribution score, NaN for an uncalibrated model
   * @throws IllegalArgumentException as {@link #predict(float[], float[])}
   */
  default double predictScored(float[] window, float[] probabilities) {
    if (calibration() == null) {
      predict(window, probabilities);
      return Double.NaN;
    }
    Diagnosis d = classify(window);
    if (d.outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT) {
      predict(window, probabilities);
      return Double.NaN;
    }
    if (d.probabilities().length != probabilities.length) {
      throw new IllegalArgumentException("probabilities array has " + probabilities.length + " entries, the model has "
          + d.probabilities().length + " classes");
    }
    System.arraycopy(d.probabilities(), 0, probabilities, 0, probabilities.length);
    return d.oodScore();
  }

  /**
   * Diagnoses one window at the model's sampling rate: health check, then the class probabilities and the
   * most probable class ({@link Diagnosis.Outcome#CLASSIFIED}; this method never answers uncertain).
   *
   * @throws IllegalArgumentException if the window's length is not {@link InputSpec#windowSamples()}
   */
  default Diagnosis classify(float[] window) {
    InputHealth health = health(window);
    if (!health.healthy()) {
      return Diagnosis.unhealthy(health);
    }
    float[] p = new float[classes().size()];
    predict(window, p);
    return Diagnosis.of(p, classes(), 0);
  }

  /**
   * The {@link #healthCheck()} of every channel of one window.
   *
   * @throws IllegalArgumentException if the window's length is not {@link InputSpec#windowSamples()}
   */
  default InputHealth health(float[] window) {
    InputSpec spec = inputSpec();
    if (window.length != spec.windowSamples()) {
      throw new IllegalArgumentException("window has " + window.length + " samples, the model expects "
          + spec.channels() + " x " + spec.windowLength());
    }
    InputHealth health = InputHealth.OK;
    for (int c = 0; c < spec.channels(); c++) {
      health = health.and(healthCheck().assess(window, c * spec.windowLength(), spec.windowLength()));
    }
    return health;
  }

  /**
   * As {@link #classify(float[])} for a window stated to be sampled at {@code samplingRate} Hz: a rate other
   * than the model's is reported as {@link HealthIssue#SAMPLING_RATE}, never classified. An order-domain model
   * ({@link InputSpec#orderDomain()}) takes windows at S samples per shaft revolution, a rate that depends on the
   * speed, so no rate in Hz is its own: its windows go through {@link #classify(float[])} after
   * {@code OrderDomain.resample}, or through {@link #diagnose(double[][], double, double, RecordingDiagnosis.Options)}
   * with the shaft speed.
   */
  default Diagnosis classify(float[] window, double samplingRate) {
    InputSpec spec = inputSpec();
    if (spec.orderDomain()) {
      return Diagnosis.unhealthy(new InputHealth(java.util.EnumSet.of(HealthIssue.SAMPLING_RATE), "window sampled at "
          + samplingRate + " Hz, the model takes windows at " + spec.samplesPerRevolution() + " samples per shaft"
          + " revolution (order domain): resample it at the shaft speed, or diagnose the recording with the speed"));
    }
    InputHealth rate = healthCheck().assessSameRate(samplingRate, spec.samplingRate());
    return rate.healthy() ? classify(window) : Diagnosis.unhealthy(rate);
  }

  /**
   * Diagnoses each window (as {@link #classify(float[])}); implementations may batch the forward passes.
   *
   * @param windows windows at the model's sampling rate
   * @return one diagnosis per window, in order
   */
  default Diagnosis[] classifyBatch(float[][] windows) {
    Diagnosis[] out = new Diagnosis[windows.length];
    for (int n = 0; n < windows.length; n++) {
      out[n] = classify(windows[n]);
    }
    return out;
  }

  /**
   * Diagnoses a whole recording of any length and sampling rate, per window and per file, with the input-health
   * findings and the uncertain outcome ({@link RecordingDiagnosis} describes the rules). This is the path the
   * command line's {@code predict} takes, so a service that calls it sees exactly what the command line shows.
   *
   * @param channels one array per input channel of the model, all of the same length
   * @param samplingRate the recording's rate in Hz (resampled to the model's when it differs)
   * @throws IllegalArgumentException if the recording does not fit the model (channels, rate, too short)
   */
  default RecordingDiagnosis diagnose(double[][] channels, double samplingRate, RecordingDiagnosis.Options options) {
    return diagnose(channels, samplingRate, Double.NaN, options);
  }

  /**
   * As {@link #diagnose(double[][], double, RecordingDiagnosis.Options)} for a recording whose shaft speed is known:
   * an order-domain model ({@link InputSpec#orderDomain()}) resamples it to S samples per revolution of that speed
   * and refuses a recording without one; other models ignore the speed.
   *
   * @param shaftHz the shaft frequency in Hz (rpm / 60), or NaN when unknown
   * @throws IllegalArgumentException as the other form, and when the model is order domain and the speed unknown
   */
  default RecordingDiagnosis diagnose(double[][] channels, double samplingRate, double shaftHz,
      RecordingDiagnosis.Options options) {
    // RecordingDiagnosis gets the diagnoser's parts, not the diagnoser: the two classes stay free of a cycle.
    return RecordingDiagnosis.of(inputSpec(), healthCheck(), classes(), this::classifyBatch, window -> {
      float[] p = new float[classes().size()];
      double score = predictScored(window, p);
      io.github.drsn.contract.Calibration calibration = calibration();
      return Diagnosis.of(p, classes(), 0, score, calibration != null && calibration.unknown(score));
    }, channels, samplingRate, shaftHz, options);
  }

  /**
   * The model's channels from a recording whose channels are named (a service's sensors, e.g. {@code DE} and
   * {@code FE}, or CWRU variables {@code X097_DE_time}), in the model's order: chosen by the names the bundle records
   * ({@link InputSpec#takenChannels}, the rule {@code drsn predict} follows), so a recording whose channels come in
   * another order is reordered and one that lacks a channel is refused, not diagnosed from the wrong inputs. A
   * one-channel model takes a recording of one channel under any name, as predict does (sensors are named differently
   * from rig to rig; {@link InputSpec#onlyChannelUnderAnotherName} tells a caller that wants to say so). A model
   * whose names are not recorded (bundles written before they were) takes a recording of one channel as it is and
   * refuses several: which is which is unknown. To give channels whose names do not match, pass them in the model's
   * order to {@link #diagnose(double[][], double, RecordingDiagnosis.Options)}.
   *
   * @param named the recording's channels by name, in any order
   * @param where the recording, for messages (e.g. its file or sensor group)
   * @throws IllegalArgumentException naming {@code where}, the channels it has and those the model expects, when one
   *     is missing or named twice, or the model records no names and several channels are given
   */
  default double[][] channelsByName(java.util.Map<String, double[]> named, String where) {
    List<String> offered = List.copyOf(named.keySet());
    InputSpec input = inputSpec();
    if (!input.namedChannels() && !(input.channels() == 1 && offered.size() == 1)) {
      throw new IllegalArgumentException(where + " has channels " + offered + " but the model records no channel names"
          + " (written before drsn recorded them) and takes " + input.channels() + "; give its channels in the"
          + " model's order to diagnose(double[][], ...)");
    }
    int[] indices = input.takenChannels(offered, where, "give the model's channels in its order to"
        + " diagnose(double[][], ...) instead");
    double[][] channels = new double[indices.length][];
    for (int c = 0; c < indices.length; c++) {
      channels[c] = named.get(offered.get(indices[c]));
    }
    return channels;
  }

  /**
   * As {@link #diagnose(double[][], double, double, RecordingDiagnosis.Options)} for a recording whose channels are
   * named: the model's are chosen by name ({@link #channelsByName}).
   *
   * @throws IllegalArgumentException as {@link #channelsByName} and the other form
   */
  default RecordingDiagnosis diagnose(java.util.Map<String, double[]> named, String where, double samplingRate,
      double shaftHz, RecordingDiagnosis.Options options) {
    return diagnose(channelsByName(named, where), samplingRate, shaftHz, options);
  }

  /** As {@link #diagnose(double[][], double, RecordingDiagnosis.Options)} for a one-channel recording, default options. */
  default RecordingDiagnosis diagnose(double[] samples, double samplingRate) {
    return diagnose(new double[][] {samples}, samplingRate, RecordingDiagnosis.Options.DEFAULT);
  }
}
