package io.github.drsn.cli.commands;

import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.signals.bearing.BearingCatalogue;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The bearing and shaft speed of the recordings, for the commands that check a diagnosis against the bearing's
 * physics ({@code explain}, {@code predict --physics}). Speed: {@link ShaftSpeedOption} ({@code --rpm}, else the
 * file's RPM variable, CWRU {@code X###RPM}), else left to {@link Explainer} to estimate from the spectrum (which says
 * so). Bearing:
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
    Optional<ShaftSpeedOption.Speed> known = speed.knownSpeed(described.speed());
    return known.isPresent() ? request.withRpm(known.get().rpm(), known.get().source()) : request;
  }

}
