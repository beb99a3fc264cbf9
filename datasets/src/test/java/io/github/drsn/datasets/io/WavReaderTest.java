package io.github.drsn.datasets.io;

import io.github.drsn.contract.io.FileFormatException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

  @TempDir Path dir;

  @Test
  void reads16BitStereoWithExactScaling() throws IOException {
    // Frames interleave left, right. -32768 -> -1, 16384 -> 0.5, 32767 -> 1 - 2^-15.
    ByteBuffer data = le(12).putShort((short) 0).putShort((short) -32768)
        .putShort((short) 16384).putShort((short) 32767)
        .putShort((short) -1).putShort((short) 1);
    Path file = write("s16.wav", wav(1, 2, 44100, 16, data.array()));
    WavAudio audio = WavReader.read(file);
    assertEquals(44100.0, audio.sampleRateHz());
    assertEquals(2, audio.numChannels());
    assertEquals(3, audio.numFrames());
    assertEquals(WavAudio.Encoding.PCM_INTEGER, audio.encoding());
    assertArrayEquals(new double[] {0, 0.5, -1 / 32768.0}, audio.channel(0));
    assertArrayEquals(new double[] {-1, 1 - 1 / 32768.0, 1 / 32768.0}, audio.channel(1));
    assertEquals(3 / 44100.0, audio.durationSeconds(), 1e-15);
  }

  @Test
  void reads24BitWithSignExtension() throws IOException {
    int[] values = {0, 1, -1, 8388607, -8388608, 4194304, -123456};
    ByteBuffer data = le(values.length * 3);
    for (int v : values) {
      data.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
    }
    WavAudio audio = WavReader.read(write("s24.wav", wav(1, 1, 12000, 24, data.array())));
    double[] expected = Arrays.stream(values).mapToDouble(v -> v / 8388608.0).toArray();
    assertArrayEquals(expected, audio.channel(0));
    assertEquals(-1.0, audio.channel(0)[4]);
    assertEquals(0.5, audio.channel(0)[5]);
  }

  @Test
  void reads32BitIntegerAnd8BitUnsigned() throws IOException {
    ByteBuffer i32 = le(12).putInt(Integer.MIN_VALUE).putInt(1 << 30).putInt(-(1 << 29));
    assertArrayEquals(new double[] {-1, 0.5, -0.25},
        WavReader.read(write("s32.wav", wav(1, 1, 8000, 32, i32.array()))).channel(0));

    byte[] u8 = {(byte) 128, 0, (byte) 255, (byte) 192};
    assertArrayEquals(new double[] {0, -1, 127 / 128.0, 0.5},
        WavReader.read(write("u8.wav", wav(1, 1, 8000, 8, u8))).channel(0));
  }

  @Test
  void readsFloatSamplesAsStored() throws IOException {
    ByteBuffer f32 = le(16).putFloat(0.25f).putFloat(-0.75f).putFloat(1.5f).putFloat(-1f);
    WavAudio audio = WavReader.read(write("f32.wav", wav(3, 2, 48000, 32, f32.array())));
    assertEquals(WavAudio.Encoding.IEEE_FLOAT, audio.encoding());
    assertArrayEquals(new double[][] {{0.25, 1.5}, {-0.75, -1}}, audio.channels());

    ByteBuffer f64 = le(16).putDouble(Math.PI / 4).putDouble(-0.1);
    assertArrayEquals(new double[] {Math.PI / 4, -0.1},
        WavReader.read(write("f64.wav", wav(3, 1, 48000, 64, f64.array()))).channel(0));
  }

  @Test
  void readsWaveFormatExtensibleWithManyChannels() throws IOException {
    int channels = 6;
    ByteBuffer data = le(channels * 2 * 2);
    for (int f = 0; f < 2; f++) {
      for (int c = 0; c < channels; c++) {
        data.putShort((short) (1000 * c + f));
      }
    }
    byte[] fmt = le(40).putShort((short) 0xFFFE).putShort((short) channels).putInt(96000).putInt(96000 * channels * 2)
        .putShort((short) (channels * 2)).putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(0x3F)
        .putShort((short) 1) // KSDATAFORMAT_SUBTYPE_PCM
        .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71}).array();
    WavAudio audio = WavReader.read(write("ext.wav", riff(chunk("fmt ", fmt), chunk("data", data.array()))));
    assertEquals(channels, audio.numChannels());
    assertArrayEquals(new double[] {5000 / 32768.0, 5001 / 32768.0}, audio.channel(5));
  }

  @Test
  void skipsUnknownAndOddSizedChunks() throws IOException {
    byte[] data = le(4).putShort((short) 8192).putShort((short) -8192).array();
    byte[] file = riff(
        chunk("LIST", "INFOISFT\u0003\0\0\0ab\0".getBytes(StandardCharsets.ISO_8859_1)), // 15 bytes + pad
        chunk("fmt ", fmt(1, 1, 22050, 16)),
        chunk("fact", new byte[] {2, 0, 0, 0}),
        chunk("junk", new byte[] {1, 2, 3}), // odd size: followed by a pad byte
        chunk("data", data),
        chunk("cue ", new byte[] {0, 0, 0, 0}));
    WavAudio audio = WavReader.read(write("chunks.wav", file));
    assertArrayEquals(new double[] {0.25, -0.25}, audio.channel(0));
    assertEquals(22050.0, audio.sampleRateHz());
  }

  @Test
  void agreesWithJavaSoundOnItsOwnOutput() throws IOException {
    // javax.sound.sampled writes a plain 16-bit PCM WAV; an independent encoder to check against.
    short[] left = {0, 100, -200, 32767, -32768};
    short[] right = {5, -5, 12345, -12345, 0};
    ByteBuffer frames = le(left.length * 4);
    for (int i = 0; i < left.length; i++) {
      frames.putShort(left[i]).putShort(right[i]);
    }
    AudioFormat format = new AudioFormat(16000f, 16, 2, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(frames.array()), format, left.length),
        AudioFileFormat.Type.WAVE, out);
    WavAudio audio = WavReader.read(write("javasound.wav", out.toByteArray()));
    assertEquals(16000.0, audio.sampleRateHz());
    for (int i = 0; i < left.length; i++) {
      assertEquals(left[i] / 32768.0, audio.channel(0)[i]);
      assertEquals(right[i] / 32768.0, audio.channel(1)[i]);
    }
  }

  @Test
  void rejectsNonWavFiles() throws IOException {
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("a.wav", "this is a text file, not audio".getBytes(StandardCharsets.US_ASCII))));
    assertTrue(e.getMessage().contains("not a WAV file"), e.getMessage());
    assertTrue(e.getMessage().contains("a.wav"), e.getMessage());
    assertThrows(FileFormatException.class, () -> WavReader.read(write("tiny.wav", new byte[] {'R', 'I'})));
    byte[] rifx = wav(1, 1, 8000, 16, new byte[2]);
    rifx[3] = 'X';
    e = assertThrows(FileFormatException.class, () -> WavReader.read(write("rifx.wav", rifx)));
    assertTrue(e.getMessage().contains("RIFX"), e.getMessage());
  }

  @Test
  void rejectsTruncatedFiles() throws IOException {
    byte[] full = wav(1, 2, 8000, 16, new byte[400]);
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("cut.wav", Arrays.copyOf(full, full.length - 100))));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("400 bytes"), e.getMessage());

    e = assertThrows(FileFormatException.class, () -> WavReader.read(write("nofmt.wav", Arrays.copyOf(full, 20))));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    byte[] partialFrame = wav(1, 2, 8000, 16, new byte[6]);
    e = assertThrows(FileFormatException.class, () -> WavReader.read(write("frame.wav", partialFrame)));
    assertTrue(e.getMessage().contains("not a whole number of 4-byte frames"), e.getMessage());

    e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("nodata.wav", riff(chunk("fmt ", fmt(1, 1, 8000, 16))))));
    assertTrue(e.getMessage().contains("no 'data' chunk"), e.getMessage());

    e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("datafirst.wav", riff(chunk("data", new byte[2]), chunk("fmt ", fmt(1, 1, 8000, 16))))));
    assertTrue(e.getMessage().contains("before any 'fmt ' chunk"), e.getMessage());
  }

  @Test
  void rejectsUnsupportedFormats() throws IOException {
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("adpcm.wav", wav(2, 1, 8000, 4, new byte[4]))));
    assertTrue(e.getMessage().contains("0x0002 is not supported"), e.getMessage());
    e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("pcm12.wav", riff(chunk("fmt ", fmt(1, 1, 8000, 12)), chunk("data", new byte[4])))));
    assertTrue(e.getMessage().contains("12-bit integer PCM is not supported"), e.getMessage());
    e = assertThrows(FileFormatException.class,
        () -> WavReader.read(write("f16.wav", wav(3, 1, 8000, 16, new byte[4]))));
    assertTrue(e.getMessage().contains("16-bit float"), e.getMessage());

    byte[] nan = le(4).putFloat(Float.NaN).array();
    e = assertThrows(FileFormatException.class, () -> WavReader.read(write("nan.wav", wav(3, 1, 8000, 32, nan))));
    assertTrue(e.getMessage().contains("sample 0 of channel 0 is NaN"), e.getMessage());
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A minimal WAV: RIFF header, a 16-byte fmt chunk and the data chunk. */
  static byte[] wav(int formatTag, int channels, int sampleRate, int bits, byte[] data) {
    return riff(chunk("fmt ", fmt(formatTag, channels, sampleRate, bits)), chunk("data", data));
  }

  static byte[] fmt(int formatTag, int channels, int sampleRate, int bits) {
    int blockAlign = channels * bits / 8;
    return le(16).putShort((short) formatTag).putShort((short) channels).putInt(sampleRate)
        .putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits).array();
  }

  /** A chunk with its id, size and, for an odd size, the pad byte. */
  static byte[] chunk(String id, byte[] body) {
    ByteBuffer b = le(8 + body.length + (body.length & 1));
    b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
    return b.array();
  }

  static byte[] riff(byte[]... chunks) {
    int size = 4 + Arrays.stream(chunks).mapToInt(c -> c.length).sum();
    ByteBuffer b = le(8 + size).put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(size)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII));
    for (byte[] c : chunks) {
      b.put(c);
    }
    return b.array();
  }
}
