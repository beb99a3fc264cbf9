package io.github.drsn.datasets.io;

import io.github.drsn.contract.io.FileFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads RIFF/WAVE files (Microsoft "Multimedia Programming Interface and Data Specifications 1.0" and the
 * WAVE_FORMAT_EXTENSIBLE amendment) into {@link WavAudio}.
 *
 * <p>Supported: integer PCM of 8, 16, 24 and 32 bits, IEEE float of 32 and 64 bits, any number of channels,
 * as WAVE_FORMAT_PCM (1), WAVE_FORMAT_IEEE_FLOAT (3) or WAVE_FORMAT_EXTENSIBLE (0xFFFE) with a PCM or float
 * sub-format. Chunks other than {@code fmt } and {@code data} (LIST, fact, cue, ...) are skipped; odd-sized
 * chunks are followed by the pad byte the RIFF specification requires. Integer samples are scaled by
 * 1/2^(b−1) into [−1, 1).
 *
 * <p>The chunks are parsed here rather than through {@code javax.sound.sampled}, which would still leave
 * the decoding of 24-bit and float frames to the caller and whose WAV readers differ between JDKs.
 * Anything else (not RIFF/WAVE, RIFX/RF64, compressed formats, a missing or truncated chunk, NaN samples)
 * is a {@link FileFormatException} naming the file.
 */
public final class WavReader {

