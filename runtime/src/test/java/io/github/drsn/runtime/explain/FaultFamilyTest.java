package io.github.drsn.runtime.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultFamilyTest {

  @Test
  void theTenCwruClassesCollapseToFourFamilies() {
    List<String> cwru = List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");
    assertEquals(List.of(FaultFamily.NORMAL, FaultFamily.INNER, FaultFamily.BALL, FaultFamily.OUTER,
        FaultFamily.INNER, FaultFamily.BALL, FaultFamily.OUTER, FaultFamily.INNER, FaultFamily.BALL,
        FaultFamily.OUTER), cwru.stream().map(FaultFamily::ofClass).toList());
    assertEquals(FaultFamily.OUTER, FaultFamily.ofClass("OR007@6"));
    assertEquals(FaultFamily.OUTER, FaultFamily.ofClass("OR@6"));
  }

  @Test
  void theSyntheticDrivetrainsBearingStatesHaveFamiliesAndItsGearStatesDoNot() {
    assertEquals(FaultFamily.NORMAL, FaultFamily.ofClass("healthy"));
    assertEquals(FaultFamily.INNER, FaultFamily.ofClass("bearing_inner_race"));
    assertEquals(FaultFamily.OUTER, FaultFamily.ofClass("bearing_outer_race"));
    assertEquals(FaultFamily.BALL, FaultFamily.ofClass("bearing_ball"));
    assertEquals(FaultFamily.UNKNOWN, FaultFamily.ofClass("gear_root_crack"));
    assertEquals(FaultFamily.UNKNOWN, FaultFamily.ofClass("bravo"), "a name that only starts like a code");
    assertEquals(FaultFamily.UNKNOWN, FaultFamily.ofClass(null));
  }

  @Test
  void aWrongSizeOfTheRightFamilyCountsForFamilyAccuracyAndGearClassesOnlyForThemselves() {
    assertTrue(FaultFamily.sameFamily("IR007", "IR021"));
    assertTrue(FaultFamily.sameFamily("OR014", "OR007@6"));
    assertFalse(FaultFamily.sameFamily("IR007", "OR007"));
    assertFalse(FaultFamily.sameFamily("normal", "B007"));
    assertTrue(FaultFamily.sameFamily("gear_root_crack", "gear_root_crack"));
    assertFalse(FaultFamily.sameFamily("gear_root_crack", "gear_broken_tooth"));
  }
}
