package io.github.drsn.cli.commands;

import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.signals.bearing.ShaftSpeed;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The recordings' shaft speed, {@code --rpm}, else the speed a file records (a CWRU {@code X###RPM} variable): what
 * an order-domain model needs ({@code predict}, {@code adapt}) and the physics check uses ({@link BearingOptions}
 * carries it).
 */
public final class ShaftSpeedOption {

  @Option(names = "--rpm", paramLabel = "R", description = "Shaft speed in rpm (default: the speed the file records).")
  Double rpm;

  /**
   * @throws ParameterException (exit 2) for a speed that is not finite and positive
   */
  void validate(CommandLine commandLine) {
    if (rpm != null && (!(rpm > 0) || rpm.isInfinite())) {
      throw new ParameterException(commandLine, "--rpm must be finite and > 0, got " + rpm);
    }
  }

  /**
   * A shaft speed and where it came from.
   *
   * @param rpm revolutions per minute
   * @param source "--rpm", "file variable X105RPM" or "estimated from the spectrum (...)"
   */
  record Speed(double rpm, String source) {

    /** The shaft frequency in Hz. */
    double hz() {
      return rpm / 60;
    }

    /**
     * The speed estimated from the spectrum ({@link ShaftSpeed#estimate(double[], double)}), labelled as an estimate.
     *
     * @throws IllegalArgumentException when no shaft line stands out (the message says to give the speed)
     */
    static Speed estimated(double[] samples, double samplingRate) {
      ShaftSpeed.Estimate e = ShaftSpeed.estimate(samples, samplingRate);
      return new Speed(e.hz() * 60, e.describe());
    }
  }

  /**
   * The speed given with {@code --rpm}, else the file's recorded speed (a CWRU {@code X###RPM} variable).
   *
   * @param recorded the speed the file records ({@link SignalFiles.Described#speed()})
   * @return the speed and its source, or empty when neither is known
   */
  Optional<Speed> knownSpeed(Optional<SignalFiles.RecordedSpeed> recorded) {
    if (rpm != null) {
      return Optional.of(new Speed(rpm, "--rpm"));
    }
    return recorded.map(r -> new Speed(r.rpm(), r.source()));
  }

  /**
   * Where {@code adapt} and {@code calibrate --reference} get each file's shaft speed for an order-domain model:
   * {@code --rpm}, else the speed the file records.
   *
   * @param rate the files' sampling rate as given ({@code --rate}), or null
   * @param channels the channels as given ({@code --channel}); the first one is read for the recorded speed
   * @return speeds that throw {@link ParameterException} (exit 2) naming a file whose speed is unknown
   */
  io.github.drsn.model.adapt.TargetWindows.ShaftSpeeds forFiles(CommandLine commandLine, Double rate,
      java.util.List<String> channels, io.github.drsn.contract.InputSpec input) {
    return file -> {
      Optional<SignalFiles.RecordedSpeed> recorded = rpm != null ? Optional.empty()
          : SignalFiles.readDescribed(file, rate, channels.isEmpty() ? null : channels.get(0)).speed();
      Speed known = knownSpeed(recorded).orElseThrow(() -> new ParameterException(commandLine, file
          + ": the model is order domain (" + perRevolution(input) + " samples per shaft revolution)"
          + " and no shaft speed is known for this file: give --rpm R"));
      return Optional.of(new SignalFiles.RecordedSpeed(known.rpm(), known.source()));
    };
  }

  /** S of an order-domain model as a person writes it: 128, not 128.0. */
  static String perRevolution(io.github.drsn.contract.InputSpec input) {
    return java.math.BigDecimal.valueOf(input.samplesPerRevolution()).stripTrailingZeros().toPlainString();
  }
}
