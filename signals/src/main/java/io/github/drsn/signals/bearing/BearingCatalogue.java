package io.github.drsn.signals.bearing;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Named bearings and the parser for a user's geometry. One home for the CWRU rig's bearings, used by the
 * data set code, the runtime's explanations and the command line alike.
 *
 * <p>Defect orders (multiples of the shaft speed) the Case Western Reserve University Bearing Data Center
 * publishes for its rig, which {@link BearingGeometry} reproduces within 1e-3:
 * <table>
 *   <caption>CWRU bearing defect orders</caption>
 *   <tr><th>bearing</th><th>inner (BPFI)</th><th>outer (BPFO)</th><th>cage (FTF)</th><th>rolling element (2·BSF)</th></tr>
 *   <tr><td>drive end SKF 6205-2RS JEM</td><td>5.4152</td><td>3.5848</td><td>0.39828</td><td>4.7135</td></tr>
 *   <tr><td>fan end SKF 6203-2RS JEM</td><td>4.9469</td><td>3.0530</td><td>0.3817</td><td>3.9874</td></tr>
 * </table>
 */
public final class BearingCatalogue {

  private static final Map<String, BearingGeometry> NAMED = new LinkedHashMap<>();

  static {
    NAMED.put("skf-6205", BearingGeometry.SKF_6205);
    NAMED.put("skf-6203", BearingGeometry.SKF_6203);
    // The CWRU rig's positions, as a user of that rig names them.
    NAMED.put("cwru-de", BearingGeometry.SKF_6205);
    NAMED.put("cwru-fe", BearingGeometry.SKF_6203);
  }

  private BearingCatalogue() {}

  /** The catalogue's names, e.g. {@code skf-6205}, {@code cwru-de}. */
  public static java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(NAMED.keySet());
  }

  /**
   * The bearing of that name, case-insensitive; {@code "SKF 6205-2RS"} and {@code "6205"} are accepted for
   * {@code skf-6205} (spaces, underscores and the seal suffix are ignored).
   */
  public static Optional<BearingGeometry> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String key = name.trim().toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-')
        .replaceAll("-2rs(-jem)?$", "");
    if (key.matches("\\d{4}")) {
      key = "skf-" + key;
    }
    return Optional.ofNullable(NAMED.get(key));
  }

  /**
   * As {@link #find} but failing with the known names.
   *
   * @throws IllegalArgumentException naming the input and the catalogue's names when unknown
   */
  public static BearingGeometry require(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("unknown bearing '" + name
        + "'; known bearings are " + NAMED.keySet() + ", or give the geometry as n,d,D,angle"));
  }

  /**
   * A catalogued name ({@link #require}) or a geometry {@code n,d,D,angle} ({@link #parseGeometry}): text with a
   * comma is read as a geometry.
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static BearingGeometry resolve(String nameOrGeometry) {
    return nameOrGeometry != null && nameOrGeometry.contains(",") ? parseGeometry(nameOrGeometry)
        : require(nameOrGeometry);
  }

  /**
   * Parses {@code n,d,D,angle}: rolling elements, ball diameter, pitch diameter (same length unit) and the
   * contact angle in degrees, e.g. {@code 9,0.3126,1.537,0} for the SKF 6205.
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static BearingGeometry parseGeometry(String text) {
    String expected = "expected n,d,D,angle (rolling elements, ball diameter, pitch diameter, contact angle in"
        + " degrees), e.g. 9,0.3126,1.537,0";
    if (text == null) {
      throw new IllegalArgumentException("no geometry given; " + expected);
    }
    String[] parts = text.split(",", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("geometry '" + text + "' has " + parts.length + " fields; " + expected);
    }
    try {
      int n = Integer.parseInt(parts[0].trim());
      double d = Double.parseDouble(parts[1].trim());
      double pitch = Double.parseDouble(parts[2].trim());
      double angle = Double.parseDouble(parts[3].trim());
      if (!Double.isFinite(angle)) {
        throw new IllegalArgumentException("geometry '" + text + "': contact angle " + angle + " is not finite; "
            + expected);
      }
      return new BearingGeometry(n, d, pitch, Math.toRadians(angle));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("geometry '" + text + "' is not numeric; " + expected, e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("geometry '")) {
        throw e;
      }
      throw new IllegalArgumentException("geometry '" + text + "': " + e.getMessage(), e);
    }
  }
}
