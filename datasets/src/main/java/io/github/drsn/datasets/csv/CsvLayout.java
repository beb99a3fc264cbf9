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
 * <p>A column chosen as a channel is a signal, whatever it holds. Otherwise a column is a <em>time axis</em> when its
 * header names time ({@code time}, {@code t}, {@code timestamp}, {@code zeit}, {@code temps}, {@code tiempo},
 * optionally with a unit: {@code time (s)}, {@code t[ms]}, {@code time_us}; or a unit alone: {@code s},
 * {@code seconds}, {@code ms}); a column so named that falls is left out (neither signal nor axis: a time that
 * restarts per block, a temperature headed {@code T}). A column without such a header is a time axis only when it
 * looks like one over at least {@value #MIN_ROWS} rows: it rises, and every row-to-row step is within half the mean
 * step of it (a drifting temperature, a trigger stepping once are not, nor is a column constant for a stretch), and,
 * when the rate is given, it agrees with that rate; one that disagrees (an even speed run-up) is a signal.
 *
 * <p>The step of an axis is {@code (last - first) / (rows - 1)}, not the median of the row-to-row steps: exported
 * timestamps are rounded (a 25.6 kHz axis written with six decimals has steps of 39 and 40 µs, median 39 µs, 25,641
 * Hz), while the span is rounded once over the whole recording. An axis is <em>even</em> when every value lies
 * within {@value #EVEN} of a step of the straight line from the first to the last: one dropped or repeated row puts
 * the values on one side of it at least half a step off, while rounding to a tenth of a step moves them by a
 * twentieth. A column of consecutive integers numbers the samples and agrees with any rate.
 *
 * <p>Rate: the one given; else the first even axis whose unit is known (named in its header, or plainly
 * {@code time}/{@code t}/... read as seconds), when the rate it implies is within {@value #MIN_PLAUSIBLE_HZ} Hz to
 * {@value #MAX_PLAUSIBLE_HZ} Hz; rounded to whole hertz only when the rounding of the printed timestamps explains
 * the difference (their last printed digit over the span: 1 µs over 0.16 s is 6 ppm), else kept (97,656.25 Hz).
 * Otherwise the file is refused with the step and the rates it would imply in seconds and in milliseconds (and in
 * micro- and nanoseconds where those are plausible). A header that names time and disagrees by more than
 * {@value #AGREEMENT_PERCENT} % with the rate, read in its header's unit or, without one, in seconds, milliseconds,
 * microseconds or nanoseconds, is refused naming both.
 *
 * @param samplingRate Hz, given or derived
 * @param signalColumns the 0-based indices of the columns chosen as channels, in the order chosen; or, when none
 *     were chosen, of every column that is not a time axis or left out
 * @param axes the names of the time-axis columns
 * @param rateSource empty when the rate was given, else e.g. {@code "from the time axis time"}
 * @param leftOut why columns named as time were left out, e.g. {@code "T left out: named as time but falls at data
 *     row 5"}
 */
public record CsvLayout(double samplingRate, List<Integer> signalColumns, List<String> axes, String rateSource,
    List<String> leftOut) {

  /** Rows below which a column without a time header is never a time axis (a short slow ramp may be a signal). */
  static final int MIN_ROWS = 16;
  static final double MIN_PLAUSIBLE_HZ = 1_000;
  static final double MAX_PLAUSIBLE_HZ = 1_000_000;
  static final double AGREEMENT_PERCENT = 1;
  static final double EVEN = 0.25;
  /** Decimal places looked for in printed timestamps; beyond them the rate is kept as computed. */
  private static final int MAX_DECIMALS = 12;

  private static final String NAMES = "time|t|timestamp|zeit|temps|tiempo";
  private static final String UNITS = "s|sec|secs|seconds|ms|msec|milliseconds|us|µs|microseconds";
  private static final Pattern TIME_HEADER = Pattern.compile(
      "(?:(?:" + NAMES + ")(?:\\s*[_(\\[/ ]\\s*(" + UNITS + ")\\s*[)\\]]?)?|(" + UNITS + "))",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  public CsvLayout {
    signalColumns = List.copyOf(signalColumns);
    axes = List.copyOf(axes);
    leftOut = List.copyOf(leftOut);
  }

  /** {@link #of(Path, CsvTable, Double, List)} with no channel chosen. */
  public static CsvLayout of(Path file, CsvTable table, Double givenRate) throws RecordingLoadException {
    return of(file, table, givenRate, List.of());
  }

  /**
   * The layout of a table read from {@code file}.
   *
   * @param file the file, for messages
   * @param table its columns
   * @param givenRate the rate in Hz it was sampled at, or null to derive it from a time axis
   * @param channels the columns chosen as channels, by name or 1-based position ({@link CsvTable#columnIndex}); empty
   *     for none chosen
   * @throws RecordingLoadException naming the file and the column if a chosen column does not exist, no column is
   *     left to read, the rate is not given and no axis gives it (with the step and what it implies; tagged
   *     {@link Missing#SAMPLING_RATE}), or a column named as time disagrees with the rate
   */
  public static CsvLayout of(Path file, CsvTable table, Double givenRate, List<String> channels)
      throws RecordingLoadException {
    List<Integer> chosen = new ArrayList<>();
    for (String channel : channels) {
      chosen.add(table.columnIndex(file, channel));
    }
    List<Axis> axes = new ArrayList<>();
    List<Axis> fallen = new ArrayList<>();
    List<Integer> signals = new ArrayList<>();
    for (int c = 0; c < table.columns().length; c++) {
      if (chosen.contains(c)) {
        continue;
      }
      Optional<Axis> axis = Axis.of(c, table.columnNames().get(c), table.columns()[c]);
      if (axis.isEmpty()) {
        signals.add(c);
      } else if (axis.get().fallsAt >= 0) {
        fallen.add(axis.get());
      } else {
        axes.add(axis.get());
      }
    }
    if (chosen.isEmpty() && signals.isEmpty() && axes.stream().allMatch(a -> a.named)) {
      throw onlyAxes(file, axes, fallen);
    }
    double rate;
    String source = "";
    Axis from = null;
    if (givenRate != null) {
      rate = givenRate;
    } else {
      from = axes.stream().filter(a -> a.derivedRate().isPresent()).findFirst().orElse(null);
      if (from == null) {
        String why = !axes.isEmpty() ? axes.get(0).whyNoRate()
            : !fallen.isEmpty() ? fallen.get(0).falls()
            : chosen.isEmpty() ? "a CSV file without a time column does not say its sampling rate"
            : "no column beside the channels chosen " + channels + " is a time axis, so the file does not say its"
                + " sampling rate";
        throw new RecordingLoadException(file, why + "; give the rate it was sampled at", Missing.SAMPLING_RATE);
      }
      rate = from.derivedRate().orElseThrow();
      source = "from the time axis " + from.name;
    }
    for (java.util.Iterator<Axis> it = axes.iterator(); it.hasNext(); ) {
      Axis a = it.next();
      if (a == from || a.agrees(rate)) {
        continue;
      }
      if (!a.named) {
        // Rising evenly at another rate: a slow signal (a speed ramp), not this recording's clock.
        signals.add(a.column);
        it.remove();
        continue;
      }
      // A conflict, not a missing rate: no option or field is asked for, the two are named.
      throw new RecordingLoadException(file, "the rate " + number(rate) + " Hz" + (from == null ? " given" : " "
          + source) + " disagrees with column " + a.name + ", which " + a.implied() + "; expected the rate the"
          + " file was sampled at");
    }
    if (chosen.isEmpty() && signals.isEmpty()) {
      throw onlyAxes(file, axes, fallen);
    }
    signals.sort(null);
    return new CsvLayout(rate, chosen.isEmpty() ? signals : chosen, axes.stream().map(a -> a.name).toList(), source,
        fallen.stream().map(a -> a.name + " left out: named as time but falls at data row " + (a.fallsAt + 1))
            .toList());
  }

  private static RecordingLoadException onlyAxes(Path file, List<Axis> axes, List<Axis> fallen) {
    return new RecordingLoadException(file, "holds only the time axis " + java.util.stream.Stream.concat(
        axes.stream(), fallen.stream()).map(a -> a.name).toList() + "; expected a signal column beside it");
  }

  /** The signal columns' names with their 1-based positions, e.g. {@code [x (2), y (3)]}. */
  public List<String> signalNames(CsvTable table) {
    return signalColumns.stream().map(c -> table.columnNames().get(c) + " (" + (c + 1) + ")").toList();
  }

  /**
   * What a reader should know beside the column it reads: where the rate came from and what was left out, e.g.
   * {@code " (rate from the time axis time)"}; empty when there is nothing to say.
   */
  public String remarks() {
    List<String> all = new ArrayList<>();
    if (!rateSource.isEmpty()) {
      all.add("rate " + rateSource);
    }
    all.addAll(leftOut);
    return all.isEmpty() ? "" : " (" + String.join("; ", all) + ")";
  }

  /** A time unit a header may name, or an axis without one may be in. */
  private enum Unit {
    SECONDS(1, "seconds"),
    MILLISECONDS(1e-3, "milliseconds"),
    MICROSECONDS(1e-6, "microseconds"),
    NANOSECONDS(1e-9, "nanoseconds");

    final double seconds;
    final String word;

    Unit(double seconds, String word) {
      this.seconds = seconds;
      this.word = word;
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
   * @param column its 0-based index
   * @param name its header
   * @param named whether its header names time
   * @param unit the unit its header names, or for a plain time name seconds; null when the header names none
   * @param plainName whether the header names time without a unit (then its rate must be plausible to be taken)
   * @param fallsAt the first 0-based row below its predecessor, or -1
   * @param step the mean step, (last - first) / (rows - 1)
   * @param offRow the row farthest from an even axis, and {@code off} its distance in steps
   * @param counter whether it holds consecutive integers, a sample number
   * @param spanPrecision the last decimal place its values are printed to over its span: how well the span is known
   */
  private record Axis(int column, String name, boolean named, Unit unit, boolean plainName, int fallsAt, double step,
      int offRow, double off, boolean counter, double spanPrecision) {

    static Optional<Axis> of(int column, String name, double[] v) {
      Matcher m = TIME_HEADER.matcher(name.trim());
      boolean named = m.matches();
      int n = v.length;
      int fallsAt = -1;
      for (int i = 1; i < n && fallsAt < 0; i++) {
        if (v[i] < v[i - 1]) {
          fallsAt = i;
        }
      }
      double step = n > 1 ? (v[n - 1] - v[0]) / (n - 1) : 0;
      if (!named && (n < MIN_ROWS || fallsAt >= 0 || !(step > 0) || !evenSteps(v, step))) {
        return Optional.empty();
      }
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
      return Optional.of(new Axis(column, name, named, unit, named && unitName == null, fallsAt, step, offRow,
          step > 0 ? off / step : Double.POSITIVE_INFINITY, counter,
          step > 0 ? spanPrecision(v) : 0));
    }

    /**
     * Every row-to-row step within twice {@link #EVEN} of the mean, half a step: a clock, not a drift, a constant
     * stretch (a step of 0) or a step change. Rounding that keeps every value within {@link #EVEN} of an even axis
     * moves a step by at most twice that.
     */
    private static boolean evenSteps(double[] v, double step) {
      for (int i = 1; i < v.length; i++) {
        if (Math.abs(v[i] - v[i - 1] - step) > 2 * EVEN * step) {
          return false;
        }
      }
      return true;
    }

    /**
     * The last decimal place the exporter printed to, relative to the span: the finest place among a sample of
     * values (every row of a short column, about a thousand spread over a long one); values needing more than
     * {@value #MAX_DECIMALS} places give that many.
     */
    private static double spanPrecision(double[] v) {
      int places = 0;
      int stride = Math.max(1, v.length / 1000);
      for (int i = 0; i < v.length; i = i == v.length - 1 ? v.length : Math.min(i + stride, v.length - 1)) {
        int k = 0;
        while (k < MAX_DECIMALS && Math.abs(v[i] * Math.pow(10, k) - Math.rint(v[i] * Math.pow(10, k))) > 1e-6) {
          k++;
        }
        places = Math.max(places, k);
      }
      return Math.pow(10, -places) / (v[v.length - 1] - v[0]);
    }

    boolean even() {
      return fallsAt < 0 && step > 0 && off <= EVEN;
    }

    /** The units it may be in: its header's, or without one any, seconds first. */
    List<Unit> units() {
      return plainName || unit == null ? List.of(Unit.values()) : List.of(unit);
    }

    /** The rate it gives: even, of a known unit, and plausible. */
    Optional<Double> derivedRate() {
      if (!even() || unit == null) {
        return Optional.empty();
      }
      double rate = 1 / (step * unit.seconds);
      if (!plausible(rate)) {
        return Optional.empty();
      }
      // The span is known to the last printed digit, so the rate to resolution / span: whole hertz when that
      // explains the difference (25,599.96 Hz from six decimals over 0.16 s), else as computed (97,656.25 Hz).
      double whole = Math.rint(rate);
      return Optional.of(Math.abs(rate - whole) <= rate * spanPrecision ? whole : rate);
    }

    boolean agrees(double rate) {
      if (counter) {
        return true;
      }
      for (Unit u : units()) {
        if (Math.abs(1 / (step * u.seconds) / rate - 1) <= AGREEMENT_PERCENT / 100) {
          return true;
        }
      }
      return false;
    }

    /**
     * What the axis implies, e.g. "rises by 0.0390625 a row: 25.6 Hz if in seconds, 25600 Hz if in milliseconds";
     * micro- and nanosecond readings only where plausible.
     */
    String implied() {
      String rates;
      if (plainName || unit == null) {
        List<String> readings = new ArrayList<>();
        for (Unit u : Unit.values()) {
          double r = 1 / (step * u.seconds);
          if (u.seconds >= 1e-3 || plausible(r)) {
            readings.add(number(r) + " Hz if in " + u.word);
          }
        }
        rates = String.join(", ", readings);
      } else {
        rates = number(1 / (step * unit.seconds)) + " Hz in the header's unit";
      }
      return "rises by " + number(step) + " a row: " + rates + (counter ? ", or it numbers the samples" : "");
    }

    String falls() {
      return "column " + name + " is named as a time axis but falls at data row " + (fallsAt + 1) + "; expected a"
          + " time axis to increase (choose it as a channel if it is a signal)";
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

  private static boolean plausible(double rate) {
    return rate >= MIN_PLAUSIBLE_HZ && rate <= MAX_PLAUSIBLE_HZ;
  }

  /** Six significant digits, without an exponent or trailing zeros: 25600, 0.0000390625, 83.3333. */
  static String number(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    return new BigDecimal(x).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
