package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void jsonRoundTripsEverySetting() throws Exception {
    RunSettings settings = RunSettings.fromJson(json("""
        {"data": {"source": "cwru", "dir": "../shared/data/cwru", "split": "load", "train_loads": [0, 1, 2],
                  "test_loads": [3], "exclude_classes": ["normal"]},
         "model": {"architecture": "resnet", "norm": "group", "channels": [8, 16], "optimizer": "SGD_CLASSIC_MOMENTUM",
                   "schedule": "reference", "weight_init": "PYTORCH", "l2_bias": 0.0001},
         "input": {"noise": "pink", "snr_db": -6.5, "representation": "FFT_AMPLITUDE"},
         "training": {"epochs": 50, "sampling": "SHUFFLED", "seed": 3}}"""));
    assertEquals(settings, RunSettings.fromJson(JSON.readTree(settings.toJsonText())));
    assertEquals(List.of(0.0, 1.0, 2.0), settings.data().trainLoads());
    assertEquals(Architecture.RESNET, settings.model().architectureKind());
    assertEquals(Optimizer.SGD_CLASSIC_MOMENTUM, settings.model().optimizer());
    assertEquals(Sampling.SHUFFLED, settings.training().sampling());
    assertEquals("resnet on cwru (../shared/data/cwru) without normal, noise pink -6.5 dB, seed 3", settings.title());
  }

  @Test
  void aRangeOfSnrsAndAugmentationRoundTripAndReachThePipeline() throws Exception {
    RunSettings settings = RunSettings.fromJson(json("""
        {"input": {"noise": "gaussian", "snr_db": -10, "snr_max_db": 10,
                   "augmentation": {"rate_jitter": 0.05, "polarity": true}}}"""));
    assertEquals(settings, RunSettings.fromJson(JSON.readTree(settings.toJsonText())));
    var pipeline = settings.input().pipeline();
    assertEquals(10, pipeline.noise().maxSnrDb());
    assertEquals(new io.github.drsn.datasets.features.Augmentation(0.05, 0, true, 1), pipeline.augmentation());
    assertEquals("gaussian -10.0..10.0 dB, augmented (rate±0.05, polarity)", settings.input().describe());
    // Settings written before these existed read as one SNR without augmentation.
    RunSettings old = RunSettings.fromJson(json("{\"input\": {\"noise\": \"gaussian\", \"snr_db\": -4}}"));
    assertEquals(RunSettings.DEFAULTS, old);
    assertNull(old.input().snrMaxDb());
    assertEquals(io.github.drsn.datasets.features.Augmentation.NONE, old.input().pipeline().augmentation());
    IllegalArgumentException below = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"input\": {\"snr_db\": -4, \"snr_max_db\": -8}}")));
    assertTrue(below.getMessage().contains("input.snr_max_db must be a finite number of dB above"), below.getMessage());
    IllegalArgumentException jitter = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"input\": {\"augmentation\": {\"rate_jitter\": 0.9}}}")));
    assertTrue(jitter.getMessage().contains("rate jitter must be in [0, 0.3]"), jitter.getMessage());
  }

  @Test
  void anotherDrivetrainAndResamplingAreDataSettingsCheckedWhenRead() throws Exception {
    RunSettings settings = RunSettings.fromJson(json("""
        {"data": {"synthetic": {"sampling_rate": 48000, "speeds_rpm": [900, 2100], "bearing_resonance_hz": 4500},
                  "resample_to": 12800}}"""));
    assertEquals(settings, RunSettings.fromJson(JSON.readTree(settings.toJsonText())));
    var config = settings.data().synthetic().config();
    assertEquals(48_000, config.samplingRate());
    assertEquals(List.of(900.0, 2100.0), config.speedsRpm());
    assertEquals(1900, config.gearResonanceHz(), "what is not changed stays the default");
    assertEquals("synthetic (seed 42, 48000 Hz, 900/2100 rpm, bearing resonance 4500 Hz) at 12800 Hz",
        settings.data().describe());
    IllegalArgumentException nyquist = assertThrows(IllegalArgumentException.class, () -> RunSettings.fromJson(
        json("{\"data\": {\"synthetic\": {\"sampling_rate\": 6000}}}")));
    assertTrue(nyquist.getMessage().contains("data.synthetic") && nyquist.getMessage().contains("Nyquist"),
        nyquist.getMessage());
    IllegalArgumentException cwru = assertThrows(IllegalArgumentException.class, () -> RunSettings.fromJson(
        json("{\"data\": {\"source\": \"cwru\", \"dir\": \"x\", \"synthetic\": {\"loads\": [0.5]}}}")));
    assertTrue(cwru.getMessage().contains("the source is cwru"), cwru.getMessage());
  }

  @Test
    void trainingRecipesRoundTripReachTheModelSpecAndAreRecordedInTheConfiguration() throws Exception {
    RunSettings settings = RunSettings.fromJson(json("""
        {"training": {"label_smoothing": 0.1, "focal_gamma": 2, "focal_alpha": [0.5, 1, 1, 1, 1, 1, 1, 2],
                      "flood": 0.05, "dropout": 0.2, "ema": 0.999}}"""));
    assertEquals(settings, RunSettings.fromJson(JSON.readTree(settings.toJsonText())));
    io.github.drsn.model.train.TrainingRecipe recipe = settings.training().recipe();
    assertEquals("label_smoothing=0.1,focal_gamma=2,focal_alpha=0.5/1/1/1/1/1/1/2,flood=0.05,dropout=0.2,ema=0.999",
        settings.configuration().get("recipe"));
    assertEquals("baseline", RunSettings.DEFAULTS.configuration().get("recipe"));
    assertEquals(recipe, settings.withEpochs(3).training().recipe(), "resuming with more epochs keeps the recipe");
    // Settings written before recipes existed read as the baseline.
    assertEquals(io.github.drsn.model.train.TrainingRecipe.BASELINE,
        RunSettings.fromJson(json("{\"training\": {\"epochs\": 3}}")).training().recipe());
  }

  @Test
  void outOfRangeRecipesAreErrorsNamingTheSettingAndTheFlag() {
    for (String[] bad : new String[][] {{"label_smoothing", "1"}, {"focal_gamma", "-1"}, {"flood", "-0.1"},
        {"dropout", "1.5"}, {"ema", "1"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RunSettings.fromJson(json("{\"training\": {\"" + bad[0] + "\": " + bad[1] + "}}")));
      assertTrue(e.getMessage().contains("--" + bad[0].replace("focal_gamma", "focal-gamma")
          .replace("label_smoothing", "label-smoothing")), e.getMessage());
    }
  }

  @Test
  void leftOutSettingsAreTheDefaultsOfDrsnTrain() throws Exception {
    assertEquals(RunSettings.DEFAULTS, RunSettings.fromJson(json("{}")));
    RunSettings some = RunSettings.fromJson(json("{\"training\": {\"epochs\": 3}, \"model\": {\"channels\": [2]}}"));
    assertEquals(3, some.training().epochs());
    assertEquals(TrainingSettings.DEFAULTS.batch(), some.training().batch());
    assertEquals(List.of(2), some.model().channels(), "lists are replaced, not merged");
    assertEquals(ModelSettings.DEFAULTS.units(), some.model().units());
    assertEquals(DataSettings.Source.synthetic, RunSettings.DEFAULTS.data().source());
    assertNull(RunSettings.DEFAULTS.model().schedule());
    assertEquals("step:0.1@0,0.01@5,0.001@10", RunSettings.DEFAULTS.model().scheduleText(12));
  }

  @Test
  void aManifestWithoutASourceIsAManifestSource() throws Exception {
    RunSettings settings = RunSettings.fromJson(json("{\"data\": {\"manifest\": \"data.csv\"}}"));
    assertEquals(DataSettings.Source.manifest, settings.data().source());
    assertEquals("manifest (data.csv)", settings.data().describe());
  }

  @Test
  void unknownKeysAndBadValuesAreErrorsNamingTheSetting() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"training\": {\"epoch\": 3}}")));
    assertTrue(unknown.getMessage().contains("training.epoch"), unknown.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"model\": {\"units\": \"many\"}}")));
    assertTrue(type.getMessage().contains("model.units"), type.getMessage());
    IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"model\": {\"architecture\": \"lenet\"}}")));
    assertTrue(model.getMessage().contains("unknown model 'lenet'"), model.getMessage());
    IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"model\": {\"schedule\": \"wobbly:1\"}}")));
    assertTrue(schedule.getMessage().contains("model.schedule") && schedule.getMessage().contains("wobbly"),
        schedule.getMessage());
    IllegalArgumentException epochs = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"training\": {\"epochs\": 0}}")));
    assertTrue(epochs.getMessage().contains("training.epochs must be at least 1"), epochs.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> RunSettings.fromJson(json("{\"model\": {\"norm\": \"none\"}}")));
    assertTrue(none.getMessage().contains("model.norm none") && none.getMessage().contains("model.threshold_norm"),
        none.getMessage());
  }

  @Test
  void noNormInTheThresholdSubNetworksReachesTheModelSpecAndTheLayout() throws Exception {
    RunSettings settings = RunSettings.fromJson(json(
        "{\"model\": {\"norm\": \"group\", \"groups\": 2, \"threshold_norm\": \"none\"}}"));
    assertEquals(ModelSettings.Norm.none, settings.model().thresholdNorm());
    assertEquals(io.github.drsn.contract.NormKind.NONE, settings.model().thresholdNormKind());
    assertEquals("none", settings.configuration().get("threshold_normalization"));
    assertTrue(!RunSettings.fromJson(json("{}")).configuration().containsKey("threshold_normalization"));
    assertEquals(settings, RunSettings.fromJson(JSON.readTree(settings.toJsonText())));
  }

  @Test
  void resumingRefusesOtherSettingsThanTheRunsButAnotherNumberOfEpochs() throws Exception {
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    Files.writeString(run.resolve(TrainingJob.SETTINGS_FILE), RunSettings.DEFAULTS.toJsonText());
    assertEquals(RunSettings.DEFAULTS, TrainingJob.savedSettings(run));
    RunSettings other = RunSettings.DEFAULTS.with(json("{\"training\": {\"seed\": 2}}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingJob.run(other, run, true, null, null));
    assertTrue(e.getMessage().contains("was started with other settings"), e.getMessage());
    // Another number of epochs passes the settings check; here nothing has been trained yet.
    IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
        () -> TrainingJob.run(RunSettings.DEFAULTS.withEpochs(20), run, true, null, null));
    assertTrue(nothing.getMessage().contains("nothing to resume in " + run), nothing.getMessage());
  }

  @Test
  void aRunJsonOfArgumentsIsNamedAsSuch() throws Exception {
    Path run = dir.resolve("old");
    Files.createDirectories(run);
    Files.writeString(run.resolve(TrainingJob.SETTINGS_FILE), "{\"command\": \"train\", \"arguments\": [\"--seed\", \"2\"]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingJob.savedSettings(run));
    assertTrue(e.getMessage().contains("command-line arguments of an older drsn"), e.getMessage());
  }

  @Test
  void experimentConfigsOfArgumentsAreRejectedWithTheNewForm() throws Exception {
    Path file = dir.resolve("old.json");
    Files.writeString(file, """
        {"name": "x", "data": ["--data", "cwru"], "models": [{"name": "gn", "args": ["--norm", "group"]}],
         "noise": [{"type": "none"}], "seeds": [1], "training": ["--epochs", "5"]}""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("\"data\", \"training\"")
        && e.getMessage().contains("\"args\" of model \"gn\""), e.getMessage());
  }

  @Test
  void aGridCellsSettingsLayerTheConfigVariantAndCell() throws Exception {
    Path file = dir.resolve("grid.json");
    Files.writeString(file, """
        {"name": "g", "data": {"window": 512},
         "model": {"schedule": "reference", "units": 2},
         "models": [{"name": "drsn-cs"},
                    {"name": "wide", "model": {"architecture": "resnet", "units": 3}, "training": {"epochs": 7}}],
         "noise": [{"type": "laplacian", "snr_db": [-2]}, {"type": "none"}], "seeds": [5],
         "training": {"epochs": 4}}""");
    ExperimentConfig config = ExperimentConfig.read(file);
    List<ExperimentConfig.Cell> cells = config.cells();
    assertEquals(List.of("drsn-cs/laplacian_-2dB_seed5", "wide/laplacian_-2dB_seed5", "drsn-cs/clean_seed5",
        "wide/clean_seed5"), cells.stream().map(ExperimentConfig.Cell::id).toList());
    RunSettings cs = cells.get(0).settings(config);
    assertEquals("drsn-cs", cs.model().architecture(), "a variant without an architecture is the one of its name");
    assertEquals(2, cs.model().units());
    assertEquals(4, cs.training().epochs());
    assertEquals(512, cs.data().window());
    assertEquals(InputSettings.Noise.laplacian, cs.input().noise());
    assertEquals(-2.0, cs.input().snrDb());
    assertEquals(5, cs.training().seed());
    RunSettings wide = cells.get(3).settings(config);
    assertEquals("resnet", wide.model().architecture());
    assertEquals(3, wide.model().units(), "the variant's settings override the grid's");
    assertEquals(7, wide.training().epochs());
    assertEquals("reference", wide.model().schedule());
    assertEquals(InputSettings.Noise.none, wide.input().noise());

    Path seeded = dir.resolve("seeded.json");
    Files.writeString(seeded, """
        {"name": "g", "models": [{"name": "resnet"}], "noise": [{"type": "none"}], "seeds": [1],
         "training": {"seed": 9}}""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(seeded));
    assertTrue(e.getMessage().contains("training.seed"), e.getMessage());

    Path unnamed = dir.resolve("unnamed.json");
    Files.writeString(unnamed, """
        {"name": "g", "models": [{"name": "wide"}], "noise": [{"type": "none"}], "seeds": [1]}""");
    IllegalArgumentException noArchitecture =
        assertThrows(IllegalArgumentException.class, () -> ExperimentConfig.read(unnamed));
    assertTrue(noArchitecture.getMessage().contains("\"wide\" is not named after an architecture"),
        noArchitecture.getMessage());
  }
}
