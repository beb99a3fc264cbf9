package io.github.drsn.datasets.cwru;

import io.github.drsn.signals.bearing.BearingGeometry;
import java.util.Locale;

/**
 * One file of the CWRU Bearing Data Center as catalogued by {@link CwruCatalogue}.
 *
 * @param number the file number ({@code 105} for {@code 105.mat})
 * @param fault the bearing's health state
 * @param diameterInches fault diameter in inches (0 for normal)
 * @param loadHp motor load in horsepower, 0-3
 * @param nominalRpm the speed listed by the Bearing Data Center for this load; the speed stored in the
 *     file ({@code XNNNRPM}) takes precedence when present
 * @param samplingRate sampling rate in Hz (12 000 or 48 000)
 * @param faultyBearing where the fault is
 * @param variableNumber the number in the file's variable names; differs from {@code number} for the
 *     known quirks (174.mat holds {@code X173_*}; 3001-3004 hold {@code X056..X059}, 3005-3008 {@code X048..X051})
 */
public record CwruFile(int number, FaultType fault, double diameterInches, int loadHp, double nominalRpm,
    double samplingRate, BearingEnd faultyBearing, int variableNumber) {

  /** @return the file name, e.g. {@code "105.mat"} */
  public String fileName() {
    return number + ".mat";
  }

  /** @return the fault size in thousandths of an inch, e.g. 7 for 0.007" */
  public int diameterMils() {
    return (int) Math.round(diameterInches * 1000);
  }

  /**
   * The class of the usual 10-class task (docs/protocol.md): {@code "normal"}, or fault code without the
   * outer-race position plus the size, e.g. {@code "IR007"}, {@code "B014"}, {@code "OR021"}.
   *
   * @return the class name
   */
  public String tenClassLabel() {
    if (fault == FaultType.NORMAL) {
      return "normal";
    }
    String code = fault.isOuterRace() ? "OR" : fault.code();
    return code + String.format(Locale.ROOT, "%03d", diameterMils());
  }

  /** @return a fine-grained class name that keeps the outer-race position, e.g. {@code "OR007@3"} */
  public String detailedLabel() {
    if (fault == FaultType.NORMAL) {
      return "normal";
    }
    String size = String.format(Locale.ROOT, "%03d", diameterMils());
    return fault.isOuterRace() ? "OR" + size + fault.code().substring(2) : fault.code() + size;
  }

  /** @return the bearing geometry whose defect frequencies apply (fan end for FE faults) */
  public BearingGeometry geometry() {
    return faultyBearing == BearingEnd.FAN_END ? BearingGeometry.SKF_6203 : BearingGeometry.SKF_6205;
  }
}
