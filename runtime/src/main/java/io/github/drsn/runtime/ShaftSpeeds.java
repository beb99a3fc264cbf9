package io.github.drsn.runtime;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.signals.bearing.ShaftSpeed;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a recording's shaft speed comes from, the one rule for every caller (the command line's {@code predict},
 * {@code explain} and {@code predict --physics}, the Spark scorer, the {@link io.github.drsn.runtime.explain.Explainer},
 * an embedding service): the speed <b>given</b> for it, else the speed <b>recorded</b> with it (e.g. a CWRU
 * {@code X###RPM} variable, which the caller reads), else the speed <b>estimated</b> from its spectrum
 * ({@link ShaftSpeed#estimate(double[], double)}, labelled as an estimate), but only when the caller asks for the
 * estimate; otherwise the recording is refused ({@link UnknownSpeedException}). An order-domain model
 * ({@link InputSpec#orderDomain()}) resamples its input to a fixed number of samples per shaft revolution, so a wrong
 * speed silently changes what it sees: it is never guessed unasked.
 */
public final class ShaftSpeeds {

  private ShaftSpeeds() {}

  /**
   * A shaft speed and where it came from.
   *
   * @param rpm revolutions per minute, finite and &gt; 0
   * @param source for a person to read: "--rpm", "file variable X105RPM", "estimated from the spectrum (...)"
   */
  public record Speed(double rpm, String source) {

    /** @throws IllegalArgumentException for a speed that is not finite and positive */
    public Speed {
      if (!(rpm > 0) || Double.isInfinite(rpm)) {
        throw new IllegalArgumentException("shaft speed must be finite and > 0 rpm, got " + rpm);
      }
      Objects.requireNonNull(source, "source");
    }

    /** The shaft frequency in Hz. */
    public double hz() {
      return rpm / 60;
    }

    /**
     * The speed estimated from the spectrum ({@link ShaftSpeed#estimate(double[], double)}), labelled as an estimate.
     *
     * @throws IllegalArgumentException when no shaft line stands out or the recording is too short (the message says
     *     to give the speed)
     */
    public static Speed estimated(double[] samples, double samplingRate) {
      ShaftSpeed.Estimate e = ShaftSpeed.estimate(samples, samplingRate);
      return new Speed(e.hz() * 60, e.describe());
    }
  }

  /**
   * A recording refused because no shaft speed is known for it and its estimate was not asked for.
   * {@link #reason()} is the message without the recording's name and without the advice, for a caller (a command
   * line) that names its own options.
   */
  public static final class UnknownSpeedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    UnknownSpeedException(String recording, String reason) {
      super((recording == null ? "" : recording + ": ") + reason
          + ": give the shaft speed, or ask for it to be estimated from the spectrum");
      this.reason = reason;
    }

    /** "the model is order domain (128 samples per shaft revolution) and no shaft speed is known for this file". */
    public String reason() {
      return reason;
    }
  }

  /**
   * The speed given, else the speed recorded; never estimated.
   *
   * @return the speed, or empty when neither is known
   */
  public static Optional<Speed> known(Optional<Speed> given, Optional<Speed> recorded) {
    return given.isPresent() ? given : Objects.requireNonNull(recorded, "recorded");
  }

  /**
   * The speed given, else recorded, else refused: for a caller that cannot estimate (it does not hold the samples).
   *
   * @param recording the recording's name for the message (a file path), or null
   * @param model the model the speed is for (its samples per revolution go into the message), or null
   * @throws UnknownSpeedException when neither is known
   */
  public static Speed require(String recording, InputSpec model, Optional<Speed> given, Optional<Speed> recorded) {
    return known(given, recorded).orElseThrow(() -> unknown(recording, model));
  }

  /**
   * The rule of the class comment: given, else recorded, else estimated from the samples when {@code estimate}, else
   * refused.
   *
   * @param recording the recording's name for the message (a file path), or null
   * @param model the model the speed is for (its samples per revolution go into the message), or null
   * @param given the speed given for this recording (by the caller, a list file, an option), or empty
   * @param recorded the speed recorded with it, or empty (a caller may leave it empty without reading it when the
   *     speed is given)
   * @param estimate whether the caller asked for the speed to be estimated from the spectrum when neither is known
   * @param samples the recording (one channel), read only to estimate
   * @param samplingRate its rate in Hz
   * @throws UnknownSpeedException when no speed is known and the estimate was not asked for
   * @throws IllegalArgumentException when the estimate was asked for and fails ({@link ShaftSpeed#estimate})
   */
  public static Speed resolve(String recording, InputSpec model, Optional<Speed> given, Optional<Speed> recorded,
      boolean estimate, double[] samples, double samplingRate) {
    Optional<Speed> known = known(given, recorded);
    if (known.isPresent()) {
      return known.get();
    }
    if (!estimate) {
      throw unknown(recording, model);
    }
    return Speed.estimated(samples, samplingRate);
  }

  /** S of an order-domain model as a person writes it: 128, not 128.0. */
  public static String perRevolution(InputSpec model) {
    return BigDecimal.valueOf(model.samplesPerRevolution()).stripTrailingZeros().toPlainString();
  }

  private static UnknownSpeedException unknown(String recording, InputSpec model) {
    String what = recording == null ? "recording" : "file";
    String reason = model != null && model.orderDomain()
        ? "the model is order domain (" + perRevolution(model) + " samples per shaft revolution) and no shaft speed"
            + " is known for this " + what
        : "no shaft speed is known for this " + what;
    return new UnknownSpeedException(recording, reason);
  }
}
