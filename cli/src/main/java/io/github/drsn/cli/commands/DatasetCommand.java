package io.github.drsn.cli.commands;

import io.github.drsn.cli.DataOptions;
import io.github.drsn.cli.InputOptions;
import io.github.drsn.cli.ModelOptions;
import io.github.drsn.cli.ProgressReporter;
import io.github.drsn.experiments.CleaningJob;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.experiments.TrainingSettings;
import io.github.drsn.model.clean.EnsembleCleaning;
import io.github.drsn.model.data.Sampling;
import io.github.drsn.model.pipeline.RunConfig;
import picocli.CommandLine;
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

/**
 * {@code drsn dataset info|export|clean}: what a data source holds, its windows for use elsewhere, and the training
 * windows whose labels an out-of-fold ensemble does not believe.
 */
@Command(
    name = "dataset",
    description = "Inspect a data source, export its windows, or list training windows whose labels look wrong.",
    mixinStandardHelpOptions = true,
    subcommands = {DatasetCommand.Info.class, DatasetCommand.Export.class, DatasetCommand.Clean.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn dataset info --data cwru --data-dir ../shared/data/cwru",
      "  drsn dataset export --manifest my-data/manifest.json --out windows/",
      "  drsn dataset clean --data cwru --data-dir ../shared/data/cwru --snr -4 --out clean-report/",
      "  drsn dataset <command> --help    (the options of one command)"
    })
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
        "Writes the windows of each split, after noise and normalisation, for use in other tools. npy: <split>_x.npy float32 [windows, channels, values], <split>_y.npy float32 class index, windows.csv; csv: <split>.csv, one window per row (values, then the class name); both: classes.txt, the class names in index order; exported-files.txt lists them, and a later export into the folder replaces those and no other file.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  drsn dataset export --out windows/",
        "  drsn dataset export --data cwru --data-dir ../shared/data/cwru --noise none --format csv --out cwru-csv/"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin InputOptions input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed;"
        + " window files of an earlier export in it that this one does not write are removed).")
    Path out;

    @Option(names = "--format", paramLabel = "FMT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.npy;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the noise realisation per window (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    /** The list of the window files an export wrote, beside them: what the next export into the folder may replace. */
    static final String FILES = "exported-files.txt";

    /** The window files this export has written. */
    private final java.util.Set<Path> written = new java.util.HashSet<>();

    @Override
    public Integer call() throws Exception {
      WindowedDataset windows = windowed(data);
      WindowPipeline pipeline = input.pipeline();
      Files.createDirectories(out);
      List<Path> earlier = earlierExport();
      List<String> index = new ArrayList<>();
      index.add("split,index,recording,start,length,class");
      List<String> classes = windows.dataset().classes();
      written.clear();
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
      AtomicFiles.writeString(out.resolve(FILES), written.stream().map(f -> f.getFileName().toString()).sorted()
          .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
      // An earlier export into this folder (another split, another format) may have left window files this one did
      // not replace; beside the new windows.csv they would pass for part of it. Only the files that export listed
      // as its own are removed (a test.csv of the user's is not an export's), and only now, once the new export is
      // complete, so that a failed export loses nothing.
      for (Path file : earlier) {
        if (!written.contains(file)) {
          Files.deleteIfExists(file);
        }
      }
      spec.commandLine().getErr().println("wrote " + format + " windows of " + data.describe() + " to " + out);
      return 0;
    }

    /**
     * The window files an earlier export into {@code out} listed in {@link #FILES} (none if there was none): plain
     * names of this command's own kinds only, so that a listing edited by hand cannot make it delete anything else.
     */
    private List<Path> earlierExport() throws java.io.IOException {
      Path listing = out.resolve(FILES);
      if (!Files.isRegularFile(listing)) {
        return List.of();
      }
      List<Path> files = new ArrayList<>();
      for (String name : Files.readAllLines(listing)) {
        if (name.matches("(train|validation|test)(\\.csv|_x\\.npy|_y\\.npy)")) {
          files.add(out.resolve(name));
        }
      }
      return files;
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
        written.add(out.resolve(region.key() + ".csv"));
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
      written.add(out.resolve(region.key() + "_x.npy"));
      written.add(out.resolve(region.key() + "_y.npy"));
    }
  }

  @Command(
      name = "clean",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Lists training windows whose labels look wrong, for review: the training windows are split into"
          + " --folds time-block folds (no window that trains shares a sample with one it scores), --models networks"
          + " per fold (the network drsn train would build, different seeds) are trained on the other folds, and a"
          + " window is flagged when the mean probability its fold's networks give its label is below --threshold."
          + " Writes flagged.csv (most suspicious first), report.json and report.md into --out. --flip-labels f first"
          + " gives a seeded random f of the training labels another class and reports the precision and recall of"
          + " the flagged set against them (validation of the method).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  drsn dataset clean --out runs/clean",
        "  drsn dataset clean --snr 4 --folds 3 --models 2 --epochs 4 --flip-labels 0.1 --out runs/clean-flip10",
        "  drsn dataset clean --data cwru --data-dir ../shared/data/cwru --snr 0 --out runs/clean-cwru"
      })
  static final class Clean implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data = new DataOptions();
    @Mixin InputOptions input = new InputOptions();
    @Mixin ModelOptions model = new ModelOptions();

    @Option(names = "--folds", paramLabel = "K",
        description = "Time-block folds, at least 2 (default: ${DEFAULT-VALUE}).")
    int folds = 3;

    @Option(names = "--models", paramLabel = "N",
        description = "Networks per fold, averaged (default: ${DEFAULT-VALUE}).")
    int models = 2;

    @Option(names = "--threshold", paramLabel = "T",
        description = "Flag a window when the ensemble's probability of its label is below T, in (0, 1)"
            + " (default: ${DEFAULT-VALUE}).")
    double threshold = EnsembleCleaning.DEFAULT_THRESHOLD;

    @Option(names = "--flip-labels", paramLabel = "F",
        description = "For validation: give a seeded random fraction F in [0, 1) of the training labels another"
            + " class first, and score the flagged set against them (default: ${DEFAULT-VALUE}, none).")
    double flipLabels = 0;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per network (default: ${DEFAULT-VALUE}).")
    int epochs = 6;

    @Option(names = "--batch", paramLabel = "N", description = "Windows per minibatch (default: ${DEFAULT-VALUE}).")
    int batch = 128;

    @Option(names = "--batches-per-epoch", paramLabel = "N",
        description = "Minibatches per epoch; 0 = training windows / batch (default: ${DEFAULT-VALUE}).")
    int batchesPerEpoch = 0;

    @Option(names = "--seed", paramLabel = "N",
        description = "Seed of the folds, the label flips and every network (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed;"
        + " window files of an earlier export in it that this one does not write are removed).")
    Path out;

    @Override
    public Integer call() throws Exception {
      RunSettings settings;
      EnsembleCleaning.Settings cleaning;
      try {
        if (!(flipLabels >= 0 && flipLabels < 1)) {
          throw new IllegalArgumentException("--flip-labels must be a fraction in [0, 1), got " + flipLabels);
        }
        cleaning = new EnsembleCleaning.Settings(folds, models, threshold, seed);
        TrainingSettings training = new TrainingSettings(epochs, batch, batchesPerEpoch, Sampling.CLASS_BALANCED, 0,
            seed, RunConfig.DEFAULT_EVALUATION_SEED);
        settings = new RunSettings(data.settings(), model.settings(), input.settings(), training);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("drsn dataset clean: " + settings.title() + ", " + folds + " folds x " + models + " networks"
          + (flipLabels > 0 ? ", " + flipLabels + " of the training labels flipped" : ""));
      err.flush();
      CleaningJob.Result result;
      try (ProgressReporter progress =
          new ProgressReporter(err, System.console() != null, settings.model().architecture())) {
        result = CleaningJob.run(settings, cleaning, flipLabels, out, progress, line -> {
          err.println("drsn dataset clean: " + line);
          err.flush();
        });
      }
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.printf(java.util.Locale.ROOT, "%d of %d training windows flagged (p(label) < %s)%n",
          result.cleaning().flagged().size(), result.cleaning().scores().size(), threshold);
      if (result.validation() != null) {
        stdout.printf(java.util.Locale.ROOT, "flipped %d: precision %.3f, recall %.3f%n", result.validation().errors(),
            result.validation().precision(), result.validation().recall());
      }
      for (Path file : result.files()) {
        stdout.println("wrote " + file);
      }
      stdout.flush();
      return 0;
    }
  }
}
