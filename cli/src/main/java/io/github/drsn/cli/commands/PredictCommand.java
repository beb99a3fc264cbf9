package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.pipeline.Prediction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drsn predict}: diagnoses recordings with a bundled model, per window and per file. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Diagnoses MAT, CSV and WAV recordings of any length and sampling rate: each is resampled to the model's rate, cut into windows of the model's length, and classified; the file's diagnosis is the class with the highest mean probability over its windows.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn predict --model runs/cwru/model.drsn ../shared/data/cwru/12k_drive_end/105.mat",
      "  drsn predict --model m.drsn --rate 25600 --channel accel_x pump.csv --json",
      "  drsn predict --model m.drsn --windows recording.wav"
    })
public final class PredictCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = JsonMappers.indented();

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings: .mat, .csv or .wav.")
  List<Path> files;

  @Option(
      names = "--rate",
      paramLabel = "HZ",
      description = "Sampling rate of the recordings (needed for CSV and for MAT files that are not catalogued CWRU files).")
  Double rate;

  @Option(
      names = "--channel",
      paramLabel = "NAME",
      description = "MAT: variable pattern (default: X###_DE_time or the only vector); CSV: column name or 1-based"
          + " position; WAV: 0-based channel index.")
  String channel;

  @Option(names = "--hop", paramLabel = "N", description = "Samples between windows at the model's rate (default: the window length).")
  Integer hop;

  @Option(names = "--windows", description = "Also print every window's diagnosis.")
  boolean showWindows;

  @Option(names = "--json", description = "One JSON object on stdout with per-file and per-window probabilities.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ModelBundle bundle = ModelBundle.read(model);
    int step = hop != null ? hop : bundle.input().windowLength();
    PrintWriter out = spec.commandLine().getOut();
    List<String> classes = bundle.classes();
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model.toString());
    root.set("classes", JSON.valueToTree(classes));
    ArrayNode fileResults = root.putArray("files");
    for (Path file : files) {
      SignalFiles.Signal signal = SignalFiles.read(file, rate, channel);
      Prediction.Result result = Prediction.classify(bundle, signal.samples(), signal.samplingRate(), step);
      ObjectNode node = fileResults.addObject();
      node.put("file", file.toString());
      node.put("signal", signal.description());
      node.put("diagnosis", classes.get(result.predicted()));
      node.set("probabilities", probabilities(classes, result.meanProbabilities()));
      node.set("votes", JSON.valueToTree(result.votes()));
      ArrayNode windows = node.putArray("windows");
      for (Prediction.WindowResult w : result.windows()) {
        ObjectNode wn = windows.addObject();
        wn.put("start", w.start());
        wn.put("start_seconds", w.start() / result.samplingRate());
        wn.put("diagnosis", classes.get(w.predicted()));
        wn.set("probabilities", probabilities(classes, w.probabilities()));
      }
      if (!json) {
        printText(out, file, signal, result, classes);
      }
    }
    if (json) {
      out.println(JSON.writeValueAsString(root));
    }
    out.flush();
    return 0;
  }

  private void printText(PrintWriter out, Path file, SignalFiles.Signal signal, Prediction.Result result,
      List<String> classes) {
    int predicted = result.predicted();
    out.printf("%s: %s (mean probability %.3f; %d of %d windows agree)%n", file, classes.get(predicted),
        result.meanProbabilities()[predicted], result.votes()[predicted], result.windows().size());
    out.printf("  signal %s%n", signal.description());
    StringBuilder top = new StringBuilder("  probabilities:");
    Integer[] order = new Integer[classes.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(result.meanProbabilities()[b], result.meanProbabilities()[a]));
    for (int i = 0; i < Math.min(3, order.length); i++) {
      top.append(String.format(" %s %.3f", classes.get(order[i]), result.meanProbabilities()[order[i]]));
    }
    out.println(top);
    if (showWindows) {
      for (Prediction.WindowResult w : result.windows()) {
        out.printf("  window at %8.3f s: %s (%.3f)%n", w.start() / result.samplingRate(), classes.get(w.predicted()),
            w.probabilities()[w.predicted()]);
      }
    }
  }

  private static ObjectNode probabilities(List<String> classes, double[] p) {
    ObjectNode node = JSON.createObjectNode();
    for (int c = 0; c < classes.size(); c++) {
      node.put(classes.get(c), p[c]);
    }
    return node;
  }
}
