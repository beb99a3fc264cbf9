package io.github.drsn.cli.commands;

import io.github.drsn.cli.DataOptions;
import io.github.drsn.cli.InputOptions;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.io.CsvWriter;
import io.github.drsn.contract.io.Npy;
import io.github.drsn.datasets.split.DatasetSummary;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code drsn dataset info|export}: what a data source holds, and its windows for use elsewhere. */
@Command(
    name = "dataset",
    description = "Inspect a data source or export its windows.",
    mixinStandardHelpOptions = true,
    subcommands = {DatasetCommand.Info.class, DatasetCommand.Export.class})
public final class DatasetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Loads and windows the data named by the options. */
  static WindowedDataset windowed(DataOptions data) throws Exception {
    Dataset dataset = data.load();
    return WindowedDataset.cut(dataset, data.splitPlan(), data.windowSpec());
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Recordings, classes, conditions, sampling rate and window counts per class and split.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  drsn dataset info",
        "  drsn dataset info --data cwru --data-dir ../shared/data/cwru --json",
        "  drsn dataset info --manifest my-data/manifest.json --window 1024"
      })
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;

    @Option(names = "--json", description = "One JSON object on stdout (keys: recordings, classes, windows, ...).")
    boolean json;

    @Override
    public Integer call() throws Exception {
      DatasetSummary summary = windowed(data).summary();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(summary.toJson());
      } else {
        printText(out, summary);
      }
      out.flush();
      return 0;
    }

    private static void printText(PrintWriter out, DatasetSummary s) {
      out.printf("data set      %s%n", s.name());
      out.printf("recordings    %d (%d channel%s at %.1f Hz)%n", s.recordings(), s.channels(),
          s.channels() == 1 ? "" : "s", s.samplingRate());
      out.printf("conditions    %s%n", String.join(", ", s.conditions()));
      out.printf("split         %s%n", s.split());
      out.printf("windows       %d samples, training stride %d, evaluation stride %d%n",
          s.windowLength(), s.trainStride(), s.evaluationStride());
      int width = Math.max(8, s.classes().stream().mapToInt(String::length).max().orElse(0));
      String header = "%n%-" + width + "s %10s %8s %10s %8s%n";
      String row = "%-" + width + "s %10d %8d %10d %8d%n";
      out.printf(header, "class", "recordings", "train", "validation", "test");
      for (String c : s.classes()) {
        out.printf(row, c, s.recordingsPerClass().getOrDefault(c, 0),
            count(s, "train", c), count(s, "validation", c), count(s, "test", c));
      }
      out.printf(row, "total", s.recordings(), s.windowTotals().getOrDefault("train", 0),
          s.windowTotals().getOrDefault("validation", 0), s.windowTotals().getOrDefault("test", 0));
      for (String skipped : s.skipped()) {
        out.println("skipped: " + skipped);
      }
      for (String note : s.notes()) {
        out.println("note: " + note);
      }
    }

    private static int count(DatasetSummary s, String region, String c) {
      Map<String, Integer> perClass = s.windows().get(region);
      return perClass == null ? 0 : perClass.getOrDefault(c, 0);
    }
  }

  /** Export formats. */
  enum Format {
    npy,
    csv
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
        "Writes the windows of each split, after noise and normalisation, for use in other tools. npy: <split>_x.npy float32 [windows, channels, values], <split>_y.npy float32 class index, windows.csv; csv: <split>.csv, one window per row (values, then the class name).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  drsn dataset export --out windows/",
        "  drsn dataset export --data cwru --data-dir ../shared/data/cwru --noise none --format csv --out cwru-csv/"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin InputOptions input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;

    @Option(names = "--format", paramLabel = "FMT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.npy;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the noise realisation per window (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
      WindowedDataset windows = windowed(data);
      WindowPipeline pipeline = input.pipeline();
      Files.createDirectories(out);
      List<String> index = new ArrayList<>();
      index.add("split,index,recording,start,length,class");
      List<String> classes = windows.dataset().classes();
      for (Region region : Region.values()) {
        List<Window> list = windows.windows(region);
        if (list.isEmpty()) {
          continue;
        }
        double[][][] values = new double[list.size()][][];
        int[] labels = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
          Window w = list.get(i);
          values[i] = pipeline.apply(windows.dataset().recordings().get(w.recordingIndex()), w,
              WindowPipeline.evaluationRandom(seed, w));
          labels[i] = w.classIndex();
          index.add(region.key() + "," + i + "," + CsvWriter.quote(w.recordingId()) + "," + w.start() + ","
              + w.length() + "," + CsvWriter.quote(classes.get(w.classIndex())));
        }
        write(region, values, labels, classes);
      }
      AtomicFiles.writeString(out.resolve("windows.csv"), String.join("\n", index) + "\n");
      AtomicFiles.writeString(out.resolve("classes.txt"), String.join("\n", classes) + "\n");
      spec.commandLine().getErr().println("wrote " + format + " windows of " + data.describe() + " to " + out);
      return 0;
    }

    private void write(Region region, double[][][] values, int[] labels, List<String> classes) throws Exception {
      int channels = values[0].length;
      int length = values[0][0].length;
      if (format == Format.csv) {
        if (channels != 1) {
          throw new IllegalArgumentException("CSV export holds one channel per window; this data set has "
              + channels + " (use --format npy)");
        }
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
          rows[i] = values[i][0];
        }
        CsvWriter.writeWindows(out.resolve(region.key() + ".csv"), rows, labels, classes);
        return;
      }
      float[] flat = new float[values.length * channels * length];
      int k = 0;
      for (double[][] window : values) {
        for (double[] channel : window) {
          for (double v : channel) {
            flat[k++] = (float) v;
          }
        }
      }
      float[] y = new float[labels.length];
      for (int i = 0; i < labels.length; i++) {
        y[i] = labels[i];
      }
      Npy.writeFloats(out.resolve(region.key() + "_x.npy"), flat, values.length, channels, length);
      Npy.writeFloats(out.resolve(region.key() + "_y.npy"), y, labels.length);
    }
  }
}
