package io.github.drsn.spark;

import io.github.drsn.contract.Bundle;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.runtime.ShaftSpeeds;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores one recording as {@code drsn predict} diagnoses it ({@link SignalFiles#readForModel(Path, Double, List,
 * io.github.drsn.contract.InputSpec)}, then
 * {@link io.github.drsn.runtime.Diagnoser#diagnose}: resampled to the model's rate, cut into windows, health-checked,
 * classified), into {@link ScoreRow}s; a file that cannot be read or diagnosed becomes one error row instead of an
 * exception, so that one corrupt file never fails a job over an archive.
 *
 * <p>Serializable settings only: the job ships this object to the executors, and each executor JVM builds the
 * model's {@link LeanDiagnoser} once ({@link #diagnoser}), keyed by the bundle's SHA-256.
 *
 * @param modelId the model's name in the output (the path it was given as)
 * @param modelSha256 SHA-256 of the bundle bytes, hex
 * @param samplingRate the recordings' rate in Hz when the files do not state it (CSV, uncatalogued MAT), else null
 * @param channels the channels to read (as {@code drsn predict --channel}), empty for the default
 * @param hop samples between windows at the model's rate, 0 for the window length
 * @param minConfidence as {@link RecordingDiagnosis.Options#minConfidence()}
 * @param minAgreement as {@link RecordingDiagnosis.Options#minAgreement()}
 * @param perWindow whether to add one row per window after the file's row
 * @param rpm the shaft speed of every recording for an order-domain model (as {@code drsn predict --rpm}), or null;
 *     a list file's {@code rpm=R} for a file comes first, the speed a file records (CWRU {@code X###RPM}) last
 */
public record RecordingScorer(String modelId, String modelSha256, Double samplingRate, List<String> channels, int hop,
    double minConfidence, double minAgreement, boolean perWindow, Double rpm) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** One immutable (thread-safe) diagnoser per bundle per JVM: the executors' task threads share it. */
  private static final Map<String, LeanDiagnoser> DIAGNOSERS = new ConcurrentHashMap<>();

  /**
   * Checks the options ({@link RecordingDiagnosis.Options}' rules) and copies the channels.
   *
   * @throws IllegalArgumentException for a negative hop, a threshold outside [0, 1], or a speed or sampling rate that
   *     is not finite and positive
   */
  public RecordingScorer {
    channels = List.copyOf(channels);
    new RecordingDiagnosis.Options(hop, minConfidence, minAgreement);
    if (rpm != null && (!(rpm > 0) || rpm.isInfinite())) {
      throw new IllegalArgumentException("--rpm must be finite and > 0, got " + rpm);
    }
    if (samplingRate != null && (!(samplingRate > 0) || samplingRate.isInfinite())) {
      throw new IllegalArgumentException("--rate must be a finite sampling rate > 0 Hz, got " + samplingRate);
    }
  }

  /**
   * The rows of one recording (an error row when it cannot be read or diagnosed, or the model is order domain and its
   * shaft speed is unknown). An order-domain model's row names the speed in its channel column.
   */
  public List<ScoreRow> score(LeanDiagnoser diagnoser, RecordingInputs.Sized recording) {
    String file = recording.path();
    try {
      // The model's channels by the names it was trained on, as predict chooses them (--channel overrides them),
      // from one parse of the file (its recorded speed too).
      SignalFiles.ModelRead read = SignalFiles.readForModel(Path.of(file), samplingRate, channels,
          diagnoser.inputSpec());
      SignalFiles.Channels signal = read.channels();
      String channel = signal.description();
      double shaftHz = Double.NaN;
      if (diagnoser.inputSpec().orderDomain()) {
        ShaftSpeeds.Speed speed = speed(diagnoser, recording, read);
        shaftHz = speed.rpm() / 60;
        channel += String.format(java.util.Locale.ROOT, ", at %s rpm (%s)", speed.rpm(), speed.source());
      }
      RecordingDiagnosis result = diagnoser.diagnose(signal.samples(), signal.samplingRate(), shaftHz,
          new RecordingDiagnosis.Options(hop, minConfidence, minAgreement));
      return ScoreRow.of(file, channel, result, diagnoser.classes(), perWindow, modelId, modelSha256);
    } catch (Exception | OutOfMemoryError e) {
      // OutOfMemoryError too: a recording too long for the executor's heap is that file's problem, and its arrays
      // are unreachable once we are here.
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return List.of(ScoreRow.error(file, modelId, modelSha256, message.startsWith(file) ? message
          : file + ": " + message));
    }
  }

  /**
   * An order-domain model's speed for one recording by the runtime's rule ({@link ShaftSpeeds}, as
   * {@code drsn predict} applies it): given (the list file's, else {@link #rpm}), else the speed the file records;
   * never estimated (there is no option to ask for it). The recorded speed is the one of the recording as read for
   * the model ({@code read}, its first channel chosen as predict chooses it), not read again.
   *
   * @throws IllegalArgumentException when none is known
   */
  private ShaftSpeeds.Speed speed(LeanDiagnoser diagnoser, RecordingInputs.Sized recording, SignalFiles.ModelRead read)
      throws IOException {
    Optional<ShaftSpeeds.Speed> given = recording.rpm() != null
        ? Optional.of(new ShaftSpeeds.Speed(recording.rpm(), "list file"))
        : rpm != null ? Optional.of(new ShaftSpeeds.Speed(rpm, "--rpm")) : Optional.empty();
    Optional<ShaftSpeeds.Speed> recorded = given.isPresent() ? Optional.empty()
        : read.described().speed().map(r -> new ShaftSpeeds.Speed(r.rpm(), r.source()));
    try {
      return ShaftSpeeds.require(recording.path(), diagnoser.inputSpec(), given, recorded);
    } catch (ShaftSpeeds.UnknownSpeedException e) {
      throw new IllegalArgumentException(e.reason() + ": give --rpm R, or rpm=R after its path in a list file", e);
    }
  }

  /**
   * The diagnoser of a bundle in this JVM, built on first use from its bytes (the broadcast value) and kept.
   *
   * @throws IllegalArgumentException if the bytes' SHA-256 is not {@code sha256} (a broadcast of another model)
   * @throws UncheckedIOException if they are not a valid bundle
   */
  public static LeanDiagnoser diagnoser(String sha256, java.util.function.Supplier<byte[]> bytes) {
    return DIAGNOSERS.computeIfAbsent(sha256, key -> {
      byte[] b = bytes.get();
      if (!FileDigests.sha256(b).equals(key)) {
        throw new IllegalArgumentException("the model bytes have SHA-256 " + FileDigests.sha256(b) + ", expected " + key);
      }
      try {
        Path file = Files.createTempFile("drsn-model-", ".drsn");
        try {
          Files.write(file, b);
          return LeanDiagnoser.of(Bundle.read(file));
        } finally {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("model " + key + ": " + e.getMessage(), e);
      }
    });
  }
}
