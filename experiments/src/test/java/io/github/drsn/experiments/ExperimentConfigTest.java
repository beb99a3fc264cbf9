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
    assertEquals((2 * 9 + 3) * 2 * 3, cells.size(), "(2 networks x (baseline + 6 recipes + the cyclic schedule with"
        + " snapshots + FGM with EMA) + the three DRSN-CW diagnostics) x 2 SNRs x 3 seeds");
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
        "ema=0.99", "fgm=0.1", "snapshots=3", "ema=0.99,fgm=0.1"), recipes);
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
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{" + GRID + ", \"references\": [" + reference + "]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
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
}
