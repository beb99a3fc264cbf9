package io.github.drsn.runtime;

import java.util.EnumSet;

/**
 * Thresholds of the input-health checks and the checks themselves ({@link HealthIssue}). One pass over the
 * window, in double precision, allocation-free when the window is healthy. Immutable and thread-safe.
 *
 * @param deadStd a window whose population standard deviation is below this (in the sensor's units) comes
 *     from a dead sensor; 0 disables the threshold, but a constant window is always reported (it cannot be
 *     normalised)
 * @param clippedFraction a window with at least this fraction of its samples in flat runs at its maximum or
 *     minimum is clipped; a value above 1 disables the check
 * @param rateTolerance relative difference between a stated sampling rate and the model's that still counts
 *     as the same rate
 */
public record HealthCheck(double deadStd, double clippedFraction, double rateTolerance) {

  /** Defaults: dead below 1e-6 units (CWRU accelerometers read ~0.05-0.5 g), clipped at 1 %, rates within 0.5 %. */
  public static final HealthCheck DEFAULT = new HealthCheck(1e-6, 0.01, io.github.drsn.contract.InputSpec.RATE_TOLERANCE);

  /** @throws IllegalArgumentException for a negative or non-finite threshold, or a non-positive fraction */
  public HealthCheck {
    if (!(deadStd >= 0) || Double.isInfinite(deadStd)) {
      throw new IllegalArgumentException("deadStd must be finite and >= 0, got " + deadStd);
    }
    if (!(clippedFraction > 0) || Double.isInfinite(clippedFraction)) {
      throw new IllegalArgumentException("clippedFraction must be finite and > 0, got " + clippedFraction);
    }
    if (!(rateTolerance >= 0 && rateTolerance < 1)) {
      throw new IllegalArgumentException("rateTolerance must be in [0, 1), got " + rateTolerance);
    }
  }

