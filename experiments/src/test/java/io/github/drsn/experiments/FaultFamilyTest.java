package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.cwru.CwruTasks;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultFamilyTest {

  @Test
  void theTenCwruClassesCollapseToFourFamilies() {
    List<FaultFamily> families = CwruTasks.TEN_CLASSES.stream().map(FaultFamily::of).toList();
    assertEquals(List.of(FaultFamily.NORMAL, FaultFamily.INNER_RACE, FaultFamily.BALL, FaultFamily.OUTER_RACE,
        FaultFamily.INNER_RACE, FaultFamily.BALL, FaultFamily.OUTER_RACE, FaultFamily.INNER_RACE, FaultFamily.BALL,
        FaultFamily.OUTER_RACE), families);
    assertEquals(4, families.stream().collect(Collectors.toSet()).size());
  }

  @Test
  void aWrongSizeOfTheRightFamilyCountsForFamilyAccuracyAndGearClassesOnlyForThemselves() {
    assertTrue(FaultFamily.sameFamily("IR007", "IR021"));
    assertFalse(FaultFamily.sameFamily("IR007", "OR007"));
    assertEquals(FaultFamily.OUTER_RACE, FaultFamily.of("bearing_outer_race"));
    assertEquals(FaultFamily.NORMAL, FaultFamily.of("healthy"));
    assertEquals(FaultFamily.OTHER, FaultFamily.of("gear_root_crack"));
    assertTrue(FaultFamily.sameFamily("gear_root_crack", "gear_root_crack"));
    assertFalse(FaultFamily.sameFamily("gear_root_crack", "gear_broken_tooth"));
  }
}
