package io.github.drsn.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.RegionSpan;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.synthetic.DrivetrainConfig;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.runtime.explain.Explanation;
import io.github.drsn.runtime.explain.FaultFamily;
import io.github.drsn.signals.Noise;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.bearing.BearingCatalogue;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The fused decision of {@link Explainer} against the network alone on protocols that move the data (issue #18):
 * each held-out recording of a trained cell's test data (or of one of its experiment's {@code test_data} sets) is
 * explained whole, with the bearing's geometry and the recording's own shaft speed, and both answers are scored per
 * recording.
 *
 * <p>The fusion rule is {@link Explainer}'s, with the verdict rule {@code VerdictRule.DEFAULT}, both fixed before
 * this measurement (on the 36 noise-free CWRU fault files and the synthetic drivetrain's own speeds); nothing here
 * is tuned on the data it scores.
 *
 * <p>Outcomes of an answer for a recording of class {@code truth} (family {@link FaultFamily#ofClass}):
 * <ul>
 *   <li>right class: the answer is {@code truth};</li>
 *   <li>right family: the answer's family is truth's (a bearing family), size wrong or unknown;</li>
 *   <li>abstains: the answer names no class or family ("unknown", "uncertain", or fused "unknown");</li>
 *   <li>wrong: it names another class or family. Confidently wrong: the network alone put at least
 *       {@link Explainer#STRONG_CONTRADICTION} on it; a fused answer is not flagged for review and is backed by a
 *       conclusive physics verdict or by such a network.</li>
 * </ul>
 * A fused answer names the family {@link Explainer} gives it: an uncertain network without a verdict abstains,
 * whatever class it leant towards.
 * The network alone answers with its recording label ({@link RecordingDiagnosis#label()}: a class, or unknown or
 * uncertain when its calibration or its windows say so); its most probable class is reported as well.
 *
 * <p>Noise: Gaussian at an exact SNR over the whole held-out stretch ({@link Noise#addAtSnr}), seeded by the
 * recording's id and the SNR, so every model seed sees the same noisy recordings.
 *
 * <pre>java -cp "$(cat cli/target/classpath.txt):cli/target/drsn-cli.jar" io.github.drsn.experiments.FusionShift \
 *     experiments/fusion-shift.json docs/results/fusion-shift</pre>
 * writes {@code protocols/<protocol>.json} (every recording; kept and reused while the protocol's definition is
 * unchanged, so an interrupted run resumes), {@code fusion_shift.json} (the counts) and {@code table.md}.
 */
public final class FusionShift {

  private static final ObjectMapper CONFIG_JSON =
      JsonMappers.compact().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private FusionShift() {
  }

  /**
   * The measurement's configuration.
   *
   * @param description what is measured, for the result file
   * @param protocols the protocols, each a table row group
   */
  public record Config(@JsonProperty("description") String description,
      @JsonProperty(value = "protocols", required = true) List<Protocol> protocols) {}

  /**
   * One protocol: the cells of an experiment grid, scored on their test data or on one of the grid's test sets.
   *
   * @param name the protocol's name in tables
   * @param experiment the experiment config that trained the cells (e.g. {@code experiments/cwru-cross-load.json})
   * @param runs the folder holding the cells' runs ({@code <runs>/<cell id>/model.drsn})
   * @param model the grid's model variant
   * @param seeds the seeds (one cell each)
   * @param testData the name of one of the grid's {@code test_data} sets, or null for the cell's own test data
   * @param snrDb the levels to score at; null entries mean noise-free
   * @param whole score whole recordings instead of their test stretch: for a test set of other simulations that the
   *     network never saw, whose test stretch is too short for the envelope analysis (e.g. 48 kHz recordings of the
   *     same sample count last 2.7 s, their last 20 % 0.55 s)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Protocol(@JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "experiment", required = true) String experiment,
      @JsonProperty(value = "runs", required = true) String runs,
      @JsonProperty(value = "model", required = true) String model,
      @JsonProperty(value = "seeds", required = true) List<Long> seeds,
      @JsonProperty("test_data") String testData,
      @JsonProperty(value = "snr_db", required = true) List<Double> snrDb,
      @JsonProperty("whole") Boolean whole) {}

  /** How an answer did for one recording (class comment). */
  enum Outcome {
    RIGHT_CLASS, RIGHT_FAMILY, ABSTAINS, WRONG
  }

  /**
   * Scores an answer.
   *
   * @param truth the recording's class
   * @param label the answer (a class, "unknown", "uncertain", or "family (size unknown)")
   * @param family the answer's family ({@link FaultFamily#UNKNOWN} when it names none)
   * @param classes the model's classes
   */
  static Outcome score(String truth, String label, FaultFamily family, List<String> classes) {
    if (label.equals(truth)) {
      return Outcome.RIGHT_CLASS;
    }
    FaultFamily truthFamily = FaultFamily.ofClass(truth);
    if (truthFamily != FaultFamily.UNKNOWN && family == truthFamily) {
      return Outcome.RIGHT_FAMILY;
    }
    return family == FaultFamily.UNKNOWN && !classes.contains(label) ? Outcome.ABSTAINS : Outcome.WRONG;
  }

  /** Counts of one protocol, level and answer kind. */
  static final class Tally {
    final int[] outcomes = new int[Outcome.values().length];
    int confidentlyWrong;
    int review;
    int recordings;

    int windows;
    int windowsRight;

    /** Adds a scored answer of {@link #caseJson}'s form. */
    void add(JsonNode answer) {
      add(Outcome.valueOf(answer.path("score").asText().toUpperCase(Locale.ROOT)),
          answer.path("confidently_wrong").asBoolean(), answer.path("review").asBoolean());
      windows += answer.path("windows").asInt();
      windowsRight += answer.path("windows_right").asInt();
    }

    /** Adds the network's most probable class as the answer, abstention and calibration set aside. */
    void addMostProbable(String truth, JsonNode network) {
      String best = network.path("most_probable").asText(null);
      if (best == null) {
        add(Outcome.ABSTAINS, false, false);
        return;
      }
      Outcome o = score(truth, best, FaultFamily.ofClass(best), List.of(best));
      add(o, network.path("confidence").asDouble() >= Explainer.STRONG_CONTRADICTION, false);
    }

    void add(Outcome o, boolean confidentWrong, boolean flagged) {
      outcomes[o.ordinal()]++;
      confidentlyWrong += o == Outcome.WRONG && confidentWrong ? 1 : 0;
      review += flagged ? 1 : 0;
      recordings++;
    }

    int rightFamily() {
      return outcomes[Outcome.RIGHT_CLASS.ordinal()] + outcomes[Outcome.RIGHT_FAMILY.ordinal()];
    }
  }

  /** @param args the configuration file, then the output folder */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: FusionShift CONFIG.json OUT_DIR");
      System.exit(2);
    }
    Path configFile = Path.of(args[0]);
    Config config = read(configFile);
    Path out = Path.of(args[1]);
    Files.createDirectories(out.resolve(PROTOCOLS));
    ObjectMapper json = JsonMappers.indented();
    Map<String, Tally[]> tallies = new LinkedHashMap<>();
    ObjectNode root = json.createObjectNode();
    root.put("config", configFile.toString());
    root.put("description", config.description());
    root.put("fusion_rule", "runtime.explain.Explainer (physics fixes the family, the network the size), verdict"
        + " rule VerdictRule.DEFAULT; fixed before this measurement");
    ArrayNode files = root.putArray("protocols");
    for (Protocol protocol : config.protocols()) {
      // One file per protocol, kept while its definition is unchanged: an interrupted run resumes.
      Path file = out.resolve(PROTOCOLS).resolve(slug(protocol.name()) + ".json");
      JsonNode definition = json.valueToTree(protocol);
      JsonNode done = Files.isRegularFile(file) ? json.readTree(file.toFile()) : null;
      if (done == null || !definition.equals(done.path("protocol"))) {
        ObjectNode result = json.createObjectNode();
        result.set("protocol", definition);
        run(protocol, result.putArray("recordings"));
        AtomicFiles.writeString(file, json.writeValueAsString(result));
        done = result;
      }
      files.add(out.relativize(file).toString());
      for (JsonNode c : done.path("recordings")) {
        Tally[] t = tallies.computeIfAbsent(protocol.name() + " | " + c.path("level").asText(),
            k -> new Tally[] {new Tally(), new Tally(), new Tally()});
        t[0].add(c.path("network"));
        t[1].add(c.path("fused"));
        t[2].addMostProbable(c.path("truth").asText(), c.path("network"));
      }
    }
    ArrayNode summary = root.putArray("summary");
    tallies.forEach((key, t) -> {
      ObjectNode row = summary.addObject();
      String[] parts = key.split(" \\| ", 2);
      row.put("protocol", parts[0]);
      row.put("level", parts[1]);
      row.set("network", tallyJson(json, t[0]));
      row.set("fused", tallyJson(json, t[1]));
      row.set("network_most_probable", tallyJson(json, t[2]));
    });
    AtomicFiles.writeString(out.resolve("fusion_shift.json"), json.writeValueAsString(root));
    AtomicFiles.writeString(out.resolve("table.md"), table(tallies));
  }

  /** The folder of the per-protocol result files. */
  static final String PROTOCOLS = "protocols";

  /** A file name for a protocol's name: lower case, runs of other characters as one hyphen. */
  static String slug(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  private static void run(Protocol protocol, ArrayNode cases) throws Exception {
    ExperimentConfig grid = ExperimentConfig.read(Path.of(protocol.experiment()));
    ExperimentConfig.TestData test = null;
    if (protocol.testData() != null) {
      test = grid.testData() == null ? null : grid.testData().stream()
          .filter(t -> t.name().equals(protocol.testData())).findFirst().orElse(null);
      if (test == null) {
        throw new IllegalArgumentException("protocol " + protocol.name() + ": " + protocol.experiment()
            + " has no test_data named '" + protocol.testData() + "'");
      }
    }
    Map<DataSettings, WindowedDataset> loaded = new LinkedHashMap<>();
    for (long seed : protocol.seeds()) {
      ExperimentConfig.Cell cell = grid.cells().stream()
          .filter(c -> c.model().name().equals(protocol.model()) && c.seed() == seed && c.heldOut() == null)
          .findFirst().orElseThrow(() -> new IllegalArgumentException("protocol " + protocol.name() + ": "
              + protocol.experiment() + " has no cell of model " + protocol.model() + " and seed " + seed));
      Path bundle = Path.of(protocol.runs()).resolve(cell.id()).resolve(RunArtifacts.BUNDLE_FILE);
      if (!Files.isRegularFile(bundle)) {
        throw new IllegalArgumentException("protocol " + protocol.name() + ": no bundle " + bundle
            + "; train the cell first (drsn experiment --config " + protocol.experiment() + " --runs "
            + protocol.runs() + ")");
      }
      LeanDiagnoser diagnoser = LeanDiagnoser.load(bundle);
      Explainer explainer = new Explainer(diagnoser);
      DataSettings data = test == null ? cell.settings(grid).data() : cell.testData(grid, test);
      WindowedDataset windows = loaded.containsKey(data) ? loaded.get(data) : data.loadWindows();
      loaded.put(data, windows);
      String bearingName = bearingName(data);
      BearingGeometry geometry = geometry(data);
      boolean whole = Boolean.TRUE.equals(protocol.whole());
      for (RegionSpan held : windows.spans()) {
        if (held.region() != Region.TEST) {
          continue;
        }
        Recording r = windows.dataset().recordings().get(held.recordingIndex());
        RegionSpan span = whole ? new RegionSpan(held.recordingIndex(), Region.TEST, 0, r.length()) : held;
        if (!r.condition().hasRpm()) {
          throw new IllegalArgumentException(r.id() + " records no shaft speed; the fused path needs it");
        }
        double[] stretch = Arrays.copyOfRange(r.channel(0), span.start(), span.end());
        for (Double snr : protocol.snrDb()) {
          double[] x = snr == null ? stretch : Noise.addAtSnr(stretch, NoiseType.GAUSSIAN, snr,
              new Random(noiseSeed(r.id(), snr)));
          Explainer.Request request = Explainer.Request.of(bearingName, geometry)
              .withRpm(r.condition().rpm(), r.attributes().getOrDefault("rpmSource", "the recording's condition"));
          Explanation e = explainer.explain(x, r.samplingRate(), request);
          String level = snr == null ? "clean" : String.format(Locale.ROOT, "%.0f dB", snr);
          ObjectNode c = caseJson(cases.addObject(), protocol, seed, r, span, level, e, diagnoser.classes());
          System.err.printf(Locale.ROOT, "%s seed %d %s %s: network %s, physics %s, fused %s%n", protocol.name(),
              seed, r.id(), level, c.path("network").path("label").asText(), c.path("physics_verdict").asText(),
              c.path("fused").path("label").asText());
        }
      }
    }
  }

  /** One explanation, scored, as JSON. */
  private static ObjectNode caseJson(ObjectNode c, Protocol protocol, long seed, Recording r, RegionSpan span,
      String level, Explanation e, List<String> classes) {
    RecordingDiagnosis d = e.diagnosis();
    String truth = r.label();
    c.put("protocol", protocol.name());
    c.put("seed", seed);
    c.put("recording", r.id());
    c.put("truth", truth);
    c.put("level", level);
    c.put("rpm", r.condition().rpm());
    c.put("seconds", span.length() / r.samplingRate());
    ObjectNode network = c.putObject("network");
    network.put("label", d.label());
    network.put("outcome", d.outcome().name().toLowerCase(Locale.ROOT));
    network.put("most_probable", d.candidate() >= 0 ? classes.get(d.candidate()) : null);
    network.put("confidence", d.candidate() >= 0 ? d.confidence() : Double.NaN);
    long right = d.windows().stream().filter(w -> w.diagnosis().labelIndex() >= 0
        && classes.get(w.diagnosis().labelIndex()).equals(truth)).count();
    network.put("windows", d.windows().size());
    network.put("windows_right", right);
    network.put("windows_unknown", d.unknownWindows());
    boolean confident = d.candidate() >= 0 && d.confidence() >= Explainer.STRONG_CONTRADICTION;
    Outcome alone = score(truth, d.label(), FaultFamily.ofClass(d.label()), classes);
    network.put("score", alone.name().toLowerCase(Locale.ROOT));
    network.put("confidently_wrong", alone == Outcome.WRONG && confident);
    FaultFamily verdict = e.physics().verdict();
    c.put("physics_verdict", verdict == null ? "none" : verdict.label());
    c.put("agreement", e.agreement().label());
    ObjectNode fused = c.putObject("fused");
    fused.put("label", e.fused().label());
    fused.put("family", e.fused().family().label());
    fused.put("basis", e.fused().basis());
    fused.put("review", e.fused().review());
    Outcome together = score(truth, e.fused().label(), e.fused().family(), classes);
    fused.put("score", together.name().toLowerCase(Locale.ROOT));
    // Confidently wrong: not flagged for review, and backed by a conclusive verdict or a confident network.
    fused.put("confidently_wrong", together == Outcome.WRONG && !e.fused().review()
        && (verdict != null || confident));
    return c;
  }

  private static ObjectNode tallyJson(ObjectMapper json, Tally t) {
    ObjectNode n = json.createObjectNode();
    n.put("recordings", t.recordings);
    for (Outcome o : Outcome.values()) {
      n.put(o.name().toLowerCase(Locale.ROOT), t.outcomes[o.ordinal()]);
    }
    n.put("confidently_wrong", t.confidentlyWrong);
    n.put("flagged_for_review", t.review);
    if (t.windows > 0) {
      n.put("windows", t.windows);
      n.put("windows_right", t.windowsRight);
    }
    return n;
  }

  /** The answers a table compares, in {@link Tally} array order. */
  private static final String[] ANSWERS = {"network alone", "fused", "network's most probable class"};

  /**
   * The Markdown table: per protocol and level, the network alone (its recording label, abstaining when calibration
   * or its windows say so), the fused answer, and the network's most probable class (no abstention).
   */
  static String table(Map<String, Tally[]> tallies) {
    StringBuilder s = new StringBuilder();
    s.append("| protocol | level | recordings | answer | right class | right family (class or family) | abstains"
        + " | wrong | confidently wrong | flagged for review |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|\n");
    tallies.forEach((key, t) -> {
      String[] parts = key.split(" \\| ", 2);
      for (int k = 0; k < t.length; k++) {
        Tally a = t[k];
        s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %d | %d | %d | %d | %d | %s |%n",
            k == 0 ? parts[0] : "", k == 0 ? parts[1] : "", a.recordings, ANSWERS[k],
            a.outcomes[Outcome.RIGHT_CLASS.ordinal()], a.rightFamily(), a.outcomes[Outcome.ABSTAINS.ordinal()],
            a.outcomes[Outcome.WRONG.ordinal()], a.confidentlyWrong, k == 1 ? Integer.toString(a.review) : "-"));
      }
    });
    return s.toString();
  }

  /** Noise seed of a recording at a level: the same for every model, different for every recording and level. */
  static long noiseSeed(String recordingId, double snrDb) {
    return 1_000_003L * recordingId.hashCode() + Math.round(snrDb * 10);
  }

  /** The catalogue name of the bearing a data set's first channel measures. */
  static String bearingName(DataSettings data) {
    return switch (data.source()) {
      case cwru -> "cwru-de";
      case synthetic -> "synthetic drivetrain input-shaft bearing";
      case manifest -> throw new IllegalArgumentException("manifest data: name the bearing per recording;"
          + " this measurement covers the CWRU and synthetic sources");
    };
  }

  /** The geometry of that bearing: the CWRU drive end's, or the simulated drivetrain's. */
  static BearingGeometry geometry(DataSettings data) {
    return switch (data.source()) {
      case cwru -> BearingCatalogue.require("cwru-de");
      case synthetic -> (data.synthetic() == null ? DrivetrainConfig.defaults() : data.synthetic().config()).bearing();
      case manifest -> throw new IllegalArgumentException("manifest data: no bearing");
    };
  }

  /** Reads a configuration; unknown keys are errors. */
  static Config read(Path file) throws IOException {
    return CONFIG_JSON.readValue(file.toFile(), Config.class);
  }
}
