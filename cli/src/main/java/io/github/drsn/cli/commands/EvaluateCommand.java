package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.cli.DataOptions;
import io.github.drsn.cli.InputOptions;
import io.github.drsn.experiments.report.ReportJson;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.contract.Bundle;
import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.experiments.Calibrations;
import io.github.drsn.experiments.DataSettings;
import io.github.drsn.experiments.InputSettings;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.model.eval.ClassMetrics;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.model.pipeline.RunConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drsn evaluate}: accuracy, macro-F1, per-class precision/recall and confusion of a bundled model. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    resourceBundle = "io.github.drsn.cli.commands.EvaluateHelp",
    sortOptions = false,
    description =
        "Evaluates a model bundle on the test (or validation) windows of a data source, each window with one fixed noise realisation (--eval-seed), at one SNR or a list of SNRs.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn evaluate --model runs/drsn-cw-synthetic/model.drsn",
      "  drsn evaluate --model m.drsn --data cwru --data-dir ../shared/data/cwru --snrs -10,-8,-6,-4 --json"
    })
public final class EvaluateCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = JsonMappers.indented();

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Mixin DataOptions data = new DataOptions();
  @Mixin InputOptions input = new InputOptions();

  @Option(
      names = "--snrs",
      split = ",",
      paramLabel = "DB,DB,..",
      hideParamSyntax = true,
      description = "Several SNRs in dB (overrides --snr), e.g. -10,-8,-6,-4,-2,0.")
  double[] snrs;

  @Option(names = "--region", paramLabel = "REGION", description = "TEST or VALIDATION (default: ${DEFAULT-VALUE}).")
  Region region = Region.TEST;

  @Option(names = "--eval-seed", paramLabel = "N", description = "Seed of the fixed noise per window (default: ${DEFAULT-VALUE}).")
  long evaluationSeed = RunConfig.DEFAULT_EVALUATION_SEED;

  @Option(names = "--tta-shifts", paramLabel = "N", description = "Test-time augmentation: average the"
      + " probabilities of N circular shifts of each window (by k*L/N samples, k = 0..N-1); 1 = off (default:"
      + " ${DEFAULT-VALUE}). Evaluation only: the runtime and predict are unchanged.")
  int ttaShifts = 1;

  @Option(names = "--json", description = "One JSON object on stdout: accuracy, macro_f1, confusion (rows = true class), classes.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (ttaShifts < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tta-shifts must be at least 1 (1 = no"
          + " augmentation), got " + ttaShifts);
    }
    for (String fixed : List.of("--normalization", "--input")) {
      if (parse().hasMatchedOption(fixed)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), fixed + ": evaluate applies the model's"
            + " own preprocessing, which its bundle records (" + model + "); it cannot evaluate another, so omit "
            + fixed);
      }
    }
    if (region == Region.TRAIN) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--region: TRAIN windows are what the model"
          + " was fitted to, not a measure of it; expected TEST or VALIDATION");
    }
    // The runtime's network and preprocessing, as a monitoring service loads them (the windows' health is not checked:
    // evaluate measures the classifier on the noisy test windows).
    Bundle bundle = Bundle.read(model);
    LeanDiagnoser diagnoser = LeanDiagnoser.of(bundle);
    if (spec.commandLine().getParseResult().hasMatchedOption("--window")
        && data.windowSpec().length() != diagnoser.inputSpec().windowLength()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--window " + data.windowSpec().length()
          + ": the model " + model + " takes windows of " + diagnoser.inputSpec().windowLength() + " samples; omit"
          + " --window (evaluate always cuts the model's window length)");
    }
    PrintWriter out = spec.commandLine().getOut();
    // Unless told otherwise, score the model on the data and noise it was trained with (bundles record their
    // run settings); any data or noise option replaces the recorded data or noise.
    RunSettings trained = RunSettings.recordedIn(bundle, model);
    // --window is checked above against the model and chooses no data: it does not replace the recorded data.
    boolean dataGiven = mixinOptionGiven("data", "--window");
    boolean noiseGiven = parse().hasMatchedOption("--noise");
    boolean snrGiven = parse().hasMatchedOption("--snr") || parse().hasMatchedOption("--snrs");

    effectiveData = trained == null || dataGiven ? data.settings() : trained.data();
    InputSettings.Noise noiseKind = trained == null || noiseGiven
        ? InputSettings.Noise.of(input.noiseSpec() == null ? null : input.noiseSpec().type()) : trained.input().noise();
    double defaultSnr = trained == null || snrGiven ? input.snrDb() : trained.input().snrDb();
    if (noiseKind == InputSettings.Noise.none && snrGiven) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), (noiseGiven ? "--noise none"
          : "the model was trained without noise, and no --noise was given, so evaluate") + " adds no noise, and "
          + (parse().hasMatchedOption("--snrs") ? "--snrs" : "--snr") + " has nothing to set; give a noise type"
          + " (--noise gaussian, laplacian or pink) or omit the SNR");
    }
    if (trained != null && (!dataGiven || !noiseGiven || !snrGiven)) {
      spec.commandLine().getErr().printf(Locale.ROOT, "drsn evaluate: as the model was trained: %s%s%n",
          dataGiven ? "" : effectiveData.describe() + ", ",
          noiseKind == InputSettings.Noise.none ? "no noise" : noiseKind + (snrs != null ? "" : " " + defaultSnr + " dB"));
    }
    if (trained != null && !dataGiven) {
      warnChangedData(spec.commandLine().getErr(), "evaluate", bundle);
    }
    Dataset dataset = effectiveData.load();
    if (dataset.samplingRate() != diagnoser.inputSpec().samplingRate()) {
      spec.commandLine().getErr().printf(Locale.ROOT, "drsn: resampling %s from %.1f Hz to the model's %.1f Hz%n",
          dataset.name(), dataset.samplingRate(), diagnoser.inputSpec().samplingRate());
    }
    WindowedDataset windows = WindowedDataset.forModel(dataset, diagnoser.classes(), diagnoser.inputSpec(),
        effectiveData.splitPlan(), effectiveData.windowSpec().trainStride());
    double[] levels = snrs != null ? snrs : new double[] {defaultSnr};
    ArrayNode sweep = JSON.createArrayNode();
    for (double snr : levels) {
      NoiseSpec noise = noiseKind == InputSettings.Noise.none ? null : new NoiseSpec(noiseKind.type(), snr);
      ClassificationReport report = Evaluation.evaluate(diagnoser, windows, region, noise, evaluationSeed, ttaShifts);
      ObjectNode result = ReportJson.metrics(report);
      // Calibration and the shift-protocol view (issue #16): ECE before/after temperature scaling, fault-family
      // accuracy, and the fraction the bundle's OOD threshold flags unknown (null for an uncalibrated bundle).
      Calibrations.Uncertainty uncertainty = Calibrations.measure(bundle.calibration(), bundle.classes(),
          Calibrations.outputs(diagnoser, windows, region, noise, evaluationSeed));
      result.put("calibrated", bundle.calibration() != null);
      result.put("temperature", bundle.temperature());
      if (bundle.calibration() != null) {
        result.put("ood_method", bundle.calibration().method().name());
        result.put("ood_threshold", bundle.calibration().threshold());
      }
      uncertainty.toMap().forEach((k, v) -> {
        if (!k.equals("windows") && !k.equals("accuracy")) {
          result.set(k, JSON.valueToTree(v));
        }
      });
      result.put("noise", noise == null ? "none" : noise.type().name().toLowerCase(Locale.ROOT));
      if (noise != null) {
        result.put("snr_db", snr);
      }
      result.put("region", region.key());
      result.put("data", effectiveData.describe());
      result.put("model", model.toString());
      result.put("evaluation_seed", evaluationSeed);
      if (ttaShifts > 1) {
        result.put("tta_shifts", ttaShifts);
      }
      sweep.add(result);
      if (!json) {
        printText(out, report, noise == null ? "no noise" : noise.toString());
        printUncertainty(out, bundle, uncertainty);
      }
    }
    if (json) {
      if (sweep.size() == 1) {
        out.println(JSON.writeValueAsString(sweep.get(0)));
      } else {
        ObjectNode root = JSON.createObjectNode();
        root.set("classes", sweep.get(0).get("classes"));
        root.set("sweep", sweep);
        out.println(JSON.writeValueAsString(root));
      }
    }
    out.flush();
    return 0;
  }

  private DataSettings effectiveData;

  private picocli.CommandLine.ParseResult parse() {
    return spec.commandLine().getParseResult();
  }

  /** Whether any option of the mixin {@code name} other than {@code ignored} was given on the command line. */
  private boolean mixinOptionGiven(String name, String... ignored) {
    for (picocli.CommandLine.Model.OptionSpec option : spec.mixins().get(name).options()) {
      if (parse().hasMatchedOption(option.longestName()) && !List.of(ignored).contains(option.longestName())) {
        return true;
      }
    }
    return false;
  }

  /** The run settings the bundle records (bundles of this version do), or null for an older bundle. */
  private RunSettings trainedSettings(Bundle bundle) {
    return RunSettings.recordedIn(bundle, model);
  }

  private static void printUncertainty(PrintWriter out, Bundle bundle, Calibrations.Uncertainty u) {
    if (bundle.calibration() == null) {
      out.printf(Locale.ROOT, "  uncalibrated (drsn calibrate adds it): ECE %.4f, NLL %.4f; fault-family accuracy %.4f%n",
          u.eceBefore(), u.nllBefore(), u.familyAccuracy());
      return;
    }
    out.printf(Locale.ROOT, "  calibration T = %.3f: ECE %.4f -> %.4f, NLL %.4f -> %.4f (15 bins)%n",
        bundle.temperature(), u.eceBefore(), u.eceAfter(), u.nllBefore(), u.nllAfter());
    out.printf(Locale.ROOT, "  %s above %.4g: %.2f %% unknown; accuracy %.4f (answered %.4f), fault-family accuracy"
        + " %.4f (answered %.4f)%n", bundle.calibration().method(), bundle.calibration().threshold(),
        100 * u.unknownFraction(), u.accuracy(), u.answeredAccuracy(), u.familyAccuracy(), u.answeredFamilyAccuracy());
  }

  private void printText(PrintWriter out, ClassificationReport r, String noiseText) {
    out.printf(Locale.ROOT, "%s, %s windows of %s (%d): accuracy %.4f, macro-F1 %.4f%n", noiseText, region.key(),
        effectiveData.describe(), r.total(), r.accuracy(), r.macroF1());
    List<String> names = r.classNames();
    int width = Math.max(8, names.stream().mapToInt(String::length).max().orElse(0));
    out.printf("  %-" + width + "s %9s %7s %7s %8s%n", "class", "precision", "recall", "F1", "support");
    for (ClassMetrics m : r.perClass()) {
      out.printf("  %-" + width + "s %9.4f %7.4f %7.4f %8d%n", m.className(), m.precision(), m.recall(), m.f1(), m.support());
    }
    out.println("  confusion (rows = true class, columns = predicted):");
    long[][] counts = r.confusionCounts();
    for (int i = 0; i < counts.length; i++) {
      StringBuilder row = new StringBuilder(String.format("  %-" + width + "s", names.get(i)));
      for (long c : counts[i]) {
        row.append(String.format(" %5d", c));
      }
      out.println(row);
    }
  }

  /**
   * Warns, on {@code err}, about each recording the bundle was trained on that differs today or is gone (at most five
   * named): "the data the model was trained on" is then cut from other samples.
   */
  static void warnChangedData(PrintWriter err, String command, Bundle bundle) {
    List<String> changed = io.github.drsn.experiments.report.DataFile.changedSince(bundle.provenance());
    changed.stream().limit(5).forEach(c -> err.println("drsn " + command + ": warning: " + c));
    if (changed.size() > 5) {
      err.println("drsn " + command + ": warning: and " + (changed.size() - 5) + " more recording(s) changed or gone");
    }
    err.flush();
  }
}
