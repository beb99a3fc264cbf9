package io.github.drsn.cli;

import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.experiments.Calibrations;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How a command calibrates a bundle ({@code calibrate}, {@code ensemble}): the false-alarm rate and the OOD method. */
public final class CalibrationOptions {

  @Option(names = "--false-alarm", paramLabel = "RATE",
      description = "Fraction of in-distribution windows (the validation windows, or calibrate's --reference"
          + " recordings) each threshold may flag unknown (default: ${DEFAULT-VALUE}; calibrate --reference: the"
          + " bundle's).")
  public double falseAlarm = Calibration.DEFAULT_FALSE_ALARM_RATE;

  @Option(names = "--ood-method", paramLabel = "METHOD",
      description = "Score the runtime thresholds: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; ENSEMBLE_DISAGREEMENT"
          + " for ensembles only, MAHALANOBIS_LAYERS for single networks only; RELATIVE_MAHALANOBIS is Mahalanobis"
          + " less the distance to one Gaussian of all training features; KNN is the distance to the 50th nearest"
          + " normalised training feature, stored in the bundle); thresholds for all are stored. calibrate --reference"
          + " keeps the bundle's method unless this is given.")
  public OodMethod method = Calibrations.DEFAULT_METHOD;

  /**
   * The false-alarm rate, checked.
   *
   * @throws CommandLine.ParameterException if it is not a fraction in (0, 1)
   */
  public double falseAlarm(CommandLine commandLine) {
    if (!(falseAlarm > 0 && falseAlarm < 1)) {
      throw new CommandLine.ParameterException(commandLine, "--false-alarm " + falseAlarm + ": expected a fraction in"
          + " (0, 1), e.g. 0.05");
    }
    return falseAlarm;
  }
}
