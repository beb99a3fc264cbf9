package io.github.drsn.cli.commands;

import io.github.drsn.cli.CalibrationOptions;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.experiments.Calibrations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drsn calibrate}: fits an existing bundle's calibration section (temperature scaling, OOD statistics and
 * thresholds) on the validation split its recorded run settings name, through the same library call as training
 * ({@link Calibrations#calibrateAsTrained}).
 */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Calibrates a model bundle on the validation windows it was trained with: temperature scaling"
        + " (ECE before and after), out-of-distribution statistics, and the threshold that flags a stated fraction"
        + " of in-distribution windows as unknown.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn calibrate --model runs/drsn-cw/model.drsn",
      "  drsn calibrate --model m.drsn --out m-calibrated.drsn --false-alarm 0.01 --ood-method ENERGY"
    })
public final class CalibrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the calibrated bundle (default: replace --model, atomically).")
  Path outFile;

  @Mixin CalibrationOptions calibration = new CalibrationOptions();

  @Override
  public Integer call() throws Exception {
    double falseAlarm = calibration.falseAlarm(spec.commandLine());
    Bundle bundle = Bundle.read(model);
    Bundle calibrated = Calibrations.calibrateAsTrained(bundle, model, falseAlarm, calibration.method);
    Path target = outFile == null ? model : outFile;
    calibrated.write(target);
    Calibration c = calibrated.calibration();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "calibrated on %d %s%n", c.windows(), c.data());
    out.printf(Locale.ROOT, "  temperature %.4f: ECE %.4f -> %.4f, NLL %.4f -> %.4f%n", c.temperature(), c.eceBefore(),
        c.eceAfter(), c.nllBefore(), c.nllAfter());
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
}
