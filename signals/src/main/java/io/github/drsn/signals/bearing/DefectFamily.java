package io.github.drsn.signals.bearing;

/**
 * The four kinds of localised bearing defect and the envelope-spectrum line each produces (Randall &amp;
 * Antoni, MSSP 25(2) 2011, Sec. 2). The {@link #fundamentalOrder} is the line whose harmonics are searched:
 * BPFO, BPFI, FTF, and for a rolling element 2·BSF, because a damaged ball strikes both races once per spin.
 */
public enum DefectFamily {
  /** Outer race: impacts at BPFO, nearly constant in amplitude (the defect stays in the load zone). */
  OUTER("outer"),
  /** Inner race: impacts at BPFI, amplitude-modulated at the shaft speed (sidebands at BPFI ± f_r). */
  INNER("inner"),
  /** Rolling element: impacts at 2·BSF, modulated at the cage speed FTF. */
  BALL("ball"),
  /** Cage: modulation at FTF. */
  CAGE("cage");

  private final String label;

  DefectFamily(String label) {
    this.label = label;
  }

  /** Lower-case name used in JSON and reports, e.g. {@code "inner"}. */
  public String label() {
    return label;
  }

  /** The searched line as a multiple of the shaft frequency for that bearing (2·BSF for {@link #BALL}). */
  public double fundamentalOrder(BearingGeometry geometry) {
    return switch (this) {
      case OUTER -> geometry.bpfoOrder();
      case INNER -> geometry.bpfiOrder();
      case BALL -> 2 * geometry.bsfOrder();
      case CAGE -> geometry.ftfOrder();
    };
  }
}
