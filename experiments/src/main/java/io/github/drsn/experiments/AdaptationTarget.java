package io.github.drsn.experiments;

import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.model.adapt.Adaptation;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.runtime.explain.FaultFamily;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The windows of a split of the data a model was trained on, as the target of an adaptation experiment (the
 * transductive setting AdaBN is meant for, Li et al. 2018, "Adaptive batch normalization for practical domain
 * adaptation"): the split's windows with the noise evaluation draws for them (the same realisation the test scores
 * use, from {@code evaluationSeed}), their labels for reporting only, and a record of what they were. What
 * {@code drsn adapt --target-split} and the experiment grids' {@code adaptation} methods adapt on.
 *
 * @param windows raw windows at the model's rate, channel-major, noise added as the evaluation adds it
 * @param labels each window's class index (never used to adapt)
 * @param record what the target was: split, data, noise, evaluation seed, files with SHA-256
 */
public record AdaptationTarget(List<float[]> windows, int[] labels, Map<String, Object> record) {

  /**
   * The {@code region} windows of the data recorded in {@code source}'s run settings, with the noise the model was
   * trained with (the lower end of a range).
   *
   * @param where the bundle's file, for messages
   * @throws IllegalArgumentException if the bundle records no run settings (the data is unknown) or the region is
   *     the training split
   * @throws RecordingLoadException if the data cannot be read
   */
  public static AdaptationTarget ofSplit(ModelBundle source, Object where, Region region, long evaluationSeed)
      throws IOException {
    return ofSplit(source, where, region, evaluationSeed, new DataSources());
  }

  /** As {@link #ofSplit(ModelBundle, Object, Region, long)}, the recordings from {@code sources}. */
  static AdaptationTarget ofSplit(ModelBundle source, Object where, Region region, long evaluationSeed,
      DataSources sources) throws IOException {
    if (region == Region.TRAIN) {
      throw new IllegalArgumentException("adaptation target: expected the TEST or VALIDATION split, got TRAIN");
    }
    RunSettings trained = RunSettings.recordedIn(source.bundle(), where);
    if (trained == null) {
      throw new IllegalArgumentException("model bundle " + where + " records no run settings, so the data it was"
          + " trained on is unknown; give the target recordings instead");
    }
    DataSettings recorded = trained.data();
    WindowedDataset data = WindowedDataset.forModel(recorded.withoutExcludedClasses(sources.loadAll(recorded)),
        source.classes(), source.input(), recorded.splitPlan(), recorded.windowSpec().trainStride());
    InputSettings.Noise noiseKind = trained.input().noise();
    NoiseSpec noise = noiseKind == InputSettings.Noise.none ? null
        : new NoiseSpec(noiseKind.type(), trained.input().snrDb());
    List<float[]> windows = Evaluation.noisyWindows(data, region, noise, source.input(), evaluationSeed);
    int[] labels = data.windows(region).stream().mapToInt(Window::classIndex).toArray();
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("split_region", region.key());
    record.put("data", recorded.describe());
    record.put("noise", noise == null ? "none" : noise.toString());
    record.put("evaluation_seed", evaluationSeed);
    record.put("files", RunArtifacts.provenance(data, 0).dataFiles().stream()
        .map(f -> Map.<String, Object>of("path", f.path(), "sha256", f.sha256())).toList());
    return new AdaptationTarget(windows, labels, record);
  }

  /** Fraction of the windows whose most probable class in {@code probabilities} is their label. */
  public double accuracy(float[][] probabilities) {
    int[] predicted = Adaptation.labels(probabilities);
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += predicted[i] == labels[i] ? 1 : 0;
    }
    return right / (double) labels.length;
  }

  /** Fraction of the windows whose most probable class is of their label's fault family ({@link FaultFamily}). */
  public double familyAccuracy(float[][] probabilities, List<String> classes) {
    int[] predicted = Adaptation.labels(probabilities);
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      right += FaultFamily.sameFamily(classes.get(labels[i]), classes.get(predicted[i])) ? 1 : 0;
    }
    return right / (double) labels.length;
  }
}
