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

  /** A model of two channels whose names are not recorded: it takes a file's channels by position. */
  private static final io.github.drsn.contract.InputSpec TWO_CHANNELS = new io.github.drsn.contract.InputSpec(12_000,
      64, 2, io.github.drsn.signals.Normalization.Z_SCORE, io.github.drsn.contract.Representation.TIME);

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
    // A conflict: the rate was given, so it is not reported as missing.
    assertTrue(e.missing().isEmpty());
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
        + " Hz if in milliseconds, 1000000 Hz if in microseconds, or it numbers the samples"), e.getMessage());
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
    // A column chosen is read, whatever it holds; then no axis is left to give the rate.
    RecordingLoadException time = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.read(file, null, "time"));
    assertEquals(file + ": no column beside the channels chosen [time] is a time axis, so the file does not say its"
        + " sampling rate; give the rate it was sampled at", time.getMessage());
    assertEquals(0.000083, SignalFiles.read(file, 12_000.0, "time").samples()[1]);
    // A model of two channels takes the two signal columns, not the time axis.
    List<SignalFiles.Signal> both = SignalFiles.readForModel(file, null, List.of(), TWO_CHANNELS).signals();
    assertEquals(List.of("accel2.csv:x @ 12000.0 Hz (rate from the time axis time)",
        "accel2.csv:y @ 12000.0 Hz (rate from the time axis time)"),
        both.stream().map(SignalFiles.Signal::description).toList());
  }

  @Test
  void aColumnNamedAsTimeThatFallsIsLeftOutUnlessTheRateMustComeFromIt() throws Exception {
    // A temperature headed "t": 0, 0.5, 0.86603, 1, 0.86603: it falls at data row 5.
    Path named = write("t.csv", "t,acc", 64, i -> tone(i, 12_000) + "," + tone(i + 1, 12_000));
    for (String channel : new String[] {"acc", null}) {
      SignalFiles.Signal s = SignalFiles.read(named, 12_000.0, channel);
      assertEquals("t.csv:acc @ 12000.0 Hz (t left out: named as time but falls at data row 5)", s.description());
      assertEquals(0.5, s.samples()[0]);
    }
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(named, null, "acc"));
    assertEquals(named + ": column t is named as a time axis but falls at data row 5; expected a time axis to increase"
        + " (choose it as a channel if it is a signal); give the rate it was sampled at", e.getMessage());
    assertEquals(Missing.SAMPLING_RATE, e.missing().orElseThrow());
    // Chosen, it is a signal like any other.
    assertEquals(0.86603, SignalFiles.read(named, 12_000.0, "t").samples()[2]);
    Path flat = write("flat.csv", "time,acc", 64, i -> "0," + tone(i, 12_000));
    RecordingLoadException f = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(flat, null, null));
    assertEquals(flat + ": column time is named as a time axis but does not increase; give the rate it was sampled at",
        f.getMessage());
    // Fewer than 16 rows: a rising column may be a slow signal; it is read as given.
    Path ramp = write("ramp.csv", "a", 3, i -> Integer.toString(i + 1));
    assertArrayEquals(new double[] {1, 2, 3}, SignalFiles.read(ramp, 1000.0, null).samples());
  }

  @Test
  void aColumnThatOnlyRisesUnevenlyOrAtAnotherRateIsASignal() throws Exception {
    // A temperature drifting up by whole hundredths, unevenly (20.00 for the first 640 rows, then faster).
    Path drift = write("de-temp.csv", "de,temp", 4096, i -> String.format(Locale.ROOT, "%s,%.2f", tone(i, 12_000),
        20 + 0.3 * i * (double) i / (4096.0 * 4096)));
    assertEquals(Double.parseDouble(tone(5, 12_000)), SignalFiles.read(drift, 12_000.0, "de").samples()[5]);
    RecordingLoadException both = assertThrows(RecordingLoadException.class,
        () -> SignalFiles.read(drift, 12_000.0, null));
    assertEquals(drift + ": has 2 signal columns [de (1), temp (2)]; choose one by name or 1-based position",
        both.getMessage());
    // A speed run-up rising evenly by 0.5 rpm a row (2 Hz, 2 kHz, 2 MHz a row in s, ms, µs) and a trigger stepping
    // 0 -> 5 V once, beside a 12 kHz time axis: signals, and the axis gives the rate.
    Path runUp = write("run-up.csv", "time,de,rpm,trigger", 4096, i -> String.format(Locale.ROOT, "%.6f,%s,%.1f,%d",
        i / 12_000.0, tone(i, 12_000), 600 + 0.5 * i, i < 2000 ? 0 : 5));
    SignalFiles.Signal de = SignalFiles.read(runUp, null, "de");
    assertEquals("run-up.csv:de @ 12000.0 Hz (rate from the time axis time)", de.description());
    CsvLayout layout = CsvLayout.of(runUp, CsvTable.read(runUp, HeaderMode.AUTO), 12_000.0);
    assertEquals(List.of(1, 2, 3), layout.signalColumns());
    assertEquals(List.of("time"), layout.axes());
    assertEquals(600.5, SignalFiles.read(runUp, null, "rpm").samples()[1]);
    // Without a time column, the run-up at a rate it agrees with (2 kHz, read in milliseconds) is taken for an axis.
    CsvTable deRpm = new CsvTable(List.of("de", "rpm"),
        new double[][] {layoutColumn(runUp, 1), layoutColumn(runUp, 2)});
    assertEquals(List.of(0), CsvLayout.of(runUp, deRpm, 2_000.0).signalColumns());
    assertEquals(List.of(0, 1), CsvLayout.of(runUp, deRpm, 12_000.0).signalColumns());
  }

  private static double[] layoutColumn(Path file, int column) throws Exception {
    return CsvTable.read(file, HeaderMode.AUTO).columns()[column];
  }

  @Test
  void twoChannelsOfAHeaderNamedByNumbersAreTheTwoColumns() throws Exception {
    // Columns named "1" and "2": positions 2 and 3 are not looked up as names.
    Path file = write("numbers.csv", "time,1,2", 2048,
        i -> String.format(Locale.ROOT, "%.6f,%s,%s", i / 12_000.0, tone(i, 12_000), tone(i + 3, 12_000)));
    List<SignalFiles.Signal> both = SignalFiles.readForModel(file, null, List.of(), TWO_CHANNELS).signals();
    assertEquals(List.of("numbers.csv:1 @ 12000.0 Hz (rate from the time axis time)",
        "numbers.csv:2 @ 12000.0 Hz (rate from the time axis time)"),
        both.stream().map(SignalFiles.Signal::description).toList());
    assertEquals(Double.parseDouble(tone(1, 12_000)), both.get(0).samples()[1]);
    assertEquals(Double.parseDouble(tone(4, 12_000)), both.get(1).samples()[1]);
  }

  @Test
  void unitlessAxesInMicrosecondsAndNanosecondsAgreeWithTheRate() throws Exception {
    // Integer microseconds, no header: 40 µs a row is 25 kHz.
    Path us = write("us.csv", null, 2048, i -> (i * 40) + "," + tone(i, 25_000));
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(us, null, null));
    assertEquals(us + ": column col1 is a time axis that rises by 40 a row: 0.025 Hz if in seconds, 25 Hz if in"
        + " milliseconds, 25000 Hz if in microseconds; the file does not say which; give the rate it was sampled at",
        e.getMessage());
    assertEquals("us.csv:col2 @ 25000.0 Hz", SignalFiles.read(us, 25_000.0, null).description());
    // pandas int64 nanoseconds: 40,000 ns a row.
    Path ns = write("ns.csv", "timestamp,acc", 2048, i -> (i * 40_000L) + "," + tone(i, 25_000));
    assertEquals(Double.parseDouble(tone(9, 25_000)), SignalFiles.read(ns, 25_000.0, null).samples()[9]);
    RecordingLoadException n = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(ns, null, null));
    assertTrue(n.getMessage().contains("rises by 40000 a row: 0.000025 Hz if in seconds, 0.025 Hz if in milliseconds,"
        + " 25000 Hz if in nanoseconds; the file does not say which"), n.getMessage());
  }

  @Test
  void aRateIsRoundedToWholeHertzOnlyWhenThePrintedDigitsExplainTheDifference() throws Exception {
    // 97,656.25 Hz (25 MHz / 256) printed to the nanosecond: 10.24 µs a row, exact; the quarter hertz is kept.
    Path file = write("97k.csv", "time,accel", 4096,
        i -> String.format(Locale.ROOT, "%.9f,%s", i / 97_656.25, tone(i, 97_656.25)));
    assertEquals(97_656.25, SignalFiles.read(file, null, null).samplingRate(), 1e-6);
    // Printed to the microsecond, the span is 41.933 ms +- 1 µs (24 ppm): 97,656.25 is within it of 97,656.
    Path coarse = write("97k-us.csv", "time,accel", 4096,
        i -> String.format(Locale.ROOT, "%.6f,%s", i / 97_656.25, tone(i, 97_656.25)));
    assertEquals(97_656.0, SignalFiles.read(coarse, null, null).samplingRate());
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
