package io.github.drsn.cli.commands;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.ShaftSpeeds;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The recordings' shaft speed, {@code --rpm}, else the speed a file records (a CWRU {@code X###RPM} variable): what
 * an order-domain model needs ({@code predict}, {@code explain}, {@code adapt}, {@code calibrate}) and the physics
 * check uses ({@link BearingOptions} carries it). The rule is the runtime's {@link ShaftSpeeds} (given, else
 * recorded, else estimated only when asked, else refused), as a service applies it; this class adds the options'
 * names to its refusals.
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

  /** The speed given with {@code --rpm}, if any. */
  Optional<ShaftSpeeds.Speed> given() {
    return rpm == null ? Optional.empty() : Optional.of(new ShaftSpeeds.Speed(rpm, "--rpm"));
  }

  /** The speed a file records ({@link SignalFiles.Described#speed()}) as the runtime's speed. */
  static Optional<ShaftSpeeds.Speed> recorded(Optional<SignalFiles.RecordedSpeed> recorded) {
    return recorded.map(r -> new ShaftSpeeds.Speed(r.rpm(), r.source()));
  }

  /**
   * The speed given with {@code --rpm}, else the file's recorded speed (a CWRU {@code X###RPM} variable).
   *
   * @param recorded the speed the file records ({@link SignalFiles.Described#speed()})
   * @return the speed and its source, or empty when neither is known
   */
  Optional<ShaftSpeeds.Speed> knownSpeed(Optional<SignalFiles.RecordedSpeed> recorded) {
    return ShaftSpeeds.known(given(), recorded(recorded));
  }

  /**
   * An order-domain model's speed for one file by {@link ShaftSpeeds#resolve}: {@code --rpm}, else the speed the
   * file records, else estimated from the spectrum with {@code --estimate-speed}.
   *
   * @param recorded the speed the file records (need not be read when {@code --rpm} is given)
   * @param estimate whether {@code --estimate-speed} was given
   * @param samples the file's (first) channel, read only to estimate
   * @throws IllegalArgumentException (exit 1) when the speed is unknown, saying which options give it (the caller
   *     prefixes the file), or when the estimate fails
   */
  ShaftSpeeds.Speed resolve(Path file, InputSpec input, Optional<SignalFiles.RecordedSpeed> recorded,
      boolean estimate, double[] samples, double samplingRate) {
    try {
      return ShaftSpeeds.resolve(file.toString(), input, given(), recorded(recorded), estimate, samples, samplingRate);
    } catch (ShaftSpeeds.UnknownSpeedException e) {
      throw new IllegalArgumentException(e.reason() + ": give --rpm R, or --estimate-speed to estimate it from the"
          + " spectrum", e);
    }
  }

  /**
   * Where {@code adapt} and {@code calibrate --reference} get each file's shaft speed for an order-domain model:
   * {@code --rpm}, else the speed the file records ({@link ShaftSpeeds#require}; they do not estimate).
   *
   * @param input the model's input
   * @return speeds that throw {@link ParameterException} (exit 2) naming a file whose speed is unknown
   */
  io.github.drsn.model.adapt.TargetWindows.ShaftSpeeds forFiles(CommandLine commandLine, InputSpec input) {
    return recording -> {
      // The speed the file records, from the file as read for the model (the first of the channels it takes).
      Path file = recording.file();
      Optional<SignalFiles.RecordedSpeed> recorded = rpm != null ? Optional.empty()
          : recording.described().speed();
      ShaftSpeeds.Speed known;
      try {
        known = ShaftSpeeds.require(file.toString(), input, given(), recorded(recorded));
      } catch (ShaftSpeeds.UnknownSpeedException e) {
        throw new ParameterException(commandLine, file + ": " + e.reason() + ": give --rpm R");
      }
      return Optional.of(new SignalFiles.RecordedSpeed(known.rpm(), known.source()));
    };
  }

  /** S of an order-domain model as a person writes it: 128, not 128.0. */
  static String perRevolution(InputSpec input) {
    return ShaftSpeeds.perRevolution(input);
  }
}
