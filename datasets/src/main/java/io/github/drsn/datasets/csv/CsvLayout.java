package io.github.drsn.datasets.csv;

import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.RecordingLoadException.Missing;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which columns of a CSV recording are time axes and which are signals, and the rate it was sampled at: the most
 * common export of data-acquisition software is a time column beside the signal, and a time axis read as a
 * vibration signal is diagnosed without complaint.
 *
 * <p>A column is a <em>time axis</em>, never a signal, when its header names time ({@code time}, {@code t},
 * {@code timestamp}, {@code zeit}, {@code temps}, {@code tiempo}, optionally with a unit: {@code time (s)},
 * {@code t[ms]}, {@code time_us}; or a unit alone: {@code s}, {@code seconds}, {@code ms}), or when it never
 * decreases over at least {@value #MIN_ROWS} rows and ends above where it starts: a vibration signal is never
 * monotone over a recording.
 *
 * <p>The step of an axis is {@code (last - first) / (rows - 1)}, not the median of the row-to-row steps: exported
 * timestamps are rounded (a 25.6 kHz axis written with six decimals has steps of 39 and 40 µs, median 39 µs, 25,641
 * Hz), while the span is rounded once over the whole recording. An axis is <em>even</em> when every value lies
 * within {@value #EVEN} of a step of the straight line from the first to the last: one dropped or repeated row puts
 * the values on one side of it at least half a step off, while rounding to a tenth of a step moves them by a twentieth. A column of consecutive integers numbers the samples and agrees with any
 * rate.
 *
 * <p>Rate: the one given; else the first even axis whose unit is known (named in its header, or plainly
 * {@code time}/{@code t}/... read as seconds), when the rate it implies is within {@value #MIN_PLAUSIBLE_HZ} Hz to
 * {@value #MAX_PLAUSIBLE_HZ} Hz; rounded to whole hertz when within {@value #WHOLE_HZ_PPM} ppm (acquisition rates
 * are whole hertz; the rounding of the timestamps moves a two-second recording's rate by well under 1 ppm).
 * Otherwise the file is refused with the step and the rates it would imply in seconds and in milliseconds. A rate
 * that disagrees by more than {@value #AGREEMENT_PERCENT} % with an axis, read in seconds and in milliseconds (or in
 * the unit its header names), is refused naming both.
 *
 * @param samplingRate Hz, given or derived
 * @param signalColumns the 0-based indices of the columns that are not time axes
 * @param axes the names of the time-axis columns
 * @param rateSource empty when the rate was given, else e.g. {@code "from the time axis time"}
 */
public record CsvLayout(double samplingRate, List<Integer> signalColumns, List<String> axes, String rateSource) {

  /** Rows below which a monotone column without a time header may still be a signal (a slow ramp). */
  static final int MIN_ROWS = 16;
  static final double MIN_PLAUSIBLE_HZ = 1_000;
  static final double MAX_PLAUSIBLE_HZ = 1_000_000;
  static final double WHOLE_HZ_PPM = 10;
  static final double AGREEMENT_PERCENT = 1;
  static final double EVEN = 0.25;

  private static final String NAMES = "time|t|timestamp|zeit|temps|tiempo";
  private static final String UNITS = "s|sec|secs|seconds|ms|msec|milliseconds|us|µs|microseconds";
  private static final Pattern TIME_HEADER = Pattern.compile(
      "(?:(?:" + NAMES + ")(?:\\s*[_(\\[/ ]\\s*(" + UNITS + ")\\s*[)\\]]?)?|(" + UNITS + "))",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  public CsvLayout {
    signalColumns = List.copyOf(signalColumns);
    axes = List.copyOf(axes);
  }

  /**
   * The layout of a table read from {@code file}.
   *
   * @param file the file, for messages
   * @param table its columns
   * @param givenRate the rate in Hz it was sampled at, or null to derive it from a time axis
   * @throws RecordingLoadException naming the file and the column if a column named as time decreases, every column
   *     is a time axis, the rate is not given and no axis gives it (with the step and what it implies), or the rate
   *     disagrees with an axis
   */
  public static CsvLayout of(Path file, CsvTable table, Double givenRate) throws RecordingLoadException {
    List<Axis> axes = new ArrayList<>();
    List<Integer> signals = new ArrayList<>();
    for (int c = 0; c < table.columns().length; c++) {
      Optional<Axis> axis = Axis.of(table.columnNames().get(c), table.columns()[c]);
      if (axis.isPresent()) {
        if (axis.get().fallsAt >= 0) {
          throw new RecordingLoadException(file, "column " + axis.get().name + " is named as a time axis but falls at"
              + " data row " + (axis.get().fallsAt + 1) + "; expected a time axis to increase (rename the column if"
              + " it is a signal)");
        }
        axes.add(axis.get());
      } else {
        signals.add(c);
      }
    }
    if (signals.isEmpty()) {
      throw new RecordingLoadException(file, "holds only the time axis " + axes.stream().map(a -> a.name).toList()
          + "; expected a signal column beside it");
    }
    double rate;
    String source = "";
    Axis from = null;
    if (givenRate != null) {
      rate = givenRate;
    } else {
      for (Axis a : axes) {
        if (a.derivedRate().isPresent()) {
          from = a;
          break;
        }
      }
      if (from == null) {
        throw new RecordingLoadException(file, (axes.isEmpty() ? "a CSV file without a time column does not say"
            + " its sampling rate" : axes.get(0).whyNoRate()) + "; give the rate it was sampled at",
            Missing.SAMPLING_RATE);
      }
      rate = from.derivedRate().orElseThrow();
      source = "from the time axis " + from.name;
    }
    for (Axis a : axes) {
      if (a != from && !a.agrees(rate)) {
        throw new RecordingLoadException(file, "the rate " + number(rate) + " Hz" + (from == null ? " given" : " "
            + source) + " disagrees with column " + a.name + ", which " + a.implied() + "; expected the rate the"
            + " file was sampled at", Missing.SAMPLING_RATE);
      }
    }
    return new CsvLayout(rate, signals, axes.stream().map(a -> a.name).toList(), source);
  }

  /**
   * A signal column chosen by name or 1-based position ({@link CsvTable#columnIndex}).
   *
   * @param file the file, for messages
   * @param table the table this is the layout of
   * @param channel a column name or 1-based position
   * @return its 0-based index
   * @throws RecordingLoadException if there is no such column or it is a time axis; the message lists the signal
   *     columns
   */
  public int signalColumn(Path file, CsvTable table, String channel) throws RecordingLoadException {
    int column = table.columnIndex(file, channel);
    if (!signalColumns.contains(column)) {
      throw new RecordingLoadException(file, "column " + table.columnNames().get(column) + " is a time axis, not a"
          + " signal; expected one of the signal columns " + signalNames(table));
    }
    return column;
  }

  /** The signal columns' names with their 1-based positions, e.g. {@code [x (2), y (3)]}. */
  public List<String> signalNames(CsvTable table) {
    return signalColumns.stream().map(c -> table.columnNames().get(c) + " (" + (c + 1) + ")").toList();
  }

  /** A time unit a header may name. */
  private enum Unit {
    SECONDS(1),
    MILLISECONDS(1e-3),
    MICROSECONDS(1e-6);

    final double seconds;

    Unit(double seconds) {
      this.seconds = seconds;
    }

    static Unit of(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "ms", "msec", "milliseconds" -> MILLISECONDS;
        case "us", "µs", "microseconds" -> MICROSECONDS;
        default -> SECONDS;
      };
    }
  }

  /**
   * One time-axis column.
   *
   * @param name its header
   * @param unit the unit its header names, or for a plain time name seconds; null when the header names none
   * @param plainName whether the header names time without a unit (then its rate must be plausible to be taken)
   * @param fallsAt the first 0-based row below its predecessor, or -1
   * @param step the mean step, (last - first) / (rows - 1)
   * @param offRow the row farthest from an even axis, and {@code off} its distance in steps
   * @param counter whether it holds consecutive integers, a sample number
   */
  private record Axis(String name, Unit unit, boolean plainName, int fallsAt, double step, int offRow, double off,
      boolean counter) {

    static Optional<Axis> of(String name, double[] v) {
      Matcher m = TIME_HEADER.matcher(name.trim());
      boolean named = m.matches();
      int n = v.length;
      int fallsAt = -1;
      for (int i = 1; i < n && fallsAt < 0; i++) {
        if (v[i] < v[i - 1]) {
          fallsAt = i;
        }
      }
      if (!named && (n < MIN_ROWS || fallsAt >= 0 || !(v[n - 1] > v[0]))) {
        return Optional.empty();
      }
      double step = n > 1 ? (v[n - 1] - v[0]) / (n - 1) : 0;
      int offRow = 0;
      double off = 0;
      boolean counter = step == 1 && v[0] == Math.rint(v[0]);
      for (int i = 0; i < n; i++) {
        double d = Math.abs(v[i] - (v[0] + i * step));
        counter &= v[i] == v[0] + i;
        if (d > off) {
          off = d;
          offRow = i;
        }
      }
      String unitName = !named ? null : m.group(1) != null ? m.group(1) : m.group(2);
      Unit unit = unitName != null ? Unit.of(unitName) : named ? Unit.SECONDS : null;
      return Optional.of(new Axis(name, unit, named && unitName == null, fallsAt, step, offRow,
          step > 0 ? off / step : Double.POSITIVE_INFINITY, counter));
    }

    boolean even() {
      return fallsAt < 0 && step > 0 && off <= EVEN;
    }

    /** The rate it gives: even, of a known unit, and plausible. */
    Optional<Double> derivedRate() {
      if (!even() || unit == null) {
        return Optional.empty();
      }
      double rate = 1 / (step * unit.seconds);
      if (rate < MIN_PLAUSIBLE_HZ || rate > MAX_PLAUSIBLE_HZ) {
        return Optional.empty();
      }
      double whole = Math.rint(rate);
      return Optional.of(Math.abs(rate - whole) <= WHOLE_HZ_PPM * 1e-6 * rate ? whole : rate);
    }

    boolean agrees(double rate) {
      if (counter) {
        return true;
      }
      for (Unit u : plainName || unit == null ? List.of(Unit.SECONDS, Unit.MILLISECONDS) : List.of(unit)) {
        if (Math.abs(1 / (step * u.seconds) / rate - 1) <= AGREEMENT_PERCENT / 100) {
          return true;
        }
      }
      return false;
    }

    /** What the axis implies, e.g. "rises by 0.0390625 a row: 25600 Hz if in milliseconds, 25.6 Hz if in seconds". */
    String implied() {
      String rates = plainName || unit == null
          ? number(1 / step) + " Hz if in seconds, " + number(1e3 / step) + " Hz if in milliseconds"
          : number(1 / (step * unit.seconds)) + " Hz in the header's unit";
      return "rises by " + number(step) + " a row: " + rates + (counter ? ", or it numbers the samples" : "");
    }

    String whyNoRate() {
      if (!(step > 0)) {
        return "column " + name + " is named as a time axis but does not increase";
      }
      if (!even()) {
        return "column " + name + " is a time axis with uneven steps (data row " + (offRow + 1) + " lies "
            + number(off) + " steps off an even axis of " + number(step) + " a row: rows missing or repeated?), so it"
            + " does not give the sampling rate";
      }
      return "column " + name + " is a time axis that " + implied() + (unit != null && !plainName ? ", outside the "
          + number(MIN_PLAUSIBLE_HZ) + " to " + number(MAX_PLAUSIBLE_HZ) + " Hz of vibration recordings"
          : "; the file does not say which");
    }
  }

  /** Six significant digits, without an exponent or trailing zeros: 25600, 0.0000390625, 83.3333. */
  static String number(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
