package io.github.drsn.model.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link EnsembleCleaning}: precision and recall counted by hand, and a tiny case whose answer is known. */
class EnsembleCleaningTest {

  @Test
  void precisionAndRecallOfAFlaggedSetMatchTheHandCount() {
    //                 window:   0      1      2      3      4      5      6      7
    boolean[] errors = {true, true, false, false, true, false, false, false};
    boolean[] flagged = {true, false, true, false, true, true, false, false};
    // 3 errors, 4 flagged, 2 both (windows 0 and 4): precision 2/4, recall 2/3.
    EnsembleCleaning.Validation v = EnsembleCleaning.Validation.of(flagged, errors);
    assertEquals(new EnsembleCleaning.Validation(3, 4, 2), v);
    assertEquals(0.5, v.precision(), 0);
    assertEquals(2.0 / 3, v.recall(), 1e-15);
    assertTrue(Double.isNaN(EnsembleCleaning.Validation.of(new boolean[2], new boolean[2]).precision()),
        "nothing flagged: precision is undefined, not 0 or 1");
  }

  @Test
  void aWindowIsFlaggedWhenTheEnsembleGivesItsLabelLessThanTheThreshold() {
    Window labelledOne = new Window(0, "r", Region.TRAIN, 0, 8, 1);
    EnsembleCleaning.Score score = new EnsembleCleaning.Score(labelledOne, 0, new double[] {0.55, 0.30, 0.15});
    assertEquals(0.30, score.pGiven(), 0);
    assertEquals(0, score.ensembleClass());
    assertEquals(0.55, score.pTop(), 0);
    assertTrue(score.flagged(0.5));
    assertTrue(!score.flagged(0.3), "p(given) = t is not below t");
  }

