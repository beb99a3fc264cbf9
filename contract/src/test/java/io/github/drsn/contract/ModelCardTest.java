package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.io.Json;
import io.github.drsn.signals.Normalization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every written bundle carries its model card, derived from its own metadata. */
class ModelCardTest {

  @TempDir Path dir;

  private static final List<String> CLASSES =
      List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  @Test
  @SuppressWarnings("unchecked")
  void aWrittenBundleCarriesItsCardAsJsonAndMarkdown() throws Exception {
    Bundle bundle = RandomBundles.random(RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 4);
    Path file = dir.resolve("m.drsn");
    bundle.write(file);
    ModelCard card = Bundle.read(file).card();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String json = new String(zip.getInputStream(zip.getEntry(Bundle.CARD_JSON_ENTRY)).readAllBytes(),
          StandardCharsets.UTF_8);
      String markdown = new String(zip.getInputStream(zip.getEntry(Bundle.CARD_MARKDOWN_ENTRY)).readAllBytes(),
          StandardCharsets.UTF_8);
      assertEquals(card.toJson(), json, "the stored card is the card of the bundle read back");
      assertEquals(card.toMarkdown(), markdown);
    }
    Map<String, Object> details = (Map<String, Object>) card.json().get("model_details");
    assertEquals("drsn-cw", details.get("architecture"));
    assertEquals((long) RandomBundles.paperLayout(Architecture.DRSN_CW).parameterCount(), details.get("parameters"));
    assertEquals(CLASSES, details.get("classes"));
    assertEquals(12_000.0, ((Map<String, Object>) details.get("input")).get("sampling_rate_hz"));
    assertTrue(((String) card.json().get("out_of_scope_use")).startsWith("Not a safety system"));
    assertTrue(((String) card.json().get("calibration")).startsWith("none"), "an uncalibrated model says so");
    List<Object> limits = (List<Object>) card.json().get("known_limits");
    assertTrue(limits.stream().anyMatch(l -> l.toString().contains("content above 6000 Hz is not used")), limits.toString());
    String md = card.toMarkdown();
    assertTrue(md.startsWith("# Model card: drsn-cw (batch norm), "), "the title names the norm once: " + md.lines().findFirst());
    for (String heading : List.of("# Model card: drsn-cw", "## Intended use", "## Out-of-scope use",
        "## Training data", "## Evaluation", "## Calibration", "## Shift protocols", "## Known limits")) {
      assertTrue(md.contains(heading), heading + " missing in\n" + md);
    }
    assertEquals(card.json(), Json.parse(card.toJson()), "the JSON form parses back to the card");
  }
}
