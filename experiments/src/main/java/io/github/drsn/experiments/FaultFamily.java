package io.github.drsn.experiments;

import java.util.Locale;

/**
 * The fault family of a class name, for reporting shift protocols twice (issue #16): the ten CWRU classes collapse
 * to normal, inner race, outer race and ball (size and position are what shifts between sessions and rigs, the
 * family is what a maintenance decision needs). Names are matched by the conventions of the project's data sets:
 * CWRU's {@code normal, IR007, OR014, B021, …} and the synthetic drivetrain's {@code healthy, bearing_inner_race, …};
 * any other class is its own family.
 */
public enum FaultFamily {
  /** No fault. */
  NORMAL,
  /** Inner-race fault of any size. */
  INNER_RACE,
  /** Outer-race fault of any size or position. */
  OUTER_RACE,
  /** Ball (rolling element) fault of any size. */
  BALL,
  /** A class outside the four bearing families (e.g. a gear fault). */
  OTHER;

  /** The family of a class name. */
  public static FaultFamily of(String className) {
    String c = className.toLowerCase(Locale.ROOT);
    if (c.equals("normal") || c.equals("healthy")) {
      return NORMAL;
    }
    if (c.matches("ir\\d+.*") || c.contains("inner")) {
      return INNER_RACE;
    }
    if (c.matches("or\\d+.*") || c.contains("outer")) {
      return OUTER_RACE;
    }
    if (c.matches("b\\d+.*") || c.contains("ball")) {
      return BALL;
    }
    return OTHER;
  }

  /**
   * Whether predicting {@code predicted} for a window of {@code actual} names the right family; for classes of no
   * bearing family ({@link #OTHER}) the class itself must match.
   */
  public static boolean sameFamily(String actual, String predicted) {
    FaultFamily a = of(actual);
    return a == OTHER ? actual.equals(predicted) : a == of(predicted);
  }
}
