package io.github.drsn.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.contract.Architecture;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A class missing from the validation or test region is trained on, and the run says what that does to its figures. */
class CoverageWarningsTest {

  private static final int LENGTH = 256;

  private static final WindowedDataset DATA =
      WindowedDataset.cut(SyntheticDrivetrain.dataset(7), SplitPlan.byTime(), WindowSpec.of(LENGTH, LENGTH));

  private static List<Window> without(Region region, int classIndex) {
    return DATA.windows(region).stream().filter(w -> w.classIndex() != classIndex).toList();
  }

  @Test
  void everyClassInEveryRegionGivesNoWarning() {
    assertEquals(List.of(), TrainingRun.coverageWarnings(DATA));
  }

  @Test
  void eachClassMissingFromARegionIsNamedWithWhatItChanges() {
    String first = DATA.dataset().classes().get(0);
    String second = DATA.dataset().classes().get(1);
    String third = DATA.dataset().classes().get(2);
    List<Window> validation = new ArrayList<>(without(Region.VALIDATION, 0));
    validation.removeIf(w -> w.classIndex() == 2);
    List<Window> test = new ArrayList<>(without(Region.TEST, 1));
    test.removeIf(w -> w.classIndex() == 2);
    WindowedDataset data = DATA.withWindows(DATA.windows(Region.TRAIN), validation, test, "three classes cut");
    String split = " (split " + data.plan().describe() + "): ";
    assertEquals(List.of(
        "class " + first + " has no validation windows" + split + "the best epoch is chosen without it",
        "class " + second + " has no test windows" + split + "its test accuracy is not measured",
        "class " + third + " has no validation and no test windows" + split
            + "the best epoch is chosen without it and its test accuracy is not measured"),
        TrainingRun.coverageWarnings(data));
  }

  @Test
  void noTestRegionAtAllIsNotAWarningPerClass() {
    WindowedDataset data = DATA.withWindows(DATA.windows(Region.TRAIN), DATA.windows(Region.VALIDATION), List.of(),
        "no test region");
    assertEquals(List.of(), TrainingRun.coverageWarnings(data));
  }

  @Test
  void aRunTellsItsListenerBeforeTheFirstEpoch() {
    WindowedDataset data = DATA.withWindows(DATA.windows(Region.TRAIN), without(Region.VALIDATION, 0),
        DATA.windows(Region.TEST), "first class without validation windows");
    ModelSpec spec = ModelSpec.builder().inputLength(LENGTH).stageChannels(2, 4, 4).unitsPerStage(1)
        .classes(SyntheticDrivetrain.CLASSES.size()).seed(3).build();
    RunConfig config = new RunConfig(Architecture.DRSN_CW, spec, WindowPipeline.clean(), 16, 1,
        Sampling.CLASS_BALANCED, 1, 0, 5, RunConfig.DEFAULT_EVALUATION_SEED);
    List<String> events = new ArrayList<>();
    TrainingRun.run(data, config, null, false, new TrainingListener() {
      @Override
      public void onWarning(String message) {
        events.add("warning: " + message);
      }

      @Override
      public void onStart(int firstEpoch, int maxEpochs) {
        events.add("start");
      }
    }, null);
    assertEquals(List.of("warning: " + TrainingRun.coverageWarnings(data).get(0), "start"), events);
  }
}
