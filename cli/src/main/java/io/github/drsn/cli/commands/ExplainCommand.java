package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.experiments.report.ExplanationReport;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.runtime.explain.Explanation;
import io.github.drsn.signals.bearing.BearingAnalysis;
import io.github.drsn.signals.bearing.BearingEvidence;
import io.github.drsn.signals.bearing.BearingGeometry;
import io.github.drsn.signals.bearing.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drsn explain}: each diagnosis beside the bearing's physics, their agreement and a fused diagnosis. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Explains the embedded runtime's diagnosis of each recording and cross-checks it with the bearing's physics:"
          + " the envelope spectrum of the most impulsive band (kurtogram) with the evidence in dB at the first three"
          + " harmonics of BPFO, BPFI, 2xBSF and FTF, a physics verdict, the agreement with the network's fault"
          + " family (inconclusive unless the network classified and the physics has a verdict), a fused diagnosis (a conclusive physics verdict fixes the family, the network chooses the size;"
          + " without one a classified network decides alone and an uncertain one names no family; review is flagged"
          + " against a confident network of another family, gear classes included, or when the verdict's lines"
          + " include a shaft harmonic), the learned"
          + " shrinkage thresholds, occlusion saliency over a window and the ISO 20816-3 velocity severity.",
      "Shaft speed: --rpm, else the file's RPM variable (CWRU X###RPM), else estimated from the spectrum (and said"
          + " so); an order-domain model (trained with --samples-per-rev) refuses a file without a given or recorded"
          + " speed unless --estimate-speed, as predict does. Bearing: --bearing or --geometry, else the CWRU drive-end bearing for catalogued CWRU files."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (bad input, unreadable file, speed neither given nor estimable)",
        "2:usage error (unknown bearing, bad geometry or option)"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  drsn explain --model runs/cwru/model.drsn ../shared/data/cwru/12k_drive_end/105.mat",
      "  drsn explain --model m.drsn --json --report out/explain ../shared/data/cwru/12k_drive_end/130.mat",
      "  drsn explain --model m.drsn --rate 25600 --rpm 1480 --geometry 9,7.94,39.04,0 --units m/s2 \\",
      "      --machine-group 2 --foundation rigid pump.csv"
    })
