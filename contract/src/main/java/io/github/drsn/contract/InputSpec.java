package io.github.drsn.contract;

import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.OrderDomain;
import java.util.Objects;

/**
 * What a model expects: windows of {@code windowLength} samples per channel at {@code samplingRate} Hz,
 * turned into {@code representation} and normalised per window and channel with {@code normalization}
 * (the bundle's {@code input} section).
 *
 * <p><b>Order domain</b> ({@code samplesPerRevolution} S &gt; 0): every recording is first resampled from its rate
 * fs to f_r·S samples per second, f_r the shaft frequency in Hz ({@link OrderDomain}: computed order tracking at a
 * constant speed), so a window of L samples covers L/S shaft revolutions at any speed and rate. The representation
 * then applies as before, with S in place of a rate: a spectrum of an order-domain window has bins of S/L shaft
 * orders (0.25 orders for L = 2048, S = 512) and reaches order S/2. The speed must be known for every recording
 * (training data carry it; inference is given it); speed varying within a recording is out of scope
 * ({@link OrderDomain} says how much is tolerated). {@code samplingRate} is then the rate of the recordings the
 * model was trained from, used only to warn of a slower sensor.
 *
 * @param samplingRate the model's sampling rate in Hz
 * @param windowLength raw samples per window and channel
 * @param channels input channels
 * @param normalization per-window normalisation, applied after the representation
 * @param representation time samples or a spectrum
 * @param samplesPerRevolution S for an order-domain model, 0 for a model that takes samples at {@code samplingRate}
 */
public record InputSpec(double samplingRate, int windowLength, int channels, Normalization normalization,
    Representation representation, double samplesPerRevolution) {

  /**
   * @throws IllegalArgumentException for a non-finite or non-positive rate, a non-positive length or channel count,
   *     or samples per revolution that are negative or not finite
   */
  public InputSpec {
    if (!(samplesPerRevolution >= 0) || Double.isInfinite(samplesPerRevolution)) {
      throw new IllegalArgumentException("samples per revolution must be finite and > 0 (0: not order domain), got "
          + samplesPerRevolution);
    }
    if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
      throw new IllegalArgumentException("sampling rate must be finite and > 0 Hz, got " + samplingRate);
    }
    if (windowLength < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "window length and channels must be positive, got " + windowLength + " and " + channels);
    }
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(representation, "representation");
  }

  /** As a person reads it in a message: {@code 12000 Hz, 1 channel x 2048 samples, Z_SCORE, TIME}. */
  @Override
  public String toString() {
    String rate = java.math.BigDecimal.valueOf(samplingRate).stripTrailingZeros().toPlainString();
    return rate + " Hz, " + channels + (channels == 1 ? " channel" : " channels") + " x " + windowLength
        + " samples, " + normalization + ", " + representation + (orderDomain() ? ", order domain "
        + java.math.BigDecimal.valueOf(samplesPerRevolution).stripTrailingZeros().toPlainString()
        + " samples per revolution" : "");
  }

  /** A model that takes samples at {@code samplingRate} (not order domain). */
  public InputSpec(double samplingRate, int windowLength, int channels, Normalization normalization,
      Representation representation) {
    this(samplingRate, windowLength, channels, normalization, representation, 0);
  }

  /**
   * Relative difference between a recording's sampling rate and the model's within which the recording is taken at
   * the model's rate as it is, not resampled: 0.5 %. Sensors stated at 12,000 Hz run at 11,998 or 12,004 Hz; a
   * 0.5 % shift of every frequency is within what one rig's speed varies, and resampling by such a ratio would
   * filter the signal for nothing. Every path from a recording to a model applies it (the data-set path of
   * {@code evaluate}, {@code calibrate} and training, and the runtime's {@code HealthCheck.DEFAULT}).
   */
  public static final double RATE_TOLERANCE = 0.005;

  /**
   * Whether a recording sampled at {@code rate} is taken at this model's rate as it is ({@link #RATE_TOLERANCE});
   * otherwise it is resampled. Not for an order-domain model, whose recordings are always resampled.
   */
  public boolean takesRateAsIs(double rate) {
    return Math.abs(rate - samplingRate) <= RATE_TOLERANCE * samplingRate;
  }

  /** Whether recordings are resampled to S samples per shaft revolution first (S = {@link #samplesPerRevolution}). */
  public boolean orderDomain() {
    return samplesPerRevolution > 0;
  }

  /**
   * The rate windows must have: f_r·S for an order-domain model, else {@link #samplingRate}.
   *
   * @param shaftHz the shaft frequency in Hz (ignored, may be NaN, when not order domain)
   * @throws IllegalArgumentException for an order-domain model and a speed that is not finite and positive
   */
  public double windowRate(double shaftHz) {
    return orderDomain() ? OrderDomain.rate(shaftHz, samplesPerRevolution) : samplingRate;
  }

  /**
   * The rate the spectral representations are computed at: S for an order-domain model (bins in shaft orders), else
   * {@link #samplingRate} (bins in Hz). Spectrum amplitudes do not depend on it; only the axis does.
   */
  public double featureRate() {
    return orderDomain() ? samplesPerRevolution : samplingRate;
  }

  /** Values per channel that the network receives. */
  public int featureLength() {
    return representation.featureLength(windowLength);
  }

  /** Raw samples of one window over all channels: channels × windowLength. */
  public int windowSamples() {
    return channels * windowLength;
  }
}
