package io.github.drsn.model.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Factory for this package's learning-rate schedules, and a parser for their text form (for command
 * lines and reports). Every schedule's {@code toString()} is in this grammar, so
 * {@code parse(s.toString()).equals(s)}.
 *
 * <p>Pass a schedule to a DL4J updater in place of a fixed rate, e.g.
 * {@code new Nesterovs(Schedules.parse("step:0.1@0,0.01@40,0.001@80"), 0.9)} or
 * {@code new Adam(Schedules.triangular(1e-4, 1e-3, 500))}.
 */
public final class Schedules {

  /** The grammar {@link #parse(String)} accepts, quoted in its error messages. */
  public static final String GRAMMAR = String.join("\n",
      "  spec     := [warmup ':'] schedule",
      "  warmup   := 'warmup(' ('iters' | 'epochs') '=' INT [',start=' NUM] ')'",
      "  schedule := 'step:' NUM '@' INT {',' NUM '@' INT} [',unit=' UNIT]",
      "            | 'triangular:base=' NUM ',max=' NUM ',step=' INT [',unit=' UNIT]",
      "            | 'triangular2:base=' NUM ',max=' NUM ',step=' INT [',unit=' UNIT]",
      "            | 'exp_range:base=' NUM ',max=' NUM ',step=' INT ',gamma=' NUM [',unit=' UNIT]",
      "            | 'sgdr:max=' NUM ',min=' NUM ',t0=' INT [',mult=' INT] [',unit=' UNIT]",
      "            | 'paper' | 'reference'",
      "  UNIT     := 'iteration' | 'epoch'",
      "  defaults: warmup start=0; step unit=epoch; triangular, triangular2, exp_range",
      "            unit=iteration; sgdr mult=1, unit=epoch.",
      "  'step' pairs are rate@first-epoch (or iteration), the first at 0; key=value items may",
      "  come in any order; case and spaces around items are ignored. 'paper' is",
      "  step:0.1@0,0.01@40,0.001@80 and 'reference' step:0.1@0,0.01@20,0.001@40.",
      "  e.g. triangular:base=0.001,max=0.1,step=500 | sgdr:max=0.1,min=1e-4,t0=10,mult=2",
      "       warmup(iters=200):sgdr:max=0.1,min=0,t0=2000,unit=iteration");

  private Schedules() {
  }

  /** {@link StepDecaySchedule#paper()}: 0.1, 0.01, 0.001 for 40, 40, 20 epochs. */
  public static StepDecaySchedule paper() {
    return StepDecaySchedule.paper();
  }

  /** {@link StepDecaySchedule#reference()}: 0.1, 0.01, 0.001 for 20, 20, 10 epochs. */
  public static StepDecaySchedule reference() {
    return StepDecaySchedule.reference();
  }

  /** Smith's {@code triangular} policy with a half-cycle of {@code stepSizeIterations} iterations. */
  public static CyclicalSchedule triangular(double baseLr, double maxLr, int stepSizeIterations) {
    return new CyclicalSchedule(
        ScheduleType.ITERATION, CyclicalMode.TRIANGULAR, baseLr, maxLr, stepSizeIterations, 1);
  }

  /** Smith's {@code triangular2} policy (amplitude halved each cycle), half-cycle in iterations. */
  public static CyclicalSchedule triangular2(double baseLr, double maxLr, int stepSizeIterations) {
    return new CyclicalSchedule(
        ScheduleType.ITERATION, CyclicalMode.TRIANGULAR2, baseLr, maxLr, stepSizeIterations, 1);
  }

  /** Smith's {@code exp_range} policy (amplitude times {@code gamma^iteration}), half-cycle in iterations. */
  public static CyclicalSchedule expRange(
      double baseLr, double maxLr, int stepSizeIterations, double gamma) {
    return new CyclicalSchedule(
        ScheduleType.ITERATION, CyclicalMode.EXP_RANGE, baseLr, maxLr, stepSizeIterations, gamma);
  }