public final class ExplainCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = JsonMappers.indented();


  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings: .mat, .csv or .wav.")
  List<Path> files;

  @Option(names = "--rate", paramLabel = "HZ", description = "Sampling rate: needed for uncatalogued MAT files and"
      + " for CSV files without a time column that gives it; checked against a CSV's time column (docs/manifest.md).")
  Double rate;

  @Option(names = "--channel", paramLabel = "NAME", description = "Which channel, as for predict.")
  String channel;

  @Mixin BearingOptions bearing = new BearingOptions();

  @Option(names = "--band", paramLabel = "LOW,HIGH",
      description = "Band of the envelope in Hz (default: chosen by the kurtogram).")
  String bandText;

  @Option(names = "--units", paramLabel = "U",
      description = "Unit of the samples: g, m/s2 or mm/s (default: g for CWRU files, else no severity).")
  String units;

  @Option(names = "--machine-group", paramLabel = "1|2", description = "ISO 20816-3 machine group (1: > 300 kW;"
      + " 2: 15-300 kW).")
  Integer machineGroup;

  @Option(names = "--foundation", paramLabel = "rigid|flexible", description = "ISO 20816-3 foundation.")
  String foundation;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write a Markdown report and PNG figures per file.")
  Path report;

  @Option(names = "--json", description = "One JSON object on stdout with one entry per file.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Severity.Units sampleUnits = units == null ? null : parse(() -> Severity.Units.parse(units));
    Severity.MachineGroup group = machineGroup == null ? null : switch (machineGroup) {
      case 1 -> Severity.MachineGroup.GROUP_1;
      case 2 -> Severity.MachineGroup.GROUP_2;
      default -> throw new ParameterException(spec.commandLine(), "--machine-group must be 1 or 2, got "
          + machineGroup);
    };
    Severity.Foundation base = foundation == null ? null : switch (foundation.toLowerCase(Locale.ROOT)) {
      case "rigid" -> Severity.Foundation.RIGID;
      case "flexible" -> Severity.Foundation.FLEXIBLE;
      default -> throw new ParameterException(spec.commandLine(), "--foundation must be rigid or flexible, got '"
          + foundation + "'");
    };
    double[] band = null;
    if (bandText != null) {
      String[] parts = bandText.split(",", -1);
      try {
        band = new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
      } catch (RuntimeException e) {
        band = null;
      }
      if (band == null || parts.length != 2 || !Double.isFinite(band[0]) || !Double.isFinite(band[1])) {
        throw new ParameterException(spec.commandLine(), "--band takes LOW,HIGH in Hz, got '" + bandText + "'");
      }
    }
    bearing.validate(spec.commandLine());
    if (rate != null && (!(rate > 0) || rate.isInfinite())) {
      throw new ParameterException(spec.commandLine(), "--rate must be a finite sampling rate > 0 Hz, got " + rate);
    }
    List<String> stems = new ArrayList<>();
    if (report != null) {
      Outputs.requireFolder(spec.commandLine(), "--report", report);
      stems = reportStems(files);
    }
    LeanDiagnoser diagnoser = LeanDiagnoser.load(model);
    Explainer explainer = new Explainer(diagnoser);
    PrintWriter out = spec.commandLine().getOut();
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model.toString());
    root.set("classes", JSON.valueToTree(diagnoser.classes()));
    ArrayNode results = root.putArray("files");
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      // One read of the file gives the samples and what the file says about the machine: for a one-channel model,
      // its channel by the name it was trained on, as predict chooses it (--channel overrides it).
      SignalFiles.ModelRead read = diagnoser.inputSpec().channels() != 1 ? null
          : SignalFiles.readForModel(file, rate, channel == null ? List.of() : List.of(channel),
              diagnoser.inputSpec());
      SignalFiles.ChannelChoice choice = read == null ? null : read.choice();
      String chosen = choice == null ? channel : choice.first();
      SignalFiles.Described described = read == null ? SignalFiles.readDescribed(file, rate, chosen)
          : read.described();
      SignalFiles.Signal signal = described.signal();
      Severity.Units u = sampleUnits != null ? sampleUnits
          : described.units().map(Severity.Units::parse).orElse(null);
      BearingAnalysis.Options analysis = band == null ? null
          : BearingAnalysis.Options.DEFAULT.withBand(band[0], band[1]);
      Explanation e;
      try {
        // An order-domain model's speed: given, recorded, or estimated with --estimate-speed, else refused (predict's
        // rule, ShaftSpeedOption.resolve).
        Explainer.Request request = bearing.request(file, described, chosen, spec.commandLine(),
            diagnoser.inputSpec(), signal.samples(), signal.samplingRate()).withSeverity(u, group, base);
        if (analysis != null) {
          request = request.withAnalysis(analysis);
        }
        e = explainer.explain(signal.samples(), signal.samplingRate(), request);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
      }
      ObjectNode node = fileJson(file, signal, e, diagnoser.classes());
      if (choice != null) {
        // As predict: how the channel was chosen, e.g. the only one, under another name than the model's.
        node.put("channels_chosen", choice.basis());
      }
      results.add(node);
      if (report != null) {
        Path md = ExplanationReport.write(report, stems.get(f), file.getFileName().toString(), e);
        if (!json) {
          out.println("  report: " + md);
        }
      }
      if (!json) {
        printText(out, file, e);
        if (choice != null) {
          out.printf("  channels %s%n", choice.basis());
        }
      }
    }
    if (json) {
      out.println(JSON.writeValueAsString(root));
    }
    out.flush();
    return 0;
  }

  private <T> T parse(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The per-file JSON: keys file, diagnosis, physics, agreement, fused, thresholds, severity. */
  static ObjectNode fileJson(Path file, SignalFiles.Signal signal, Explanation e, List<String> classes) {
    ObjectNode node = JSON.createObjectNode();
    node.put("file", file.toString());
    node.put("signal", signal.description());
    RecordingDiagnosis d = e.diagnosis();
    ObjectNode diagnosis = node.putObject("diagnosis");
    diagnosis.put("outcome", d.outcome().name().toLowerCase(Locale.ROOT));
    diagnosis.put("label", d.label());
    if (d.candidate() >= 0) {
      diagnosis.put("class", classes.get(d.candidate()));
      diagnosis.put("confidence", d.confidence());
      diagnosis.put("family", e.networkFamily().label());
      ObjectNode p = diagnosis.putObject("probabilities");
      for (int k = 0; k < classes.size(); k++) {
        p.put(classes.get(k), d.meanProbabilities()[k]);
      }
    } else {
      diagnosis.putNull("class");
      diagnosis.putNull("confidence");
      diagnosis.putNull("family");
    }
    node.set("physics", physicsJson(e));
    node.put("agreement", e.agreement().label());
    node.set("fused", fusedJson(e));
    ObjectNode thresholds = node.putObject("thresholds");
    ArrayNode units = thresholds.putArray("units");
    for (Explanation.UnitThresholds t : e.thresholds()) {
      ObjectNode u = units.addObject();
      u.put("unit", t.unit());
      u.put("mean_threshold", t.meanThreshold());
      u.put("threshold_to_mean_abs", t.thresholdToMeanAbs());
      u.put("zeroed_fraction", t.zeroedFraction());
    }
    if (e.saliency() == null) {
      thresholds.putNull("saliency");
    } else {
      Explanation.Saliency s = e.saliency();
      ObjectNode sal = thresholds.putObject("saliency");
      sal.put("class", s.className());
      sal.put("window_start_s", s.windowStart() / s.samplingRate());
      sal.put("window_samples", s.window().length);
      sal.put("base_probability", s.baseProbability());
      sal.put("stretch_samples", s.stretch());
      sal.put("peak_start_s", s.peakStart() / s.samplingRate());
      sal.put("peak_end_s", (s.peakStart() + s.stretch()) / s.samplingRate());
      double max = 0;
      for (double v : s.perSample()) {
        max = Math.max(max, v);
      }
      sal.put("peak_drop", max);
    }
    if (e.severity() == null) {
      node.putNull("severity");
    } else {
      ObjectNode sev = node.putObject("severity");
      sev.put("velocity_rms_mm_s", e.severity().velocityRmsMmPerS());
      sev.set("band_hz", JSON.valueToTree(new double[] {Severity.LOW_HZ, Severity.HIGH_HZ}));
      if (e.severity().zone() == null) {
        sev.putNull("zone");
      } else {
        sev.put("zone", e.severity().zone().name());
        sev.put("machine_group", e.severity().group() == Severity.MachineGroup.GROUP_1 ? 1 : 2);
        sev.put("foundation", e.severity().foundation().name().toLowerCase(Locale.ROOT));
      }
    }
    return node;
  }

  /** The {@code physics} object: shaft speed and its source, bearing, defect frequencies, band, evidence, verdict. */
  static ObjectNode physicsJson(Explanation e) {
    BearingEvidence ev = e.physics().evidence();
    ObjectNode physics = JSON.createObjectNode();
    physics.put("shaft_hz", e.physics().shaftHz());
    physics.put("rpm", e.physics().shaftHz() * 60);
    physics.put("shaft_source", e.physics().shaftSource());
    physics.put("bearing", e.physics().bearing());
    BearingGeometry g = e.physics().geometry();
    ObjectNode geometry = physics.putObject("geometry");
    geometry.put("rolling_elements", g.rollingElements());
    geometry.put("ball_diameter", g.ballDiameter());
    geometry.put("pitch_diameter", g.pitchDiameter());
    geometry.put("contact_angle_deg", Math.toDegrees(g.contactAngleRadians()));
    ObjectNode frequencies = physics.putObject("frequencies");
    frequencies.put("bpfo", ev.frequencies().bpfo());
    frequencies.put("bpfi", ev.frequencies().bpfi());
    frequencies.put("bsf", ev.frequencies().bsf());
    frequencies.put("ftf", ev.frequencies().ftf());
    ObjectNode bandNode = physics.putObject("band");
    bandNode.put("low_hz", ev.band().lowHz());
    bandNode.put("high_hz", ev.band().highHz());
    bandNode.put("spectral_kurtosis", ev.band().kurtosis());
    bandNode.put("chosen_by", ev.bandChosenByKurtogram() ? "kurtogram" : "given");
    ObjectNode evidence = physics.putObject("evidence");
    ObjectNode harmonics = physics.putObject("harmonics");
    for (BearingEvidence.FamilyEvidence f : ev.families().values()) {
      evidence.put(f.family().label(), f.evidenceDb());
      ObjectNode h = harmonics.putObject(f.family().label());
      h.put("line_hz", f.fundamentalHz());
      h.set("found_hz", JSON.valueToTree(f.harmonicHz()));
      h.set("db", JSON.valueToTree(f.harmonicDb()));
    }
    physics.put("inner_sidebands_db", ev.innerSidebandsDb());
    physics.put("margin_db", ev.marginDb());
    physics.put("verdict", ev.verdictOrNull() == null ? "none" : ev.verdictOrNull().label());
    ObjectNode rule = physics.putObject("rule");
    rule.put("min_evidence_db", ev.rule().minEvidenceDb());
    rule.put("min_margin_db", ev.rule().minMarginDb());
    return physics;
  }

  /** The {@code fused} object: label, family, the rule's basis and whether to review. */
  static ObjectNode fusedJson(Explanation e) {
    ObjectNode fused = JSON.createObjectNode();
    fused.put("label", e.fused().label());
    fused.put("family", e.fused().family().label());
    fused.put("basis", e.fused().basis());
    fused.put("review", e.fused().review());
    return fused;
  }

  private static void printText(PrintWriter out, Path file, Explanation e) {
    BearingEvidence ev = e.physics().evidence();
    out.printf(Locale.ROOT, "%s: fused %s (%s)%s%n", file, e.fused().label(), e.fused().basis(),
        e.fused().review() ? " [REVIEW]" : "");
    out.printf(Locale.ROOT, "  network: %s%s%n", e.diagnosis().label(), e.diagnosis().candidate() >= 0
        ? String.format(Locale.ROOT, " (p=%.3f, family %s)", e.diagnosis().confidence(), e.networkFamily().label())
        : "");
    out.printf(Locale.ROOT, "  physics: %s; shaft %.2f Hz (%s); band %.0f-%.0f Hz%n",
        ev.verdictOrNull() == null ? "no conclusive evidence" : ev.verdictOrNull().label(), e.physics().shaftHz(),
        e.physics().shaftSource(), ev.band().lowHz(), ev.band().highHz());
    out.printf(Locale.ROOT, "  evidence: BPFO %.1f Hz %.1f dB, BPFI %.1f Hz %.1f dB, 2xBSF %.1f Hz %.1f dB, FTF %.1f Hz"
        + " %.1f dB; BPFI sidebands %.1f dB%n", ev.frequencies().bpfo(), ev.evidence(
        io.github.drsn.signals.bearing.DefectFamily.OUTER).evidenceDb(), ev.frequencies().bpfi(),
        ev.evidence(io.github.drsn.signals.bearing.DefectFamily.INNER).evidenceDb(), 2 * ev.frequencies().bsf(),
        ev.evidence(io.github.drsn.signals.bearing.DefectFamily.BALL).evidenceDb(), ev.frequencies().ftf(),
        ev.evidence(io.github.drsn.signals.bearing.DefectFamily.CAGE).evidenceDb(), ev.innerSidebandsDb());
    out.printf("  agreement: %s%n", e.agreement().label());
    if (e.severity() != null) {
      out.printf(Locale.ROOT, "  severity: %.2f mm/s r.m.s. (10-1000 Hz)%s%n", e.severity().velocityRmsMmPerS(),
          e.severity().zone() == null ? "; no zone without --machine-group and --foundation"
              : ", ISO 20816-3 zone " + e.severity().zone());
    }
  }
  /**
   * One report name per input file: its name without extension and "-explain", numbered ({@code x-2-explain}) when two
   * inputs have the same name ({@code d1/x.csv}, {@code d2/x.csv}), which would otherwise write one report over the
   * other.
   */
  static List<String> reportStems(List<Path> inputs) {
    List<String> bases = inputs.stream().map(p -> p.getFileName().toString().replaceAll("\\.[^.]+$", "")).toList();
    List<String> stems = new ArrayList<>();
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (String base : bases) {
      String stem = base + "-explain";
      for (int n = 2; !taken.add(stem.toLowerCase(Locale.ROOT)); n++) {
        stem = base + "-" + n + "-explain";
      }
      stems.add(stem);
    }
    return stems;
  }
}