  /**
   * Checks {@code samples[offset .. offset + length)} (one channel of a window).
   *
   * @return {@link InputHealth#OK} (no allocation) or the issues found with the figures behind them
   * @throws IllegalArgumentException if the range is empty or out of bounds
   */
  public InputHealth assess(float[] samples, int offset, int length) {
    if (length < 1 || offset < 0 || offset > samples.length - length) {
      throw new IllegalArgumentException("window range [" + offset + ", " + offset + " + " + length
          + ") is empty or outside an array of " + samples.length + " samples");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int nonFinite = 0;
    for (int i = offset; i < offset + length; i++) {
      float v = samples[i];
      if (!Float.isFinite(v)) {
        nonFinite++;
        continue;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    if (nonFinite > 0) {
      return new InputHealth(EnumSet.of(HealthIssue.NON_FINITE),
          nonFinite + " of " + length + " samples are NaN or infinite");
    }
    double mean = sum / length;
    double squares = 0;
    int flat = 0;
    for (int i = offset; i < offset + length; i++) {
      double d = samples[i] - mean;
      squares += d * d;
      // A sample counts as flat-topped if it repeats its neighbour at the window's extreme.
      if (i > offset && samples[i] == samples[i - 1] && (samples[i] == max || samples[i] == min)) {
        flat += (i - 1 == offset || samples[i - 2] != samples[i - 1]) ? 2 : 1;
      }
    }
    double std = Math.sqrt(squares / length);
    boolean dead = std < deadStd || max == min;
    boolean clipped = !dead && flat >= clippedFraction * length;
    if (!dead && !clipped) {
      return InputHealth.OK;
    }
    EnumSet<HealthIssue> issues = EnumSet.noneOf(HealthIssue.class);
    StringBuilder detail = new StringBuilder();
    if (dead) {
      issues.add(HealthIssue.DEAD_SENSOR);
      detail.append(max == min
          ? String.format(java.util.Locale.ROOT, "all %d samples are %s (a constant window cannot be normalised)",
              length, max)
          : String.format(java.util.Locale.ROOT, "standard deviation %.3g below %.3g", std, deadStd));
    }
    if (clipped) {
      issues.add(HealthIssue.CLIPPED);
      detail.append(String.format(java.util.Locale.ROOT, "%d of %d samples flat at the extremes [%.6g, %.6g]",
          flat, length, min, max));
    }
    return new InputHealth(issues, detail.toString());
  }

  /**
   * The least ratio of a resampled window's standard deviation to that of the sensor's samples under it for the window
   * to count as carrying the sensor's signal ({@link #assessResampledWindow}): −70 dB, 10 dB above the resampling
   * filter's stopband ({@code Resampling.STOPBAND_ATTENUATION_DB}, 80 dB, the most of an out-of-band signal its residue
   * can be). Below it the window cannot be told from the filter's residue, which the per-window normalisation would
   * blow up to unit variance. A real in-band signal more than 70 dB below the sensor's out-of-band content is reported
   * as such; one −66 dB below it is judged as signal (QuietInBandSignalTest).
   */
  public static final double MIN_IN_BAND_RATIO = Math.pow(10, -(io.github.drsn.signals.Resampling.STOPBAND_ATTENUATION_DB
      - 10) / 20);

  /**
   * The health of one channel of a window that was resampled to the model's rate, by the one rule that
   * {@link Diagnoser#diagnose} (a recording) and {@link StreamingDiagnoser} (a stream) both apply to such a window:
   * <ol>
   *   <li>the sensor's own samples under the window, {@link #assess} (NaN/Inf, clipping, a dead sensor): what the
   *       sensor did is judged where it can be seen, since the filter turns a clipped plateau into ripple and a stuck
   *       sensor's constant into a tiny wobble; the resampled window's own clipping or flatness is not judged (its
   *       extremes are the filter's, not the sensor's);</li>
   *   <li>then, unless the raw samples are already non-finite or dead, what the raw samples cannot show: a resampled
   *       window holding NaN or infinite values ({@link HealthIssue#NON_FINITE}: finite samples near the float range's
   *       ends that the filter's overshoot took beyond it), and a resampled window whose standard deviation is below
   *       {@link #MIN_IN_BAND_RATIO} of the raw samples' ({@link HealthIssue#DEAD_SENSOR}: the sensor is alive but none
   *       of its signal lies in the model's band, 0 to half the window's rate).</li>
   * </ol>
   * A window at the model's rate (not resampled) is judged by {@link #assess} alone.
   *
   * @param raw the sensor's samples
   * @param rawOffset the first sample under the window
   * @param rawLength the number of samples under the window
   * @param window the resampled samples
   * @param offset the window's first sample (of this channel) in {@code window}
   * @param length the window's length at the model's rate
   * @param windowRate the rate of the resampled window in Hz (the model's; of an order-domain model, f_r·S)
   * @return {@link InputHealth#OK} or the issues found, with the figures behind them
   * @throws IllegalArgumentException if a range is empty or out of bounds
   */
  public InputHealth assessResampledWindow(float[] raw, int rawOffset, int rawLength, float[] window, int offset,
      int length, double windowRate) {
    InputHealth sensor = assess(raw, rawOffset, rawLength);
    if (length < 1 || offset < 0 || offset > window.length - length) {
      throw new IllegalArgumentException("window range [" + offset + ", " + offset + " + " + length
          + ") is empty or outside an array of " + window.length + " samples");
    }
    if (sensor.issues().contains(HealthIssue.NON_FINITE) || sensor.issues().contains(HealthIssue.DEAD_SENSOR)) {
      // The filter saw zeros for the non-finite samples, and a dead sensor has no signal to compare with.
      return sensor;
    }
    int nonFinite = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!Float.isFinite(window[i])) {
        nonFinite++;
      }
    }
    if (nonFinite > 0) {
      double peak = 0;
      for (int i = rawOffset; i < rawOffset + rawLength; i++) {
        peak = Math.max(peak, Math.abs(raw[i]));
      }
      return sensor.and(new InputHealth(EnumSet.of(HealthIssue.NON_FINITE), String.format(java.util.Locale.ROOT,
          "%d of %d samples of the window resampled to %.1f Hz are NaN or infinite: the resampled window overflowed"
          + " (the sensor's samples reach %.4g, the float range ends at %.4g)", nonFinite, length, windowRate, peak,
          Float.MAX_VALUE)));
    }
    double rawStd = std(raw, rawOffset, rawLength);
    double windowStd = std(window, offset, length);
    if (windowStd < MIN_IN_BAND_RATIO * rawStd) {
      double db = windowStd > 0 ? 20 * Math.log10(windowStd / rawStd) : Double.NEGATIVE_INFINITY;
      return sensor.and(new InputHealth(EnumSet.of(HealthIssue.DEAD_SENSOR), String.format(java.util.Locale.ROOT,
          "no signal in the model's band 0-%.0f Hz: the resampled window is %.0f dB below the sensor's samples"
          + " (standard deviation %.3g against %.3g)", windowRate / 2, db, windowStd, rawStd)));
    }
    return sensor;
  }

  /** The population standard deviation of finite samples, in double precision. */
  private static double std(float[] samples, int offset, int length) {
    double sum = 0;
    for (int i = offset; i < offset + length; i++) {
      sum += samples[i];
    }
    double mean = sum / length;
    double squares = 0;
    for (int i = offset; i < offset + length; i++) {
      double d = samples[i] - mean;
      squares += d * d;
    }
    return Math.sqrt(squares / length);
  }

  /**
   * Whether windows stated to be sampled at {@code statedRate} fit a model trained at {@code modelRate}
   * without resampling.
   *
   * @return {@link InputHealth#OK} or a {@link HealthIssue#SAMPLING_RATE} issue naming both rates
   */
  public InputHealth assessSameRate(double statedRate, double modelRate) {
    if (Math.abs(statedRate - modelRate) <= rateTolerance * modelRate) {
      return InputHealth.OK;
    }
    return new InputHealth(EnumSet.of(HealthIssue.SAMPLING_RATE), "window sampled at " + statedRate
        + " Hz, the model expects " + modelRate + " Hz (resample, or use a StreamingDiagnoser)");
  }

  /**
   * Whether a sensor sampling at {@code sensorRate} can feed a model at {@code modelRate} after resampling:
   * it must be at least as fast (within the tolerance), else the model's upper band is missing. The finding is on the
   * sensor, not on a window: {@link Diagnoser#diagnose} and {@link StreamingDiagnoser} both judge a slow sensor's
   * windows on their samples alone, score them, and let the finding keep every window and decision from being
   * classified (reported in their health), by one rule.
   *
   * @param sensorRate the sensor's rate in Hz
   * @param modelRate the rate of the model's training recordings in Hz ({@code InputSpec.samplingRate()})
   * @return {@link InputHealth#OK} or a {@link HealthIssue#SAMPLING_RATE} finding naming the missing band
   */
  public InputHealth assessSensorRate(double sensorRate, double modelRate) {
    if (sensorRate >= modelRate * (1 - rateTolerance)) {
      return InputHealth.OK;
    }
    return new InputHealth(EnumSet.of(HealthIssue.SAMPLING_RATE), "sensor rate " + sensorRate
        + " Hz is below the model's " + modelRate + " Hz: the band " + sensorRate / 2 + "-" + modelRate / 2
        + " Hz the model was trained on is missing");
  }
}
