package io.github.drsn.datasets.cwru;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The file numbers of the CWRU Bearing Data Center (engineering.case.edu/bearingdatacenter) with what
 * each file holds: fault type, size, load, nominal speed, sampling rate and faulty bearing.
 *
 * <p>Covered: normal baseline 97-100; 12 kHz drive-end faults (0.007-0.021" IR/B/OR@3/@6/@12, and
 * 0.028" IR/B in files 3001-3008); 48 kHz drive-end faults; 12 kHz fan-end faults. Nominal speeds per
 * load are 1797/1772/1750/1730 rpm for 0/1/2/3 hp.
 *
 * <p>Known quirks encoded here (see {@code shared/data/cwru/MANIFEST.md}):
 * <ul>
 *   <li>The normal baseline files (97-100) are sampled at 48 kHz, although the site files them with
 *       the 12 kHz data (Smith &amp; Randall, MSSP 64-65, 2015).</li>
 *   <li>174.mat (48 kHz, IR014, 0 hp) holds variables named {@code X173_*}.</li>
 *   <li>3001-3008 (12 kHz, 0.028") hold only a drive-end channel, named {@code X056..X059} and
 *       {@code X048..X051}, and no RPM variable.</li>
 *   <li>Some position/load combinations do not exist (e.g. 12 kHz OR007@12 at 1 hp is 158, there is no
 *       157; fan-end OR014@3 at 0 hp is 310 and at 1 hp 309).</li>
 * </ul>
 * The 12 kHz drive-end and normal entries were checked against the files in {@code shared/data/cwru}
 * (lengths, speeds, sampling rates: see {@code CwruDataTest}); the 48 kHz and fan-end entries follow the
 * Bearing Data Center tables and are not checked against files here.
 */
public final class CwruCatalogue {

  /** Nominal speed in rpm for loads 0, 1, 2, 3 hp. */
  private static final double[] NOMINAL_RPM = {1797, 1772, 1750, 1730};

  private static final Map<Integer, CwruFile> FILES;

  static {
    Map<Integer, CwruFile> files = new TreeMap<>();
    BearingEnd de = BearingEnd.DRIVE_END;
    BearingEnd fe = BearingEnd.FAN_END;
    // normal baseline, 48 kHz (see class javadoc)
    add(files, FaultType.NORMAL, 0, 48_000, BearingEnd.NONE, 97, 98, 99, 100);
    // 12 kHz drive end
    add(files, FaultType.INNER_RACE, 0.007, 12_000, de, 105, 106, 107, 108);
    add(files, FaultType.BALL, 0.007, 12_000, de, 118, 119, 120, 121);
    add(files, FaultType.OUTER_RACE_AT_6, 0.007, 12_000, de, 130, 131, 132, 133);
    add(files, FaultType.OUTER_RACE_AT_3, 0.007, 12_000, de, 144, 145, 146, 147);
    add(files, FaultType.OUTER_RACE_AT_12, 0.007, 12_000, de, 156, 158, 159, 160);
    add(files, FaultType.INNER_RACE, 0.014, 12_000, de, 169, 170, 171, 172);
    add(files, FaultType.BALL, 0.014, 12_000, de, 185, 186, 187, 188);
    add(files, FaultType.OUTER_RACE_AT_6, 0.014, 12_000, de, 197, 198, 199, 200);
    add(files, FaultType.INNER_RACE, 0.021, 12_000, de, 209, 210, 211, 212);
    add(files, FaultType.BALL, 0.021, 12_000, de, 222, 223, 224, 225);
    add(files, FaultType.OUTER_RACE_AT_6, 0.021, 12_000, de, 234, 235, 236, 237);
    add(files, FaultType.OUTER_RACE_AT_3, 0.021, 12_000, de, 246, 247, 248, 249);
    add(files, FaultType.OUTER_RACE_AT_12, 0.021, 12_000, de, 258, 259, 260, 261);
    addRenamed(files, FaultType.INNER_RACE, 0.028, 12_000, de, new int[] {3001, 3002, 3003, 3004},
        new int[] {56, 57, 58, 59});
    addRenamed(files, FaultType.BALL, 0.028, 12_000, de, new int[] {3005, 3006, 3007, 3008},
        new int[] {48, 49, 50, 51});
    // 48 kHz drive end
    add(files, FaultType.INNER_RACE, 0.007, 48_000, de, 109, 110, 111, 112);
    add(files, FaultType.BALL, 0.007, 48_000, de, 122, 123, 124, 125);
    add(files, FaultType.OUTER_RACE_AT_6, 0.007, 48_000, de, 135, 136, 137, 138);
    add(files, FaultType.OUTER_RACE_AT_3, 0.007, 48_000, de, 148, 149, 150, 151);
    add(files, FaultType.OUTER_RACE_AT_12, 0.007, 48_000, de, 161, 162, 163, 164);
    addRenamed(files, FaultType.INNER_RACE, 0.014, 48_000, de, new int[] {174, 175, 176, 177},
        new int[] {173, 175, 176, 177});
    add(files, FaultType.BALL, 0.014, 48_000, de, 189, 190, 191, 192);
    add(files, FaultType.OUTER_RACE_AT_6, 0.014, 48_000, de, 201, 202, 203, 204);
    add(files, FaultType.INNER_RACE, 0.021, 48_000, de, 213, 214, 215, 217);
    add(files, FaultType.BALL, 0.021, 48_000, de, 226, 227, 228, 229);
    add(files, FaultType.OUTER_RACE_AT_6, 0.021, 48_000, de, 238, 239, 240, 241);
    add(files, FaultType.OUTER_RACE_AT_3, 0.021, 48_000, de, 250, 251, 252, 253);
    add(files, FaultType.OUTER_RACE_AT_12, 0.021, 48_000, de, 262, 263, 264, 265);
    // 12 kHz fan end
    add(files, FaultType.INNER_RACE, 0.007, 12_000, fe, 278, 279, 280, 281);
    add(files, FaultType.BALL, 0.007, 12_000, fe, 282, 283, 284, 285);
    add(files, FaultType.OUTER_RACE_AT_6, 0.007, 12_000, fe, 294, 295, 296, 297);
    add(files, FaultType.OUTER_RACE_AT_3, 0.007, 12_000, fe, 298, 299, 300, 301);
    add(files, FaultType.OUTER_RACE_AT_12, 0.007, 12_000, fe, 302, 305, 306, 307);
    add(files, FaultType.INNER_RACE, 0.014, 12_000, fe, 274, 275, 276, 277);
    add(files, FaultType.BALL, 0.014, 12_000, fe, 286, 287, 288, 289);
    add(files, FaultType.OUTER_RACE_AT_3, 0.014, 12_000, fe, 310, 309, 311, 312);
    put(files, new CwruFile(313, FaultType.OUTER_RACE_AT_6, 0.014, 0, NOMINAL_RPM[0], 12_000, fe, 313));
    add(files, FaultType.INNER_RACE, 0.021, 12_000, fe, 270, 271, 272, 273);
    add(files, FaultType.BALL, 0.021, 12_000, fe, 290, 291, 292, 293);
    put(files, new CwruFile(315, FaultType.OUTER_RACE_AT_6, 0.021, 0, NOMINAL_RPM[0], 12_000, fe, 315));
    for (int load = 1; load <= 3; load++) {
      int number = 315 + load;
      put(files, new CwruFile(number, FaultType.OUTER_RACE_AT_3, 0.021, load, NOMINAL_RPM[load], 12_000, fe, number));
    }
    FILES = Collections.unmodifiableMap(files);
  }

  private CwruCatalogue() {
  }

  private static void add(Map<Integer, CwruFile> files, FaultType fault, double size, double fs, BearingEnd end,
      int... numbersByLoad) {
    addRenamed(files, fault, size, fs, end, numbersByLoad, numbersByLoad);
  }

  private static void addRenamed(Map<Integer, CwruFile> files, FaultType fault, double size, double fs,
      BearingEnd end, int[] numbersByLoad, int[] variableNumbers) {
    for (int load = 0; load < numbersByLoad.length; load++) {
      put(files, new CwruFile(numbersByLoad[load], fault, size, load, NOMINAL_RPM[load], fs, end,
          variableNumbers[load]));
    }
  }

  private static void put(Map<Integer, CwruFile> files, CwruFile file) {
    if (files.put(file.number(), file) != null) {
      throw new IllegalStateException("CWRU file number " + file.number() + " catalogued twice");
    }
  }

  /**
   * @param number a file number
   * @return the catalogue entry, if the number is known
   */
  public static Optional<CwruFile> find(int number) {
    return Optional.ofNullable(FILES.get(number));
  }

  /**
   * @param number a file number
   * @return the catalogue entry
   * @throws IllegalArgumentException naming the number and the known ranges if it is unknown
   */
  public static CwruFile require(int number) {
    CwruFile file = FILES.get(number);
    if (file == null) {
      throw new IllegalArgumentException("unknown CWRU file number " + number + ": expected a Bearing Data Center"
          + " file number (normal 97-100, 12k DE 105-261 and 3001-3008, 48k DE 109-265, 12k FE 270-318);"
          + " known numbers: " + FILES.keySet());
    }
    return file;
  }

  /**
   * The files whose variables carry a number ({@code X105_DE_time} is 105), for recognising a CWRU file by its
   * contents when it has been renamed; the known quirks apply (X173 is 174.mat).
   *
   * @param variableNumber the number in the variable names
   * @return the matching catalogue entries (usually one; empty if none)
   */
  public static List<CwruFile> findByVariableNumber(int variableNumber) {
    return FILES.values().stream().filter(f -> f.variableNumber() == variableNumber).toList();
  }

  /** @return all catalogued files, by file number */
  public static List<CwruFile> all() {
    return new ArrayList<>(FILES.values());
  }
}
