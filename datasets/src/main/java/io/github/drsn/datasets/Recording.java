package io.github.drsn.datasets;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One labelled vibration recording: one or more equally long channels sampled at one rate, the
 * operating condition it was made at and, for recordings read from disk, the file it came from.
 *
 * <p>All samples are finite: construction rejects NaN and infinite values, naming the recording,
 * channel and sample index, so nothing downstream has to guess what a NaN meant.
 *
 * <p>Recordings are immutable in their metadata. For speed, {@link #channel(int)} returns the
 * recording's own sample array (copying 250 000 samples for each of thousands of windows would
 * dominate windowing); callers must treat it as read-only. The constructor copies nothing either: the
 * arrays passed in become the recording's storage.
 */
public final class Recording {

  private final String id;
  private final String label;
  private final double samplingRate;
  private final List<String> channelNames;
  private final double[][] channels;
  private final OperatingCondition condition;
  private final SourceFile source;
  private final Map<String, String> attributes;

  /**
   * @param id unique, stable identifier within its data set (e.g. {@code "cwru-105"}); used to derive
   *     the fixed evaluation noise of each window, so it must not depend on load order
   * @param label class name, e.g. {@code "IR007"}
   * @param samplingRate samples per second per channel, Hz
   * @param channelNames one name per channel, e.g. {@code ["DE"]}
   * @param channels samples per channel, all of the same non-zero length, all finite
   * @param condition operating condition (use {@link OperatingCondition#UNKNOWN} if not stated)
   * @param source the file the samples were read from, or null for generated recordings
   * @param attributes free-form provenance (e.g. {@code faultDiameterIn=0.007}, {@code resampledFromHz=48000})
   * @throws IllegalArgumentException if any of the conditions above does not hold
   */
  public Recording(String id, String label, double samplingRate, List<String> channelNames,
      double[][] channels, OperatingCondition condition, SourceFile source, Map<String, String> attributes) {
    this.id = requireText(id, "id");
    this.label = requireText(label, "label of recording " + id);
    if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
      throw new IllegalArgumentException(
          "recording " + id + ": sampling rate must be finite and > 0 Hz, got " + samplingRate);
    }
    this.samplingRate = samplingRate;
    Objects.requireNonNull(channels, "channels");
    this.channelNames = List.copyOf(Objects.requireNonNull(channelNames, "channelNames"));
    if (channels.length == 0) {
      throw new IllegalArgumentException("recording " + id + ": expected at least one channel, got none");
    }
    if (channels.length != this.channelNames.size()) {
      throw new IllegalArgumentException("recording " + id + ": " + channels.length + " channels but "
          + this.channelNames.size() + " channel names " + this.channelNames);
    }
    int length = -1;
    for (int c = 0; c < channels.length; c++) {
      double[] samples = Objects.requireNonNull(channels[c], "channel " + c);
      if (samples.length == 0) {
        throw new IllegalArgumentException("recording " + id + ": channel " + this.channelNames.get(c) + " is empty");
      }
      if (length >= 0 && samples.length != length) {
        throw new IllegalArgumentException("recording " + id + ": channel " + this.channelNames.get(c) + " has "
            + samples.length + " samples, expected " + length + " like channel " + this.channelNames.get(0));
      }
      length = samples.length;
      int bad = firstNonFinite(samples);
      if (bad >= 0) {
        throw new IllegalArgumentException("recording " + id + ": channel " + this.channelNames.get(c)
            + " sample " + bad + " is " + samples[bad] + "; expected finite samples");
      }
    }
    this.channels = channels.clone();
    this.condition = Objects.requireNonNull(condition, "condition");
    this.source = source;
    this.attributes = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(attributes, "attributes")));
  }

  /**
   * A single-channel recording (channel name {@code "ch0"}) without file provenance, e.g. generated data.
   *
   * @param id unique, stable identifier within its data set
   * @param label class name
   * @param samplingRate Hz
   * @param samples the samples (become the recording's storage)
   * @param condition operating condition
   * @return the recording
   * @throws IllegalArgumentException as the full constructor does
   * @see #Recording(String, String, double, List, double[][], OperatingCondition, SourceFile, Map)
   */
  public static Recording of(String id, String label, double samplingRate, double[] samples,
      OperatingCondition condition) {
    return new Recording(id, label, samplingRate, List.of("ch0"), new double[][] {samples}, condition, null,
        Map.of());
  }

  /**
   * @param samples values to scan
   * @return index of the first NaN or infinite value, or -1 if all are finite
   */
  public static int firstNonFinite(double[] samples) {
    for (int i = 0; i < samples.length; i++) {
      if (!Double.isFinite(samples[i])) {
        return i;
      }
    }
    return -1;
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must be a non-blank string, got " + value);
    }
    return value;
  }

  /** @return identifier, unique within the data set */
  public String id() {
    return id;
  }

  /** @return class name */
  public String label() {
    return label;
  }

  /** @return sampling rate in Hz */
  public double samplingRate() {
    return samplingRate;
  }

  /** @return number of samples per channel */
  public int length() {
    return channels[0].length;
  }

  /** @return duration in seconds, {@code length / samplingRate} */
  public double durationSeconds() {
    return length() / samplingRate;
  }

  /** @return number of channels */
  public int channelCount() {
    return channels.length;
  }

  /** @return channel names, in channel order */
  public List<String> channelNames() {
    return channelNames;
  }

  /**
   * @param index channel index, 0-based
   * @return the channel's samples; the recording's own array, to be treated as read-only
   */
  public double[] channel(int index) {
    if (index < 0 || index >= channels.length) {
      throw new IllegalArgumentException("recording " + id + " has channels 0.." + (channels.length - 1)
          + " " + channelNames + ", no channel " + index);
    }
    return channels[index];
  }

  /** @return the operating condition */
  public OperatingCondition condition() {
    return condition;
  }

  /** @return the file the samples came from, empty for generated recordings */
  public Optional<SourceFile> source() {
    return Optional.ofNullable(source);
  }

  /** @return provenance attributes, sorted by key */
  public Map<String, String> attributes() {
    return attributes;
  }

  /**
   * A copy of this recording with other samples and sampling rate (after resampling), keeping id,
   * label, condition and provenance and adding the given attributes.
   *
   * @param newSamplingRate the new rate in Hz
   * @param newChannels the new samples, one array per channel
   * @param extraAttributes attributes to add (e.g. {@code resampledFromHz})
   * @return the new recording
   */
  public Recording withSamples(double newSamplingRate, double[][] newChannels, Map<String, String> extraAttributes) {
    Map<String, String> merged = new TreeMap<>(attributes);
    merged.putAll(extraAttributes);
    return new Recording(id, label, newSamplingRate, channelNames, newChannels, condition, source, merged);
  }

  /**
   * This recording with the channels at {@code indices}, in that order (the others left out), keeping everything
   * else; this recording itself when that is every channel in its order.
   *
   * @param indices channel indices, 0-based, at least one
   * @throws IllegalArgumentException for an index out of range
   */
  public Recording withChannels(int[] indices) {
    boolean same = indices.length == channels.length;
    for (int c = 0; c < indices.length && same; c++) {
      same = indices[c] == c;
    }
    if (same) {
      return this;
    }
    double[][] chosen = new double[indices.length][];
    List<String> names = new java.util.ArrayList<>();
    for (int c = 0; c < indices.length; c++) {
      chosen[c] = channel(indices[c]);
      names.add(channelNames.get(indices[c]));
    }
    return new Recording(id, label, samplingRate, names, chosen, condition, source, attributes);
  }

  @Override
  public String toString() {
    return "Recording[" + id + ", " + label + ", " + channelCount() + "x" + length() + " @ " + samplingRate
        + " Hz, " + condition + "]";
  }
}
