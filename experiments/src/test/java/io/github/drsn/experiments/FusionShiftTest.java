package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.experiments.FusionShift.Outcome;
import io.github.drsn.runtime.explain.FaultFamily;
import io.github.drsn.signals.bearing.BearingCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionShiftTest {

  private static final List<String> CWRU = List.of("IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021",
      "B021", "OR021");
  private static final List<String> SYNTHETIC = List.of("healthy", "bearing_inner_race", "bearing_outer_race",
      "bearing_ball", "gear_root_crack");

  @Test
  void scoresClassFamilyAbstentionAndWrongAnswers() {
    assertEquals(Outcome.RIGHT_CLASS, FusionShift.score("IR014", "IR014", FaultFamily.INNER, CWRU));
    // The network's size is wrong but the family right; the fused "inner (size unknown)" as well.
    assertEquals(Outcome.RIGHT_FAMILY, FusionShift.score("IR014", "IR007", FaultFamily.INNER, CWRU));
    assertEquals(Outcome.RIGHT_FAMILY, FusionShift.score("IR014", "inner (size unknown)", FaultFamily.INNER, CWRU));
    // An uncertain file whose fused family (physics) is right counts as that family.
    assertEquals(Outcome.RIGHT_FAMILY, FusionShift.score("OR021", "uncertain", FaultFamily.OUTER, CWRU));
    assertEquals(Outcome.ABSTAINS, FusionShift.score("OR021", "uncertain", FaultFamily.UNKNOWN, CWRU));
    assertEquals(Outcome.ABSTAINS, FusionShift.score("B014", "unknown", FaultFamily.UNKNOWN, CWRU));
    assertEquals(Outcome.WRONG, FusionShift.score("OR014", "IR007", FaultFamily.INNER, CWRU));
    assertEquals(Outcome.WRONG, FusionShift.score("B021", "inner (size unknown)", FaultFamily.INNER, CWRU));
  }

  @Test
  void aClassOfNoBearingFamilyIsRightOnlyByName() {
    assertEquals(Outcome.RIGHT_CLASS, FusionShift.score("gear_root_crack", "gear_root_crack", FaultFamily.UNKNOWN,
        SYNTHETIC));
    // Another class of no known family is a wrong answer, not an abstention.
    assertEquals(Outcome.WRONG, FusionShift.score("gear_root_crack", "healthy", FaultFamily.NORMAL, SYNTHETIC));
    assertEquals(Outcome.WRONG, FusionShift.score("healthy", "gear_root_crack", FaultFamily.UNKNOWN, SYNTHETIC));
    assertEquals(Outcome.ABSTAINS, FusionShift.score("gear_root_crack", "uncertain", FaultFamily.UNKNOWN, SYNTHETIC));
  }

  @Test
  void tableCountsRightFamilyIncludingRightClassAndReviewOnlyForFused() {
    FusionShift.Tally network = new FusionShift.Tally();
    network.add(Outcome.RIGHT_CLASS, false, false);
    network.add(Outcome.RIGHT_FAMILY, false, false);
    network.add(Outcome.WRONG, true, false);
    FusionShift.Tally fused = new FusionShift.Tally();
    fused.add(Outcome.RIGHT_FAMILY, false, true);
    fused.add(Outcome.RIGHT_FAMILY, false, false);
    fused.add(Outcome.ABSTAINS, false, false);
    FusionShift.Tally best = new FusionShift.Tally();
    // Its most probable class: OR014 for an OR007 recording at 0.95 (right family), IR007 at 0.92 (confidently wrong).
    best.addMostProbable("OR007", json("{\"most_probable\": \"OR014\", \"confidence\": 0.95}"));
    best.addMostProbable("OR007", json("{\"most_probable\": \"IR007\", \"confidence\": 0.92}"));
    best.addMostProbable("OR007", json("{\"most_probable\": null}"));
    Map<String, FusionShift.Tally[]> tallies = new LinkedHashMap<>();
    tallies.put("cross-load | -4 dB", new FusionShift.Tally[] {network, fused, best});
    String table = FusionShift.table(tallies);
    assertTrue(table.contains("| cross-load | -4 dB | 3 | network alone | 1 | 2 | 0 | 1 | 1 | - |"), table);
    assertTrue(table.contains("|  |  | 3 | fused | 0 | 2 | 1 | 0 | 0 | 1 |"), table);
    assertTrue(table.contains("|  |  | 3 | network's most probable class | 0 | 1 | 1 | 1 | 1 | - |"), table);
  }

  @Test
  void bearingOfEachSourceAndNoiseSeedsPerRecordingAndLevel() {
    DataSettings cwru = RunSettings.DEFAULTS.data();
    assertEquals(BearingCatalogue.require("cwru-de"), FusionShift.geometry(withSource(cwru, "cwru")));
    // The simulated drivetrain carries SKF 6205 kinematics (BPFO 3.585 x shaft speed).
    assertEquals(3.585, FusionShift.geometry(cwru).at(60).bpfo(), 1e-3);
    assertTrue(FusionShift.noiseSeed("cwru-108", -4) != FusionShift.noiseSeed("cwru-108", -8));
    assertTrue(FusionShift.noiseSeed("cwru-108", -4) != FusionShift.noiseSeed("cwru-121", -4));
  }

  @Test
  void protocolFilesAreNamedBySlug() {
    assertEquals("cross-load-0-2-hp-3-hp", FusionShift.slug("cross-load 0-2 hp -> 3 hp"));
    assertEquals("synthetic-900-and-2100-rpm", FusionShift.slug("Synthetic, 900 and 2100 rpm"));
  }

  @Test
  void unknownConfigKeysAreErrors(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.json");
    Files.writeString(config, "{\"protocols\": [], \"protocol\": 1}");
    Exception e = assertThrows(Exception.class, () -> FusionShift.read(config));
    assertTrue(e.getMessage().contains("protocol"), e.getMessage());
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DataSettings withSource(DataSettings d, String source) {
    return new DataSettings(DataSettings.Source.valueOf(source), "../shared/data/cwru", d.manifest(), d.seed(),
        d.split(), d.fractions(), d.trainLoads(), d.testLoads(), d.window(), d.trainStride(), d.excludeClasses(),
        d.skipUnreadable(), d.synthetic(), d.resampleTo());
  }
}
