package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The open-set summary over cells of which only some were scored by a method (committed cells evaluated before the
 * layer ensemble existed, beside re-evaluated ones).
 */
class OpenSetSummaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode row(String method, String heldOut, double flag, double falseAlarms, double auroc) {
    return row("drsn-cw", method, heldOut, flag, falseAlarms, auroc);
  }

  private static JsonNode row(String model, String method, String heldOut, double flag, double falseAlarms,
      double auroc) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("model", model);
    r.put("method", method);
    r.put("held_out_class", heldOut);
    r.put("snr_db", -4.0);
    r.put("flag_rate", flag);
    r.put("false_alarm_rate", falseAlarms);
    r.put("auroc", auroc);
    r.put("known_ece_after", 0.02);
    return JSON.valueToTree(r);
  }

  @Test
  void aMethodMissingFromSomeCellsIsAveragedOverTheCellsThatHaveItAndSaidSo() {
    List<JsonNode> rows = new ArrayList<>();
    // Cell B007: three methods (evaluated before the layer ensemble); cell OR021: all four.
    rows.add(row("max_softmax", "B007", 0.2, 0.05, 0.6));
    rows.add(row("mahalanobis", "B007", 0.5, 0.04, 0.8));
    rows.add(row("energy", "B007", 0.3, 0.05, 0.7));
    rows.add(row("max_softmax", "OR021", 0.4, 0.03, 0.7));
    rows.add(row("mahalanobis", "OR021", 0.7, 0.05, 0.9));
    rows.add(row("energy", "OR021", 0.5, 0.04, 0.8));
    rows.add(row("mahalanobis_layers", "OR021", 0.9, 0.04, 0.95));
    String md = OpenSetEvaluation.summary(rows);
    assertTrue(md.contains("| drsn-cw | mahalanobis | -4.0 dB | 2 | 60.0 % | 4.5 % | 0.850 | 2.00 % | no |\n"), md);
    assertTrue(md.contains("| drsn-cw | mahalanobis_layers | -4.0 dB | 1 | 90.0 % | 4.0 % | 0.950 | 2.00 % | yes |\n"),
        md);
    assertTrue(md.contains("Scored in fewer cells than the other methods (cells evaluated before the method existed;"
        + " re-evaluate them to compare over the same cells): drsn-cw | mahalanobis_layers | -4.0 dB (1 of 2).\n"), md);
    // The per-class table leaves the cell it has no row for empty.
    assertTrue(md.contains("| drsn-cw | mahalanobis_layers | -4.0 dB | | 0.950 |\n"), md);
    // With every cell re-evaluated, no note.
    rows.add(row("mahalanobis_layers", "B007", 0.7, 0.05, 0.85));
    String full = OpenSetEvaluation.summary(rows);
    assertTrue(!full.contains("Scored in fewer cells"), full);
    assertTrue(full.contains(
        "| drsn-cw | mahalanobis_layers | -4.0 dB | 2 | 80.0 % | 4.5 % | 0.900 | 2.00 % | yes |\n"), full);
    assertEquals(4, full.lines().filter(l -> l.startsWith("| drsn-cw |") && l.contains("| 2 |")).count());
  }

  @Test
  void theAurocOfAClassIsItsMeanOverEverySeed() {
    // Three seeds of one held-out class: the mean is (0.6 + 0.9 + 0.9) / 3 = 0.800; a pairwise running mean, as the
    // summary once took, would give ((0.6 + 0.9) / 2 + 0.9) / 2 = 0.825.
    List<JsonNode> rows = List.of(row("mahalanobis", "B007", 0.2, 0.05, 0.6), row("mahalanobis", "B007", 0.4, 0.05, 0.9),
        row("mahalanobis", "B007", 0.6, 0.05, 0.9));
    String md = OpenSetEvaluation.summary(rows);
    assertTrue(md.contains("| drsn-cw | mahalanobis | -4.0 dB | 0.800 |\n"), md);
    assertTrue(md.contains("| drsn-cw | mahalanobis | -4.0 dB | 3 | 40.0 % | 5.0 % | 0.800 | 2.00 % | no |\n"), md);
  }

  @Test
  void anEnsemblesRowsAreSummarisedApartFromItsMembersAndItsOwnMethodsNeedNoNote() {
    List<JsonNode> rows = new ArrayList<>();
    // Seeds 1 and 2 of the single network (with the layer ensemble), and their ensemble (with its disagreement).
    for (double flag : new double[] {0.5, 0.7}) {
      rows.add(row("mahalanobis", "B007", flag, 0.04, 0.8));
      rows.add(row("mahalanobis_layers", "B007", flag, 0.05, 0.85));
    }
    rows.add(row("drsn-cw-ensemble", "mahalanobis", "B007", 0.9, 0.03, 0.95));
    rows.add(row("drsn-cw-ensemble", "ensemble_disagreement", "B007", 0.2, 0.05, 0.6));
    String md = OpenSetEvaluation.summary(rows);
    assertTrue(md.contains("| drsn-cw | mahalanobis | -4.0 dB | 2 | 60.0 % | 4.0 % | 0.800 | 2.00 % | no |\n"), md);
    assertTrue(
        md.contains("| drsn-cw-ensemble | mahalanobis | -4.0 dB | 1 | 90.0 % | 3.0 % | 0.950 | 2.00 % | yes |\n"), md);
    assertTrue(md.contains("| drsn-cw-ensemble | ensemble_disagreement | -4.0 dB | 1 | 20.0 % | 5.0 % | 0.600 |"), md);
    assertTrue(!md.contains("Scored in fewer cells"), md);
  }
}
