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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

/**
 * A model that records its channels' names takes a recording's channels by name. Before names were recorded a CSV
 * file whose two signal columns came in the other order ({@code fe,de} for a model of {@code de,fe}) was read in the
 * file's order and diagnosed from swapped inputs without a word, and a one-channel model trained on the fan end read
 * a CWRU file's drive-end channel (the default); both are asserted here as they are now.
 */
class NamedChannelChoiceTest {

  @TempDir Path dir;

  private static InputSpec spec(String... names) {
    return new InputSpec(12_000, 64, names.length, Normalization.Z_SCORE, Representation.TIME, 0, List.of(names));
  }

  private Path csv(String name, String header, int n) throws Exception {
    StringBuilder text = new StringBuilder(header).append('\n');
    for (int i = 0; i < n; i++) {
      // The column called "de" starts at 1000, "fe" at 2000, whatever their order (not rising: no time axis).
      String[] columns = header.split(",");
      for (int c = 0; c < columns.length; c++) {
        text.append(c == 0 ? "" : ",").append(switch (columns[c]) {
          case "de" -> 1000 + i * 7 % 13;
          case "fe" -> 2000 + i * 5 % 11;
          default -> i % 5;
        });
      }
      text.append('\n');
    }
    return Files.writeString(dir.resolve(name), text);
  }

