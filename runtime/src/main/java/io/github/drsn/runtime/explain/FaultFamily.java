package io.github.drsn.runtime.explain;

import io.github.drsn.signals.bearing.DefectFamily;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bearing fault family a model's class stands for: the one mapping from class names to families, so that
 * every caller compares a network's answer with the physics the same way.
 *
 * <p>Mapping of a class name (case-insensitive), first match wins:
 * <ul>
 *   <li>{@code normal}, {@code healthy}, {@code baseline} → {@link #NORMAL}</li>
 *   <li>CWRU codes {@code IR}, {@code IR007}…, names containing {@code inner} → {@link #INNER}</li>
 *   <li>{@code OR}, {@code OR007}, {@code OR@6}…, names containing {@code outer} → {@link #OUTER}</li>
 *   <li>{@code B}, {@code B007}…, names containing {@code ball} or {@code rolling} → {@link #BALL}</li>
 *   <li>names containing {@code cage} → {@link #CAGE}</li>
 *   <li>anything else (gear faults, user classes) → {@link #UNKNOWN}: such a model is never said to agree or
 *       disagree with the physics</li>
 * </ul>
 * E.g. CWRU's ten classes (normal, IR007, B007, OR007, …) and the synthetic drivetrain's {@code bearing_inner_race},
 * {@code bearing_outer_race}, {@code bearing_ball}.
 */
public enum FaultFamily {
  /** Healthy bearing. */
  NORMAL,
  /** Inner-race defect. */
  INNER,
  /** Outer-race defect. */
  OUTER,
  /** Rolling-element defect. */
  BALL,
  /** Cage defect. */
  CAGE,
  /** Not a bearing family this mapping knows. */
  UNKNOWN;

  private static final Pattern INNER_CODE = Pattern.compile("ir(\\d+)?");
  private static final Pattern OUTER_CODE = Pattern.compile("or(\\d+)?(@\\d+)?");
  private static final Pattern BALL_CODE = Pattern.compile("b(\\d+)?");

  /** The family of a class name (mapping in the class comment); null gives {@link #UNKNOWN}. */
  public static FaultFamily ofClass(String className) {
    if (className == null) {
      return UNKNOWN;
    }
    String c = className.trim().toLowerCase(Locale.ROOT);
    if (c.equals("normal") || c.equals("healthy") || c.equals("baseline")) {
      return NORMAL;
    }
    if (INNER_CODE.matcher(c).matches() || c.contains("inner")) {
      return INNER;
    }
    if (OUTER_CODE.matcher(c).matches() || c.contains("outer")) {
      return OUTER;
    }
    if (BALL_CODE.matcher(c).matches() || c.contains("ball") || c.contains("rolling")) {
      return BALL;
    }
    return c.contains("cage") ? CAGE : UNKNOWN;
  }

  /**
   * Whether predicting class {@code predicted} for a window of class {@code actual} names the right family (a wrong
   * size or position of the right race counts, e.g. IR007 for IR021): what family accuracy counts. For a class of no
   * bearing family ({@link #UNKNOWN}, e.g. a gear fault) the class itself must match.
   */
  public static boolean sameFamily(String actual, String predicted) {
    FaultFamily a = ofClass(actual);
    return a == UNKNOWN ? actual.equals(predicted) : a == ofClass(predicted);
  }

  /** The family of a physics verdict. */
  public static FaultFamily of(DefectFamily family) {
    return switch (family) {
      case INNER -> INNER;
      case OUTER -> OUTER;
      case BALL -> BALL;
      case CAGE -> CAGE;
    };
  }

  /** Lower-case name for JSON and reports, e.g. {@code "inner"}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
