package io.github.drsn.experiments;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.OodMethod;
import io.github.drsn.datasets.FileDigests;
import io.github.drsn.datasets.RecordingLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ensemble bundles from trained models ({@code drsn ensemble}): several single-network bundles, e.g. one recipe
 * trained from several seeds (a deep ensemble, Lakshminarayanan et al. 2017), become one bundle whose runtime answers
 * the mean of their probabilities ({@link Bundle#ensembleOf}). The ensemble's training section is the first model's
 * (so {@code evaluate} and {@code calibrate} find the data it was trained on), its provenance lists every member's file
 * (SHA-256) and recorded seed and provenance, and it is calibrated as an ensemble on that validation split.
 */
public final class Ensembles {

  private Ensembles() {}

  /**
   * The result of {@link #of}.
   *
   * @param bundle the ensemble bundle
   * @param warnings what a user should know (e.g. members trained on different data), one sentence each
   */
  public record Built(Bundle bundle, List<String> warnings) {}

  /**
   * Reads the models and builds their ensemble; calibrated when the first model records its run settings and
   * {@code method} is not null.
   *
   * @throws IllegalArgumentException naming the model that does not fit the first (classes, input, precision), a model
   *     that is the same file as an earlier one (byte for byte), or fewer than two models
   * @throws io.github.drsn.contract.BundleFormatException if a file is not a readable bundle
   */
  public static Built of(List<Path> models, double falseAlarmRate, OodMethod method)
      throws IOException, RecordingLoadException {
    return of(models, falseAlarmRate, method, new DataSources());
  }

  /** As {@link #of(List, double, OodMethod)}, the calibration's recordings from {@code sources}. */
  static Built of(List<Path> models, double falseAlarmRate, OodMethod method, DataSources sources)
      throws IOException, RecordingLoadException {
    if (models.size() < 2) {
      throw new IllegalArgumentException("an ensemble needs at least 2 models, got " + models.size());
    }
    List<Bundle> parts = new ArrayList<>();
    List<Object> members = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    RunSettings first = null;
    Map<String, Integer> bySha = new java.util.HashMap<>();
    for (int i = 0; i < models.size(); i++) {
      Path file = models.get(i);
      Bundle b = Bundle.read(file);
      parts.add(b);
      Map<String, Object> member = new LinkedHashMap<>();
      member.put("file", file.toString());
      String sha256 = FileDigests.sha256(file);
      Integer same = bySha.putIfAbsent(sha256, i);
      if (same != null) {
        // Copies of one network always agree: the ensemble would be that network, and the members' disagreement,
        // its uncertainty signal, would be diluted by members that cannot disagree.
        throw new IllegalArgumentException("model " + (i + 1) + " (" + file + ") is the same file as model "
            + (same + 1) + " (" + models.get(same) + "), SHA-256 " + sha256 + "; expected different networks");
      }
      member.put("sha256", sha256);
      member.put("architecture", b.layout().architecture().label());
      RunSettings settings = RunSettings.recordedIn(b, file);
      if (settings != null) {
        member.put("seed", settings.training().seed());
        member.put("recipe", settings.training().recipe().describe());
        if (first == null && i == 0) {
          first = settings;
        } else if (first != null && (!Objects.equals(settings.data(), first.data())
            || !Objects.equals(settings.input(), first.input()))) {
          warnings.add("model " + (i + 1) + " (" + file + ") was trained on other data or noise than model 1;"
              + " evaluate and calibrate use model 1's");
        }
      }
      member.put("provenance", b.provenance());
      members.add(member);
    }
    Map<String, Object> provenance = new LinkedHashMap<>(parts.get(0).provenance());
    provenance.put("ensemble_of", members);
    Bundle ensemble = Bundle.ensembleOf(parts, parts.get(0).projectVersion(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS), parts.get(0).training(), provenance, Map.of());
    if (method != null && first != null) {
      ensemble = Calibrations.calibrateAsTrained(ensemble, "ensemble of " + models, falseAlarmRate, method, sources);
    } else if (method != null) {
      warnings.add("not calibrated: model 1 records no run settings, so its validation split is unknown");
    }
    return new Built(ensemble, warnings);
  }

  /** {@link #of} with the default calibration (Mahalanobis at 5 % false alarms, as every trained model). */
  public static Built of(List<Path> models) throws IOException, RecordingLoadException {
    return of(models, Calibration.DEFAULT_FALSE_ALARM_RATE, Calibrations.DEFAULT_METHOD);
  }
}
