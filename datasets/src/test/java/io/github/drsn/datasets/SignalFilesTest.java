package io.github.drsn.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

class SignalFilesTest {

  @TempDir Path dir;

  private Path write(String name, Mat5File mat) throws Exception {
    Path file = dir.resolve(name);
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).writeMat(mat);
    }
    return file;
  }

  @Test
  void aMatFileWithoutANumericVectorSaysWhatItHolds() throws Exception {
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("note", Mat5.newString("accelerometer on the drive end"));
    Path file = write("text.mat", mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, 12_000.0, null));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no real numeric vector") && e.getMessage().contains("note"), e.getMessage());
  }

  @Test
  void aMatFileWhoseOnlySignalIsAMatrixNamesItWithItsShape() throws Exception {
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("acc", Mat5.newMatrix(2400, 3));
    Path file = write("three.mat", mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, 12_000.0, null));
    assertTrue(e.getMessage().contains("its matrices [acc (2400x3)] hold several channels each"), e.getMessage());
    assertTrue(e.getMessage().contains("manifest"), e.getMessage());
  }

  @Test
  void twoVectorsAskForTheChannelOption() throws Exception {
    Mat5File mat = Mat5.newMatFile();
    for (String name : new String[] {"a", "b"}) {
      Matrix m = Mat5.newMatrix(100, 1);
      m.setDouble(3, 1.5);
      mat.addArray(name, m);
    }
    Path file = write("two.mat", mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, 12_000.0, null));
    assertTrue(e.getMessage().contains("--channel"), e.getMessage());
    assertEquals(1.5, SignalFiles.read(file, 12_000.0, "b").samples()[3]);
  }

  private static Mat5File cwruStyle(int variableNumber, boolean withRpm) {
    Mat5File mat = Mat5.newMatFile();
    Matrix m = Mat5.newMatrix(500, 1);
    m.setDouble(7, 0.25);
    mat.addArray(String.format("X%03d_DE_time", variableNumber), m);
    if (withRpm) {
      Matrix rpm = Mat5.newMatrix(1, 1);
      rpm.setDouble(0, 1797);
      mat.addArray(String.format("X%03dRPM", variableNumber), rpm);
    }
    return mat;
  }

  @Test
  void aRenamedCwruFileIsRecognisedByItsVariableNames() throws Exception {
    SignalFiles.Signal normal = SignalFiles.read(write("baseline.mat", cwruStyle(97, false)), null, null);
    assertEquals(48_000, normal.samplingRate());
    assertTrue(normal.description().contains("CWRU file 97.mat by its variable names"), normal.description());
    SignalFiles.Signal inner = SignalFiles.read(write("IR007_0.mat", cwruStyle(105, true)), null, null);
    assertEquals(12_000, inner.samplingRate());
    assertEquals(0.25, inner.samples()[7]);
    // The quirk: 174.mat (48 kHz) holds X173_* variables.
    assertEquals(48_000, SignalFiles.read(write("ir014.mat", cwruStyle(173, true)), null, null).samplingRate());
  }

  @Test
  void theVariableNamesOutweighTheFileName() throws Exception {
    // Named like a 12 kHz file, holding the 48 kHz normal baseline's variables.
    SignalFiles.Signal s = SignalFiles.read(write("105.mat", cwruStyle(97, false)), null, null);
    assertEquals(48_000, s.samplingRate());
    // Variables that are no catalogued file: the name decides.
    assertEquals(12_000, SignalFiles.read(write("130.mat", cwruStyle(9, false)), null, null).samplingRate());
  }

  @Test
  void neitherVariablesNorNameMeansTheRateMustBeGiven() throws Exception {
    Path file = write("pump.mat", cwruStyle(9, false));
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, null, null));
    assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("unknown sampling rate"),
        e.getMessage());
    assertEquals(25_600, SignalFiles.read(file, 25_600.0, null).samplingRate());
  }

  @Test
  void describedReadsSignalCwruFileSpeedUnitsAndBearingFromOneParse() throws Exception {
    Path file = write("IR007_0.mat", cwruStyle(105, true));
    io.github.drsn.datasets.mat.MatContents mat = io.github.drsn.datasets.mat.MatContents.read(file);
    // Everything comes from the one parse: the file is gone before the rest is asked for.
    java.nio.file.Files.delete(file);
    SignalFiles.Described d = SignalFiles.readDescribed(file, mat, null, null);
    assertEquals(12_000, d.signal().samplingRate());
    assertEquals(0.25, d.signal().samples()[7]);
    assertEquals(105, d.cwru().orElseThrow().number());
    assertEquals(1797, d.speed().orElseThrow().rpm());
    assertEquals("file variable X105RPM", d.speed().orElseThrow().source());
    assertEquals("g", d.units().orElseThrow());
    assertEquals("cwru-de", d.bearing(null).orElseThrow());
    assertEquals("cwru-fe", d.bearing("X105_FE_time").orElseThrow());
  }

  @Test
  void describedOtherFilesKnowNoMachine() throws Exception {
    Path pump = write("pump.mat", cwruStyle(9, false));
    SignalFiles.Described d = SignalFiles.readDescribed(pump, 25_600.0, null);
    assertTrue(d.cwru().isEmpty() && d.speed().isEmpty() && d.units().isEmpty() && d.bearing(null).isEmpty());
    Path csv = dir.resolve("pump.csv");
    java.nio.file.Files.writeString(csv, "a\n1\n2\n3\n");
    SignalFiles.Described c = SignalFiles.readDescribed(csv, 1000.0, null);
    assertEquals(3, c.signal().samples().length);
    assertTrue(c.speed().isEmpty() && c.units().isEmpty());
  }

  @Test
  void aNonPositiveRecordedSpeedIsAnErrorNamingTheVariable() throws Exception {
    Mat5File mat = cwruStyle(105, false);
    Matrix rpm = Mat5.newMatrix(1, 1);
    rpm.setDouble(0, -5);
    mat.addArray("X105RPM", rpm);
    Path file = write("105.mat", mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readDescribed(file, null, null));
    assertTrue(e.getMessage().contains("X105RPM") && e.getMessage().contains("-5"), e.getMessage());
  }

  /** A 16-bit WAV file at 12 kHz whose channel c holds {@code value(c, i) / 32768}. */
  private Path wav(String name, int channels, int frames, java.util.function.IntBinaryOperator value)
      throws Exception {
    return wav(dir, name, channels, frames, value);
  }

  /** As {@link #wav(String, int, int, java.util.function.IntBinaryOperator)}, in {@code dir}. */
  static Path wav(Path dir, String name, int channels, int frames, java.util.function.IntBinaryOperator value)
      throws Exception {
    byte[] data = new byte[frames * channels * 2];
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        buffer.putShort((short) value.applyAsInt(c, i));
      }
    }
    javax.sound.sampled.AudioFormat format = new javax.sound.sampled.AudioFormat(12_000, 16, channels, true, false);
    Path file = dir.resolve(name);
    javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(
        new java.io.ByteArrayInputStream(data), format, frames), javax.sound.sampled.AudioFileFormat.Type.WAVE,
        file.toFile());
    return file;
  }

  @Test
  void aStereoWavFileAsksWhichChannelUnlessBothAreTheSame() throws Exception {
    Path stereo = wav("stereo.wav", 2, 100, (c, i) -> c == 0 ? i : -i);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(stereo, null, null));
    assertEquals(stereo + ": has 2 channels; choose one by its 0-based index 0..1", e.getMessage());
    assertEquals(RecordingLoadException.Missing.CHANNEL, e.missing().orElseThrow());
    assertEquals(-3 / 32768.0, SignalFiles.read(stereo, null, "1").samples()[3]);
    // A mono sensor recorded on both channels of a sound card: nothing to choose.
    SignalFiles.Signal mono = SignalFiles.read(wav("mono.wav", 2, 100, (c, i) -> i), null, null);
    assertEquals(3 / 32768.0, mono.samples()[3]);
    assertEquals("mono.wav:channel 0 @ 12000.0 Hz (its 2 channels are identical)", mono.description());
  }

  @Test
  void aTruncatedWavIsNamedOnceInTheMessage() throws Exception {
    Path whole = wav("whole.wav", 1, 100, (c, i) -> i);
    byte[] bytes = java.nio.file.Files.readAllBytes(whole);
    Path cut = java.nio.file.Files.write(dir.resolve("cut.wav"), java.util.Arrays.copyOf(bytes, bytes.length - 50));
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(cut, null, null));
    assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());
    assertEquals(e.getMessage().indexOf("cut.wav"), e.getMessage().lastIndexOf("cut.wav"), e.getMessage());
  }

  @Test
  void aDirectoryIsRefusedAsSuch() throws Exception {
    Path folder = java.nio.file.Files.createDirectories(dir.resolve("recordings"));
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(folder, 1000.0, null));
    assertEquals(folder + ": is a directory; expected a MAT, CSV or WAV file", e.getMessage());
    RecordingLoadException two = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(folder, 1000.0, List.of(), new io.github.drsn.contract.InputSpec(1000, 64, 2,
            io.github.drsn.signals.Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME)));
    assertEquals(e.getMessage(), two.getMessage());
  }

  @org.junit.jupiter.api.Tag("cwru")
  @Test
  void aRealCwruRecordingUnderAnotherNameKeepsItsRate() throws Exception {
    Path copy = dir.resolve("inner race, drive end.mat");
    java.nio.file.Files.copy(SharedData.cwruDirOrSkip().resolve("12k_drive_end/105.mat"), copy);
    SignalFiles.Signal s = SignalFiles.read(copy, null, null);
    assertEquals(12_000, s.samplingRate());
    assertEquals(121_265, s.samples().length);
    assertTrue(s.description().contains("X105_DE_time (CWRU file 105.mat by its variable names)"), s.description());
  }
}
