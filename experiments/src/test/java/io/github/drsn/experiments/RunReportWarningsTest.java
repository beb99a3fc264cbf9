package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.contract.Architecture;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose figures leave a class out (no validation windows of it) says so on stderr while it trains; the report
 * that keeps the figures must say it too, or a reader of {@code report.json} takes the best epoch as chosen on every
 * class.
 */
class RunReportWarningsTest {

  private static final int LENGTH = 256;

  @TempDir Path dir;

  @Test
  void theReportKeepsTheRunsCoverageWarnings() throws Exception {
    WindowedDataset all =
        WindowedDataset.cut(SyntheticDrivetrain.dataset(7), SplitPlan.byTime(), WindowSpec.of(LENGTH, LENGTH));
    WindowedDataset data = all.withWindows(all.windows(Region.TRAIN),
        all.windows(Region.VALIDATION).stream().filter(w -> w.classIndex() != 0).toList(), all.windows(Region.TEST),
        "first class without validation windows");
    ModelSpec spec = ModelSpec.builder().inputLength(LENGTH).stageChannels(2, 4, 4).unitsPerStage(1)
        .classes(SyntheticDrivetrain.CLASSES.size()).seed(3).build();
    RunConfig config = new RunConfig(Architecture.DRSN_CW, spec, WindowPipeline.clean(), 16, 1,
        Sampling.CLASS_BALANCED, 1, 0, 5, RunConfig.DEFAULT_EVALUATION_SEED);
    TrainingRun.Outcome outcome = TrainingRun.run(data, config, null, false, null, null);
    RunArtifacts.write(dir, "coverage", data, config, Map.of(), outcome);

    JsonNode warnings = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("outcome")
        .path("warnings");
    List<String> recorded = new ArrayList<>();
    warnings.forEach(w -> recorded.add(w.asText()));
    assertEquals(1, TrainingRun.coverageWarnings(data).size());
    assertEquals(TrainingRun.coverageWarnings(data), recorded);
  }
}
