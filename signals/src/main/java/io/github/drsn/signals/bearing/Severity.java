package io.github.drsn.signals.bearing;

import io.github.drsn.signals.Fft;
import io.github.drsn.signals.Spectrum;
import java.util.Locale;

/**
 * Vibration severity as ISO 20816-3:2022 ("Mechanical vibration — Measurement and evaluation of machine
 * vibration — Part 3: Industrial machinery with a power rating above 15 kW and operating speeds between
 * 120 r/min and 30 000 r/min") defines it for the bearing housing: the r.m.s. vibration velocity over
 * 10-1000 Hz, judged against zone boundaries per machine group and foundation (Annex A, Table A.1 for
 * group 1, Table A.2 for group 2).
 *
 * <p>Velocity from acceleration by integration in the frequency domain: with the one-sided power spectrum
 * P_k of the acceleration ({@link Fft#powerSpectrum}, Σ P_k = mean(a²)), v_rms² = Σ_{10 ≤ f_k ≤ 1000}
 * P_k / (2π f_k)². A sine a(t) = A sin(2π f t) with 10 ≤ f ≤ 1000 Hz gives v_rms = A / (√2 · 2π f).
 */
public final class Severity {

  /** Lower edge of the ISO 20816-3 velocity band, Hz. */
  public static final double LOW_HZ = 10;

  /** Upper edge of the ISO 20816-3 velocity band, Hz. */
  public static final double HIGH_HZ = 1000;

  /** Standard gravity, m/s² per g. */
  public static final double STANDARD_GRAVITY = 9.80665;

  private Severity() {}

  /** The unit of the samples. */
  public enum Units {
    /** Acceleration in standard gravities (CWRU's unit). */
    G("g"),
    /** Acceleration in m/s². */
    M_PER_S2("m/s2"),
    /** Velocity in mm/s. */
    MM_PER_S("mm/s");

    private final String label;

    Units(String label) {
      this.label = label;
    }

    /** As written on the command line, e.g. {@code m/s2}. */
    public String label() {
      return label;
    }

    /**
     * The unit of that label ({@code g}, {@code m/s2}, {@code mm/s}), case-insensitive.
     *
     * @throws IllegalArgumentException naming the text and the accepted labels
     */
    public static Units parse(String text) {
      for (Units u : values()) {
        if (u.label.equalsIgnoreCase(text == null ? "" : text.trim())) {
          return u;
        }
      }
      throw new IllegalArgumentException("unknown units '" + text + "'; expected g, m/s2 or mm/s");
    }
  }

  /** ISO 20816-3 machine groups. */
  public enum MachineGroup {
    /** Group 1: large machines, rated power above 300 kW (and electrical machines with shaft height ≥ 315 mm). */
    GROUP_1,
    /** Group 2: medium machines, 15 kW to 300 kW (and electrical machines with shaft height 160-315 mm). */
    GROUP_2
  }

  /** ISO 20816-3 support flexibility. */
  public enum Foundation {
    /** Lowest natural frequency of machine and support at least 25 % above the main excitation frequency. */
    RIGID,
    /** Any other support. */
    FLEXIBLE
  }

  /** ISO 20816-3 evaluation zones. */
  public enum Zone {
    /** Newly commissioned machines. */
    A,
    /** Acceptable for unrestricted long-term operation. */
    B,
    /** Not acceptable for long-term continuous operation; limited operation until remedial action. */
    C,
    /** Severe enough to cause damage. */
    D
  }

  /**
   * A severity assessment.
   *
   * @param velocityRmsMmPerS r.m.s. velocity over 10-1000 Hz, mm/s
   * @param zone the zone, or null when the machine group or foundation is unknown
   * @param group the machine group, or null
   * @param foundation the foundation, or null
   */
  public record Assessment(double velocityRmsMmPerS, Zone zone, MachineGroup group, Foundation foundation) {}

  /**
   * Zone boundaries A/B, B/C, C/D in mm/s r.m.s. (ISO 20816-3:2022 Table A.1, group 1: rigid 2.3/4.5/7.1,
   * flexible 3.5/7.1/11.0; Table A.2, group 2: rigid 1.4/2.8/4.5, flexible 2.3/4.5/7.1).
   */
  public static double[] boundaries(MachineGroup group, Foundation foundation) {
    if (group == null || foundation == null) {
      throw new IllegalArgumentException("machine group and foundation are both needed, got " + group + ", "
          + foundation);
    }
    return switch (group) {
      case GROUP_1 -> foundation == Foundation.RIGID ? new double[] {2.3, 4.5, 7.1} : new double[] {3.5, 7.1, 11.0};
      case GROUP_2 -> foundation == Foundation.RIGID ? new double[] {1.4, 2.8, 4.5} : new double[] {2.3, 4.5, 7.1};
    };
  }

  /** The zone of a velocity: A below the A/B boundary, B from it up to B/C, and so on (a boundary belongs above). */
  public static Zone zone(double velocityRmsMmPerS, MachineGroup group, Foundation foundation) {
    double[] b = boundaries(group, foundation);
    if (velocityRmsMmPerS < b[0]) {
      return Zone.A;
    }
    if (velocityRmsMmPerS < b[1]) {
      return Zone.B;
    }
    return velocityRmsMmPerS < b[2] ? Zone.C : Zone.D;
  }

  /**
   * r.m.s. velocity over 10-1000 Hz in mm/s (formula in the class comment).
   *
   * @param x samples in {@code units}
   * @param fs sampling rate in Hz, above 2000 Hz so the band is inside Nyquist
   * @param units the samples' unit
   * @throws IllegalArgumentException for bad samples, a rate at or below 2000 Hz, or a recording shorter than
   *     0.5 s (10 Hz needs a few periods)
   */
  public static double velocityRmsMmPerS(double[] x, double fs, Units units) {
    if (units == null) {
      throw new IllegalArgumentException("units are null; expected g, m/s2 or mm/s");
    }
    if (!(fs > 2 * HIGH_HZ) || Double.isInfinite(fs)) {
      throw new IllegalArgumentException("sampling rate " + fs + " Hz is too low for the 10-1000 Hz velocity band;"
          + " expected above 2000 Hz");
    }
    if (x == null || x.length < fs / 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "recording of %d samples (%.3f s) is too short"
          + " for the 10-1000 Hz velocity band; expected at least 0.5 s", x == null ? 0 : x.length,
          (x == null ? 0 : x.length) / fs));
    }
    Spectrum p = Fft.powerSpectrum(x, fs);
    double sum = 0;
    for (int k = 1; k < p.size(); k++) {
      double f = p.frequency(k);
      if (f < LOW_HZ || f > HIGH_HZ) {
        continue;
      }
      sum += units == Units.MM_PER_S ? p.value(k) : p.value(k) / Math.pow(2 * Math.PI * f, 2);
    }
    double scale = switch (units) {
      case G -> STANDARD_GRAVITY * 1000;
      case M_PER_S2 -> 1000;
      case MM_PER_S -> 1;
    };
    return Math.sqrt(sum) * scale;
  }

  /**
   * Velocity and, when group and foundation are both known, the zone.
   *
   * @param group null when unknown
   * @param foundation null when unknown
   */
  public static Assessment assess(double[] x, double fs, Units units, MachineGroup group, Foundation foundation) {
    double v = velocityRmsMmPerS(x, fs, units);
    Zone z = group != null && foundation != null ? zone(v, group, foundation) : null;
    return new Assessment(v, z, group, foundation);
  }
}
