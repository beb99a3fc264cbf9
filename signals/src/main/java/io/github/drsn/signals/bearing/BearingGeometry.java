package io.github.drsn.signals.bearing;

/**
 * Rolling-element bearing geometry and its characteristic defect frequencies.
 *
 * <p>Kinematic formulas (no slip; e.g. Randall &amp; Antoni, MSSP 25(2) 2011, eq. 1-4), with n rolling
 * elements of diameter d on pitch diameter D, contact angle φ, and shaft frequency f_r = rpm/60:
 * <ul>
 *   <li>FTF (cage) = f_r/2 · (1 − d/D·cos φ)</li>
 *   <li>BPFO = n · FTF = n·f_r/2 · (1 − d/D·cos φ)</li>
 *   <li>BPFI = n·f_r/2 · (1 + d/D·cos φ)</li>
 *   <li>BSF (ball spin) = D/(2d) · f_r · (1 − (d/D·cos φ)²)</li>
 * </ul>
 * A ball defect strikes both races once per spin, so its envelope spectrum usually shows 2·BSF.
 * Real bearings slip 1-2 %, so measured peaks sit slightly below these values.
 *
 * @param rollingElements number of balls n
 * @param ballDiameter ball diameter d (any length unit, same as {@code pitchDiameter})
 * @param pitchDiameter pitch diameter D
 * @param contactAngleRadians contact angle φ
 */
public record BearingGeometry(int rollingElements, double ballDiameter, double pitchDiameter,
    double contactAngleRadians) {

  /** CWRU drive-end bearing SKF 6205-2RS JEM: 9 balls, d = 0.3126 in, D = 1.537 in. */
  public static final BearingGeometry SKF_6205 = new BearingGeometry(9, 0.3126, 1.537, 0.0);

  /** CWRU fan-end bearing SKF 6203-2RS JEM: 8 balls, d = 0.2656 in, D = 1.122 in. */
  public static final BearingGeometry SKF_6203 = new BearingGeometry(8, 0.2656, 1.122, 0.0);

  /** @throws IllegalArgumentException for a non-physical geometry */
  public BearingGeometry {
    if (rollingElements < 1) {
      throw new IllegalArgumentException("rolling element count must be >= 1, got " + rollingElements);
    }
    if (!(ballDiameter > 0) || !(pitchDiameter > ballDiameter) || Double.isInfinite(pitchDiameter)) {
      throw new IllegalArgumentException("expected 0 < ball diameter < pitch diameter, got d=" + ballDiameter
          + ", D=" + pitchDiameter);
    }
    if (!(Math.abs(contactAngleRadians) < Math.PI / 2)) {
      throw new IllegalArgumentException("contact angle must be in (-pi/2, pi/2), got " + contactAngleRadians);
    }
  }

  private double ratio() {
    return ballDiameter / pitchDiameter * Math.cos(contactAngleRadians);
  }

  /** @return FTF / f_r */
  public double ftfOrder() {
    return 0.5 * (1 - ratio());
  }

  /** @return BPFO / f_r */
  public double bpfoOrder() {
    return rollingElements * ftfOrder();
  }

  /** @return BPFI / f_r */
  public double bpfiOrder() {
    return 0.5 * rollingElements * (1 + ratio());
  }

  /** @return BSF / f_r */
  public double bsfOrder() {
    double r = ratio();
    return pitchDiameter / (2 * ballDiameter) * (1 - r * r);
  }

  /**
   * @param rpm shaft speed in revolutions per minute
   * @return the defect frequencies in Hz at that speed
   * @throws IllegalArgumentException if rpm is not finite and positive
   */
  public DefectFrequencies at(double rpm) {
    if (!(rpm > 0) || Double.isInfinite(rpm)) {
      throw new IllegalArgumentException("rpm must be finite and > 0, got " + rpm);
    }
    double fr = rpm / 60.0;
    return new DefectFrequencies(fr, bpfiOrder() * fr, bpfoOrder() * fr, bsfOrder() * fr, ftfOrder() * fr);
  }

  /**
   * Characteristic frequencies in Hz.
   *
   * @param shaft shaft rotation frequency f_r
   * @param bpfi ball pass frequency, inner race
   * @param bpfo ball pass frequency, outer race
   * @param bsf ball spin frequency
   * @param ftf fundamental train (cage) frequency
   */
  public record DefectFrequencies(double shaft, double bpfi, double bpfo, double bsf, double ftf) {
  }
}
