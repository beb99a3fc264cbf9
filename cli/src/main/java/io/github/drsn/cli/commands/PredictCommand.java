package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.contract.Calibration;
import io.github.drsn.runtime.HealthIssue;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.runtime.ShaftSpeeds;
import io.github.drsn.runtime.calibration.ReferenceThresholds;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.runtime.explain.Explanation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drsn predict}: diagnoses recordings with a bundled model, per window and per file. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Diagnoses MAT, CSV and WAV recordings of any length and sampling rate with the embedded runtime, as a"
            + " monitoring service would: each is resampled to the model's rate (and says so), cut into windows of the"
            + " model's length, every window is checked (dead sensor, clipping, NaN) and classified. A file is"
            + " diagnosed as the class with the highest mean probability over its healthy windows, 'uncertain' when"
            + " that probability or the windows' agreement is low, and 'unhealthy input' when half its windows fail"
            + " the checks. With --physics (or --bearing/--geometry) each file is also checked against the bearing's"
            + " physics as explain does (envelope evidence at the defect frequencies, a verdict, the agreement and"
            + " a fused diagnosis: a conclusive verdict fixes the fault family, the network chooses the size).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn predict --model runs/cwru/model.drsn ../shared/data/cwru/12k_drive_end/105.mat",
      "  drsn predict --model m.drsn --rate 25600 --channel accel_x pump.csv --json",
      "  drsn predict --model m.drsn --windows recording.wav",
      "  drsn predict --model runs/cwru/model.drsn --physics ../shared/data/cwru/12k_drive_end/130.mat",
      "  drsn predict --model m.drsn --rate 25600 --rpm 1480 --geometry 9,7.94,39.04,0 pump.csv",
      "  drsn predict --model orders.drsn --rate 25600 --rpm 1480 pump.csv   (an order-domain model needs the speed)"
    })
