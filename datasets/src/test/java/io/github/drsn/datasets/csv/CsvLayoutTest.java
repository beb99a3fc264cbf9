package io.github.drsn.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.RecordingLoadException.Missing;
import io.github.drsn.datasets.SignalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time axes in CSV recordings: never read as a signal, the rate they give, and the refusals that name them. */
class CsvLayoutTest {

  @TempDir Path dir;

  /** A 1 kHz tone at {@code rate}, as an exporter writes it: five decimals. */
  private static String tone(int i, double rate) {
    return String.format(Locale.ROOT, "%.5f", Math.sin(2 * Math.PI * 1000 * i / rate));
  }

  private Path write(String name, String header, int rows, IntFunction<String> row) throws Exception {
    StringBuilder text = new StringBuilder(header == null ? "" : header + "\n");
    for (int i = 0; i < rows; i++) {
      text.append(row.apply(i)).append('\n');
    }
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aTimeColumnGivesTheRateFromItsSpanAndIsNeverTheSignal() throws Exception {
    // Six decimals at 25.6 kHz: steps of 39 and 40 µs (median 39 µs, 25,641 Hz); the span gives 25,600 Hz.
    Path file = write("twocol.csv", "time,accel", 4096,
        i -> String.format(Locale.ROOT, "%.6f,%s", i / 25_600.0, tone(i, 25_600)));
    SignalFiles.Signal s = SignalFiles.read(file, null, null);
    assertEquals(25_600.0, s.samplingRate());
    assertEquals(4096, s.samples().length);
    assertEquals(Double.parseDouble(tone(7, 25_600)), s.samples()[7]);
    assertEquals("twocol.csv:accel @ 25600.0 Hz (rate from the time axis time)", s.description());
    // Given, and agreeing with the axis to 1 %: taken as given.
    assertEquals(25_600.0, SignalFiles.read(file, 25_600.0, "accel").samplingRate());
    assertEquals(25_600.0, SignalFiles.read(file, 25_600.0, "2").samplingRate());
  }

  @Test
  void aEuropeanExportWithSemicolonsAndDecimalCommasReadsAsTheSame() throws Exception {
    Path file = write("euro.csv", "Zeit (ms);acc", 4096,
        i -> String.format(Locale.ROOT, "%.4f;%s", i * 1000 / 12_000.0, tone(i, 12_000)).replace('.', ','));
    SignalFiles.Signal s = SignalFiles.read(file, null, null);
    assertEquals(12_000.0, s.samplingRate());
    assertEquals(Double.parseDouble(tone(3, 12_000)), s.samples()[3]);
    assertTrue(s.description().endsWith("(rate from the time axis Zeit (ms))"), s.description());
  }

  @Test
  void aHeaderlessTimeAxisOfUnknownUnitIsRefusedWithWhatItImplies() throws Exception {
    // Milliseconds, no header: 0.0390625 ms a row is 25.6 kHz, or 25.6 Hz were it seconds.
    Path file = write("notime_hdr.csv", null, 4096,
        i -> String.format(Locale.ROOT, "%.4f,%s", i * 1000 / 25_600.0, tone(i, 25_600)));
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, null, null));
    assertEquals(file + ": column col1 is a time axis that rises by 0.0390625 a row: 25.6 Hz if in seconds, 25600 Hz"
        + " if in milliseconds; the file does not say which; give the rate it was sampled at", e.getMessage());
    assertEquals(Missing.SAMPLING_RATE, e.missing().orElseThrow());
    SignalFiles.Signal s = SignalFiles.read(file, 25_600.0, null);
    assertEquals("notime_hdr.csv:col2 @ 25600.0 Hz", s.description());
    assertEquals(Double.parseDouble(tone(4095, 25_600)), s.samples()[4095]);
  }

  @Test
  void aRateThatDisagreesWithTheTimeAxisInBothUnitsIsRefused() throws Exception {
    Path file = write("12k.csv", "time,accel", 4096,
        i -> String.format(Locale.ROOT, "%.6f,%s", i / 12_000.0, tone(i, 12_000)));
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.read(file, 25_600.0, null));
    assertEquals(file + ": the rate 25600 Hz given disagrees with column time, which rises by 0.0000833333 a row:"
        + " 12000 Hz if in seconds, 12000000 Hz if in milliseconds; expected the rate the file was sampled at", e.getMessage());
    assertEquals(Missing.SAMPLING_RATE, e.missing().orElseThrow());
  }

  @Test
  void aTimeAxisWithADroppedRowDoesNotGiveTheRate() throws Exception {
    // Row 1000 (t = 1000/12000 s) is missing: the rows after it sit one step late.
    Path file = write("gap.csv", "t,acc", 4095, i -> {
      int k = i < 1000 ? i : i + 1;
      return String.format(Locale.ROOT, "%.7f,%s", k / 12_000.0, tone(k, 12_000));
    });
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, null, null));
    assertTrue(e.getMessage().startsWith(file + ": column t is a time axis with uneven steps (data row 1001 lies 0.75")
        && e.getMessage().endsWith("rows missing or repeated?), so it does not give the sampling rate; give the rate"
        + " it was sampled at"), e.getMessage());
  }

  @Test
  void aSampleNumberColumnAgreesWithAnyRateAndIsNoSignal() throws Exception {
    Path file = write("numbered.csv", "sample,accel", 2048, i -> i + "," + tone(i, 48_000));
    SignalFiles.Signal s = SignalFiles.read(file, 48_000.0, null);
    assertEquals("numbered.csv:accel @ 48000.0 Hz", s.description());
    assertEquals(Double.parseDouble(tone(11, 48_000)), s.samples()[11]);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, null, null));
    assertTrue(e.getMessage().contains("column sample is a time axis that rises by 1 a row: 1 Hz if in seconds, 1000"
        + " Hz if in milliseconds, or it numbers the samples"), e.getMessage());
  }

  @Test
  void severalSignalColumnsAndNoChoiceIsRefusedListingThem() throws Exception {
    Path file = write("accel2.csv", "time,x,y", 2048,
        i -> String.format(Locale.ROOT, "%.6f,%s,%s", i / 12_000.0, tone(i, 12_000), tone(i + 3, 12_000)));
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, null, null));
    assertEquals(file + ": has 2 signal columns [x (2), y (3)]; choose one by name or 1-based position",
        e.getMessage());
    assertEquals(Missing.CHANNEL, e.missing().orElseThrow());
    assertEquals(Double.parseDouble(tone(3, 12_000)), SignalFiles.read(file, null, "y").samples()[0]);
    RecordingLoadException time = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.read(file, null, "time"));
    assertEquals(file + ": column time is a time axis, not a signal; expected one of the signal columns [x (2), y (3)]",
        time.getMessage());
    // A model of two channels takes the two signal columns, not the time axis.
    List<SignalFiles.Signal> both = SignalFiles.readChannels(file, null, List.of(), 2);
    assertEquals(List.of("accel2.csv:x @ 12000.0 Hz (rate from the time axis time)",
        "accel2.csv:y @ 12000.0 Hz (rate from the time axis time)"),
        both.stream().map(SignalFiles.Signal::description).toList());
  }

  @Test
  void aColumnNamedAsTimeThatFallsIsRefusedAndAShortRampIsASignal() throws Exception {
    Path named = write("t.csv", "t,acc", 64, i -> tone(i, 12_000) + "," + tone(i + 1, 12_000));
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.read(named, 12_000.0, "acc"));
    assertTrue(e.getMessage().startsWith(named + ": column t is named as a time axis but falls at data row"),
        e.getMessage());
    Path flat = write("flat.csv", "time,acc", 64, i -> "0," + tone(i, 12_000));
    RecordingLoadException f = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(flat, null, null));
    assertEquals(flat + ": column time is named as a time axis but does not increase; give the rate it was sampled at",
        f.getMessage());
    // Fewer than 16 rows: a rising column may be a slow signal; it is read as given.
    Path ramp = write("ramp.csv", "a", 3, i -> Integer.toString(i + 1));
    assertArrayEquals(new double[] {1, 2, 3}, SignalFiles.read(ramp, 1000.0, null).samples());
  }

  @Test
  void timeHeadersAndTheirUnits() throws Exception {
    // Half a millisecond a row: 2 kHz.
    double[] time = new double[32];
    double[] signal = new double[32];
    for (int i = 0; i < time.length; i++) {
      time[i] = i * 0.0005;
      signal[i] = Math.sin(i);
    }
    Path file = dir.resolve("any.csv");
    for (String header : List.of("time", "Time (s)", "t[s]", "time_s", "seconds", "TIMESTAMP")) {
      CsvLayout layout = CsvLayout.of(file, new CsvTable(List.of(header, "acc"), new double[][] {time, signal}), null);
      assertEquals(2000.0, layout.samplingRate(), header);
      assertEquals(List.of(1), layout.signalColumns(), header);
    }
    double[] ms = time.clone();
    for (int i = 0; i < ms.length; i++) {
      ms[i] = i * 0.04;
    }
    for (String header : List.of("time (ms)", "t_ms", "ms", "zeit [ms]")) {
      assertEquals(25_000.0, CsvLayout.of(file, new CsvTable(List.of(header, "acc"), new double[][] {ms, signal}),
          null).samplingRate(), header);
    }
    double[] us = time.clone();
    for (int i = 0; i < us.length; i++) {
      us[i] = i * 40;
    }
    assertEquals(25_000.0, CsvLayout.of(file, new CsvTable(List.of("time (us)", "acc"), new double[][] {us, signal}),
        null).samplingRate());
    // "temperature" is no time axis, and a falling column is a signal.
    assertEquals(List.of(0, 1), CsvLayout.of(file, new CsvTable(List.of("temperature", "acc"),
        new double[][] {signal, signal}), 1000.0).signalColumns());
  }
}