  private static final int WAVE_FORMAT_PCM = 0x0001;
  private static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
  /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs; bytes 0..1 hold the format tag. */
  private static final byte[] SUBFORMAT_GUID_TAIL = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };

  private WavReader() {}

  /**
   * Reads and decodes a WAV file.
   *
   * @throws FileFormatException if the file is not a supported, complete WAV file
   * @throws IOException if it cannot be read
   */
  public static WavAudio read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 12) {
        throw new FileFormatException(file, "not a WAV file (only " + size + " bytes)");
      }
      ByteBuffer riff = read(channel, file, 12, "RIFF header");
      String riffId = fourCc(riff);
      riff.getInt();
      String waveId = fourCc(riff);
      if (riffId.equals("RIFX") || riffId.equals("RF64")) {
        throw new FileFormatException(file, riffId + " WAV files are not supported (only little-endian RIFF)");
      }
      if (!riffId.equals("RIFF") || !waveId.equals("WAVE")) {
        throw new FileFormatException(file, "not a WAV file (expected 'RIFF....WAVE', found '" + printable(riffId)
            + "...." + printable(waveId) + "')");
      }
      Format format = null;
      while (true) {
        long remaining = size - channel.position();
        if (remaining < 8) {
          throw new FileFormatException(file, format == null ? "no 'fmt ' chunk found" : "no 'data' chunk found");
        }
        ByteBuffer chunkHeader = read(channel, file, 8, "chunk header");
        String id = fourCc(chunkHeader);
        long chunkSize = chunkHeader.getInt() & 0xffffffffL;
        remaining -= 8;
        if (id.equals("fmt ")) {
          if (chunkSize < 16 || chunkSize > 1024) {
            throw new FileFormatException(file, "'fmt ' chunk has an invalid size of " + chunkSize + " bytes");
          }
          if (chunkSize > remaining) {
            throw new FileFormatException(file, "truncated inside the 'fmt ' chunk");
          }
          format = Format.parse(file, read(channel, file, (int) chunkSize, "'fmt ' chunk"));
          skipPad(channel, chunkSize);
        } else if (id.equals("data")) {
          if (format == null) {
            throw new FileFormatException(file, "'data' chunk comes before any 'fmt ' chunk");
          }
          if (chunkSize > remaining) {
            throw new FileFormatException(file, "truncated: the 'data' chunk declares " + chunkSize
                + " bytes but only " + remaining + " remain in the file");
          }
          return decode(file, format, channel, chunkSize);
        } else {
          if (chunkSize > remaining) {
            throw new FileFormatException(file, "truncated inside the '" + printable(id) + "' chunk ("
                + chunkSize + " bytes declared, " + remaining + " remain) before any 'data' chunk");
          }
          channel.position(channel.position() + chunkSize + (chunkSize & 1));
        }
      }
    }
  }

  private static WavAudio decode(Path file, Format format, FileChannel channel, long dataBytes) throws IOException {
    int frameBytes = format.blockAlign;
    if (dataBytes % frameBytes != 0) {
      throw new FileFormatException(file, "the 'data' chunk holds " + dataBytes + " bytes, not a whole number of "
          + frameBytes + "-byte frames (truncated?)");
    }
    long frames = dataBytes / frameBytes;
    if (frames > Integer.MAX_VALUE - 8) {
      throw new FileFormatException(file, frames + " frames per channel exceed what a Java array holds");
    }
    // Decoded to doubles, a file takes 8 / (bytes per sample) times its size, and diagnosing it takes more (a
    // resampled copy, windows): refused up front rather than by an OutOfMemoryError in the middle of the decode.
    long decodedBytes = frames * format.channels * (long) Double.BYTES;
    long budget = Runtime.getRuntime().maxMemory() / 4;
    if (decodedBytes > budget) {
      throw new FileFormatException(file, String.format(java.util.Locale.ROOT, "%d frames of %d channel(s) (%.1f s"
          + " at %.0f Hz) decode to %d MB, more than a quarter of this JVM's heap of %d MB; cut the recording, or"
          + " raise the heap (e.g. DRSN_JAVA_OPTS=-Xmx4g)", frames, format.channels,
          frames / (double) format.sampleRate, format.sampleRate, decodedBytes >> 20,
          Runtime.getRuntime().maxMemory() >> 20));
    }
    int numFrames = (int) frames;
    double[][] samples = new double[format.channels][numFrames];
    int bytesPerSample = format.bitsPerSample / 8;
    int framesPerChunk = Math.max(1, (1 << 16) / frameBytes);
    for (int start = 0; start < numFrames; start += framesPerChunk) {
      int count = Math.min(framesPerChunk, numFrames - start);
      ByteBuffer buffer = read(channel, file, count * frameBytes, "'data' chunk");
      for (int f = start; f < start + count; f++) {
        for (int c = 0; c < format.channels; c++) {
          double value = sample(buffer, format, bytesPerSample);
          if (!Double.isFinite(value)) {
            throw new FileFormatException(file, "sample " + f + " of channel " + c + " is " + value);
          }
          samples[c][f] = value;
        }
      }
    }
    return new WavAudio(format.sampleRate, samples, format.encoding, format.bitsPerSample);
  }

  private static double sample(ByteBuffer b, Format format, int bytesPerSample) {
    if (format.encoding == WavAudio.Encoding.IEEE_FLOAT) {
      return bytesPerSample == 4 ? b.getFloat() : b.getDouble();
    }
    return switch (bytesPerSample) {
      case 1 -> ((b.get() & 0xff) - 128) / 128.0;
      case 2 -> b.getShort() / 32768.0;
      case 3 -> ((b.get() & 0xff) | (b.get() & 0xff) << 8 | b.get() << 16) / 8388608.0;
      default -> b.getInt() / 2147483648.0;
    };
  }

  private record Format(WavAudio.Encoding encoding, int channels, double sampleRate, int blockAlign,
      int bitsPerSample) {

    static Format parse(Path file, ByteBuffer b) throws FileFormatException {
      int tag = b.getShort() & 0xffff;
      int channels = b.getShort() & 0xffff;
      long sampleRate = b.getInt() & 0xffffffffL;
      b.getInt(); // byte rate: redundant, and wrong in some writers' output, so not trusted
      int blockAlign = b.getShort() & 0xffff;
      int bits = b.getShort() & 0xffff;
      if (tag == WAVE_FORMAT_EXTENSIBLE) {
        if (b.remaining() < 24) {
          throw new FileFormatException(file, "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is too short");
        }
        b.getShort(); // cbSize
        b.getShort(); // valid bits: samples are left-justified in the container, so scaling by it is right
        b.getInt(); // channel mask
        int subTag = b.getShort() & 0xffff;
        byte[] tail = new byte[SUBFORMAT_GUID_TAIL.length];
        b.get(tail);
        if (!Arrays.equals(tail, SUBFORMAT_GUID_TAIL)) {
          throw new FileFormatException(file, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
        }
        tag = subTag;
      }
      WavAudio.Encoding encoding;
      if (tag == WAVE_FORMAT_PCM) {
        encoding = WavAudio.Encoding.PCM_INTEGER;
        if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
          throw new FileFormatException(file, bits + "-bit integer PCM is not supported (8, 16, 24 or 32)");
        }
      } else if (tag == WAVE_FORMAT_IEEE_FLOAT) {
        encoding = WavAudio.Encoding.IEEE_FLOAT;
        if (bits != 32 && bits != 64) {
          throw new FileFormatException(file, bits + "-bit float samples are not supported (32 or 64)");
        }
      } else {
        throw new FileFormatException(file, String.format("audio format 0x%04X is not supported (only "
            + "uncompressed PCM 0x0001, IEEE float 0x0003 or their WAVE_FORMAT_EXTENSIBLE forms)", tag));
      }
      if (channels < 1) {
        throw new FileFormatException(file, "the 'fmt ' chunk declares 0 channels");
      }
      if (sampleRate < 1) {
        throw new FileFormatException(file, "the 'fmt ' chunk declares a sampling rate of 0 Hz");
      }
      if (blockAlign != channels * bits / 8) {
        throw new FileFormatException(file, "block align " + blockAlign + " does not match " + channels
            + " channel(s) of " + bits + " bits");
      }
      return new Format(encoding, channels, sampleRate, blockAlign, bits);
    }
  }

  private static void skipPad(FileChannel channel, long chunkSize) throws IOException {
    if ((chunkSize & 1) == 1) {
      channel.position(channel.position() + 1);
    }
  }

  private static ByteBuffer read(FileChannel channel, Path file, int length, String what) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new FileFormatException(file, "truncated inside the " + what);
      }
    }
    buffer.flip();
    return buffer;
  }

  private static String fourCc(ByteBuffer b) {
    byte[] id = new byte[4];
    b.get(id);
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String fourCc) {
    StringBuilder sb = new StringBuilder();
    for (char c : fourCc.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return sb.toString();
  }
}
