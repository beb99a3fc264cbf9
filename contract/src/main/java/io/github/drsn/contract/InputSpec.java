package io.github.drsn.contract;

import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.OrderDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * <p><b>Channel names</b> ({@code channelNames}): the sensors the model was trained on, one per input channel in the
 * network's order (e.g. {@code [DE, FE]} for CWRU's drive-end and fan-end accelerometers), or empty when they are not
 * known (bundles written before names were recorded, or data whose channels had no names). A reader chooses a
 * recording's channels by these names ({@link #channelIndices}) instead of by position, and refuses a recording that
 * lacks one: without them, a recording whose channels come in another order gets a confident answer from the wrong
 * inputs. Names are compared as {@link #channelMatches} says (a CWRU variable {@code X097_DE_time} offers {@code DE}).
 * One exception ({@link #takenChannels}, the rule every reader follows): a one-channel model takes a recording of one
 * channel under any name, as before names were recorded (sensors are named differently from rig to rig), and the
 * reader says so where it can ({@link #onlyChannelUnderAnotherName}); with a single channel there is no order to get
 * wrong.
 *
 * @param samplingRate the model's sampling rate in Hz
 * @param windowLength raw samples per window and channel
 * @param channels input channels
 * @param normalization per-window normalisation, applied after the representation
 * @param representation time samples or a spectrum
 * @param samplesPerRevolution S for an order-domain model, 0 for a model that takes samples at {@code samplingRate}
 * @param channelNames the training channels' names in input order, or empty when unknown
 */
public record InputSpec(double samplingRate, int windowLength, int channels, Normalization normalization,
    Representation representation, double samplesPerRevolution, List<String> channelNames) {

  /** The longest channel name recorded. */
  public static final int MAX_CHANNEL_NAME = 200;

  /** A CWRU accelerometer variable, {@code X097_DE_time}: it offers the channel named by its position, {@code DE}. */
  private static final Pattern CWRU_VARIABLE = Pattern.compile("X\\d+_([A-Za-z]+)_time");

  /**
   * @throws IllegalArgumentException for a non-finite or non-positive rate, a non-positive length or channel count,
   *     samples per revolution that are negative or not finite, or channel names that are neither empty nor one
   *     distinct, non-blank name (without control characters, at most {@value #MAX_CHANNEL_NAME} characters) per
   *     channel
   */
  public InputSpec {
    channelNames = channelNames == null ? List.of() : List.copyOf(channelNames);
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
    if (!channelNames.isEmpty() && channelNames.size() != channels) {
      throw new IllegalArgumentException(channelNames.size() + " channel names " + channelNames + " for " + channels
          + (channels == 1 ? " channel" : " channels") + "; expected one name per channel, or none");
    }
    Set<String> seen = new HashSet<>();
    for (String name : channelNames) {
      if (name.isBlank() || name.length() > MAX_CHANNEL_NAME || name.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("channel name '" + name + "' must be non-blank, at most "
            + MAX_CHANNEL_NAME + " characters and free of control characters");
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("channel names must be distinct, got " + channelNames);
      }
    }
  }

  /** A model whose channels' names are not known (as every bundle written before names were recorded). */
  public InputSpec(double samplingRate, int windowLength, int channels, Normalization normalization,
      Representation representation, double samplesPerRevolution) {
    this(samplingRate, windowLength, channels, normalization, representation, samplesPerRevolution, List.of());
  }

  /** This specification with other channel names (empty: unknown). */
  public InputSpec withChannelNames(List<String> names) {
    return new InputSpec(samplingRate, windowLength, channels, normalization, representation, samplesPerRevolution,
        names);
  }

  /** Whether the training channels' names are recorded. */
  public boolean namedChannels() {
    return !channelNames.isEmpty();
  }

  /**
   * Whether a channel a recording offers under the name {@code offered} is the model's channel {@code expected}:
   * the same name ignoring case, or a CWRU accelerometer variable {@code X<digits>_<expected>_time}
   * ({@code X097_DE_time} is {@code DE}).
   */
  public static boolean channelMatches(String expected, String offered) {
    if (offered.equalsIgnoreCase(expected)) {
      return true;
    }
    Matcher m = CWRU_VARIABLE.matcher(offered);
    return m.matches() && m.group(1).equalsIgnoreCase(expected);
  }

  /**
   * The name a recording's channel is recorded under in a bundle: the position of a CWRU accelerometer variable
   * ({@code X097_DE_time}: {@code DE}, the same sensor in every file), else the name as it is.
   */
  public static String channelName(String offered) {
    Matcher m = CWRU_VARIABLE.matcher(offered);
    return m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : offered;
  }

  /**
   * Which of a recording's channels the model takes, in the model's order: the rule of every reader (predict and the
   * other commands through {@code SignalFiles.chooseChannels}, the runtime's {@code Diagnoser.channelsByName}, the
   * data-set path). A one-channel model offered one channel takes it under any name ({@link
   * #onlyChannelUnderAnotherName}); otherwise the channels are chosen by name ({@link #channelIndices}).
   *
   * @param offered the recording's channel names, in its order
   * @param where the recording, for the message (e.g. its file)
   * @param remedy what the caller can do when a channel is missing or ambiguous, ending the message (e.g.
   *     {@code "choose them with --channel"})
   * @return for each model channel, the index of the offered channel that is it
   * @throws IllegalStateException if the model's channel names are not recorded and it is not a one-channel model
   *     offered one channel
   * @throws IllegalArgumentException as {@link #channelIndices}, ending with {@code remedy}
   */
  public int[] takenChannels(List<String> offered, String where, String remedy) {
    if (channels == 1 && offered.size() == 1) {
      return new int[] {0};
    }
    return channelIndices(offered, where, remedy);
  }

  /**
   * Whether {@link #takenChannels} takes a recording's only channel though its name is not this one-channel model's
   * (or the model records none): a reader says so (e.g. predict's "the file's only channel acc, though the model was
   * trained on DE").
   */
  public boolean onlyChannelUnderAnotherName(List<String> offered) {
    return channels == 1 && offered.size() == 1
        && (!namedChannels() || !channelMatches(channelNames.get(0), offered.get(0)));
  }

  /**
   * Which of a recording's channels the model takes, in the model's order, by name ({@link #channelMatches}), with no
   * exception for a one-channel model (readers use {@link #takenChannels}).
   *
   * @param offered the recording's channel names, in its order
   * @param where the recording, for the message (e.g. its file)
   * @return for each model channel, the index of the offered channel that is it
   * @throws IllegalStateException if the model's channel names are not recorded
   * @throws IllegalArgumentException naming {@code where}, the channels it has and the channels the model expects,
   *     when one is missing or several offered channels match one name
   */
  public int[] channelIndices(List<String> offered, String where) {
    return channelIndices(offered, where, "choose the channels to use explicitly, one per model channel in the"
        + " model's order");
  }

  private int[] channelIndices(List<String> offered, String where, String remedy) {
    if (!namedChannels()) {
      throw new IllegalStateException("the model's channel names are not recorded");
    }
    int[] indices = new int[channels];
    List<String> missing = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      List<Integer> found = new ArrayList<>();
      for (int o = 0; o < offered.size(); o++) {
        if (channelMatches(channelNames.get(c), offered.get(o))) {
          found.add(o);
        }
      }
      if (found.size() > 1) {
        List<String> names = found.stream().map(offered::get).toList();
        throw new IllegalArgumentException(where + " has several channels " + names + " that are the model's channel "
            + channelNames.get(c) + "; " + remedy);
      }
      if (found.isEmpty()) {
        missing.add(channelNames.get(c));
      } else {
        indices[c] = found.get(0);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(where + " has channels " + offered + " but the model expects "
          + channelNames + " (in that order), and " + missing + (missing.size() == 1 ? " is" : " are")
          + " missing; " + remedy);
    }
    return indices;
  }

  /**
   * As a person reads it in a message: {@code 12000 Hz, 1 channel x 2048 samples, Z_SCORE, TIME}, with the channels'
   * names when known ({@code 12000 Hz, 2 channels [DE, FE] x 2048 samples, ...}).
   */
  @Override
  public String toString() {
    String rate = java.math.BigDecimal.valueOf(samplingRate).stripTrailingZeros().toPlainString();
    return rate + " Hz, " + channels + (channels == 1 ? " channel" : " channels")
        + (namedChannels() ? " " + channelNames : "") + " x " + windowLength
        + " samples, " + normalization + ", " + representation + (orderDomain() ? ", order domain "
        + java.math.BigDecimal.valueOf(samplesPerRevolution).stripTrailingZeros().toPlainString()
        + " samples per revolution" : "");
  }

  /** A model that takes samples at {@code samplingRate} (not order domain), channel names unknown. */
  public InputSpec(double samplingRate, int windowLength, int channels, Normalization normalization,
      Representation representation) {
    this(samplingRate, windowLength, channels, normalization, representation, 0, List.of());
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