public final class PredictCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = JsonMappers.indented();

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings: .mat, .csv or .wav files (a directory"
      + " is refused: give its files, e.g. DIR/*.csv). How a file is read: docs/manifest.md.")
  List<Path> files;

  @Option(
      names = "--rate",
      paramLabel = "HZ",
      description = "Sampling rate of the recordings: needed for MAT files that are not catalogued CWRU files and for"
          + " CSV files without a time column that gives it; checked against a CSV's time column.")
  Double rate;

  @Option(
      names = "--channel",
      paramLabel = "NAME",
      description = "MAT: variable pattern (default: X###_DE_time or the only vector); CSV: column name or 1-based"
          + " position (default: the only column that is not a time axis); WAV: 0-based channel index (default: the"
          + " only channel). Several channels and none chosen is an error that lists them. Repeat it for a model"
          + " that takes several channels, in the model's order (default: all channels of a WAV or CSV file that has"
          + " exactly as many, a CSV's time columns aside). A model that records its channels' names (drsn card)"
          + " takes a MAT or CSV file's channels by those names (a CWRU variable X097_FE_time is FE) and refuses a"
          + " file that lacks one, except that a one-channel model takes a file's only channel under another name"
          + " and says so; --channel overrides the names.")
  List<String> channels = new java.util.ArrayList<>();

  @Option(names = "--hop", paramLabel = "N", description = "Samples between windows at the model's rate (default: the window length).")
  Integer hop;

  @Option(names = "--min-confidence", paramLabel = "P",
      description = "Mean probability below which a file (or a window) is reported as uncertain (default: ${DEFAULT-VALUE}).")
  double minConfidence = RecordingDiagnosis.Options.DEFAULT.minConfidence();

  @Option(names = "--min-agreement", paramLabel = "F",
      description = "Fraction of the healthy windows that must name the file's class, else it is uncertain"
          + " (default: ${DEFAULT-VALUE}).")
  double minAgreement = RecordingDiagnosis.Options.DEFAULT.minAgreement();


  @Option(names = {"--windows", "--per-window"}, description = "Also print every window's diagnosis (--json always"
      + " has them).")
  boolean showWindows;

  @Option(names = "--physics", description = "Also check each file against the bearing's physics and give the fused"
      + " diagnosis (implied by --bearing or --geometry; the bearing of a CWRU file is known).")
  boolean physics;

  @Mixin BearingOptions bearing = new BearingOptions();

  @Option(names = "--json", description = "One JSON object on stdout with per-file and per-window results.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    RecordingDiagnosis.Options options;
    try {
      options = new RecordingDiagnosis.Options(hop == null ? 0 : hop, minConfidence, minAgreement);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    boolean withPhysics = physics || bearing.bearingGiven();
    // The runtime's diagnoser, as a monitoring service would load it: what predict prints is what a service sees.
    LeanDiagnoser diagnoser = LeanDiagnoser.load(model);
    boolean orderDomain = diagnoser.inputSpec().orderDomain();
    if (withPhysics || orderDomain) {
      bearing.validate(spec.commandLine());
    } else if (bearing.speed.rpm != null || bearing.estimateSpeed) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          (bearing.speed.rpm != null ? "--rpm" : "--estimate-speed")
          + " is the shaft speed for the physics check or an order-domain model, and " + model + " is not order"
          + " domain: add --physics (or --bearing/--geometry)");
    }
    if (withPhysics && diagnoser.inputSpec().channels() != 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--physics checks one-channel models; "
          + model + " takes " + diagnoser.inputSpec().channels() + " channels");
    }
    Explainer explainer = new Explainer(diagnoser);
    PrintWriter out = spec.commandLine().getOut();
    List<String> classes = diagnoser.classes();
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model.toString());
    root.set("classes", JSON.valueToTree(classes));
    // The sensors the model was trained on, in its input order (null: the bundle does not record them).
    if (diagnoser.inputSpec().namedChannels()) {
      root.set("channel_names", JSON.valueToTree(diagnoser.inputSpec().channelNames()));
    } else {
      root.putNull("channel_names");
    }
    // An ensemble bundle's probabilities are its members' mean; calibrated with ENSEMBLE_DISAGREEMENT, ood_score is
    // the members' disagreement.
    root.put("members", diagnoser.memberCount());
    Calibration calibration = diagnoser.calibration();
    ObjectNode cal = root.putObject("calibration");
    cal.put("calibrated", calibration != null);
    cal.put("temperature", calibration == null ? 1.0 : calibration.temperature());
    if (calibration != null) {
      cal.put("ood_method", calibration.method().name());
      cal.put("ood_threshold", calibration.threshold());
      cal.put("false_alarm_rate", calibration.falseAlarmRate());
    } else {
      cal.putNull("ood_method");
      cal.putNull("ood_threshold");
    }
    ArrayNode fileResults = root.putArray("files");
    long jsonBytes = 0;
    int unknownFiles = 0;
    for (Path file : files) {
      // The model's channels by the names it was trained on (--channel overrides them); refused when absent. The
      // samples are read as the Spark scorer reads them (the channels the model takes, no more); what the file says
      // about the machine (bearing, recorded speed) only when the physics or an order-domain model needs it, so that
      // a speed variable a time-domain model never uses (a stopped machine's 0 rpm) cannot refuse the file. One
      // parse of the file gives all three.
      SignalFiles.ModelRead read = SignalFiles.readForModel(file, rate, channels, diagnoser.inputSpec());
      SignalFiles.ChannelChoice choice = read.choice();
      String first = choice.first();
      SignalFiles.Channels signal = read.channels();
      SignalFiles.Described described = withPhysics && diagnoser.inputSpec().channels() == 1
          ? read.described() : null;
      double[][] samples = signal.samples();
      RecordingDiagnosis result;
      Explanation checked = null;
      ShaftSpeeds.Speed shaft = null;
      try {
        if (withPhysics) {
          // An order-domain model's speed follows the rule below (BearingOptions.request); the physics uses it too.
          Explainer.Request request = bearing.request(file, described, first, spec.commandLine(),
              diagnoser.inputSpec(), samples[0], signal.samplingRate()).withDiagnosis(options);
          checked = explainer.crossCheck(samples[0], signal.samplingRate(), request);
          result = checked.diagnosis();
          if (orderDomain) {
            shaft = new ShaftSpeeds.Speed(checked.physics().shaftHz() * 60, checked.physics().shaftSource());
          }
        } else {
          // Only an order-domain model uses the speed, and it never guesses one unless asked (--estimate-speed).
          shaft = !orderDomain ? null : bearing.speed.resolve(file, diagnoser.inputSpec(),
              bearing.speed.rpm != null ? Optional.empty() : described != null ? described.speed()
                  : read.described().speed(),
              bearing.estimateSpeed, samples[0], signal.samplingRate());
          result = diagnoser.diagnose(samples, signal.samplingRate(), shaft == null ? Double.NaN : shaft.hz(),
              options);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      unknownFiles += result.outcome() == Diagnosis.Outcome.UNKNOWN ? 1 : 0;
      if (json) {
        // Built only for --json: a small --hop makes a tree of every window, which text output never prints.
        jsonBytes = requireJsonFits(file, result.windows().size(), classes.size(), jsonBytes);
        ObjectNode node = fileJson(file, signal, result, classes);
        node.put("channels_chosen", choice.basis());
        if (checked != null) {
          node.set("physics", ExplainCommand.physicsJson(checked));
          // "agreement" is already the share of windows that name the candidate; the physics' word has its own key.
          node.put("physics_agreement", checked.agreement().label());
          node.set("fused", ExplainCommand.fusedJson(checked));
        }
        if (shaft != null) {
          node.put("shaft_rpm", shaft.rpm());
          node.put("shaft_speed_source", shaft.source());
        }
        fileResults.add(node);
      } else {
        printText(out, file, signal, result, classes);
        if (diagnoser.inputSpec().namedChannels() || !channels.isEmpty()) {
          out.printf("  channels %s%n", choice.basis());
        }
        if (shaft != null) {
          out.printf(Locale.ROOT, "  order domain: %s samples per revolution at %.1f rpm (%s)%n",
              ShaftSpeedOption.perRevolution(diagnoser.inputSpec()), shaft.rpm(), shaft.source());
        }
        if (checked != null) {
          printPhysics(out, checked);
        }
      }
    }
    if (json) {
      out.println(JSON.writeValueAsString(root));
    }
    out.flush();
    if (unknownFiles > 0 && calibration != null && !ReferenceThresholds.chosenOnReference(calibration)) {
      // Thresholds chosen on the training data's validation windows move on another sensor or noise level.
      PrintWriter err = spec.commandLine().getErr();
      err.printf(Locale.ROOT, "drsn predict: %d of %d file(s) unknown to the model, whose thresholds were chosen on"
          + " its validation windows; if these recordings are of a state it knows (e.g. a healthy machine), set the"
          + " thresholds on this machine's recordings: drsn calibrate --model %s --out M2 --reference FILE...%n",
          unknownFiles, files.size(), model);
      err.flush();
    }
    return 0;
  }

  /**
   * Refuses per-window JSON that would not fit the heap (a JSON tree node per window and per class probability, about
   * 250 + 150 · classes bytes a window) before it is built, counting the files' JSON built before it: the whole tree
   * is printed at the end.
   *
   * @return the JSON bytes so far, this file's included
   */
  private static long requireJsonFits(Path file, int windows, int classes, long before) {
    long bytes = before + windows * (250L + 150L * classes);
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes > heap / 3) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: the JSON of its %d windows, with the files"
          + " before it, would take about %d MB, more than a third of this JVM's heap of %d MB; use a larger --hop,"
          + " fewer files per call, leave out --json, or raise the heap (e.g. DRSN_JAVA_OPTS=-Xmx4g)", file, windows,
          bytes >> 20, heap >> 20));
    }
    return bytes;
  }


  private static ObjectNode fileJson(Path file, SignalFiles.Channels signal, RecordingDiagnosis result,
      List<String> classes) {
    ObjectNode node = JSON.createObjectNode();
    node.put("file", file.toString());
    node.put("signal", signal.description());
    node.put("sampling_rate", result.samplingRate());
    node.put("model_rate", result.modelRate());
    node.put("resampled", result.resampled());
    node.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
    node.put("diagnosis", result.label());
    if (result.candidate() >= 0) {
      node.put("candidate", classes.get(result.candidate()));
      node.put("confidence", result.confidence());
      node.put("agreement", result.agreement());
      node.set("probabilities", probabilities(classes, result.meanProbabilities()));
    } else {
      node.putNull("candidate");
      node.putNull("confidence");
    }
    node.set("votes", JSON.valueToTree(result.votes()));
    node.put("unknown_windows", result.unknownWindows());
    putScore(node, "ood_score", result.medianOodScore());
    node.set("health", health(result));
    ArrayNode windows = node.putArray("windows");
    for (RecordingDiagnosis.Window w : result.windows()) {
      Diagnosis d = w.diagnosis();
      ObjectNode wn = windows.addObject();
      wn.put("start", w.start());
      wn.put("start_seconds", w.startSeconds());
      wn.put("outcome", d.outcome().name().toLowerCase(Locale.ROOT));
      wn.put("diagnosis", d.label());
      if (d.labelIndex() >= 0) {
        wn.put("class", classes.get(d.labelIndex()));
        wn.put("confidence", d.confidence());
        putScore(wn, "ood_score", d.oodScore());
        wn.set("probabilities", probabilities(classes, d.probabilities()));
      } else {
        wn.putNull("class");
        wn.putNull("confidence");
        wn.putNull("ood_score");
      }
      // A scored window carries findings too: a sensor slower than the model rides on every window's diagnosis.
      ArrayNode issues = wn.putArray("health");
      d.health().issues().stream().sorted().forEach(i -> issues.add(i.name().toLowerCase(Locale.ROOT)));
      if (!d.health().healthy()) {
        wn.put("health_detail", d.health().detail());
      }
    }
    return node;
  }

  private static void putScore(ObjectNode node, String key, double score) {
    if (Double.isNaN(score)) {
      node.putNull(key);
    } else {
      node.put(key, score);
    }
  }

  /** Windows per input-health issue, with the first detail of each; the rate finding counts once. */
  private static ObjectNode health(RecordingDiagnosis result) {
    ObjectNode node = JSON.createObjectNode();
    node.put("healthy", result.health().isEmpty());
    ObjectNode issues = node.putObject("issues");
    result.health().forEach((issue, count) -> {
      ObjectNode i = issues.putObject(issue.name().toLowerCase(Locale.ROOT));
      i.put("windows", count);
      i.put("detail", result.healthDetail().get(issue));
    });
    return node;
  }

  private void printText(PrintWriter out, Path file, SignalFiles.Channels signal, RecordingDiagnosis result,
      List<String> classes) {
    int windows = result.windows().size();
    int healthy = java.util.Arrays.stream(result.votes()).sum() + result.unknownWindows();
    String healthyWindows = healthy == windows ? windows + " windows" : healthy + " healthy windows";
    switch (result.outcome()) {
      case CLASSIFIED -> out.printf(Locale.ROOT, "%s: %s (mean probability %.3f; %d of %s agree)%n", file,
          result.label(), result.confidence(), result.votes()[result.candidate()], healthyWindows);
      case UNCERTAIN -> out.printf(Locale.ROOT, "%s: uncertain (leaning to %s: mean probability %.3f, %d of %s"
          + " agree)%n", file, classes.get(result.candidate()), result.confidence(),
          result.votes()[result.candidate()], healthyWindows);
      case UNHEALTHY_INPUT -> out.printf(Locale.ROOT, "%s: not diagnosed, unhealthy input%n", file);
      case UNKNOWN -> out.printf(Locale.ROOT, "%s: unknown (%d of %s look like no class the model knows; median OOD"
          + " score %.4g; leaning to %s, mean probability %.3f)%n", file, result.unknownWindows(), healthyWindows,
          result.medianOodScore(), classes.get(result.candidate()), result.confidence());
    }
    if (result.unknownWindows() > 0 && result.outcome() != Diagnosis.Outcome.UNKNOWN) {
      out.printf(Locale.ROOT, "  %d of %s unknown (OOD score above the calibrated threshold)%n", result.unknownWindows(),
          healthyWindows);
    }
    out.printf("  signal %s%n", signal.description());
    if (result.resampled()) {
      out.printf(Locale.ROOT, "  resampled from %.1f Hz to the model's %.1f Hz%n", result.samplingRate(),
          result.modelRate());
    }
    // The sensor-rate finding is the sensor's, counted once and carried by every window: not "in 1 of N windows".
    result.health().forEach((issue, count) -> out.printf(Locale.ROOT, "  input health: %s %s (%s)%n",
        issue.name().toLowerCase(Locale.ROOT).replace('_', ' '), issue == HealthIssue.SAMPLING_RATE
            ? "of the sensor, on every window" : "in " + count + " of " + windows + " windows",
        result.healthDetail().get(issue)));
    if (result.candidate() >= 0) {
      float[] mean = result.meanProbabilities();
      StringBuilder top = new StringBuilder("  probabilities:");
      Integer[] order = new Integer[classes.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Float.compare(mean[b], mean[a]));
      for (int i = 0; i < Math.min(3, order.length); i++) {
        top.append(String.format(Locale.ROOT, " %s %.3f", classes.get(order[i]), mean[order[i]]));
      }
      out.println(top);
    }
    if (showWindows) {
      for (RecordingDiagnosis.Window w : result.windows()) {
        out.printf(Locale.ROOT, "  window at %8.3f s: %s%n", w.startSeconds(), w.diagnosis());
      }
    }
  }

  private static void printPhysics(PrintWriter out, Explanation e) {
    var evidence = e.physics().evidence();
    out.printf(Locale.ROOT, "  physics: %s (margin %.1f dB; shaft %.2f Hz, %s; bearing %s); agreement with the network: %s%n",
        evidence.verdictOrNull() == null ? "no conclusive evidence" : evidence.verdictOrNull().label(),
        evidence.marginDb(), e.physics().shaftHz(), e.physics().shaftSource(), e.physics().bearing(),
        e.agreement().label());
    out.printf(Locale.ROOT, "  fused: %s (%s)%s%n", e.fused().label(), e.fused().basis(),
        e.fused().review() ? " [REVIEW]" : "");
  }

  private static ObjectNode probabilities(List<String> classes, float[] p) {
    ObjectNode node = JSON.createObjectNode();
    for (int c = 0; c < classes.size(); c++) {
      node.put(classes.get(c), p[c]);
    }
    return node;
  }
}
