package io.github.drsn.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

/**
 * {@link SignalFiles#readForModel(Path, Double, List, InputSpec)} chooses a model's channels and reads them from one
 * parse of the file. Before it, predict, the Spark scorer, explain and adapt chose the channels
 * ({@code chooseChannels}, which parsed the whole file to list its channels) and then read them
 * ({@code readForModel(file, rate, channels, count)}, which parsed the file again, a MAT-file once per channel): a
 * two-channel MAT-file was parsed three times, a CSV file twice, a two-channel WAV file three times.
 *
 * <p>What the two steps gave is pinned here as they gave it (choice, basis, samples, rate, description, refusals);
 * that the file is read once is measured with the JDK's flight recorder, which sees every read of a file
 * ({@code jdk.FileRead}): the call reads the file exactly as much as one {@link SignalFiles#read} of one channel does.
 * The two steps read 3x (MAT: 24 read events against 8), 2x (CSV) and 3x (WAV) as much.
 */
class SignalFilesReadForModelTest {

  @TempDir Path dir;

  private static InputSpec spec(String... names) {
    return new InputSpec(12_000, 64, names.length, Normalization.Z_SCORE, Representation.TIME, 0, List.of(names));
  }

  /** A CWRU-style file 97 (catalogued at 48 kHz): drive end from 1000, fan end from 2000, and its speed. */
  private Path cwruMat(String name, int n, double rpm) throws Exception {
    Mat5File mat = Mat5.newMatFile();
    for (String variable : List.of("X097_DE_time", "X097_FE_time")) {
      Matrix m = Mat5.newMatrix(n, 1);
      for (int i = 0; i < n; i++) {
        m.setDouble(i, driveEnd(variable) + i % 97);
      }
      mat.addArray(variable, m);
    }
    Matrix speed = Mat5.newMatrix(1, 1);
    speed.setDouble(0, rpm);
    mat.addArray("X097RPM", speed);
    Path file = dir.resolve(name);
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).writeMat(mat);
    }
    return file;
  }

  private static int driveEnd(String variable) {
    return variable.contains("DE") ? 1000 : 2000;
  }

  private Path wav(String name, int channels, int frames, java.util.function.IntBinaryOperator value)
      throws Exception {
    return SignalFilesTest.wav(dir, name, channels, frames, value);
  }

  private interface Read {
    void run() throws Exception;
  }

  /** The bytes the flight recorder sees read from {@code file} while {@code read} runs. */
  private long bytesRead(Path file, Read read) throws Exception {
    Assumptions.assumeTrue(FlightRecorder.isAvailable(), "no flight recorder in this JVM");
    Path out = Files.createTempFile(dir, "reads", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.FileRead").withThreshold(Duration.ZERO);
      recording.start();
      read.run();
      recording.stop();
      recording.dump(out);
    }
    long bytes = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(out)) {
      String path = event.getString("path");
      if (path != null && Path.of(path).toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
        bytes += event.getLong("bytesRead");
      }
    }
    return bytes;
  }

  /** {@code read} reads {@code file} as much as one parse of it ({@code once}), and reads it. */
  private void assertOneParse(Path file, Read once, Read read) throws Exception {
    long one = bytesRead(file, once);
    assertTrue(one > 0, "the flight recorder saw no read of " + file);
    assertEquals(one, bytesRead(file, read), "bytes read from " + file.getFileName() + ": one parse reads " + one);
  }

  @Test
  void aCwruMatFilesChannelsAreChosenAndReadFromOneParse() throws Exception {
    Path file = cwruMat("97.mat", 48_000, 1797);
    String de = Pattern.quote("X097_DE_time");
    String fe = Pattern.quote("X097_FE_time");
    // A two-channel model by name.
    SignalFiles.ModelRead both = SignalFiles.readForModel(file, null, List.of(), spec("DE", "FE"));
    assertEquals(List.of(de, fe), both.choice().channels());
    assertEquals(List.of("DE", "FE"), both.choice().expected());
    assertEquals("by name: DE, FE", both.choice().basis());
    assertEquals(48_000, both.channels().samplingRate());
    assertEquals("97.mat:X097_DE_time @ 48000.0 Hz + 97.mat:X097_FE_time @ 48000.0 Hz", both.channels().description());
    assertEquals(2, both.channels().samples().length);
    assertArrayEquals(SignalFiles.read(file, null, de).samples(), both.channels().samples()[0]);
    assertArrayEquals(SignalFiles.read(file, null, fe).samples(), both.channels().samples()[1]);
    assertEquals(1096, both.channels().samples()[0][96]);
    assertEquals(2000, both.channels().samples()[1][97]);
    assertEquals(List.of("97.mat:X097_DE_time @ 48000.0 Hz", "97.mat:X097_FE_time @ 48000.0 Hz"),
        both.signals().stream().map(SignalFiles.Signal::description).toList());
    assertOneParse(file, () -> SignalFiles.read(file, null, null),
        () -> SignalFiles.readForModel(file, null, List.of(), spec("DE", "FE")));

    // A one-channel model of the fan end: the fan end, not the drive-end default.
    SignalFiles.ModelRead fan = SignalFiles.readForModel(file, null, List.of(), spec("FE"));
    assertEquals(List.of(fe), fan.choice().channels());
    assertEquals(fe, fan.choice().first());
    assertEquals("by name: FE", fan.choice().basis());
    assertEquals("97.mat:X097_FE_time @ 48000.0 Hz", fan.channels().description());
    assertEquals(48_000, fan.channels().samplingRate());
    assertArrayEquals(SignalFiles.read(file, null, fe).samples(), fan.channels().samples()[0]);
    assertOneParse(file, () -> SignalFiles.read(file, null, null),
        () -> SignalFiles.readForModel(file, null, List.of(), spec("FE")).described());

    // What the file says about the machine, as readDescribed gives it for the chosen channel, from the same parse.
    SignalFiles.Described described = fan.described();
    SignalFiles.Described separately = SignalFiles.readDescribed(file, null, fan.choice().first());
    assertArrayEquals(separately.signal().samples(), described.signal().samples());
    assertEquals(separately.signal().samplingRate(), described.signal().samplingRate());
    assertEquals(separately.signal().description(), described.signal().description());
    assertEquals(separately.cwru(), described.cwru());
    assertEquals("97.mat", described.cwru().orElseThrow().fileName());
    assertEquals(separately.speed(), described.speed());
    assertEquals(new SignalFiles.RecordedSpeed(1797, "file variable X097RPM"), described.speed().orElseThrow());

    // A model of another rig's sensor: the drive end, and it says so; a model without names: the default.
    SignalFiles.ModelRead housing = SignalFiles.readForModel(file, null, List.of(), spec("housing"));
    assertEquals(List.of(de), housing.choice().channels());
    assertEquals("the file's default channel X097_DE_time (the drive end), though the model was trained on housing",
        housing.choice().basis());
    assertEquals("97.mat:X097_DE_time @ 48000.0 Hz", housing.channels().description());
    SignalFiles.ModelRead unnamed = SignalFiles.readForModel(file, null, List.of(),
        spec("x").withChannelNames(List.of()));
    assertEquals(List.of(), unnamed.choice().channels());
    assertEquals(null, unnamed.choice().first());
    assertEquals("the file's default (the model does not record its channels' names)", unnamed.choice().basis());
    assertEquals("97.mat:X097_DE_time @ 48000.0 Hz", unnamed.channels().description());
    assertArrayEquals(SignalFiles.read(file, null, null).samples(), unnamed.channels().samples()[0]);

    // Under another name, the file is still CWRU file 97 by its variables, and says so.
    Path renamed = Files.copy(file, dir.resolve("pump.mat"));
    SignalFiles.ModelRead pump = SignalFiles.readForModel(renamed, null, List.of(), spec("FE", "DE"));
    assertEquals("by name: FE, DE", pump.choice().basis());
    assertEquals("pump.mat:X097_FE_time (CWRU file 97.mat by its variable names) @ 48000.0 Hz + pump.mat:X097_DE_time"
        + " (CWRU file 97.mat by its variable names) @ 48000.0 Hz", pump.channels().description());
    assertEquals(2000, pump.channels().samples()[0][0]);
  }

  @Test
  void aCsvFileWithAHeaderIsChosenByNameAndReadFromOneParse() throws Exception {
    StringBuilder text = new StringBuilder("time,fe,de\n");
    for (int i = 0; i < 3000; i++) {
      text.append(String.format(Locale.ROOT, "%.6f,%d,%d%n", i / 12_000.0, 2000 + i * 5 % 11, 1000 + i * 7 % 13));
    }
    Path file = Files.writeString(dir.resolve("pump.csv"), text);
    SignalFiles.ModelRead read = SignalFiles.readForModel(file, null, List.of(), spec("de", "fe"));
    assertEquals(List.of("de", "fe"), read.choice().channels());
    assertEquals("by name: de, fe", read.choice().basis());
    assertEquals(12_000, read.channels().samplingRate());
    assertEquals("pump.csv:de @ 12000.0 Hz (rate from the time axis time) + pump.csv:fe @ 12000.0 Hz (rate from the"
        + " time axis time)", read.channels().description());
    assertArrayEquals(SignalFiles.read(file, null, "de").samples(), read.channels().samples()[0]);
    assertArrayEquals(SignalFiles.read(file, null, "fe").samples(), read.channels().samples()[1]);
    assertEquals(1007, read.channels().samples()[0][1]);
    assertEquals(3000, read.channels().samples()[1].length);
    assertOneParse(file, () -> SignalFiles.read(file, null, "de"),
        () -> SignalFiles.readForModel(file, null, List.of(), spec("de", "fe")));
    SignalFiles.ModelRead fan = SignalFiles.readForModel(file, null, List.of(), spec("fe"));
    assertEquals("by name: fe", fan.choice().basis());
    assertEquals("pump.csv:fe @ 12000.0 Hz (rate from the time axis time)", fan.channels().description());
    assertEquals(2000, fan.channels().samples()[0][0]);
    // A CSV file records neither a CWRU file nor a speed.
    assertEquals(java.util.Optional.empty(), fan.described().speed());
    assertEquals(java.util.Optional.empty(), fan.described().cwru());
    assertEquals(fan.channels().description(), fan.described().signal().description());
  }

  @Test
  void aHeaderlessCsvFileAndAWavFileAreTakenByPositionFromOneParse() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      text.append(1000 + i * 7 % 13).append(',').append(2000 + i * 5 % 11).append('\n');
    }
    Path bare = Files.writeString(dir.resolve("bare.csv"), text);
    SignalFiles.ModelRead csv = SignalFiles.readForModel(bare, 12_000.0, List.of(), spec("de", "fe"));
    assertEquals(List.of(), csv.choice().channels());
    assertEquals("by position: the file's channels have no names, taken as the model's de, fe", csv.choice().basis());
    assertEquals("bare.csv:col1 @ 12000.0 Hz + bare.csv:col2 @ 12000.0 Hz", csv.channels().description());
    assertEquals(12_000, csv.channels().samplingRate());
    assertArrayEquals(SignalFiles.read(bare, 12_000.0, "1").samples(), csv.channels().samples()[0]);
    assertArrayEquals(SignalFiles.read(bare, 12_000.0, "2").samples(), csv.channels().samples()[1]);
    assertOneParse(bare, () -> SignalFiles.read(bare, 12_000.0, "1"),
        () -> SignalFiles.readForModel(bare, 12_000.0, List.of(), spec("de", "fe")));
    // What it records for an order-domain model's speed: nothing, from the read. Asked of the file again with the
    // first channel chosen (none: by position), as predict and the scorer asked it, the file is refused for a choice
    // of one of its two columns that a model of both cannot make.
    assertEquals(java.util.Optional.empty(), csv.described().speed());
    assertEquals(bare + ": has 2 signal columns [col1 (1), col2 (2)]; choose one by name or 1-based position",
        assertThrows(RecordingLoadException.class,
            () -> SignalFiles.readDescribed(bare, 12_000.0, csv.choice().first())).getMessage());

    Path wav = wav("two.wav", 2, 3000, (c, i) -> c == 0 ? i % 100 : -(i % 50));
    SignalFiles.ModelRead audio = SignalFiles.readForModel(wav, null, List.of(), spec("de", "fe"));
    assertEquals(List.of(), audio.choice().channels());
    assertEquals("by position: the file's channels have no names, taken as the model's de, fe",
        audio.choice().basis());
    assertEquals("two.wav:channel 0 @ 12000.0 Hz + two.wav:channel 1 @ 12000.0 Hz", audio.channels().description());
    assertEquals(12_000, audio.channels().samplingRate());
    assertArrayEquals(SignalFiles.read(wav, null, "0").samples(), audio.channels().samples()[0]);
    assertArrayEquals(SignalFiles.read(wav, null, "1").samples(), audio.channels().samples()[1]);
    assertEquals(-3 / 32768.0, audio.channels().samples()[1][3]);
    assertOneParse(wav, () -> SignalFiles.read(wav, null, "0"),
        () -> SignalFiles.readForModel(wav, null, List.of(), spec("de", "fe")));
    // A channel given: as given, and the model's names said.
    SignalFiles.ModelRead given = SignalFiles.readForModel(wav, null, List.of("1"), spec("de"));
    assertEquals("as --channel gives them (the model was trained on de)", given.choice().basis());
    assertEquals("two.wav:channel 1 @ 12000.0 Hz", given.channels().description());
  }

  @Test
  void theRefusalsAreTheTwoStepsRefusals() throws Exception {
    Path mat = cwruMat("97.mat", 400, 1797);
    RecordingLoadException base = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(mat, null, List.of(), spec("BA")));
    assertEquals(mat + ": the file has channels [X097_DE_time, X097_FE_time] but the model expects [BA] (in that"
        + " order), and [BA] is missing; choose the channels to use explicitly (--channel), one per model channel in"
        + " the model's order", base.getMessage());
    assertEquals(RecordingLoadException.Missing.CHANNEL, base.missing().orElseThrow());
    RecordingLoadException two = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(mat, null, List.of("X097_FE_time", "X097_DE_time"), spec("DE")));
    assertEquals(mat + ": 2 channel(s) named [X097_FE_time, X097_DE_time] for a model that takes 1; name one per"
        + " model input channel, in the model's order", two.getMessage());
    assertTrue(two.missing().isEmpty());

    StringBuilder text = new StringBuilder("time,fe,de\n");
    for (int i = 0; i < 100; i++) {
      text.append(String.format(Locale.ROOT, "%.6f,%d,%d%n", i / 12_000.0, 2000 + i % 11, 1000 + i % 13));
    }
    Path csv = Files.writeString(dir.resolve("pump.csv"), text);
    RecordingLoadException missing = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(csv, null, List.of(), spec("ba")));
    assertEquals(csv + ": the file has channels [fe, de] but the model expects [ba] (in that order), and [ba] is"
        + " missing; choose the channels to use explicitly (--channel), one per model channel in the model's order",
        missing.getMessage());
    assertEquals(RecordingLoadException.Missing.CHANNEL, missing.missing().orElseThrow());
    RecordingLoadException unnamed = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(csv, null, List.of(), spec("x").withChannelNames(List.of())));
    assertEquals(csv + ": has 2 signal columns [fe (2), de (3)]; choose one by name or 1-based position",
        unnamed.getMessage());
    assertEquals(RecordingLoadException.Missing.CHANNEL, unnamed.missing().orElseThrow());
    RecordingLoadException rate = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(csv, 6_000.0, List.of("de", "fe"), spec("a", "b")));
    assertTrue(rate.getMessage().startsWith(csv + ": the rate 6000 Hz given disagrees with column time"),
        rate.getMessage());

    Path wav = wav("two.wav", 2, 300, (c, i) -> c == 0 ? i % 100 : -(i % 50));
    RecordingLoadException channels = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(wav, 12_000.0, List.of(), spec("de")));
    assertEquals(wav + ": has 2 channels; choose one by its 0-based index 0..1", channels.getMessage());
    assertEquals(RecordingLoadException.Missing.CHANNEL, channels.missing().orElseThrow());
    RecordingLoadException header = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(wav, 8_000.0, List.of(), spec("de", "fe")));
    assertEquals(wav + ": the WAV header says 12000.0 Hz but 8000.0 Hz was given", header.getMessage());

    Path none = dir.resolve("nothing.mat");
    assertEquals(none + ": no such file; expected a MAT, CSV or WAV file", assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(none, null, List.of(), spec("de"))).getMessage());
    assertEquals(dir + ": is a directory; expected a MAT, CSV or WAV file", assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readForModel(dir, null, List.of(), spec("de"))).getMessage());
  }

  @Test
  void aSpeedVariableOnlyRefusesTheFileWhenTheSpeedIsAskedFor() throws Exception {
    // A stopped machine's file (X097RPM = 0): its channels are read; what it says about the machine is refused, as
    // readDescribed refuses it.
    Path file = cwruMat("97.mat", 400, 0);
    SignalFiles.ModelRead read = SignalFiles.readForModel(file, 12_000.0, List.of(), spec("DE"));
    assertEquals("97.mat:X097_DE_time @ 12000.0 Hz", read.channels().description());
    RecordingLoadException e = assertThrows(RecordingLoadException.class, read::described);
    assertEquals(assertThrows(RecordingLoadException.class,
        () -> SignalFiles.readDescribed(file, 12_000.0, read.choice().first())).getMessage(), e.getMessage());
    assertEquals(file + ": variable X097RPM is 0.0, expected a speed > 0 rpm", e.getMessage());
  }
}
