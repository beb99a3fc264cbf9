package io.github.drsn.runtime;

/** A reason why a window of input is not fit to be classified. */
public enum HealthIssue {
  /**
   * The window holds NaN or infinite samples; or, for a window resampled to the model's rate, the resampled window
   * does (finite samples near the ends of the float range that the filter's overshoot took beyond it).
   */
  NON_FINITE,
  /**
   * Flat-topped samples: at least {@link HealthCheck#clippedFraction()} of the window sits in runs of two or
   * more equal consecutive samples at the window's maximum or minimum (an amplifier or ADC at full scale).
   */
  CLIPPED,
  /**
   * A dead or disconnected sensor: the window's standard deviation is below {@link HealthCheck#deadStd()}; or, for a
   * window resampled to the model's rate, no signal in the model's band: the resampled window's standard deviation is
   * below {@link HealthCheck#MIN_IN_BAND_RATIO} of the sensor's samples under it (all of the signal lay above the
   * model's band and the filter removed it; {@link HealthCheck#assessResampledWindow}).
   */
  DEAD_SENSOR,
  /**
   * The stated sampling rate is not the model's (a window given at another rate: unhealthy, not classified) or cannot
   * carry the model's band (a sensor slower than the model's rate: upsampling cannot restore what the model learnt
   * from). The latter is a finding on the sensor, not on a window ({@link HealthCheck#assessSensorRate}): a recording
   * and a stream of such a sensor report it in the health of every diagnosis that is not unhealthy, and none of them
   * is classified (uncertain, or unknown when out of distribution).
   */
  SAMPLING_RATE
}
