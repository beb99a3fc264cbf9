package io.github.drsn.datasets;

import io.github.drsn.signals.OrderDomain;
import io.github.drsn.signals.Resampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Brings recordings to a common sampling rate before windowing, so that a window of L samples spans
 * the same time for every class (docs/protocol.md: 97.mat, recorded at 48 kHz, is low-passed and
 * decimated by 4 to 12 kHz), or to a common number of samples per shaft revolution ({@link #toOrders}).
 */
public final class Resampler {

  private Resampler() {
  }

  /**
   * Resamples every channel of a recording to {@code targetHz} with the anti-aliased filters of
   * {@link Resampling#resample(double[], double, double)}: the polyphase filter for ratios up/down with
   * factors up to {@value Resampling#MAX_FACTOR} (48 kHz to 12 kHz is a decimation by 4), band-limited
   * interpolation for any other rate change (6,104.0137 Hz to 48,828.125 Hz).
   *
   * @param recording the recording
   * @param targetHz the wanted sampling rate in Hz
   * @return the recording itself when already at {@code targetHz}, else a resampled copy carrying the
   *     attribute {@code resampledFromHz}
   * @throws IllegalArgumentException if {@code targetHz} is not finite and positive, or the resampled recording
   *     would not fit in an array (the message names the recording)
   */
  public static Recording toRate(Recording recording, double targetHz) {
    if (!(targetHz > 0) || Double.isInfinite(targetHz)) {
      throw new IllegalArgumentException("target sampling rate must be finite and > 0 Hz, got " + targetHz);
    }
    double sourceHz = recording.samplingRate();
    if (sourceHz == targetHz) {
      return recording;
    }
    double[][] channels = new double[recording.channelCount()][];
    try {
      for (int c = 0; c < channels.length; c++) {
        channels[c] = Resampling.resample(recording.channel(c), sourceHz, targetHz);
      }
    } catch (IllegalArgumentException e) {
      // Name the recording: the signal-level message knows only rates and lengths.
      throw new IllegalArgumentException("recording " + recording.id()
          + recording.source().map(s -> " (" + s.path() + ")").orElse("") + ": " + e.getMessage(), e);
    }
    return recording.withSamples(targetHz, channels,
        Map.of("resampledFromHz", sourceHz == Math.rint(sourceHz)
            ? Long.toString((long) sourceHz) : String.format(Locale.ROOT, "%s", sourceHz)));
  }

  /** Attribute of an order-domain recording: the rate in Hz it was recorded at. */
  public static final String ORDER_SOURCE_RATE = "orderDomainFromHz";

  /**
   * The recording in the order domain ({@link OrderDomain#resample}, the function the runtime applies): resampled
   * from its rate fs to f_r·S samples per second with f_r its condition's speed (rpm / 60). The result's
   * {@link Recording#samplingRate()} is S, in samples per revolution, so that windows cut from it and the
   * representations computed on it count revolutions and shaft orders; its attributes keep the source rate
   * ({@value #ORDER_SOURCE_RATE}) and the speed ({@code shaftRpm}). Speed is taken as constant over the recording.
   *
   * @throws IllegalArgumentException naming the recording if its speed is unknown (NaN) or not positive, or S is not
   *     finite and positive
   */
  public static Recording toOrders(Recording recording, double samplesPerRevolution) {
    double rpm = recording.condition().rpm();
    String name = "recording " + recording.id() + recording.source().map(s -> " (" + s.path() + ")").orElse("");
    if (!(rpm > 0) || Double.isInfinite(rpm)) {
      throw new IllegalArgumentException(name + ": the order domain needs the shaft speed, and the recording's is "
          + (Double.isNaN(rpm) ? "unknown (give \"rpm\" in the manifest)" : rpm + " rpm"));
    }
    double[][] channels = new double[recording.channelCount()][];
    try {
      for (int c = 0; c < channels.length; c++) {
        channels[c] = OrderDomain.resample(recording.channel(c), recording.samplingRate(), rpm / 60,
            samplesPerRevolution);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    return recording.withSamples(samplesPerRevolution, channels, Map.of(ORDER_SOURCE_RATE,
        String.format(Locale.ROOT, "%s", recording.samplingRate()), "shaftRpm", String.format(Locale.ROOT, "%s", rpm)));
  }

  /**
   * Every recording of a data set in the order domain ({@link #toOrders(Recording, double)}).
   *
   * @throws IllegalArgumentException naming the first recording whose speed is unknown
   */
  public static Dataset toOrders(Dataset dataset, double samplesPerRevolution) {
    List<Recording> converted = new ArrayList<>();
    for (Recording r : dataset.recordings()) {
      converted.add(toOrders(r, samplesPerRevolution));
    }
    return new Dataset(dataset.name() + String.format(Locale.ROOT, " in orders (%s samples/rev)",
        samplesPerRevolution == Math.rint(samplesPerRevolution) ? Long.toString((long) samplesPerRevolution)
            : Double.toString(samplesPerRevolution)), dataset.classes(), converted, dataset.skipped());
  }
}
