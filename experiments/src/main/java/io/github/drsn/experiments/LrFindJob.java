package io.github.drsn.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.experiments.report.Plots;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.LrRangeTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A learning-rate range test ({@link LrRangeTest}, Smith 2017) of the network and data of some {@link RunSettings}:
 * the network is built exactly as {@code drsn train} would build it (recipes included), except that its learning
 * rate sweeps exponentially, and trained on the run's minibatches. Writes {@code lr_find.csv} (iteration, learning
 * rate, loss, smoothed loss), {@code lr_find.json} (settings, sweep, suggestions and points) and {@code lr_find.png}.
 */
public final class LrFindJob {

  /** The sweep's parameters: rates from {@code minLr} to {@code maxLr} over {@code iterations} minibatches. */
  public record Sweep(double minLr, double maxLr, int iterations) {
    /** @throws IllegalArgumentException naming the flag when the range or the count is invalid */
    public Sweep {
      LrRangeTest.schedule(minLr, maxLr, iterations);
    }
  }

  /** What a sweep produced: its curve and suggestions, and the files written (CSV, JSON, PNG). */
  public record Result(LrRangeTest.Result sweep, List<Path> files) {}

  private static final ObjectMapper JSON = JsonMappers.indented();

  private LrFindJob() {}

  /** Runs the sweep and writes its files into {@code dir} (created if missing). */
  public static Result run(RunSettings settings, Sweep sweep, Path dir) throws Exception {
    WindowedDataset windows = settings.loadWindows();
    RunConfig base = settings.runConfig(windows);
    TrainingRun.check(windows, base);
    RunConfig config = new RunConfig(base.architecture(), base.spec().toBuilder()
        .learningRate(LrRangeTest.schedule(sweep.minLr(), sweep.maxLr(), sweep.iterations())).build(),
        base.pipeline(), base.batchSize(), base.batchesPerEpoch(), base.sampling(), base.epochs(), base.patience(),
        base.seed(), base.evaluationSeed());
    LrRangeTest.Result result = LrRangeTest.run(DrsnModels.network(config.architecture(), config.spec()),
        TrainingRun.epochData(windows, config), sweep.iterations());
    Files.createDirectories(dir);
    Path csv = dir.resolve("lr_find.csv");
    Path json = dir.resolve("lr_find.json");
    Path png = dir.resolve("lr_find.png");
    StringBuilder text = new StringBuilder("iteration,learning_rate,loss,smoothed_loss\n");
    for (LrRangeTest.Point p : result.points()) {
      text.append(String.format(Locale.ROOT, "%d,%.6e,%.6f,%.6f%n", p.iteration(), p.learningRate(), p.loss(),
          p.smoothedLoss()));
    }
    AtomicFiles.writeString(csv, text.toString());
    AtomicFiles.writeString(json, JSON.writeValueAsString(toJson(settings, sweep, result)));
    Plots.lrRangeTest(png, result, "LR range test: " + settings.model().architecture() + " on " + settings.data()
        .describe() + ", noise " + settings.input().describe());
    return new Result(result, List.of(csv, json, png));
  }

  static ObjectNode toJson(RunSettings settings, Sweep sweep, LrRangeTest.Result result) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("method", "learning-rate range test (Smith 2017): exponential sweep, bias-corrected smoothing beta "
        + LrRangeTest.BETA + ", stop when the smoothed loss exceeds " + LrRangeTest.DIVERGENCE_FACTOR
        + " x its minimum");
    root.put("min_lr", sweep.minLr());
    root.put("max_lr", sweep.maxLr());
    root.put("iterations", sweep.iterations());
    root.put("iterations_run", result.points().size());
    root.put("diverged", result.diverged());
    ObjectNode suggestion = root.putObject("suggestion");
    suggestion.put("steepest_lr", result.steepestLr());
    suggestion.put("min_loss_lr", result.minLossLr());
    suggestion.put("cycle_base", result.cycleBase());
    suggestion.put("cycle_max", result.cycleMax());
    suggestion.put("descent", result.descent());
    suggestion.put("clear_descent", result.clearDescent());
    suggestion.put("schedule", String.format(Locale.ROOT, "triangular:base=%.3g,max=%.3g,step=S", result.cycleBase(),
        result.cycleMax()));
    root.set("settings", settings.toJson());
    ArrayNode points = root.putArray("points");
    for (LrRangeTest.Point p : result.points()) {
      ObjectNode o = points.addObject();
      o.put("iteration", p.iteration());
      o.put("learning_rate", p.learningRate());
      putNumber(o, "loss", p.loss());
      putNumber(o, "smoothed_loss", p.smoothedLoss());
    }
    return root;
  }

  /** JSON has no NaN or infinity: a diverged value is written as null. */
  private static void putNumber(ObjectNode o, String key, double value) {
    if (Double.isFinite(value)) {
      o.put(key, value);
    } else {
      o.putNull(key);
    }
  }
}
