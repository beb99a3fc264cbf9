package io.github.drsn.cli;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.experiments.DataSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the recordings come from and how they are split and windowed; shared by every data command. The options
 * are the command-line form of the library's {@link DataSettings}, which does the work.
 */
public final class DataOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--data",
      paramLabel = "SOURCE",
      description =
          "Data source: ${COMPLETION-CANDIDATES} (default: synthetic, or manifest when --manifest is given)."
              + " cwru is the 10-class task of docs/protocol.md.")
  DataSettings.Source source;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "CWRU folder (holding normal/ and 12k_drive_end/).")
  Path dataDir;

  @Option(names = "--manifest", paramLabel = "FILE", description = "A user data set manifest (.json or .csv).")
  Path manifest;

  @Option(
      names = "--data-seed",
      paramLabel = "N",
      description = "Seed of the synthetic data set (default: 42). Real data ignore it.")
  long dataSeed = 42;

  @Option(
      names = "--split",
      paramLabel = "KIND",
      description =
          "time: each recording's first 70/10/20 %% in time (default); recording: whole recordings per class;"
              + " load: train on --train-loads, test on --test-loads.")
  DataSettings.Split split = DataSettings.Split.time;

  @Option(
      names = "--fractions",
      paramLabel = "TRAIN,VAL,TEST",
      split = ",",
      arity = "1",
      hideParamSyntax = true,
      description = "Split fractions for time/recording splits (default: 0.7,0.1,0.2). With --split load, TEST is"
          + " unused and the last VAL/(TRAIN+VAL) of each training recording validates (12.5 %% by default).")
  double[] fractions = {0.7, 0.1, 0.2};

  @Option(names = "--train-loads", split = ",", arity = "1", hideParamSyntax = true, paramLabel = "L,L,...", description = "Loads (hp) for training with --split load.")
  List<Double> trainLoads;

  @Option(names = "--test-loads", split = ",", arity = "1", hideParamSyntax = true, paramLabel = "L,L,...", description = "Loads (hp) for test with --split load.")
  List<Double> testLoads;

  @Option(names = "--window", paramLabel = "L", description = "Samples per window (default: 2048).")
  int windowLength = 2048;

  @Option(
      names = "--train-stride",
      paramLabel = "S",
      description = "Step between training windows (default: 512); validation/test windows never overlap.")
  int trainStride = 512;

  @Option(
      names = "--exclude-class",
      paramLabel = "NAME",
      description = "Leave a class out (repeatable), e.g. normal in cross-load tasks where it exists at one load only.")
  List<String> excludedClasses = new ArrayList<>();

  @Option(
      names = "--skip-unreadable",
      description = "Leave out unreadable recordings and report them, instead of failing at the first one.")
  boolean skipUnreadable;

  /** The source actually used, resolving the default. */
  public DataSettings.Source source() {
    if (source != null) {
      return source;
    }
    return manifest != null ? DataSettings.Source.manifest : DataSettings.Source.synthetic;
  }

  /**
   * The data settings these options give (the library's form, recorded in run settings).
   *
   * @throws ParameterException for inconsistent options (exit code 2)
   */
  public DataSettings settings() {
    if (fractions.length != 3) {
      throw usage("--fractions needs three numbers TRAIN,VAL,TEST, got " + Arrays.toString(fractions));
    }
    if (windowLength < 8) {
      throw usage("--window must be at least 8 samples, got " + windowLength);
    }
    if (trainStride < 1) {
      throw usage("--train-stride must be at least 1, got " + trainStride);
    }
    if (source() == DataSettings.Source.cwru && dataDir == null) {
      throw usage("--data cwru needs --data-dir DIR, the CWRU folder holding normal/ and 12k_drive_end/");
    }
    if (source() == DataSettings.Source.manifest && manifest == null) {
      throw usage("--data manifest needs --manifest FILE (a .json or .csv data set manifest)");
    }
    if (split == DataSettings.Split.load && (trainLoads == null || testLoads == null)) {
      throw usage("--split load needs --train-loads and --test-loads, e.g. --train-loads 0,1,2 --test-loads 3");
    }
    return new DataSettings(source(),
        dataDir == null ? null : dataDir.toString(), manifest == null ? null : manifest.toString(), dataSeed,
        split, Arrays.stream(fractions).boxed().toList(), trainLoads, testLoads,
        windowLength, trainStride, excludedClasses, skipUnreadable);
  }

  /**
   * Loads the data set these options name.
   *
   * @throws ParameterException for inconsistent options (exit code 2)
   * @throws RecordingLoadException when a recording cannot be read (exit code 1)
   */
  public Dataset load() throws RecordingLoadException {
    DataSettings settings = settings();
    Dataset dataset = settings.loadAll();
    for (String c : excludedClasses) {
      if (!dataset.classes().contains(c)) {
        throw usage("--exclude-class " + c + ": no such class; classes are " + dataset.classes());
      }
    }
    return settings.withoutExcludedClasses(dataset);
  }

  /** The split plan these options name. */
  public SplitPlan splitPlan() {
    return settings().splitPlan();
  }

  /** Window length and strides; validation and test windows do not overlap. */
  public WindowSpec windowSpec() {
    return settings().windowSpec();
  }

  /** A short description of the source for reports, e.g. {@code "cwru (../shared/data/cwru)"}. */
  public String describe() {
    return settings().describe();
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
