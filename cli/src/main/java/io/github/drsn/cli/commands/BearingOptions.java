package io.github.drsn.cli.commands;

import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.signals.bearing.BearingCatalogue;
import io.github.drsn.signals.bearing.BearingGeometry;
import io.github.drsn.signals.bearing.ShaftSpeed;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The bearing and shaft speed of the recordings, for the commands that check a diagnosis against the bearing's
 * physics ({@code explain}, {@code predict --physics}). Speed: {@code --rpm}, else the file's RPM variable (CWRU
 * {@code X###RPM}), else left to {@link Explainer} to estimate from the spectrum (which says so). Bearing:
 * {@code --bearing} or {@code --geometry}, else the CWRU drive-end bearing for a catalogued CWRU file.
 */
public final class BearingOptions {

  @Option(names = "--rpm", paramLabel = "R", description = "Shaft speed in rpm (default: the file's, else estimated).")
  Double rpm;

  @Option(names = "--bearing", paramLabel = "NAME",
      description = "A catalogued bearing: skf-6205 (cwru-de), skf-6203 (cwru-fe).")
  String bearingName;

  @Option(names = "--geometry", paramLabel = "n,d,D,angle",
      description = "Rolling elements, ball and pitch diameter (same unit), contact angle in degrees.")
  String geometryText;

  /** Whether the user named a bearing (by catalogue name or geometry). */
  boolean bearingGiven() {
    return bearingName != null || geometryText != null;
  }

  /**
   * Checks the options together.
   *
   * @throws ParameterException (exit 2) for both a name and a geometry, an unknown bearing, a malformed geometry
   *     or a speed that is not finite and positive
   */
  void validate(CommandLine commandLine) {
    if (bearingName != null && geometryText != null) {
      throw new ParameterException(commandLine, "give --bearing or --geometry, not both");
    }
    if (rpm != null && (!(rpm > 0) || rpm.isInfinite())) {
      throw new ParameterException(commandLine, "--rpm must be finite and > 0, got " + rpm);
    }
    given(commandLine);
  }

  private BearingGeometry given(CommandLine commandLine) {
    try {
      if (bearingName != null) {
        return BearingCatalogue.require(bearingName);
      }
      return geometryText == null ? null : BearingCatalogue.parseGeometry(geometryText);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, e.getMessage());
    }
  }

  /**
   * The physics request for one file: its bearing (given, or known from the file) and speed (given, or the file's
   * recorded speed; else none, for the explainer to estimate).
   *
   * @param described the file as read, with what it says about the machine ({@link SignalFiles#readDescribed})
   * @param channel the channel option the file is read with (which bearing a CWRU channel belongs to)
   * @throws ParameterException (exit 2) when no bearing is given or known for the file; the message names it
   */
  Explainer.Request request(Path file, SignalFiles.Described described, String channel, CommandLine commandLine) {
    String name;
    BearingGeometry geometry = given(commandLine);
    if (geometry != null) {
      name = bearingName != null ? bearingName : "geometry " + geometryText;
    } else {
      name = described.bearing(channel).orElseThrow(() -> new ParameterException(commandLine, file
          + ": no bearing known for this file; give --bearing NAME (" + BearingCatalogue.names()
          + ") or --geometry n,d,D,angle"));
      geometry = BearingCatalogue.require(name);
    }
    Explainer.Request request = Explainer.Request.of(name, geometry);
    Optional<Speed> known = knownSpeed(described.speed());
    return known.isPresent() ? request.withRpm(known.get().rpm(), known.get().source()) : request;
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
}