  @Test
  void settingsOutOfRangeAreRefusedNamingTheValue() {
    IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
        () -> new EnsembleCleaning.Settings(1, 2, 0.5, 1));
    assertTrue(k.getMessage().contains("folds must be at least 2"), k.getMessage());
    IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
        () -> new EnsembleCleaning.Settings(3, 2, 1.0, 1));
    assertTrue(t.getMessage().contains("(0, 1)"), t.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new EnsembleCleaning.Settings(3, 0, 0.5, 1));
  }

  /**
   * A class whose only training window lies in one fold leaves that fold's networks without it. The run must refuse
   * before the first network trains, not after the earlier folds have spent their time (the seed is chosen so that
   * the fold without the class is not the first).
   */
  @Test
  void aFoldWithoutAClassIsRefusedBeforeAnyNetworkTrains() {
    List<Recording> recordings = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      double[] x = new double[1024];
      for (int i = 0; i < x.length; i++) {
        x[i] = Math.sin(2 * Math.PI * (r % 2 == 0 ? 1 / 32.0 : 1 / 4.0) * i + r);
      }
      recordings.add(Recording.of("rec" + r, r % 2 == 0 ? "low" : "high", 1000, x, OperatingCondition.UNKNOWN));
    }
    double[] shortOne = new double[128];
    for (int i = 0; i < shortOne.length; i++) {
      shortOne[i] = Math.sin(2 * Math.PI * i / 8.0);
    }
    recordings.add(Recording.of("rare0", "rare", 1000, shortOne, OperatingCondition.UNKNOWN));
    Dataset dataset = new Dataset("tones", List.of("low", "high", "rare"), recordings, List.of());
    WindowedDataset data = WindowedDataset.cut(dataset, SplitPlan.byTime(), WindowSpec.of(64, 32));
    List<Window> train = data.windows(Region.TRAIN);
    int rareIndex = -1;
    for (int i = 0; i < train.size(); i++) {
      if (train.get(i).classIndex() == 2) {
        rareIndex = i;
      }
    }
    assertTrue(rareIndex >= 0 && train.stream().filter(w -> w.classIndex() == 2).count() == 1,
        "the short recording gives exactly one training window");
    long seed = 1;
    while (BlockFolds.of(train, 3, seed).foldOf(rareIndex) == 0) {
      seed++;
    }
    int badFold = BlockFolds.of(train, 3, seed).foldOf(rareIndex) + 1;

    ModelSpec spec = ModelSpec.builder().inputLength(64).stageChannels(2, 4, 4).unitsPerStage(1).classes(3).build();
    RunConfig config = new RunConfig(Architecture.DRSN_CW, spec, WindowPipeline.clean(), 32, 2,
        Sampling.CLASS_BALANCED, 1, 0, 1, RunConfig.DEFAULT_EVALUATION_SEED);
    List<String> log = new ArrayList<>();
    long foldSeed = seed;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnsembleCleaning.run(data, config,
        new EnsembleCleaning.Settings(3, 1, 0.5, foldSeed), null, log::add));
    assertTrue(e.getMessage().contains("fold " + badFold + " of 3"), e.getMessage());
    assertTrue(e.getMessage().contains("class rare"), e.getMessage());
    assertEquals(List.of(), log, "no network trained before the refusal");
  }

  /**
   * Two classes a small network cannot confuse: a tone at 1/32 cycle per sample against one at 1/4, in clean
   * windows of 64 samples (stride 32), four recordings per class. Five training windows get the other class's
   * label; out-of-fold ensembles must name exactly those five, whatever the noise in the rest of training.
   */
  @Tag("slow")
  @Test
  void theDeliberatelyFlippedWindowsOfASeparableTaskAreTheOnesFlagged() {
    List<Recording> recordings = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      String label = r % 2 == 0 ? "low" : "high";
      double cycles = r % 2 == 0 ? 1 / 32.0 : 1 / 4.0;
      double[] x = new double[2048];
      for (int i = 0; i < x.length; i++) {
        x[i] = Math.sin(2 * Math.PI * cycles * i + 0.7 * r) + 0.05 * Math.sin(2 * Math.PI * 0.37 * i * (r + 1));
      }
      recordings.add(Recording.of("rec" + r, label, 1000, x, OperatingCondition.UNKNOWN));
    }
    Dataset dataset = new Dataset("tones", List.of("low", "high"), recordings, List.of());
    WindowedDataset data = WindowedDataset.cut(dataset, SplitPlan.byTime(), WindowSpec.of(64, 32));
    List<Window> train = new ArrayList<>(data.windows(Region.TRAIN));
    int[] chosen = {3, 40, 77, 150, 301};
    for (int i : chosen) {
      Window w = train.get(i);
      train.set(i, new Window(w.recordingIndex(), w.recordingId(), w.region(), w.start(), w.length(),
          1 - w.classIndex()));
    }
    WindowedDataset noisy = data.withWindows(train, data.windows(Region.VALIDATION), List.of(), "five flipped");

    ModelSpec spec = ModelSpec.builder().inputLength(64).stageChannels(2, 4, 4).unitsPerStage(1).classes(2).build();
    RunConfig config = new RunConfig(Architecture.DRSN_CW, spec, WindowPipeline.clean(), 32, 20,
        Sampling.CLASS_BALANCED, 3, 0, 1, RunConfig.DEFAULT_EVALUATION_SEED);
    EnsembleCleaning.Result result =
        EnsembleCleaning.run(noisy, config, new EnsembleCleaning.Settings(3, 2, 0.5, 4), null, null);

    assertEquals(train.size(), result.scores().size(), "every training window is scored once");
    Set<String> expected =
        java.util.Arrays.stream(chosen).mapToObj(i -> train.get(i).key()).collect(Collectors.toSet());
    Set<String> flagged = result.flagged().stream().map(s -> s.window().key()).collect(Collectors.toSet());
    assertEquals(expected, flagged);
    boolean[] errors = new boolean[train.size()];
    for (int i : chosen) {
      errors[i] = true;
    }
    EnsembleCleaning.Validation v = result.validate(errors, 0.5);
    assertEquals(new EnsembleCleaning.Validation(5, 5, 5), v);
    for (EnsembleCleaning.Score s : result.flagged()) {
      assertEquals(1 - s.givenClass(), s.ensembleClass(), "the ensemble names the true class");
    }
  }
}
