package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.cli.CliRun;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code predict} answers through the runtime's Diagnoser: what it prints is what a service gets. */
class PredictCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES =
      List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void bundle() throws Exception {
    model = dir.resolve("m.drsn");
    RandomBundles.write(model, RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 3);
  }

  private Path csv(String name, double[] samples) throws Exception {
    StringBuilder text = new StringBuilder("accel\n");
    for (double v : samples) {
      text.append(v).append('\n');
    }
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aSensorSlowerThanTheModelIsNeverClassifiedAndEveryWindowSaysWhy() throws Exception {
    // 6 kHz into a 12 kHz model: the band 3-6 kHz the model was trained with is missing from every window.
    double[] samples = new double[1024 * 4];
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    for (int i = 0; i < samples.length; i++) {
      samples[i] = Math.sin(2 * Math.PI * 157 * i / 6000.0) + 0.3 * random.nextGaussian();
    }
    Path recording = csv("slow.csv", samples);
    CliRun result = CliRun.run("predict", "--model", model.toString(), "--rate", "6000", "--json",
        recording.toString());
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode file = JSON.readTree(result.out()).path("files").get(0);
    assertTrue(file.path("resampled").asBoolean(), file.toString());
    assertTrue(!file.path("outcome").asText().equals("classified"), file.toString());
    assertTrue(file.path("windows").size() >= 3, file.toString());
    for (JsonNode w : file.path("windows")) {
      assertTrue(!w.path("outcome").asText().equals("classified"), w.toString());
      assertEquals("[\"sampling_rate\"]", w.path("health").toString(), w.toString());
      assertTrue(w.path("health_detail").asText().contains("6000"), w.toString());
    }
  }

  @Test
  void aFileUnknownUnderValidationThresholdsPointsToThresholdsOnTheMachineAndNotAfterwards() throws Exception {
    io.github.drsn.contract.Bundle plain = io.github.drsn.contract.Bundle.read(model);
    io.github.drsn.contract.Calibration c = RandomBundles.calibration(plain.layout(), 2);
    // Every threshold far below any score: every window is unknown, so the file is.
    java.util.Map<io.github.drsn.contract.OodMethod, Double> low = new java.util.EnumMap<>(c.thresholds());
    low.replaceAll((m, t) -> -1e12);
    Path strict = dir.resolve("strict.drsn");
    plain.withCalibration(new io.github.drsn.contract.Calibration(c.temperature(), c.method(), low,
        c.falseAlarmRate(), "validation windows", c.windows(), c.eceBefore(), c.eceAfter(), c.nllBefore(),
        c.nllAfter(), c.mahalanobis(), c.layers(), c.background(), c.neighbours())).write(strict);
    double[] samples = new double[2048 * 3];
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int i = 0; i < samples.length; i++) {
      samples[i] = Math.sin(i * 0.05) + 0.5 * random.nextGaussian();
    }
    Path recording = csv("pump.csv", samples);
    CliRun result = CliRun.run("predict", "--model", strict.toString(), "--rate", "12000", recording.toString());
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.err().contains("1 of 1 file(s) unknown to the model, whose thresholds were chosen on its"
        + " validation windows") && result.err().contains("drsn calibrate --model " + strict), result.err());

    Path onSite = dir.resolve("on-site.drsn");
    plain.withCalibration(new io.github.drsn.contract.Calibration(c.temperature(), c.method(), low,
        c.falseAlarmRate(), "thresholds on 3 windows of pump.csv", c.windows(), c.eceBefore(), c.eceAfter(),
        c.nllBefore(), c.nllAfter(), c.mahalanobis(), c.layers(), c.background(), c.neighbours())).write(onSite);
    CliRun again = CliRun.run("predict", "--model", onSite.toString(), "--rate", "12000", recording.toString());
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("unknown"), again.out());
    assertTrue(!again.err().contains("drsn calibrate"), "thresholds already set on this machine: " + again.err());
  }

  @Test
  void anAllZeroRecordingReportsTheDeadSensorInsteadOfAClass() throws Exception {
    Path dead = csv("dead.csv", new double[2048 * 3]);
    CliRun result = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", dead.toString(), "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode file = JSON.readTree(result.out()).path("files").get(0);
    assertEquals("unhealthy_input", file.path("outcome").asText());
    assertEquals("unhealthy input", file.path("diagnosis").asText());
    assertTrue(file.path("candidate").isNull());
    assertEquals(3, file.path("health").path("issues").path("dead_sensor").path("windows").asInt(), file.toString());
    assertEquals(3, file.path("windows").size());
    assertEquals("dead_sensor", file.path("windows").get(0).path("health").get(0).asText());

    CliRun text = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", dead.toString());
    assertTrue(text.out().contains("not diagnosed, unhealthy input"), text.out());
    assertTrue(text.out().contains("dead sensor in 3 of 3 windows"), text.out());
  }

  @Test
  void anOrderDomainModelTakesTheSpeedFromRpmAndRefusesAFileWithoutOne() throws Exception {
    Path orders = dir.resolve("orders.drsn");
    RandomBundles.write(orders, RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME, 512), 3);
    double[] samples = new double[12_000 * 2];
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    for (int i = 0; i < samples.length; i++) {
      samples[i] = Math.sin(2 * Math.PI * 157 * i / 12_000.0) + 0.3 * random.nextGaussian();
    }
    Path file = csv("pump.csv", samples);
    CliRun refused = CliRun.run("predict", "--model", orders.toString(), "--rate", "12000", file.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains(file + ": the model is order domain (512 samples per shaft revolution) and no"
        + " shaft speed is known for this file: give --rpm R, or --estimate-speed"), refused.err());

    CliRun result = CliRun.run("predict", "--model", orders.toString(), "--rate", "12000", "--rpm", "1500",
        file.toString(), "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode node = JSON.readTree(result.out()).path("files").get(0);
    assertEquals(1500, node.path("shaft_rpm").asDouble(), 0);
    assertEquals("--rpm", node.path("shaft_speed_source").asText());
    assertEquals(12_800, node.path("model_rate").asDouble(), 0, "25 Hz x 512 samples per revolution");
    // 2 s at 25 rev/s = 50 revolutions = 25,600 samples: 12 windows of 4 revolutions
    assertEquals(12, node.path("windows").size());
    RecordingDiagnosis expected = LeanDiagnoser.load(orders).diagnose(new double[][] {samples}, 12_000, 25,
        RecordingDiagnosis.Options.DEFAULT);
    assertEquals(expected.confidence(), node.path("confidence").asDouble(), 1e-6);
    CliRun text = CliRun.run("predict", "--model", orders.toString(), "--rate", "12000", "--rpm", "1500",
        file.toString());
    assertTrue(text.out().contains("order domain: 512 samples per revolution at 1500.0 rpm (--rpm)"), text.out());
    // asked to estimate: 1x/2x/3x lines of a 1500 rpm shaft over 5 s (4 Welch averages at 0.5 Hz need 60,000 samples)
    double[] turning = new double[60_000];
    for (int i = 0; i < turning.length; i++) {
      double t = i / 12_000.0;
      turning[i] = Math.sin(2 * Math.PI * 25 * t) + 0.5 * Math.sin(2 * Math.PI * 50 * t)
          + 0.3 * Math.sin(2 * Math.PI * 75 * t) + 0.3 * random.nextGaussian();
    }
    Path shaft = csv("turning.csv", turning);
    CliRun estimated = CliRun.run("predict", "--model", orders.toString(), "--rate", "12000", "--estimate-speed",
        shaft.toString(), "--json");
    assertEquals(0, estimated.exitCode(), estimated.toString());
    JsonNode est = JSON.readTree(estimated.out()).path("files").get(0);
    assertEquals(1500, est.path("shaft_rpm").asDouble(), 3);
    assertTrue(est.path("shaft_speed_source").asText().startsWith("estimated from the spectrum"), est.toString());
    // a model that is not order domain does not ask for a speed
    assertEquals(0, CliRun.run("predict", "--model", model.toString(), "--rate", "12000", file.toString()).exitCode());
  }

  /**
   * An order-domain model's file without a given or recorded speed is refused alike by predict, predict --physics and
   * explain (the runtime's ShaftSpeeds rule), and with --estimate-speed all three take the same estimated speed.
   */
  @Test
  void predictItsPhysicsCheckAndExplainTreatAnOrderDomainFileWithoutASpeedAlike() throws Exception {
    Path orders = dir.resolve("orders.drsn");
    RandomBundles.write(orders, RandomBundles.paperLayout(Architecture.DRSN_CW), CLASSES,
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME, 512), 3);
    // 1x/2x/3x lines of a 1500 rpm shaft over 5 s (4 Welch averages at 0.5 Hz need 60,000 samples)
    double[] turning = new double[60_000];
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    for (int i = 0; i < turning.length; i++) {
      double t = i / 12_000.0;
      turning[i] = Math.sin(2 * Math.PI * 25 * t) + 0.5 * Math.sin(2 * Math.PI * 50 * t)
          + 0.3 * Math.sin(2 * Math.PI * 75 * t) + 0.3 * random.nextGaussian();
    }
    String file = csv("turning.csv", turning).toString();
    String refusal = file + ": the model is order domain (512 samples per shaft revolution) and no shaft speed is"
        + " known for this file: give --rpm R, or --estimate-speed to estimate it from the spectrum";
    List<List<String>> commands = List.of(
        List.of("predict", "--model", orders.toString(), "--rate", "12000", file),
        List.of("predict", "--model", orders.toString(), "--rate", "12000", "--physics", "--bearing", "skf-6205", file),
        List.of("explain", "--model", orders.toString(), "--rate", "12000", "--bearing", "skf-6205", file));
    for (List<String> command : commands) {
      CliRun refused = CliRun.run(command.toArray(String[]::new));
      assertEquals(1, refused.exitCode(), command + ": " + refused);
      assertTrue(refused.err().contains(refusal), command + ": " + refused.err());
    }
    double[] rpm = new double[commands.size()];
    for (int c = 0; c < commands.size(); c++) {
      List<String> command = new java.util.ArrayList<>(commands.get(c));
      command.addAll(List.of("--estimate-speed", "--json"));
      CliRun estimated = CliRun.run(command.toArray(String[]::new));
      assertEquals(0, estimated.exitCode(), command + ": " + estimated);
      JsonNode node = JSON.readTree(estimated.out()).path("files").get(0);
      JsonNode speed = c < 2 ? node.path("shaft_rpm") : node.path("physics").path("rpm");
      String source = (c < 2 ? node.path("shaft_speed_source") : node.path("physics").path("shaft_source")).asText();
      assertTrue(source.startsWith("estimated from the spectrum"), command + ": " + node);
      rpm[c] = speed.asDouble();
    }
    assertEquals(1500, rpm[0], 3);
    assertEquals(rpm[0], rpm[1], 1e-9, "predict --physics takes predict's speed");
    assertEquals(rpm[0], rpm[2], 1e-9, "explain takes predict's speed");
  }

  @Test
  void itsPerFileResultIsTheRuntimesAndSaysWhenItResampled() throws Exception {
    double[] samples = new double[24_000 * 2];
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    for (int i = 0; i < samples.length; i++) {
      samples[i] = Math.sin(2 * Math.PI * 157 * i / 24_000.0) + 0.3 * random.nextGaussian();
    }
    Path file = csv("fast.csv", samples);
    CliRun result = CliRun.run("predict", "--model", model.toString(), "--rate", "24000", file.toString(), "--json",
        "--min-confidence", "0.9");
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode node = JSON.readTree(result.out()).path("files").get(0);
    RecordingDiagnosis expected = LeanDiagnoser.load(model).diagnose(new double[][] {samples}, 24_000,
        new RecordingDiagnosis.Options(0, 0.9, 0.5));
    assertTrue(node.path("resampled").asBoolean());
    assertEquals(expected.outcome().name().toLowerCase(), node.path("outcome").asText());
    assertEquals(expected.label(), node.path("diagnosis").asText());
    assertEquals(CLASSES.get(expected.candidate()), node.path("candidate").asText());
    assertEquals(expected.confidence(), node.path("confidence").asDouble(), 1e-6);
    assertEquals(expected.windows().size(), node.path("windows").size());
    assertTrue(node.path("health").path("healthy").asBoolean());

    CliRun text = CliRun.run("predict", "--model", model.toString(), "--rate", "24000", file.toString());
    assertTrue(text.out().contains("resampled from 24000.0 Hz to the model's 12000.0 Hz"), text.out());
  }

  @Test
  void badThresholdsAreUsageErrors() throws Exception {
    Path file = csv("x.csv", new double[4096]);
    CliRun result = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", file.toString(),
        "--min-confidence", "1.5");
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.err().contains("minimum confidence"), result.err());
  }

  @Test
  void evaluateRefusesTrainingWindowsAndAWindowLengthTheModelDoesNotTake() {
    CliRun train = CliRun.run("evaluate", "--model", model.toString(), "--region", "TRAIN");
    assertEquals(2, train.exitCode(), train.toString());
    assertTrue(train.err().contains("TRAIN windows are what the model was fitted to"), train.err());
    CliRun window = CliRun.run("evaluate", "--model", model.toString(), "--window", "1024");
    assertEquals(2, window.exitCode(), window.toString());
    assertTrue(window.err().contains("takes windows of 2048 samples"), window.err());
  }

  /** A model of two channels (e.g. drive end and fan end) is used by predict: one --channel per input. */
  @Test
  void aTwoChannelModelReadsTheChannelsItIsGiven() throws Exception {
    Path twoChannel = dir.resolve("two.drsn");
    RandomBundles.write(twoChannel, new io.github.drsn.contract.ModelLayout(Architecture.DRSN_CW, 2048, 2,
        new int[] {4, 8, 16}, 4, 3, 2, 10, io.github.drsn.contract.NormKind.BATCH_NORM, 4,
        io.github.drsn.contract.Shortcut.ZERO_PAD), CLASSES,
        new InputSpec(12_000, 2048, 2, Normalization.Z_SCORE, Representation.TIME), 5);
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    int n = 2048 * 3;
    double[][] channels = new double[2][n];
    StringBuilder text = new StringBuilder("time,de,fe\n");
    for (int i = 0; i < n; i++) {
      channels[0][i] = Math.sin(0.05 * i) + 0.2 * random.nextGaussian();
      channels[1][i] = 0.5 * random.nextGaussian();
      text.append(i).append(',').append(channels[0][i]).append(',').append(channels[1][i]).append('\n');
    }
    Path file = Files.writeString(dir.resolve("de-fe.csv"), text);

    CliRun named = CliRun.run("predict", "--model", twoChannel.toString(), "--rate", "12000", "--channel", "de",
        "--channel", "fe", file.toString(), "--json");
    assertEquals(0, named.exitCode(), named.toString());
    JsonNode node = JSON.readTree(named.out()).path("files").get(0);
    RecordingDiagnosis expected = LeanDiagnoser.load(twoChannel).diagnose(channels, 12_000,
        RecordingDiagnosis.Options.DEFAULT);
    assertEquals(expected.label(), node.path("diagnosis").asText(), node.toString());
    assertEquals(expected.windows().size(), node.path("windows").size());
    assertTrue(node.path("signal").asText().contains("de-fe.csv:de") && node.path("signal").asText()
        .contains("de-fe.csv:fe"), node.toString());

    // The sample-number column "time" is no channel: the two others are the model's two, in the file's order.
    CliRun unnamed = CliRun.run("predict", "--model", twoChannel.toString(), "--rate", "12000", file.toString(),
        "--json");
    assertEquals(0, unnamed.exitCode(), unnamed.toString());
    assertEquals(node.path("probabilities"), JSON.readTree(unnamed.out()).path("files").get(0).path("probabilities"));
    // Three signal columns for two inputs: which two is the user's call, and the message says how to make it.
    StringBuilder threeColumns = new StringBuilder("de,fe,x\n");
    for (int i = 0; i < n; i++) {
      threeColumns.append(channels[0][i]).append(',').append(channels[1][i]).append(',').append(i % 7).append('\n');
    }
    Path three = Files.writeString(dir.resolve("three.csv"), threeColumns);
    CliRun refused = CliRun.run("predict", "--model", twoChannel.toString(), "--rate", "12000", three.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("has 3 signal columns and the model takes 2") && refused.err().contains(
        "--channel"), refused.err());
    CliRun tooFew = CliRun.run("predict", "--model", twoChannel.toString(), "--rate", "12000", "--channel", "de",
        file.toString());
    assertEquals(1, tooFew.exitCode(), tooFew.toString());
    assertTrue(tooFew.err().contains("1 channel(s) named [de] for a model that takes 2"), tooFew.err());
  }

  /**
   * A two-channel model that records its channels' names (fan end, then drive end) takes a file's columns by name,
   * whatever their order: before names were recorded, "time,de,fe" was read in the file's order, swapped for this
   * model, without a word. A file without one of the channels is refused naming it, its channels and the model's;
   * --channel overrides the names and the output says how the channels were chosen.
   */
  @Test
  void aModelWithChannelNamesTakesAFilesColumnsByNameAndRefusesAMissingOne() throws Exception {
    Path named = dir.resolve("named.drsn");
    RandomBundles.write(named, new io.github.drsn.contract.ModelLayout(Architecture.DRSN_CW, 2048, 2,
        new int[] {4, 8, 16}, 4, 3, 2, 10, io.github.drsn.contract.NormKind.BATCH_NORM, 4,
        io.github.drsn.contract.Shortcut.ZERO_PAD), CLASSES,
        new InputSpec(12_000, 2048, 2, Normalization.Z_SCORE, Representation.TIME, 0, List.of("fe", "de")), 5);
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    int n = 2048 * 3;
    double[][] channels = new double[2][n];
    StringBuilder text = new StringBuilder("time,de,fe\n");
    StringBuilder onlyDe = new StringBuilder("de,x\n");
    for (int i = 0; i < n; i++) {
      channels[0][i] = Math.sin(0.05 * i) + 0.2 * random.nextGaussian();
      channels[1][i] = 0.5 * random.nextGaussian();
      text.append(i).append(',').append(channels[0][i]).append(',').append(channels[1][i]).append('\n');
      onlyDe.append(channels[0][i]).append(',').append(channels[1][i]).append('\n');
    }
    Path file = Files.writeString(dir.resolve("de-fe.csv"), text);
    LeanDiagnoser diagnoser = LeanDiagnoser.load(named);
    RecordingDiagnosis fileOrder = diagnoser.diagnose(channels, 12_000, RecordingDiagnosis.Options.DEFAULT);
    RecordingDiagnosis modelOrder = diagnoser.diagnose(new double[][] {channels[1], channels[0]}, 12_000,
        RecordingDiagnosis.Options.DEFAULT);
    // The random network answers differently for the swapped inputs: the order matters.
    assertFalse(java.util.Arrays.equals(fileOrder.meanProbabilities(), modelOrder.meanProbabilities()));

    CliRun byName = CliRun.run("predict", "--model", named.toString(), "--rate", "12000", file.toString(), "--json");
    assertEquals(0, byName.exitCode(), byName.toString());
    JsonNode root = JSON.readTree(byName.out());
    assertEquals("[\"fe\",\"de\"]", root.path("channel_names").toString());
    JsonNode node = root.path("files").get(0);
    assertEquals(modelOrder.meanProbabilities()[0], (float) node.path("probabilities").path(CLASSES.get(0))
        .asDouble(), 1e-6, node.toString());
    assertTrue(node.path("signal").asText().startsWith("de-fe.csv:fe"), node.toString());
    assertEquals("by name: fe, de", node.path("channels_chosen").asText());
    CliRun text1 = CliRun.run("predict", "--model", named.toString(), "--rate", "12000", file.toString());
    assertTrue(text1.out().contains("  channels by name: fe, de"), text1.out());

    // The user's choice overrides the names, and the output records it.
    CliRun given = CliRun.run("predict", "--model", named.toString(), "--rate", "12000", "--channel", "de",
        "--channel", "fe", file.toString(), "--json");
    assertEquals(0, given.exitCode(), given.toString());
    JsonNode overridden = JSON.readTree(given.out()).path("files").get(0);
    assertEquals("as --channel gives them (the model was trained on fe, de)",
        overridden.path("channels_chosen").asText());
    assertEquals(fileOrder.meanProbabilities()[0], (float) overridden.path("probabilities").path(CLASSES.get(0))
        .asDouble(), 1e-6, overridden.toString());

    Path missing = Files.writeString(dir.resolve("only-de.csv"), onlyDe);
    CliRun refused = CliRun.run("predict", "--model", named.toString(), "--rate", "12000", missing.toString());
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains(missing + ": the file has channels [de, x] but the model expects [fe, de]"
        + " (in that order), and [fe] is missing") && refused.err().contains("--channel"), refused.err());

    CliRun card = CliRun.run("card", "--model", named.toString(), "--json");
    assertEquals("[\"fe\",\"de\"]", JSON.readTree(card.out()).path("model_details").path("input")
        .path("channel_names").toString());
  }

  /** drsn card prints the model card the bundle carries; a missing bundle is named with exit code 1. */
  @Test
  void cardPrintsTheBundlesModelCard() throws Exception {
    CliRun md = CliRun.run("card", "--model", model.toString());
    assertEquals(0, md.exitCode(), md.toString());
    assertTrue(md.out().startsWith("# Model card: drsn-cw") && md.out().contains("## Known limits"), md.out());
    CliRun json = CliRun.run("card", "--model", model.toString(), "--json");
    assertEquals("drsn-cw", JSON.readTree(json.out()).path("model_details").path("architecture").asText());
    CliRun missing = CliRun.run("card", "--model", dir.resolve("none.drsn").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("none.drsn"), missing.err());
  }

  /**
   * The most common export of acquisition software, a time column beside the signal: the time axis gives the rate
   * and is never diagnosed; what the file does not say is asked for by the option that says it.
   */
  @Test
  void aTimeColumnGivesTheRateAndWhatIsMissingIsAskedForByItsOption() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    double[] accel = new double[2048 * 3];
    StringBuilder text = new StringBuilder("time;accel\n");
    for (int i = 0; i < accel.length; i++) {
      accel[i] = Math.sin(2 * Math.PI * 157 * i / 12_000.0) + 0.3 * random.nextGaussian();
      text.append(String.format(java.util.Locale.ROOT, "%.6f;%.6f%n", i / 12_000.0, accel[i]).replace('.', ','));
    }
    Path file = Files.writeString(dir.resolve("export.csv"), text);
    CliRun run = CliRun.run("predict", "--model", model.toString(), file.toString(), "--json");
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode node = JSON.readTree(run.out()).path("files").get(0);
    assertEquals("export.csv:accel @ 12000.0 Hz (rate from the time axis time)", node.path("signal").asText());
    assertEquals(12_000.0, node.path("sampling_rate").asDouble());
    for (int i = 0; i < accel.length; i++) {
      accel[i] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6f", accel[i]));
    }
    RecordingDiagnosis expected = LeanDiagnoser.load(model).diagnose(new double[][] {accel}, 12_000,
        RecordingDiagnosis.Options.DEFAULT);
    assertEquals(expected.label(), node.path("diagnosis").asText());
    assertEquals(expected.confidence(), node.path("confidence").asDouble(), 1e-6);

    Path bare = csv("bare.csv", accel);
    CliRun noRate = CliRun.run("predict", "--model", model.toString(), bare.toString());
    assertEquals(1, noRate.exitCode(), noRate.toString());
    assertTrue(noRate.err().contains(bare + ": a CSV file without a time column does not say its sampling rate; give"
        + " the rate it was sampled at (--rate HZ)"), noRate.err());
    CliRun wrongRate = CliRun.run("predict", "--model", model.toString(), "--rate", "25600", file.toString());
    assertEquals(1, wrongRate.exitCode(), wrongRate.toString());
    // Six decimals: the span is 0.511917 s over 6,143 steps, 83.3334 µs a step.
    assertTrue(wrongRate.err().contains(file + ": the rate 25600 Hz given disagrees with column time, which rises by"
        + " 0.0000833334 a row: 12000 Hz if in seconds, 12000000 Hz if in milliseconds; expected the rate the file was"
        + " sampled at"), wrongRate.err());
    // A conflict, not a missing rate: the --rate given is not asked for again.
    assertFalse(wrongRate.err().contains("(--rate HZ)"), wrongRate.err());

    Path pair = Files.writeString(dir.resolve("xy.csv"), "x,y\n" + "0.5,-0.25\n-0.25,0.5\n".repeat(2048));
    CliRun which = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", pair.toString());
    assertEquals(1, which.exitCode(), which.toString());
    assertTrue(which.err().contains(pair + ": has 2 signal columns [x (1), y (2)]; choose one by name or 1-based"
        + " position (--channel)"), which.err());

    CliRun folder = CliRun.run("predict", "--model", model.toString(), "--rate", "12000", dir.toString());
    assertEquals(1, folder.exitCode(), folder.toString());
    assertTrue(folder.err().contains(dir + ": is a directory; expected a MAT, CSV or WAV file"), folder.err());
  }
}