  private Path mat(String name, Map<String, Double> variables) throws Exception {
    Mat5File mat = Mat5.newMatFile();
    variables.forEach((variable, value) -> {
      Matrix m = Mat5.newMatrix(200, 1);
      for (int i = 0; i < 200; i++) {
        m.setDouble(i, value + i);
      }
      mat.addArray(variable, m);
    });
    Path file = dir.resolve(name);
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).writeMat(mat);
    }
    return file;
  }

  private static SignalFiles.ModelRead read(Path file, Double rate, List<String> given, InputSpec spec)
      throws Exception {
    return SignalFiles.readForModel(file, rate, given, spec);
  }

  @Test
  void swappedCsvColumnsAreReorderedByName() throws Exception {
    Path swapped = csv("swapped.csv", "fe,de", 100);
    // What drsn did before names were recorded, and still does for a bundle without them: the file's order.
    double[][] positional = read(swapped, 12_000.0, List.of(), spec("de", "fe").withChannelNames(List.of()))
        .channels().samples();
    assertEquals(2000, positional[0][0]);
    SignalFiles.ModelRead named = read(swapped, 12_000.0, List.of(), spec("de", "fe"));
    SignalFiles.ChannelChoice choice = named.choice();
    assertEquals(List.of("de", "fe"), choice.channels());
    assertTrue(choice.basis().startsWith("by name"), choice.basis());
    double[][] byName = named.channels().samples();
    assertEquals(1000, byName[0][0]);
    assertEquals(2000, byName[1][0]);
    // A time column and an extra one do not get in the way: the names choose.
    double[][] wide = read(csv("wide.csv", "time,x,fe,de", 100), 12_000.0, List.of(), spec("de", "fe"))
        .channels().samples();
    assertEquals(1000, wide[0][0]);
    assertEquals(2000, wide[1][0]);
  }

  @Test
  void aMissingChannelIsRefusedNamingTheFileWhatItHasAndWhatTheModelExpects() throws Exception {
    Path file = csv("only-de.csv", "de,x", 100);
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> read(file, 12_000.0, List.of(), spec("de", "fe")));
    assertTrue(e.getMessage().startsWith(file + ": the file has channels [de, x] but the model expects [de, fe]")
        && e.getMessage().contains("[fe] is missing"), e.getMessage());
    assertEquals(RecordingLoadException.Missing.CHANNEL, e.missing().orElseThrow());
    // The user's choice overrides the names, and says so.
    SignalFiles.ChannelChoice given = read(file, 12_000.0, List.of("de", "x"), spec("de", "fe")).choice();
    assertEquals(List.of("de", "x"), given.channels());
    assertTrue(given.basis().contains("--channel") && given.basis().contains("trained on de, fe"), given.basis());
  }

  @Test
  void aCwruFilesChannelsAreChosenByTheirPosition() throws Exception {
    Path file = mat("97.mat", Map.of("X097_DE_time", 1000.0, "X097_FE_time", 2000.0));
    double[][] twoChannels = read(file, null, List.of(), spec("FE", "DE")).channels().samples();
    assertEquals(2000, twoChannels[0][0]);
    assertEquals(1000, twoChannels[1][0]);
    // A one-channel model trained on the fan end reads the fan end, not the drive-end default.
    SignalFiles.ModelRead fe = read(file, null, List.of(), spec("FE"));
    assertEquals(2000, fe.channels().samples()[0][0]);
    assertEquals(2000, fe.described().signal().samples()[0]);
    assertEquals(2000, SignalFiles.readDescribed(file, null, fe.choice().first()).signal().samples()[0]);
    assertEquals(1000, SignalFiles.read(file, null, null).samples()[0]);
    // A file without the base accelerometer is refused for a model of it.
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> read(file, null, List.of(), spec("BA")));
    assertTrue(e.getMessage().startsWith(file + ": the file has channels [") && e.getMessage().contains("X097_DE_time")
        && e.getMessage().contains("X097_FE_time") && e.getMessage().contains("but the model expects [BA]"),
        e.getMessage());
  }

  @Test
  void aModelOfAnotherRigsSensorReadsACwruFilesDriveEndAsBeforeAndSaysSo() throws Exception {
    // The synthetic drivetrain's models record "housing"; a CWRU file offers DE and FE, neither of them: the MAT
    // readers' default channel, the drive end, is taken (as before names were recorded), and the choice says so.
    Path file = mat("105.mat", Map.of("X105_DE_time", 1000.0, "X105_FE_time", 2000.0));
    SignalFiles.ModelRead read = read(file, null, List.of(), spec("housing"));
    SignalFiles.ChannelChoice housing = read.choice();
    assertEquals(1000, read.channels().samples()[0][0]);
    assertEquals(1000, read.described().signal().samples()[0]);
    assertEquals(1000, SignalFiles.readDescribed(file, null, housing.first()).signal().samples()[0]);
    assertEquals("the file's default channel X105_DE_time (the drive end), though the model was trained on housing",
        housing.basis());
    // A CSV of two other sensors has no default: refused, as a file of other sensors is.
    Path two = csv("two.csv", "x,y", 50);
    assertThrows(RecordingLoadException.class,
        () -> read(two, 12_000.0, List.of(), spec("housing")));
  }

  @Test
  void unnamedOrSingleChannelsAreTakenAsBeforeAndSaySo() throws Exception {
    // A CSV without a header names its columns by position: nothing to match, the file's order, as before.
    Path bare = Files.writeString(dir.resolve("bare.csv"), "1,2\n3,4\n5,6\n");
    SignalFiles.ModelRead read = read(bare, 12_000.0, List.of(), spec("de", "fe"));
    SignalFiles.ChannelChoice position = read.choice();
    assertEquals(List.of(), position.channels());
    assertTrue(position.basis().startsWith("by position"), position.basis());
    assertArrayEquals(new double[] {1, 3, 5}, read.channels().samples()[0]);
    // One channel under another name, for a one-channel model: taken, as sensors are named per rig, and said.
    Path pump = csv("pump.csv", "de", 10);
    SignalFiles.ChannelChoice only = read(pump, 12_000.0, List.of(), spec("DE_accel")).choice();
    assertTrue(only.basis().contains("only channel de") && only.basis().contains("trained on DE_accel"),
        only.basis());
    // A model without names: the default, as before.
    SignalFiles.ChannelChoice old = read(pump, 12_000.0, List.of(), spec("x").withChannelNames(List.of())).choice();
    assertEquals(List.of(), old.channels());
  }

  @Test
  void aDataSetRecordsItsChannelsNamesOnlyWhenTheyNameSensorsAlike() {
    double[] x = new double[8];
    java.util.function.BiFunction<String, List<String>, Recording> rec = (id, names) -> new Recording(id, "a", 100,
        names, names.stream().map(n -> x).toArray(double[][]::new), OperatingCondition.UNKNOWN, null, Map.of());
    assertEquals(List.of("DE", "FE"), new Dataset("d", List.of("a"), List.of(rec.apply("r1", List.of("X097_DE_time",
        "X097_FE_time")), rec.apply("r2", List.of("X105_DE_time", "X105_FE_time"))), List.of()).modelChannelNames());
    assertEquals(List.of(), new Dataset("d", List.of("a"), List.of(rec.apply("r1", List.of("de", "fe")),
        rec.apply("r2", List.of("fe", "de"))), List.of()).modelChannelNames());
    assertEquals(List.of(), new Dataset("d", List.of("a"), List.of(rec.apply("r1", List.of("ch0"))), List.of())
        .modelChannelNames());
    assertEquals(List.of(), new Dataset("d", List.of("a"), List.of(rec.apply("r1", List.of("col1", "col2"))),
        List.of()).modelChannelNames());
  }
}
