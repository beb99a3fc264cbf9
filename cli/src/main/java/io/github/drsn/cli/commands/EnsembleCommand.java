package io.github.drsn.cli.commands;

import io.github.drsn.cli.CalibrationOptions;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.experiments.Ensembles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drsn ensemble}: one bundle from several trained models, whose runtime averages their probabilities. */
@Command(
    name = "ensemble",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Builds an ensemble bundle from trained model bundles (e.g. one recipe trained with several seeds):"
        + " the runtime answers the mean of the members' softmax probabilities, and their disagreement (mean KL of the"
        + " members to the mean) is an uncertainty signal (OOD method ENSEMBLE_DISAGREEMENT). The members must give the"
        + " same classes in the same order from the same input; architectures may differ. The ensemble is calibrated"
        + " as a whole on the first model's validation split (temperature on the averaged prediction).",
    footerHeading = "%nExamples:%n",
    footer = {"  drsn ensemble --models runs/s1/model.drsn runs/s2/model.drsn runs/s3/model.drsn --out seeds.drsn",
      "  drsn ensemble --models a.drsn b.drsn --out e.drsn --ood-method ENSEMBLE_DISAGREEMENT"})
public final class EnsembleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--models", required = true, arity = "2..*", paramLabel = "FILE",
      description = "Two or more single-network model bundles, in member order.")
  List<Path> models;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ensemble bundle to write (atomically).")
  Path out;

  @Mixin CalibrationOptions calibration = new CalibrationOptions();

  @Option(names = "--no-calibration", description = "Write the ensemble uncalibrated (plain mean probabilities).")
  boolean noCalibration;

  @Override
  public Integer call() throws Exception {
    Outputs.requireBundleDestination(spec.commandLine(), "--out", out);
    for (int i = 0; i < models.size(); i++) {
      if (Outputs.isSameFile(out, models.get(i))) {
        throw new ParameterException(spec.commandLine(), "--out " + out + " is model " + (i + 1) + " ("
            + models.get(i) + "); write the ensemble to another file");
      }
    }
    Ensembles.Built built = Ensembles.of(models, calibration.falseAlarm(spec.commandLine()),
        noCalibration ? null : calibration.method);
    Bundle e = built.bundle();
    e.write(out);
    PrintWriter stdout = spec.commandLine().getOut();
    List<Bundle.Member> members = e.members();
    stdout.printf(Locale.ROOT, "%s: ensemble of %d networks (%s), classes %s%n", out, members.size(),
        String.join(", ", members.stream().map(m -> m.layout().architecture().label()).toList()), e.classes());
    Calibration c = e.calibration();
    if (c != null) {
      stdout.printf(Locale.ROOT, "  calibrated on %d held-out windows (%s): temperature %.4f (ECE %.4f -> %.4f),"
          + " %s threshold %.6g%n", c.windows(), c.data(), c.temperature(), c.eceBefore(), c.eceAfter(), c.method(), c.threshold());
    }
    stdout.flush();
    PrintWriter stderr = spec.commandLine().getErr();
    built.warnings().forEach(w -> stderr.println("drsn: " + w));
    stderr.flush();
    return 0;
  }
}
