package io.github.drsn.datasets.io;

/**
 * Decoded WAV audio: samples per channel as doubles, with the sampling rate and how they were stored.
 * Integer PCM of b bits is scaled by 1/2^(b−1) into [−1, 1) (8-bit PCM is unsigned and centred on 128
 * first); floating-point samples are returned as stored.
 */
public final class WavAudio {

  /** How the samples were stored in the file. */
  public enum Encoding {
    /** Signed integer PCM (unsigned for 8 bits), WAVE_FORMAT_PCM. */
    PCM_INTEGER,
    /** IEEE 754 floating point, WAVE_FORMAT_IEEE_FLOAT. */
    IEEE_FLOAT
  }

  private final double sampleRateHz;
  private final double[][] channels;
  private final Encoding encoding;
  private final int bitsPerSample;

  WavAudio(double sampleRateHz, double[][] channels, Encoding encoding, int bitsPerSample) {
    this.sampleRateHz = sampleRateHz;
    this.channels = channels;
    this.encoding = encoding;
    this.bitsPerSample = bitsPerSample;
  }

  /** Sampling rate in Hz (frames per second). */
  public double sampleRateHz() {
    return sampleRateHz;
  }

  public int numChannels() {
    return channels.length;
  }

  /** Number of samples in each channel. */
  public int numFrames() {
    return channels[0].length;
  }

  /** Duration in seconds, numFrames / sampleRateHz. */
  public double durationSeconds() {
    return numFrames() / sampleRateHz;
  }

  /** A copy of the samples of channel {@code index} (0-based; in a stereo file 0 is left). */
  public double[] channel(int index) {
    if (index < 0 || index >= channels.length) {
      throw new IllegalArgumentException("channel " + index + " does not exist; the file has "
          + channels.length + " channel(s)");
    }
    return channels[index].clone();
  }

  /** A copy of all samples, indexed [channel][frame]. */
  public double[][] channels() {
    double[][] copy = new double[channels.length][];
    for (int c = 0; c < channels.length; c++) {
      copy[c] = channels[c].clone();
    }
    return copy;
  }

  public Encoding encoding() {
    return encoding;
  }

  /** Bits per stored sample (the container size for WAVE_FORMAT_EXTENSIBLE). */
  public int bitsPerSample() {
    return bitsPerSample;
  }

  @Override
  public String toString() {
    return "WavAudio[" + numChannels() + " ch, " + numFrames() + " frames, " + sampleRateHz + " Hz, "
        + encoding + " " + bitsPerSample + " bit]";
  }
}
