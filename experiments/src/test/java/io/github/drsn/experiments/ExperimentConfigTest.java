package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.experiments.report.PublishedResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExperimentConfigTest {

  @TempDir Path dir;

  private static final String GRID = """
      "name": "cwru", "models": [{"name": "drsn-cw"}, {"name": "resnet"}],
      "noise": [{"type": "gaussian", "snr_db": [-10, -8]}], "seeds": [1, 2]""";

  @Test
  void readsReferencesAsPublishedResults() throws IOException {
    Path file = dir.resolve("grid.json");
    Files.writeString(file, "{" + GRID + """
        , "references": [
          {"label": "PyTorch", "source": "REFERENCE-RESULTS.md", "selection": "final_epoch", "results": [
            {"model": "drsn-cw", "noise": "gaussian", "snr_db": -10, "seeds": 3, "accuracy": 84.9, "std": 1.1},
            {"model": "resnet", "noise": "gaussian", "snr_db": -8, "accuracy": 92.5}]},
          {"label": "paper", "results": [
            {"model": "drsn-cw", "noise": "gaussian", "snr_db": -4, "accuracy": 80.3}]}]}""");
    ExperimentConfig config = ExperimentConfig.read(file);
    List<PublishedResult> published = config.publishedResults();
    assertEquals(new PublishedResult("PyTorch", "drsn-cw", "gaussian", -10, 3, 84.9, 1.1,
        PublishedResult.Selection.FINAL_EPOCH), published.get(0));
    assertEquals(PublishedResult.Selection.UNSPECIFIED, published.get(2).selection());
    assertEquals(0, published.get(1).seeds());
    assertTrue(Double.isNaN(published.get(1).stdPercent()));
    assertEquals("paper", published.get(2).label());
    assertEquals("- PyTorch: REFERENCE-RESULTS.md\n- paper: (no source given)\n", config.referencesNote());
    // References do not change the cells.
    assertEquals(8, config.cells().size());
  }

  @Test
  void theRecipesGridIsBaselinePlusEachRecipeAloneAndItsRecipeStringsRoundTrip() throws IOException {
    ExperimentConfig config = ExperimentConfig.read(Path.of("recipes.json"));
    List<ExperimentConfig.Cell> cells = config.cells();
    assertEquals((2 * 9 + 3 + 1) * 2 * 3, cells.size(), "(2 networks x (baseline + 6 recipes + the cyclic schedule"
        + " with snapshots + FGM with EMA) + the three DRSN-CW diagnostics + the snapshot ensemble in 50 epochs) x 2"
        + " SNRs x 3 seeds");
    java.util.Set<String> recipes = new java.util.TreeSet<>();
    for (ExperimentConfig.Cell cell : cells) {
      RunSettings settings = cell.settings(config);
      io.github.drsn.model.train.TrainingRecipe recipe = settings.training().recipe();
      String name = recipe.describe();
      assertEquals(recipe, io.github.drsn.model.train.TrainingRecipe.parse(name), cell.id());
      recipes.add(name);
      if (cell.id().contains("-sgdr/")) {
        // 30 epochs (60 % of the reference's 50) of three 10-epoch cosine cycles, a snapshot at each cycle's end.
        assertEquals(30, settings.training().epochs(), cell.id());
        assertEquals("sgdr:max=0.1,min=0.001,t0=10", settings.model().schedule(), cell.id());
        assertEquals(3, settings.training().snapshots(), cell.id());
      } else if (cell.id().contains("-sgdr5/")) {
        // The step schedule's 50 epochs as five 10-epoch cycles; the first cycle's snapshot left out of the ensemble.
        assertEquals(50, settings.training().epochs(), cell.id());
        assertEquals("sgdr:max=0.1,min=0.001,t0=10", settings.model().schedule(), cell.id());
        assertEquals(4, settings.training().snapshots(), cell.id());
      } else if (cell.id().contains("-long/")) {
        // Time: the reference schedule stretched to twice its epochs (with twice the width for wide-long).
        assertEquals(100, settings.training().epochs(), cell.id());
        assertEquals("step:0.1@0,0.01@40,0.001@80", settings.model().schedule(), cell.id());
        assertEquals(cell.id().contains("-wide-long/") ? List.of(8, 16, 32) : List.of(4, 8, 16),
            settings.model().channels(), cell.id());
      } else {
        assertEquals(50, settings.training().epochs(), cell.id());
        assertEquals("reference", settings.model().schedule(), cell.id());
        assertEquals(cell.id().contains("-wide/") ? List.of(8, 16, 32) : List.of(4, 8, 16),
            settings.model().channels(), cell.id());
      }
    }
    assertEquals(java.util.Set.of("baseline", "label_smoothing=0.1", "focal_gamma=2", "flood=0.1", "dropout=0.2",
        "ema=0.99", "fgm=0.1", "snapshots=3", "snapshots=4", "ema=0.99,fgm=0.1"), recipes);
  }

  @Test
  void aConfigWithoutReferencesHasNone() throws IOException {
    Path file = dir.resolve("plain.json");
    Files.writeString(file, "{" + GRID + "}");
    ExperimentConfig config = ExperimentConfig.read(file);
    assertEquals(List.of(), config.publishedResults());
    assertEquals("", config.referencesNote());
  }

  static Stream<String[]> badReferences() {
    return Stream.of(
        new String[] {"{\"label\": \"x\", \"results\": [{\"model\": \"m\", \"noise\": \"gaussian\", \"snr_db\": 0,"
            + " \"accuracy\": 0.95}, {\"model\": \"m\", \"noise\": \"gaussian\", \"snr_db\": 1, \"accuracy\": 195}]}",
            "accuracy must be a percentage in [0, 100], got 195"},
        new String[] {"{\"label\": \"x\", \"results\": [{\"model\": \"m\", \"noise\": \"gaussian\", \"accuracy\": 95}]}",
            "snr_db"},
        new String[] {"{\"results\": []}", "label"},
        new String[] {"{\"label\": \"x\", \"selection\": \"last\", \"results\": []}", "selection must be"},
        new String[] {"{\"label\": \"x\", \"results\": [{\"model\": \"m\", \"noise\": \"gaussian\", \"snr_db\": 0,"
            + " \"accuracy\": 95, \"std\": -1}]}", "std must be >= 0"},
        new String[] {"{\"label\": \"x\", \"results\": [{\"model\": \"m\", \"noise\": \"gaussian\", \"snr_db\": 0,"
            + " \"accuracy\": 95}, {\"model\": \"m\", \"noise\": \"gaussian\", \"snr_db\": 0.0, \"accuracy\": 96}]}",
            "twice"},
        new String[] {"{\"label\": null, \"results\": []}", "label"});
  }

  @ParameterizedTest
  @MethodSource("badReferences")
  void badReferencesNameTheFileAndTheProblem(String reference, String expected) throws IOException {
    assertRejected("{" + GRID + ", \"references\": [" + reference + "]}", expected);
  }

  /** Reading {@code config} fails with a message naming its file and containing {@code expected}. */
  private void assertRejected(String config, String expected) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains(file + ": ") || e.getMessage().contains(file + " is invalid"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aBaselineMustBeOneOfTheModels() throws IOException {
    Path good = dir.resolve("good.json");
    Files.writeString(good, "{" + GRID + ", \"baseline\": \"resnet\"}");
    assertEquals("resnet", ExperimentConfig.read(good).baseline());

    Path bad = dir.resolve("typo.json");
    Files.writeString(bad, "{" + GRID + ", \"baseline\": \"ResNet\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(bad));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("baseline \"ResNet\" is not one of its models [drsn-cw, resnet]"),
        e.getMessage());
  }

  private static final String ENSEMBLE =
      "{\"name\": \"drsn-cw-ensemble\", \"ensemble\": {\"of\": \"drsn-cw\", \"seeds\": [1, 2]}}";

  @Test
  void aBaselineCannotBeAnEnsembleEntry() throws IOException {
    // An ensemble has one cell per level (its first member's seed), so every other seed would be paired with nothing.
    assertRejected("{" + GRID.replace("{\"name\": \"resnet\"}", ENSEMBLE) + ", \"baseline\": \"drsn-cw-ensemble\"}",
        "baseline \"drsn-cw-ensemble\" is an ensemble entry");
  }

  @Test
  void anEnsembleEntryHasOneCellPerLevelAfterEveryTrainedCellWithItsFirstMembersSeedAndSettings() throws IOException {
    Path file = dir.resolve("ensemble.json");
    Files.writeString(file, "{" + GRID.replace("{\"name\": \"resnet\"}", ENSEMBLE) + "}");
    ExperimentConfig config = ExperimentConfig.read(file);
    List<String> ids = config.cells().stream().map(ExperimentConfig.Cell::id).toList();
    assertEquals(List.of("drsn-cw/gaussian_-10dB_seed1", "drsn-cw/gaussian_-8dB_seed1", "drsn-cw/gaussian_-10dB_seed2",
        "drsn-cw/gaussian_-8dB_seed2", "drsn-cw-ensemble/gaussian_-10dB_seeds1-2",
        "drsn-cw-ensemble/gaussian_-8dB_seeds1-2"), ids);
    ExperimentConfig.Cell ensemble = config.cells().get(5);
    assertEquals(1, ensemble.seed());
    assertEquals(List.of("drsn-cw/gaussian_-8dB_seed1", "drsn-cw/gaussian_-8dB_seed2"),
        ensemble.members(config).stream().map(ExperimentConfig.Cell::id).toList());
    assertEquals(config.cells().get(1).settings(config), ensemble.settings(config));
    assertEquals(List.of(), config.cells().get(1).members(config));
  }

  @Test
  void theOpenSetGridsEnsembleIsTheThreeSeedsOfDrsnCwPerHeldOutClass() throws IOException {
    ExperimentConfig config = ExperimentConfig.read(Path.of("open-set.json"));
    List<ExperimentConfig.Cell> ensembles = config.cells().stream().filter(c -> c.model().isEnsemble()).toList();
    assertEquals(27 + 9, config.cells().size());
    assertEquals(9, ensembles.size());
    assertEquals("drsn-cw-ensemble/gaussian_-4dB_seeds1-2-3_without-B007", ensembles.get(1).id());
    assertEquals(List.of("drsn-cw/gaussian_-4dB_seed1_without-B007", "drsn-cw/gaussian_-4dB_seed2_without-B007",
        "drsn-cw/gaussian_-4dB_seed3_without-B007"),
        ensembles.get(1).members(config).stream().map(ExperimentConfig.Cell::id).toList());
  }

  static Stream<String[]> badEnsembles() {
    return Stream.of(
        new String[] {"{\"name\": \"e\", \"ensemble\": {\"of\": \"drsn-cs\", \"seeds\": [1, 2]}}",
            "model \"e\" (an ensemble of drsn-cs): ensemble.of must name another model of the grid [drsn-cw, e]"},
        new String[] {"{\"name\": \"e\", \"ensemble\": {\"of\": \"drsn-cw\", \"seeds\": [1]}}",
            "ensemble.seeds must list at least two different seeds, got [1]"},
        new String[] {"{\"name\": \"e\", \"ensemble\": {\"of\": \"drsn-cw\", \"seeds\": [2, 2]}}",
            "at least two different seeds"},
        new String[] {"{\"name\": \"e\", \"ensemble\": {\"of\": \"drsn-cw\", \"seeds\": [1, 3]}}",
            "ensemble.seeds [1, 3] must be seeds of the grid [1, 2]"},
        new String[] {ENSEMBLE + ", {\"name\": \"e2\", \"ensemble\": {\"of\": \"drsn-cw-ensemble\","
            + " \"seeds\": [1, 2]}}",
            "model \"e2\" (an ensemble of drsn-cw-ensemble): its members are themselves an ensemble"},
        new String[] {"{\"name\": \"e\", \"training\": {\"epochs\": 3}, \"ensemble\": {\"of\": \"drsn-cw\","
            + " \"seeds\": [1, 2]}}", "an ensemble entry has no model, training or input settings"},
        new String[] {"{\"name\": \"e\", \"ensemble\": {\"seeds\": [1, 2]}}", "of"});
  }

  @ParameterizedTest
  @MethodSource("badEnsembles")
  void badEnsemblesNameTheFileTheEntryAndTheProblem(String entry, String expected) throws IOException {
    assertRejected("{" + GRID.replace("{\"name\": \"resnet\"}", entry) + "}", expected);
  }

  @Test
  void anEnsembleCellMeasuresNoSweep() throws IOException {
    assertRejected("{" + GRID.replace("{\"name\": \"resnet\"}", ENSEMBLE) + ", \"test_snr_db\": [0]}",
        "model \"drsn-cw-ensemble\" (an ensemble of drsn-cw): an ensemble cell measures test accuracy and the open"
            + " set only");
  }

  @Test
  void anEnsembleWithoutSeedsNamesTheFileAndTheEntry() throws IOException {
    // Expected: as for "seeds": [1], an IllegalArgumentException naming the file, the entry and ensemble.seeds.
    assertRejected("{" + GRID.replace("{\"name\": \"resnet\"}",
        "{\"name\": \"e\", \"ensemble\": {\"of\": \"drsn-cw\", \"seeds\": null}}") + "}",
        "model \"e\" (an ensemble of drsn-cw): ensemble.seeds");
  }

  /**
   * Every committed grid (each experiments/*.json with "models"; fusion-shift.json is a protocol, not a grid) still
   * reads under the strict reading: no trailing text, no key twice, no nulls, no fractional whole numbers.
   */
  @Test
  void everyCommittedGridReads() throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<Path> grids;
    try (Stream<Path> files = Files.list(Path.of("."))) {
      grids = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    int read = 0;
    for (Path grid : grids) {
      if (json.readTree(grid.toFile()).has("models")) {
        assertTrue(ExperimentConfig.read(grid).cells().size() > 0, grid.toString());
        read++;
      }
    }
    assertTrue(read >= 15, "read " + read + " grids of " + grids);
  }
}