  /**
   * SGDR counted in iterations, as in the paper (which restarts mid-epoch): the first run is
   * {@code firstPeriodIterations} long, each next one {@code multiplier} times longer.
   */
  public static CosineWarmRestartsSchedule sgdr(
      double maxLr, double minLr, int firstPeriodIterations, int multiplier) {
    return new CosineWarmRestartsSchedule(
        ScheduleType.ITERATION, maxLr, minLr, firstPeriodIterations, multiplier);
  }

  /**
   * A linear warm-up over {@code iterations} iterations from {@code startValue} into {@code then},
   * which starts after the warm-up (see {@link WarmupSchedule}).
   */
  public static WarmupSchedule warmup(int iterations, double startValue, ISchedule then) {
    return new WarmupSchedule(ScheduleType.ITERATION, iterations, startValue, then);
  }

  /**
   * Builds a schedule from its text form; see {@link #GRAMMAR}.
   *
   * @throws IllegalArgumentException if {@code text} is not in the grammar or a value is out of range; the
   *     message quotes the text, says what is wrong and shows the grammar
   */
  public static ISchedule parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(text, "empty schedule", null);
    }
    String spec = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (spec.startsWith("warmup")) {
        return parseWarmup(text, spec);
      }
      return parseSchedule(text, spec);
    } catch (InvalidSpec e) {
      throw invalid(text, e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      // Out-of-range values rejected by a schedule's constructor.
      throw invalid(text, e.getMessage(), e);
    }
  }

  private static WarmupSchedule parseWarmup(String text, String spec) {
    int open = spec.indexOf('(');
    int close = spec.indexOf(')');
    if (open < 0 || close < open || !spec.substring(0, open).strip().equals("warmup")) {
      throw new InvalidSpec("expected 'warmup(iters=W[,start=S]):' or 'warmup(epochs=W[,start=S]):'");
    }
    String rest = spec.substring(close + 1).strip();
    if (!rest.startsWith(":")) {
      throw new InvalidSpec("expected ':' and a schedule after 'warmup(...)'");
    }
    Map<String, String> options =
        keyValues(spec.substring(open + 1, close), Set.of("iters", "epochs", "start"));
    if (options.containsKey("iters") == options.containsKey("epochs")) {
      throw new InvalidSpec("warmup needs exactly one of 'iters=' and 'epochs='");
    }
    boolean byIterations = options.containsKey("iters");
    int length = integer(options, byIterations ? "iters" : "epochs");
    double start = options.containsKey("start") ? number(options, "start") : 0;
    ScheduleType unit = byIterations ? ScheduleType.ITERATION : ScheduleType.EPOCH;
    return new WarmupSchedule(unit, length, start, parseSchedule(text, rest.substring(1).strip()));
  }

  private static ISchedule parseSchedule(String text, String spec) {
    if (spec.equals("paper")) {
      return paper();
    }
    if (spec.equals("reference")) {
      return reference();
    }
    int colon = spec.indexOf(':');
    if (colon < 0) {
      throw new InvalidSpec("expected '<name>:<parameters>', 'paper' or 'reference', got '" + spec + "'");
    }
    String name = spec.substring(0, colon).strip();
    String body = spec.substring(colon + 1);
    return switch (name) {
      case "step" -> parseStep(body);
      case "triangular" -> parseCyclical(CyclicalMode.TRIANGULAR, body);
      case "triangular2" -> parseCyclical(CyclicalMode.TRIANGULAR2, body);
      case "exp_range" -> parseCyclical(CyclicalMode.EXP_RANGE, body);
      case "sgdr" -> parseSgdr(body);
      default -> throw new InvalidSpec("unknown schedule '" + name
          + "' (expected step, triangular, triangular2, exp_range, sgdr, paper or reference)");
    };
  }

  private static StepDecaySchedule parseStep(String body) {
    List<Integer> starts = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    StringBuilder options = new StringBuilder();
    for (String item : items(body)) {
      int at = item.indexOf('@');
      if (at >= 0) {
        values.add(parseNumber("step value", item.substring(0, at)));
        starts.add(parseInteger("step start", item.substring(at + 1)));
      } else {
        options.append(options.length() == 0 ? "" : ",").append(item);
      }
    }
    if (values.isEmpty()) {
      throw new InvalidSpec("step needs at least one value@start pair, e.g. step:0.1@0,0.01@40");
    }
    Map<String, String> keys = keyValues(options.toString(), Set.of("unit"));
    return new StepDecaySchedule(unit(keys, ScheduleType.EPOCH),
        starts.stream().mapToInt(Integer::intValue).toArray(),
        values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static CyclicalSchedule parseCyclical(CyclicalMode mode, String body) {
    boolean expRange = mode == CyclicalMode.EXP_RANGE;
    Map<String, String> keys = keyValues(body,
        expRange ? Set.of("base", "max", "step", "gamma", "unit") : Set.of("base", "max", "step", "unit"));
    return new CyclicalSchedule(unit(keys, ScheduleType.ITERATION), mode, number(keys, "base"),
        number(keys, "max"), integer(keys, "step"), expRange ? number(keys, "gamma") : 1);
  }

  private static CosineWarmRestartsSchedule parseSgdr(String body) {
    Map<String, String> keys = keyValues(body, Set.of("max", "min", "t0", "mult", "unit"));
    int multiplier = keys.containsKey("mult") ? integer(keys, "mult") : 1;
    return new CosineWarmRestartsSchedule(unit(keys, ScheduleType.EPOCH), number(keys, "max"),
        number(keys, "min"), integer(keys, "t0"), multiplier);
  }

  private static List<String> items(String body) {
    List<String> items = new ArrayList<>();
    for (String item : body.split(",", -1)) {
      String trimmed = item.strip();
      if (trimmed.isEmpty()) {
        throw new InvalidSpec("empty item in '" + body.strip() + "' (stray or missing comma?)");
      }
      items.add(trimmed);
    }
    return items;
  }

  private static Map<String, String> keyValues(String body, Set<String> allowed) {
    Map<String, String> keys = new LinkedHashMap<>();
    if (body.isBlank()) {
      return keys;
    }
    for (String item : items(body)) {
      int equals = item.indexOf('=');
      if (equals < 0) {
        throw new InvalidSpec("expected key=value, got '" + item + "'");
      }
      String key = item.substring(0, equals).strip();
      if (!allowed.contains(key)) {
        throw new InvalidSpec("unknown key '" + key + "' (expected one of " + allowed + ")");
      }
      if (keys.put(key, item.substring(equals + 1).strip()) != null) {
        throw new InvalidSpec("key '" + key + "' given twice");
      }
    }
    return keys;
  }

  private static String required(Map<String, String> keys, String key) {
    String value = keys.get(key);
    if (value == null) {
      throw new InvalidSpec("missing '" + key + "='");
    }
    return value;
  }

  private static double number(Map<String, String> keys, String key) {
    return parseNumber(key, required(keys, key));
  }

  private static int integer(Map<String, String> keys, String key) {
    return parseInteger(key, required(keys, key));
  }

  private static ScheduleType unit(Map<String, String> keys, ScheduleType defaultUnit) {
    String unit = keys.get("unit");
    if (unit == null) {
      return defaultUnit;
    }
    return switch (unit) {
      case "iteration" -> ScheduleType.ITERATION;
      case "epoch" -> ScheduleType.EPOCH;
      default -> throw new InvalidSpec("unit must be 'iteration' or 'epoch', got '" + unit + "'");
    };
  }

  private static double parseNumber(String what, String value) {
    try {
      double parsed = Double.parseDouble(value.strip());
      if (!Double.isFinite(parsed)) {
        throw new InvalidSpec(what + " must be a finite number, got '" + value.strip() + "'");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidSpec(what + " must be a number, got '" + value.strip() + "'");
    }
  }

  private static int parseInteger(String what, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidSpec(what + " must be an integer, got '" + value.strip() + "'");
    }
  }

  private static IllegalArgumentException invalid(String text, String problem, Throwable cause) {
    return new IllegalArgumentException(
        "invalid learning-rate schedule '" + text + "': " + problem + "\nexpected:\n" + GRAMMAR, cause);
  }

  /** A grammar violation found while parsing; {@link #parse} turns it into the public exception. */
  private static final class InvalidSpec extends RuntimeException {
    InvalidSpec(String problem) {
      super(problem, null, false, false);
    }
  }
}
