package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.Bundle;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.experiments.AdaptationTarget;
import io.github.drsn.model.adapt.Adaptation;
import io.github.drsn.model.adapt.PseudoLabels;
import io.github.drsn.model.adapt.TargetWindows;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.runtime.HealthCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drsn adapt}: adapts a model to unlabeled recordings of a new condition (AdaBN, pseudo-labels), guarded. */
@Command(
    name = "adapt",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Adapts a model to unlabeled recordings of another operating condition: AdaBN (Li et al. 2018) replaces every"
          + " batch norm's running mean and variance by the statistics of the target windows, layer by layer; with"
          + " --pseudo-labels the model is then fine-tuned on its own confident predictions (Lee 2013) and the"
          + " statistics re-estimated. Group-norm models have no running statistics: AdaBN changes nothing there.",
      "Guard: the adapted model is refused (exit 1, nothing written) when it agrees with the source model on fewer"
          + " than --min-agreement of the target windows, or when its most predicted class takes more than"
          + " --max-class-share of them and more than --max-share-gain above the source model's share of that class;"
          + " --force writes it anyway. The adapted bundle records the method, files (SHA-256), windows, thresholds"
          + " and seed in its training section."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn adapt --model runs/cwru/model.drsn --unlabeled 3hp/*.mat --out runs/cwru/adapted.drsn",
      "  drsn adapt --model m.drsn --rate 25600 --unlabeled pump1.csv pump2.csv --pseudo-labels --out m2.drsn --json",
      "  drsn adapt --model orders.drsn --rate 25600 --rpm 1480 --unlabeled pump.csv --out orders2.drsn"
          + "   (an order-domain model needs the speed)",
      "  drsn adapt --model runs/x/model.drsn --target-split TEST --pseudo-labels --out adapted.drsn"
    })
public final class AdaptCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = JsonMappers.indented();

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model bundle to adapt.")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  /** Where the target windows come from. */
  static final class Target {
    @Option(names = "--unlabeled", arity = "1..*", paramLabel = "FILE",
        description = "Unlabeled target recordings (.mat, .csv, .wav), cut as predict cuts them.")
    List<Path> files;

    @Option(names = "--target-split", paramLabel = "REGION",
        description = "Instead of files, for experiments: the TEST or VALIDATION windows of the data the model was"
            + " trained on, with its noise and SNR as evaluate draws them (--eval-seed). Their labels are not used to"
            + " adapt; they are only reported (accuracy before and after).")
    Region region;
  }

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the adapted bundle.")
  Path out;

  @Option(names = "--rate", paramLabel = "HZ", description = "Sampling rate: needed for uncatalogued MAT files and"
      + " for CSV files without a time column that gives it; checked against a CSV's time column (docs/manifest.md).")
  Double rate;

  @Mixin ShaftSpeedOption speed = new ShaftSpeedOption();

  @Option(names = "--channel", paramLabel = "NAME", description = "As for predict; once per model input.")
  List<String> channels = new ArrayList<>();

  @Option(names = "--hop", paramLabel = "N", description = "Samples between windows at the model's rate (default: the window length).")
  int hop;

  @Option(names = "--no-adabn", description = "Do not re-estimate the batch-norm statistics (pseudo-labels only).")
  boolean noAdaBn;

  @Option(names = "--pseudo-labels", description = "Also fine-tune on confident pseudo-labels.")
  boolean pseudoLabels;

  @Option(names = "--threshold", paramLabel = "P", description = "Pseudo-label probability threshold (default: ${DEFAULT-VALUE}).")
  double threshold = PseudoLabels.Options.DEFAULT.threshold();

  @Option(names = "--unbalanced", description = "Do not cap the pseudo-labels per class at ceil(windows / classes).")
  boolean unbalanced;

  @Option(names = "--epochs", paramLabel = "N", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  int epochs = PseudoLabels.Options.DEFAULT.epochs();

  @Option(names = "--lr", paramLabel = "RATE", description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = PseudoLabels.Options.DEFAULT.learningRate();

  @Option(names = "--batch", paramLabel = "N", description = "Fine-tuning minibatch (default: ${DEFAULT-VALUE}).")
  int batch = PseudoLabels.Options.DEFAULT.batch();

  @Option(names = "--seed", paramLabel = "N", description = "Shuffling seed of the fine-tuning (default: ${DEFAULT-VALUE}).")
  long seed = PseudoLabels.Options.DEFAULT.seed();

  @Option(names = "--min-agreement", paramLabel = "F", description = "Guard: least agreement with the source model (default: ${DEFAULT-VALUE}).")
  double minAgreement = Adaptation.Guard.DEFAULT.minAgreement();

  @Option(names = "--max-class-share", paramLabel = "F", description = "Guard: share of one class that triggers the collapse check (default: ${DEFAULT-VALUE}).")
  double maxClassShare = Adaptation.Guard.DEFAULT.maxClassShare();

  @Option(names = "--max-share-gain", paramLabel = "F", description = "Guard: how far that share may rise above the source model's (default: ${DEFAULT-VALUE}).")
  double maxShareGain = Adaptation.Guard.DEFAULT.maxShareGain();

  @Option(names = "--force", description = "Write the adapted model even when the guard refuses it.")
  boolean force;

  @Option(names = "--eval-seed", paramLabel = "N", description = "With --target-split: seed of the fixed noise per window (default: ${DEFAULT-VALUE}).")
  long evaluationSeed = RunConfig.DEFAULT_EVALUATION_SEED;

  @Option(names = "--json", description = "The report as one JSON object on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Adaptation.Options options;
    try {
      options = new Adaptation.Options(!noAdaBn, pseudoLabels
          ? new PseudoLabels.Options(threshold, !unbalanced, epochs, learningRate, batch, seed) : null,
          new Adaptation.Guard(minAgreement, maxClassShare, maxShareGain));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (hop < 0) {
      throw new ParameterException(spec.commandLine(), "--hop must be >= 0 samples (0 = the window length), got " + hop);
    }
    var parsed = spec.commandLine().getParseResult();
    if (target.region != null) {
      for (String fileOption : List.of("--hop", "--rate", "--channel")) {
        if (parsed.hasMatchedOption(fileOption)) {
          throw new ParameterException(spec.commandLine(), fileOption + " describes --unlabeled files; --target-split"
              + " takes the windows of the data the model was trained on, as they were cut");
        }
      }
    }
    if (!pseudoLabels) {
      for (String option : List.of("--threshold", "--unbalanced", "--epochs", "--lr", "--batch", "--seed")) {
        if (parsed.hasMatchedOption(option)) {
          throw new ParameterException(spec.commandLine(), option + " sets the fine-tuning on pseudo-labels, which"
              + " runs only with --pseudo-labels; add --pseudo-labels or omit " + option);
        }
      }
    }
    if (target.region == Region.TRAIN) {
      throw new ParameterException(spec.commandLine(), "--target-split: expected TEST or VALIDATION, got TRAIN");
    }
    Outputs.requireBundleDestination(spec.commandLine(), "--out", out);
    if (Outputs.isSameFile(out, model)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is the model being adapted; write the"
          + " adapted model to another file");
    }
    speed.validate(spec.commandLine());
    ModelBundle source = ModelBundle.read(model);
    boolean orderDomain = source.input().orderDomain();
    if (speed.rpm != null && (!orderDomain || target.files == null)) {
      throw new ParameterException(spec.commandLine(), "--rpm is the shaft speed of --unlabeled files for an"
          + " order-domain model" + (orderDomain ? "; --target-split takes the speeds its data records" : ", and "
          + model + " is not order domain"));
    }
    PrintWriter err = spec.commandLine().getErr();
    List<float[]> windows;
    Map<String, Object> targetRecord;
    int[] labels = null;
    if (target.files != null) {
      TargetWindows read = TargetWindows.read(target.files, rate, channels, source.input(), HealthCheck.DEFAULT, hop,
          orderDomain ? speed.forFiles(spec.commandLine(), source.input())
              : TargetWindows.ShaftSpeeds.NONE);
      windows = read.windows();
      targetRecord = read.describe();
      for (TargetWindows.TargetFile f : read.files()) {
        if (f.speed() != null) {
          err.printf(Locale.ROOT, "drsn adapt: %s resampled from %.1f Hz to %s samples per revolution at %.1f rpm"
              + " (%s)%n", f.path(), f.samplingRate(), ShaftSpeedOption.perRevolution(source.input()), f.speed().rpm(),
              f.speed().source());
        } else if (f.resampled()) {
          err.printf(Locale.ROOT, "drsn adapt: %s resampled from %.1f Hz to the model's %.1f Hz%n", f.path(),
              f.samplingRate(), source.input().samplingRate());
        }
        if (f.unhealthy() > 0) {
          err.printf(Locale.ROOT, "drsn adapt: %s: %d unhealthy windows left out%n", f.path(), f.unhealthy());
        }
      }
      if (windows.size() < 2) {
        throw new IllegalArgumentException("the unlabeled files gave " + windows.size() + " healthy window(s) of "
            + source.input().windowLength() + " samples; adaptation needs at least 2");
      }
    } else {
      AdaptationTarget split = AdaptationTarget.ofSplit(source, model, target.region, evaluationSeed);
      windows = split.windows();
      labels = split.labels();
      targetRecord = split.record();
      err.printf(Locale.ROOT, "drsn adapt: the %s windows of %s, %s (labels only reported)%n", target.region.key(),
          targetRecord.get("data"), "none".equals(targetRecord.get("noise")) ? "no noise" : targetRecord.get("noise"));
    }
    Adaptation.Result result = Adaptation.adapt(source, windows, options);
    Adaptation.Report report = result.report();
    ObjectNode node = JSON.valueToTree(Adaptation.record(report, targetRecord, force && report.refused()));
    if (labels != null) {
      node.set("accuracy", accuracies(result, windows, labels));
    }
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      stdout.println(JSON.writeValueAsString(node));
    } else {
      printText(stdout, report, node);
    }
    stdout.flush();
    if (report.refused() && !force) {
      err.println("drsn adapt: refused, nothing written: " + String.join("; ", report.refusals())
          + " (--force writes it anyway)");
      err.flush();
      return 1;
    }
    if (report.refused()) {
      err.println("drsn adapt: the guard refused, written anyway (--force): " + String.join("; ", report.refusals()));
    }
    Adaptation.bundle(source, result, targetRecord, report.refused()).write(out);
    err.println("drsn adapt: wrote " + out);
    if (io.github.drsn.contract.Bundle.read(model).calibration() != null) {
      // The source's temperature, feature statistics and thresholds describe the network before adaptation.
      err.println("drsn adapt: " + out + " carries no calibration (the source's describes the network before"
          + " adaptation), so it answers no 'unknown'; calibrate it: drsn calibrate --model " + out + " (on the"
          + " training data's validation split), then --reference FILE... on this machine's recordings");
    }
    err.flush();
    return 0;
  }

  /** Accuracy of the source model and of the adapted one on labelled windows (labels used for this report only). */
  private static ObjectNode accuracies(Adaptation.Result result, List<float[]> windows, int[] labels) {
    AdaptationTarget labelled = new AdaptationTarget(windows, labels, Map.of());
    ObjectNode node = JSON.createObjectNode();
    node.put("source", labelled.accuracy(result.sourceProbabilities()));
    node.put("adapted", labelled.accuracy(result.probabilities()));
    return node;
  }

  private static void printText(PrintWriter out, Adaptation.Report report, ObjectNode node) {
    out.printf(Locale.ROOT, "%s on %d target windows%n", report.method(), report.windows());
    if (report.adaBn() != null) {
      out.printf(Locale.ROOT, "  AdaBN: %d batch-norm blocks re-estimated%s%n", report.adaBn().estimates().size(),
          report.adaBn().noOp() ? " (a group-norm model: nothing to re-estimate, AdaBN is a no-op)" : "");
    }
    if (report.selection() != null) {
      StringBuilder perClass = new StringBuilder();
      for (int k = 0; k < report.classes().size(); k++) {
        perClass.append(k == 0 ? "" : ", ").append(report.classes().get(k)).append(' ')
            .append(report.selection().perClass()[k]);
      }
      out.printf(Locale.ROOT, "  pseudo-labelled windows per class (threshold %.2f%s): %s%n",
          report.pseudoLabelOptions().threshold(), report.pseudoLabelOptions().classBalanced() ? ", class-balanced" : "",
          perClass);
    }
    for (Adaptation.Stage s : report.stages()) {
      out.printf(Locale.ROOT, "  %-14s agreement with source %.3f  mean max probability %.3f  mean entropy %.3f%n",
          s.name(), s.agreement(), s.meanMaxProbability(), s.meanEntropy());
    }
    if (node.has("accuracy")) {
      out.printf(Locale.ROOT, "  accuracy (labels reported only): source %.4f, adapted %.4f%n",
          node.path("accuracy").path("source").asDouble(), node.path("accuracy").path("adapted").asDouble());
    }
    out.println(report.refused() ? "  guard: REFUSED: " + String.join("; ", report.refusals()) : "  guard: passed");
  }
}
