package io.github.drsn.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.SourceFile;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.experiments.report.DataFile;
import io.github.drsn.experiments.report.Provenance;
import io.github.drsn.experiments.report.ReportJson;
import io.github.drsn.experiments.report.ReportWriter;
import io.github.drsn.experiments.report.RunReport;
import io.github.drsn.experiments.report.TrainingHistory;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.eval.ClassificationReport;
import io.github.drsn.model.pipeline.RunConfig;
import io.github.drsn.model.pipeline.TrainingRun;
import io.github.drsn.model.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a finished training run into its outputs: the model bundle and the report with figures, both with the
 * run's provenance (code version, data files by hash, JVM).
 */
public final class RunArtifacts {

  /** File name of the bundle inside a run folder. */
  public static final String BUNDLE_FILE = "model.drsn";
  /** File name of the snapshot ensemble's bundle inside a run folder (runs with {@code --snapshots}). */
  public static final String SNAPSHOTS_FILE = "snapshots.drsn";
  /** The report's split name for the network of the last epoch on the test region. */
  public static final String FINAL_EPOCH_TEST = "test_final_epoch";

  private static final ObjectMapper JSON = JsonMappers.compact();

  private RunArtifacts() {}

  /** The data files a data set was read from, with the SHA-256 recorded when they were loaded. */
  public static List<DataFile> dataFiles(WindowedDataset data) throws IOException {
    Set<Path> seen = new LinkedHashSet<>();
    List<DataFile> files = new ArrayList<>();
    for (Recording r : data.dataset().recordings()) {
      if (r.source().isPresent()) {
        SourceFile source = r.source().get();
        if (seen.add(source.path())) {
          files.add(new DataFile(source.path().toString(), source.sha256(), Files.size(source.path())));
        }
      }
    }
    return files;
  }

