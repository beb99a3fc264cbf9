package io.github.drsn.datasets;

import io.github.drsn.signals.Resampling;
import java.util.Locale;
import java.util.Map;

/**
 * Brings recordings to a common sampling rate before windowing, so that a window of L samples spans
 * the same time for every class (docs/protocol.md: 97.mat, recorded at 48 kHz, is low-passed and
 * decimated by 4 to 12 kHz).
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
}
