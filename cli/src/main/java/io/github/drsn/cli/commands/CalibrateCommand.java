package io.github.drsn.cli.commands;

import io.github.drsn.cli.CalibrationOptions;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.experiments.Calibrations;
import io.github.drsn.model.adapt.TargetWindows;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.calibration.ReferenceThresholds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drsn calibrate}: fits an existing bundle's calibration section (temperature scaling, OOD statistics and
 * thresholds) on the validation split its recorded run settings name, through the same library call as training
 * ({@link Calibrations#calibrateAsTrained}); with {@code --reference}, chooses only the thresholds again, on
 * recordings of the machine the model is to watch ({@link ReferenceThresholds#choose}).
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Calibrates a model bundle on the validation windows it was trained with: temperature scaling"
        + " (ECE before and after), out-of-distribution statistics, and the threshold that flags a stated fraction"
        + " of in-distribution windows as unknown. With --reference, keeps all of that but the thresholds, and chooses"
        + " them on recordings of your own machine in a state the model has a class for (typically healthy), so that"
        + " the stated fraction of their windows is flagged: a threshold set on the validation windows holds for"
        + " windows like those, and your machine's noise and sensor are not.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn calibrate --model runs/drsn-cw/model.drsn",
      "  drsn calibrate --model m.drsn --out m-calibrated.drsn --false-alarm 0.01 --ood-method ENERGY",
      "  drsn calibrate --model m.drsn --out pump.drsn --rate 25600 --reference healthy/*.csv"
    })
public final class CalibrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the calibrated bundle (default: replace --model, atomically).")
  Path outFile;

  @Mixin CalibrationOptions calibration = new CalibrationOptions();

  @Option(names = "--reference", arity = "1..*", paramLabel = "FILE", description = "Recordings (.mat, .csv, .wav)"
      + " of the machine to watch, in a state the model has a class for (typically healthy), cut as predict cuts"
      + " them: the thresholds are chosen again on their windows; temperature and statistics are kept. A recording"
      + " of a fault the model does not know among them would raise the thresholds and hide that fault.")
  List<Path> reference = new ArrayList<>();

  @Option(names = "--rate", paramLabel = "HZ", description = "With --reference: sampling rate, as for predict.")
  Double rate;

  @Option(names = "--channel", paramLabel = "NAME", description = "With --reference: as for predict; once per model"
      + " input.")
  List<String> channels = new ArrayList<>();

  @Option(names = "--hop", paramLabel = "N", description = "With --reference: samples between windows at the model's"
      + " rate (default: the window length).")
  int hop;

  @Mixin ShaftSpeedOption speed = new ShaftSpeedOption();

  @Override
  public Integer call() throws Exception {
    double falseAlarm = calibration.falseAlarm(spec.commandLine());
    if (reference.isEmpty() && (rate != null || !channels.isEmpty() || hop != 0 || speed.rpm != null)) {
      throw new ParameterException(spec.commandLine(), "--rate, --channel, --hop and --rpm describe --reference"
          + " recordings; without --reference the model is calibrated on its own validation windows");
    }
    if (hop < 0) {
      throw new ParameterException(spec.commandLine(), "--hop must be >= 0 samples (0 = the window length), got "
          + hop);
    }
    speed.validate(spec.commandLine());
    Path target = outFile == null ? model : outFile;
    if (outFile != null) {
      // Without --out the model is replaced: reading it below says whether it is a bundle at all.
      Outputs.requireBundleDestination(spec.commandLine(), "--out", outFile);
    }
    for (Path file : reference) {
      if (Outputs.isSameFile(target, file)) {
        throw new ParameterException(spec.commandLine(), outFile == null
            ? "--reference " + file + " is the model itself; a reference is a recording of the machine"
            : "--out " + target + " is the --reference recording " + file + "; write the calibrated model to another"
                + " file");
      }
    }
    Bundle bundle = Bundle.read(model);
    if (!reference.isEmpty()) {
      if (bundle.calibration() == null) {
        throw new IllegalArgumentException(model + " is not calibrated: --reference chooses thresholds for the"
            + " statistics of its training windows; calibrate it first (drsn calibrate --model " + model + ")");
      }
      // Only the thresholds change: the method and the rate are the bundle's unless given.
      var parsed = spec.commandLine().getParseResult();
      OodMethod method = parsed.hasMatchedOption("--ood-method") ? calibration.method
          : bundle.calibration().method();
      if (!bundle.calibration().thresholds().containsKey(method)) {
        // A usage error, found before any recording is read: --reference keeps the statistics, so only their methods.
        throw new ParameterException(spec.commandLine(), "--ood-method " + method + ": " + model + " has no statistics"
            + " for it (it has " + bundle.calibration().thresholds().keySet() + "); --reference keeps the bundle's"
            + " statistics, so choose one of those, or calibrate without --reference to fit them all");
      }
      double rate = parsed.hasMatchedOption("--false-alarm") ? falseAlarm : bundle.calibration().falseAlarmRate();
      return rethreshold(bundle, rate, method, target);
    }
    EvaluateCommand.warnChangedData(spec.commandLine().getErr(), "calibrate", bundle);
    Bundle calibrated = Calibrations.calibrateAsTrained(bundle, model, falseAlarm, calibration.method);
    calibrated.write(target);
    Calibration c = calibrated.calibration();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "calibrated: %s (%d held-out windows)%n", c.data(), c.windows());
    out.printf(Locale.ROOT, "  temperature %.4f: ECE %.4f -> %.4f, NLL %.4f -> %.4f%n", c.temperature(), c.eceBefore(),
        c.eceAfter(), c.nllBefore(), c.nllAfter());
    if (c.temperature() >= Calibration.MAX_TEMPERATURE * 0.999) {
      // Softmax(z / 100) is near uniform: the fit found no temperature at which the logits mean anything.
      out.printf(Locale.ROOT, "  note: the temperature is at the search's upper bound (%.0f): on its validation"
          + " windows the model is hardly better than a guess, and its calibrated probabilities are near uniform%n",
          Calibration.MAX_TEMPERATURE);
    }
    for (Map.Entry<OodMethod, Double> t : c.thresholds().entrySet()) {
      out.printf(Locale.ROOT, "  %-11s threshold %.6g (flags %.1f %% of these windows)%s%n", t.getKey(), t.getValue(),
          100 * c.falseAlarmRate(), t.getKey() == c.method() ? "  <- used" : "");
    }
    Object test = calibrated.metrics().get("calibration") instanceof Map<?, ?> m ? m.get("test") : null;
    if (test instanceof Map<?, ?> t) {
      out.printf(Locale.ROOT, "  test windows: ECE %.4f -> %.4f, unknown %.2f %%%n",
          ((Number) t.get("ece_before")).doubleValue(), ((Number) t.get("ece_after")).doubleValue(),
          100 * ((Number) t.get("unknown_fraction")).doubleValue());
    }
    out.println("model: " + target);
    out.flush();
    return 0;
  }

  /** {@code --reference}: the thresholds chosen again on the reference recordings' windows. */
  private Integer rethreshold(Bundle bundle, double falseAlarm, OodMethod method, Path target) throws Exception {
    if (!bundle.input().orderDomain() && speed.rpm != null) {
      throw new ParameterException(spec.commandLine(), "--rpm is the shaft speed of --reference files for an"
          + " order-domain model, and " + model + " is not order domain");
    }
    TargetWindows read = TargetWindows.read(reference, rate, channels, bundle.input(), HealthCheck.DEFAULT, hop,
        bundle.input().orderDomain() ? speed.forFiles(spec.commandLine(), bundle.input())
            : TargetWindows.ShaftSpeeds.NONE);
    PrintWriter err = spec.commandLine().getErr();
    for (TargetWindows.TargetFile f : read.files()) {
      if (f.resampled()) {
        err.printf(Locale.ROOT, "drsn calibrate: %s resampled from %.1f Hz to the model's %.1f Hz%n", f.path(),
            f.samplingRate(), bundle.input().samplingRate());
      }
      if (f.unhealthy() > 0) {
        err.printf(Locale.ROOT, "drsn calibrate: %s: %d unhealthy windows left out%n", f.path(), f.unhealthy());
      }
    }
    // The library refuses too few windows as well; here the message can name the files and options.
    int needed = ReferenceThresholds.minimumWindows(falseAlarm);
    if (read.windows().size() < needed) {
      int unhealthy = read.files().stream().mapToInt(TargetWindows.TargetFile::unhealthy).sum();
      throw new IllegalArgumentException("the --reference files gave " + read.windows().size() + " healthy window(s)"
          + " of " + bundle.input().windowLength() + " samples" + (unhealthy == 0 ? "" : " (" + unhealthy
          + " left out as unhealthy input: check the sensor)") + "; a threshold that flags " + percent(falseAlarm)
          + " of them needs at least " + needed + " (give longer or more recordings, or a smaller --hop)");
    }
    String described = read.windows().size() + " windows (hop " + read.hop() + ") of " + read.files().size()
        + " reference recording(s): " + String.join(", ", read.files().stream().map(f -> f.path().toString()).toList());
    ReferenceThresholds result =
        ReferenceThresholds.choose(bundle, read.windows(), described, falseAlarm, method);
    result.bundle().write(target);
    Calibration before = bundle.calibration();
    Calibration c = result.bundle().calibration();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "thresholds chosen on %s%n", described);
    out.printf(Locale.ROOT, "  temperature %.4f and statistics kept (from %s)%n", c.temperature(), before.data());
    for (Map.Entry<OodMethod, Double> t : c.thresholds().entrySet()) {
      Double flagged = result.flaggedBefore().get(t.getKey());
      out.printf(Locale.ROOT, "  %-21s threshold %.6g -> %.6g (the previous one flagged %s of these windows, the new"
          + " one %s)%s%n", t.getKey(), before.thresholds().get(t.getKey()), t.getValue(),
          flagged == null ? "?" : percent(flagged), percent(result.flaggedAfter().get(t.getKey())),
          t.getKey() == c.method() ? "  <- used" : "");
    }
    List<String> shares = new ArrayList<>();
    result.classShares().forEach((name, share) -> {
      if (share > 0) {
        shares.add(name + " " + percent(share));
      }
    });
    out.println("  the model calls these windows: " + String.join(", ", shares));
    if (read.windows().size() < 10 * needed) {
      out.printf(Locale.ROOT, "  note: %d windows give a rough threshold; %d or more give a steadier one%n",
          read.windows().size(), 10 * needed);
    }
    out.println("model: " + target);
    out.flush();
    return 0;
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
  }
}