  /** Provenance of a run over {@code data}. */
  public static Provenance provenance(WindowedDataset data, long seed) throws IOException {
    return new Provenance(Provenance.projectVersionOf(RunArtifacts.class), Instant.now().truncatedTo(ChronoUnit.SECONDS),
        seed, dataFiles(data), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /**
   * Writes {@code model.drsn}, {@code report.json}, {@code report.md} and the figures into {@code dir}; with a
   * snapshot ensemble, also {@code snapshots.drsn} (its members, calibrated as an ensemble) and, in the report, each
   * snapshot's and the ensemble's evaluation ({@code snapshot_<i>_<split>}, {@code snapshot_ensemble_<split>}) and
   * the snapshots' cycles, epochs and iterations.
   *
   * @param configuration the run's configuration as a JSON-able map (recorded in report and bundle)
   * @return the files written, bundle first
   */
  public static List<Path> write(Path dir, String title, WindowedDataset data, RunConfig config,
      Map<String, Object> configuration, TrainingRun.Outcome outcome) throws IOException {
    Provenance provenance = provenance(data, config.seed());
    Map<String, ClassificationReport> evaluations = new LinkedHashMap<>();
    evaluations.put("validation", outcome.validation());
    if (outcome.test() != null) {
      evaluations.put("test", outcome.test());
    }
    // The bundle holds the best epoch's network, so its metrics are taken before the last epoch's test joins.
    ObjectNode metrics = JSON.createObjectNode();
    evaluations.forEach((split, r) -> metrics.set(split, ReportJson.metrics(r)));
    if (outcome.testFinalEpoch() != null) {
      evaluations.put(FINAL_EPOCH_TEST, outcome.testFinalEpoch());
    }
    TrainingRun.SnapshotEvaluation snapshots = outcome.snapshots();
    List<Object> snapshotList = new ArrayList<>();
    if (snapshots != null) {
      for (int i = 0; i < snapshots.members().size(); i++) {
        Trainer.Snapshot s = snapshots.members().get(i);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("cycle", s.cycle());
        entry.put("epoch", s.epoch());
        entry.put("iteration", s.iteration());
        snapshotList.add(entry);
        evaluations.put("snapshot_" + (i + 1) + "_validation", snapshots.validation().get(i));
        if (!snapshots.test().isEmpty()) {
          evaluations.put("snapshot_" + (i + 1) + "_test", snapshots.test().get(i));
        }
      }
      evaluations.put("snapshot_ensemble_validation", snapshots.ensembleValidation());
      if (snapshots.ensembleTest() != null) {
        evaluations.put("snapshot_ensemble_test", snapshots.ensembleTest());
      }
    }
    Map<String, Object> ending = new LinkedHashMap<>();
    if (!snapshotList.isEmpty()) {
      ending.put("snapshots", snapshotList);
    }
    ending.put("best_epoch", outcome.training().bestEpoch());
    ending.put("epochs_completed", outcome.training().history().size());
    ending.put("stop_reason", outcome.training().stopReason().name().toLowerCase());
    // What the run said on stderr and its figures depend on, kept with the figures (a class never validated or tested).
    ending.put("warnings", TrainingRun.coverageWarnings(data));
    ObjectNode provenanceJson = ReportJson.provenance(provenance);
    provenanceJson.put("split", data.plan().describe());
    provenanceJson.put("evaluation_seed", config.evaluationSeed());
    provenanceJson.put("noise", config.pipeline().noise() == null ? "none" : config.pipeline().noise().toString());
    ObjectNode training = JSON.valueToTree(configuration);
    training.setAll((ObjectNode) JSON.valueToTree(ending));
    training.put("train_seconds", outcome.trainSeconds());
    io.github.drsn.datasets.Recording first = data.dataset().recordings().get(0);
    // An order-domain recording's rate is S per revolution (Resampler.toOrders); the spec keeps S and the rate the
    // training recordings had.
    boolean orders = first.attributes().containsKey(Resampler.ORDER_SOURCE_RATE);
    double rate = orders ? Double.parseDouble(first.attributes().get(Resampler.ORDER_SOURCE_RATE))
        : first.samplingRate();
    double samplesPerRevolution = orders ? first.samplingRate() : 0;
    // The channels' names, in order, so a recording's are chosen by name, not by position (empty when unnamed).
    List<String> channelNames = data.dataset().modelChannelNames();
    InputSpec input = new InputSpec(rate, data.spec().length(), config.spec().inputChannels(),
        config.pipeline().normalization(), config.pipeline().representation(), samplesPerRevolution,
        channelNames.size() == config.spec().inputChannels() ? channelNames : List.of());
    ModelBundle bundle = new ModelBundle(outcome.network(), config.architecture(), config.spec(),
        data.dataset().classes(), input, training, provenanceJson, metrics, provenance.projectVersion(),
        provenance.createdUtc());
    // Every new model is calibrated on its validation split (issue #16): temperature, OOD statistics, thresholds.
    Bundle calibrated = calibrate(bundle.bundle(), data, config);
    if (calibrated.calibration() != null) {
      ending.put("calibration", calibrated.metrics().get("calibration"));
    }
    RunReport report = new RunReport(title, configuration, provenance,
        TrainingHistory.of(outcome.training().history()), evaluations, ending);
    List<Path> written = new ArrayList<>();
    Files.createDirectories(dir);
    Path bundleFile = dir.resolve(BUNDLE_FILE);
    calibrated.write(bundleFile);
    written.add(bundleFile);
    if (snapshots != null && snapshots.members().size() >= 2) {
      Path ensembleFile = dir.resolve(SNAPSHOTS_FILE);
      snapshotEnsemble(snapshots, snapshotList, bundle, config, data).write(ensembleFile);
      written.add(ensembleFile);
    } else if (snapshots != null) {
      System.err.println("drsn: " + SNAPSHOTS_FILE + " not written: the run kept " + snapshots.members().size()
          + " snapshot, an ensemble needs 2");
    }
    ReportWriter.Written reportFiles = new ReportWriter().write(dir, report);
    written.addAll(reportFiles.files());
    reportFiles.figureProblem().ifPresent(p -> System.err.println("drsn: figures not drawn: " + p));
    return written;
  }

  /**
   * The snapshots as one ensemble bundle: the run's model's classes, input, training section and provenance, the
   * snapshots (cycle, epoch, iteration) in its provenance, the ensemble's metrics, calibrated as an ensemble.
   */
  private static Bundle snapshotEnsemble(TrainingRun.SnapshotEvaluation snapshots, List<Object> described,
      ModelBundle model, RunConfig config, WindowedDataset data) {
    List<Bundle> members = new ArrayList<>();
    for (Trainer.Snapshot s : snapshots.members()) {
      members.add(new ModelBundle(s.network(), config.architecture(), config.spec(), model.classes(), model.input(),
          null, null, null, model.projectVersion(), model.created()).bundle());
    }
    Map<String, Object> provenance = new LinkedHashMap<>(model.bundle().provenance());
    provenance.put("snapshots", described);
    ObjectNode metrics = JSON.createObjectNode();
    metrics.set("validation", ReportJson.metrics(snapshots.ensembleValidation()));
    if (snapshots.ensembleTest() != null) {
      metrics.set("test", ReportJson.metrics(snapshots.ensembleTest()));
    }
    Bundle ensemble = Bundle.ensembleOf(members, model.projectVersion(), model.created(), model.bundle().training(),
        provenance, ModelBundle.toMap(metrics));
    return calibrate(ensemble, data, config);
  }

  /** The bundle calibrated on the run's validation windows, or as it is when the split has none. */
  static Bundle calibrate(Bundle bundle, WindowedDataset data, RunConfig config) {
    if (data.windows(Region.VALIDATION).isEmpty()) {
      System.err.println("drsn: not calibrated: the split has no validation windows");
      return bundle;
    }
    return Calibrations.calibrate(bundle, data, config.pipeline().noise(), config.evaluationSeed(),
        Calibration.DEFAULT_FALSE_ALARM_RATE, Calibrations.DEFAULT_METHOD);
  }
}
