package io.github.drsn.cli.commands;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.signals.bearing.BearingCatalogue;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The bearing and shaft speed of the recordings, for the commands that check a diagnosis against the bearing's
 * physics ({@code explain}, {@code predict --physics}). Speed: {@link ShaftSpeedOption} ({@code --rpm}, else the
 * file's RPM variable, CWRU {@code X###RPM}); else, for an order-domain model, estimated from the spectrum with
 * {@code --estimate-speed} and refused without it, as {@code predict} does; for another model left to
 * {@link Explainer} to estimate for the physics (which says so). Bearing:
 * {@code --bearing} or {@code --geometry}, else the CWRU drive-end bearing for a catalogued CWRU file.
 */
public final class BearingOptions {

  @Mixin ShaftSpeedOption speed = new ShaftSpeedOption();

  @Option(names = "--bearing", paramLabel = "NAME",
      description = "A catalogued bearing: skf-6205 (cwru-de), skf-6203 (cwru-fe).")
  String bearingName;

  @Option(names = "--geometry", paramLabel = "n,d,D,angle",
      description = "Rolling elements, ball and pitch diameter (same unit), contact angle in degrees.")
  String geometryText;

  @Option(names = "--estimate-speed",
      description = "For an order-domain model (trained with --samples-per-rev), estimate the shaft speed of a file"
          + " that has none given (--rpm) or recorded from its spectrum (1x/2x/3x harmonics); the output says so."
          + " Without it such a file is refused. (The physics check of another model estimates a missing speed"
          + " regardless, and says so.)")
  boolean estimateSpeed;

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
    speed.validate(commandLine);
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
   * recorded speed; else, for an order-domain model, estimated with {@code --estimate-speed} and refused without it
   * ({@link ShaftSpeedOption#resolve}); for another model none, for the explainer to estimate).
   *
   * @param described the file as read, with what it says about the machine ({@link SignalFiles#readDescribed})
   * @param channel the channel option the file is read with (which bearing a CWRU channel belongs to)
   * @param input the model's input (whether it is order domain)
   * @param samples the file's samples, read only to estimate an order-domain model's speed
   * @throws ParameterException (exit 2) when no bearing is given or known for the file; the message names it
   * @throws IllegalArgumentException (exit 1) when the model is order domain and the speed is unknown (the message
   *     says how to give it; the caller prefixes the file) or its estimate fails
   */
  Explainer.Request request(Path file, SignalFiles.Described described, String channel, CommandLine commandLine,
      InputSpec input, double[] samples, double samplingRate) {
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
    Explainer.Request request = Explainer.Request.of(name, geometry).withEstimatedSpeed(estimateSpeed);
    return request.withSpeed(input.orderDomain()
        ? java.util.Optional.of(speed.resolve(file, input, described.speed(), estimateSpeed, samples, samplingRate))
        : speed.knownSpeed(described.speed()));
  }

}
