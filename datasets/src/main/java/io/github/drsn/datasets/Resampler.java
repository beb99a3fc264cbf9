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
   * {@link Resampling}: integer ratios go through {@link Resampling#decimate} (low-pass, keep every
   * k-th sample), others through the rational polyphase {@link Resampling#resample(double[], double, double)}.
   *
   * @param recording the recording
   * @param targetHz the wanted sampling rate in Hz
   * @return the recording itself when already at {@code targetHz}, else a resampled copy carrying the
   *     attribute {@code resampledFromHz}
   * @throws IllegalArgumentException if {@code targetHz} is not finite and positive
   */
  public static Recording toRate(Recording recording, double targetHz) {
    if (!(targetHz > 0) || Double.isInfinite(targetHz)) {
      throw new IllegalArgumentException("target sampling rate must be finite and > 0 Hz, got " + targetHz);
    }
    double sourceHz = recording.samplingRate();
    if (sourceHz == targetHz) {
      return recording;
    }
    double ratio = sourceHz / targetHz;
    boolean integerDecimation = ratio > 1 && Math.abs(ratio - Math.rint(ratio)) < 1e-9;
    double[][] channels = new double[recording.channelCount()][];
    for (int c = 0; c < channels.length; c++) {
      channels[c] = integerDecimation
          ? Resampling.decimate(recording.channel(c), (int) Math.rint(ratio))
          : Resampling.resample(recording.channel(c), sourceHz, targetHz);
    }
    return recording.withSamples(targetHz, channels,
        Map.of("resampledFromHz", sourceHz == Math.rint(sourceHz)
            ? Long.toString((long) sourceHz) : String.format(Locale.ROOT, "%s", sourceHz)));
  }
}
