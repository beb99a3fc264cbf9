package io.github.drsn.signals.bearing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The formulas reproduce the CWRU Bearing Data Center's published defect orders; names and geometries parse. */
class BearingCatalogueTest {

  @Test
  void formulasMatchThePublishedMultiplesOfShaftSpeed() {
    BearingGeometry de = BearingCatalogue.require("cwru-de");
    assertEquals(5.4152, de.bpfiOrder(), 1e-3);
    assertEquals(3.5848, de.bpfoOrder(), 1e-3);
    assertEquals(0.39828, de.ftfOrder(), 1e-3);
    assertEquals(4.7135, 2 * de.bsfOrder(), 1e-3);
    BearingGeometry fe = BearingCatalogue.require("SKF 6203-2RS JEM");
    assertEquals(4.9469, fe.bpfiOrder(), 1e-3);
    assertEquals(3.0530, fe.bpfoOrder(), 1e-3);
    assertEquals(0.3817, fe.ftfOrder(), 1e-3);
    assertEquals(3.9874, 2 * fe.bsfOrder(), 1e-3);
    BearingGeometry.DefectFrequencies f = de.at(1797);
    assertEquals(162.19, f.bpfi(), 0.01);
    assertEquals(107.36, f.bpfo(), 0.01);
    assertEquals(70.59, f.bsf(), 0.01);
    assertEquals(11.93, f.ftf(), 0.01);
  }

  @Test
  void namesAreForgivingButUnknownOnesAreRefusedWithTheList() {
    assertSame(BearingGeometry.SKF_6205, BearingCatalogue.require("6205"));
    assertSame(BearingGeometry.SKF_6205, BearingCatalogue.require("skf_6205-2rs"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BearingCatalogue.require("6310"));
    assertTrue(e.getMessage().contains("unknown bearing '6310'") && e.getMessage().contains("skf-6205"),
        e.getMessage());
  }

  @Test
  void aGeometryParsesWithItsAngleInDegrees() {
    BearingGeometry g = BearingCatalogue.parseGeometry("9, 0.3126, 1.537, 0");
    assertEquals(BearingGeometry.SKF_6205.bpfiOrder(), g.bpfiOrder(), 1e-12);
    BearingGeometry angled = BearingCatalogue.parseGeometry("12,7.5,38.5,15");
    assertEquals(Math.toRadians(15), angled.contactAngleRadians(), 1e-12);
    assertEquals(0.5 * 12 * (1 + 7.5 / 38.5 * Math.cos(Math.toRadians(15))), angled.bpfiOrder(), 1e-12);
    for (String bad : new String[] {"9,0.3,1.5", "nine,0.3,1.5,0", "9,2,1.5,0", "9,0.3,1.5,95", "0,0.3,1.5,0"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> BearingCatalogue.parseGeometry(bad));
      assertTrue(e.getMessage().contains("geometry '" + bad + "'"), e.getMessage());
    }
  }
}
