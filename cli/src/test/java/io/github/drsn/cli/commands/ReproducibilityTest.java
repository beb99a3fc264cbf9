package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.cli.CliRun;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.experiments.TrainingJob;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The promise of docs/protocol.md: a seed fixes splits, initialisation, noise and shuffling, so the same seed trains
 * the same network bit for bit and reports the same figures, and a run stopped and resumed from its checkpoint ends
 * where one uninterrupted run does. Parameters are compared bit for bit (INDArray.equals allows 1e-5), reports in
 * everything but the times they record.
 */
@Tag("slow")
class ReproducibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@link CommandsTest#TINY} without its constant schedule: each test names the schedule it trains with. */
  private static final List<String> TINY = List.of("--window", "256", "--train-stride", "256", "--channels", "4,8",
      "--units", "1", "--batch", "32", "--batches-per-epoch", "4", "--snr", "0");

  /**
   * The synthetic drivetrain at one speed and one load (8 recordings instead of 72): the command line has no option
   * for it, so the runs are started through {@link TrainingJob}, as {@code drsn train} starts them, and resumed with
   * {@code drsn train --resume}, which reads these settings back from the run's run.json.
   */
  private static final String SMALL_DRIVETRAIN =
      "{\"data\": {\"synthetic\": {\"speeds_rpm\": [1500], \"loads\": [0.6]}}}";

  /** The settings {@code drsn train} makes of {@code options} (after {@link #TINY}), on the small drivetrain. */
  private static RunSettings settings(String... options) throws Exception {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs(with(TINY, options).toArray(String[]::new));
    return command.settings().with(JSON.readTree(SMALL_DRIVETRAIN));
  }

  private static void train(RunSettings settings, Path out) throws Exception {
    TrainingJob.Result result = TrainingJob.run(settings, out, false, null, null);
    assertFalse(result.interrupted());
  }

  private static CliRun resume(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--resume"));
    args.addAll(Arrays.asList(more));
    args.addAll(List.of("--out", out.toString()));
    CliRun run = CliRun.run(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    return run;
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(Arrays.asList(more));
    return all;
  }

  /** The bundle's network parameters, exactly as stored. */
  private static float[] parameters(Path run) throws Exception {
    return ModelBundle.read(run.resolve("model.drsn")).network().params().dup().data().asFloat();
  }

  /** report.json without what differs between two identical runs: wall times. */
  private static JsonNode report(Path run) throws Exception {
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    stripTimes(report);
    return report;
  }

  private static void stripTimes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        if (key.contains("seconds") || key.contains("time") || key.startsWith("created") || key.endsWith("_at")
            || key.equals("date")) {
          it.remove();
        } else {
          stripTimes(e.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(ReproducibilityTest::stripTimes);
    }
  }

  /** The JSON paths at which {@code a} and {@code b} differ, with both values: what a failure shows. */
  static List<String> differences(String path, JsonNode a, JsonNode b) {
    List<String> found = new ArrayList<>();
    if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
      found.add(path + ": " + a + " vs " + b);
    } else if (a.isObject()) {
      java.util.Set<String> keys = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        found.addAll(differences(path + "." + k, a.get(k), b.get(k)));
      }
    } else if (a.isArray()) {
      if (a.size() != b.size()) {
        found.add(path + ": " + a.size() + " vs " + b.size() + " elements");
      } else {
        for (int i = 0; i < a.size(); i++) {
          found.addAll(differences(path + "[" + i + "]", a.get(i), b.get(i)));
        }
      }
    } else if (!a.equals(b)) {
      found.add(path + ": " + a + " vs " + b);
    }
    return found;
  }

  /** Largest absolute difference of two parameter vectors, for failure messages. */
  private static String gap(float[] a, float[] b) {
    double max = 0;
    int differing = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
        differing++;
      }
      max = Math.max(max, d);
    }
    return differing + " of " + a.length + " parameters differ, by at most " + max;
  }

  private static void assertSameRun(Path a, Path b) throws Exception {
    float[] pa = parameters(a);
    float[] pb = parameters(b);
    JsonNode ra = report(a);
    JsonNode rb = report(b);
    List<String> diff = differences("report", ra, rb);
    assertTrue(Arrays.equals(pa, pb), gap(pa, pb) + "; the reports differ at " + diff.size() + " places: "
        + String.join("\n", diff.subList(0, Math.min(40, diff.size()))));
    assertEquals(List.of(), diff, "the reports differ");
    assertEquals(ra.path("metrics").path("test").path("accuracy").asDouble(),
        rb.path("metrics").path("test").path("accuracy").asDouble(), 0.0);
    assertEquals(ra.path("metrics").path("test").path("confusion"), rb.path("metrics").path("test").path("confusion"));
  }

  /** Property 1 and 2: the same seed twice gives the same network and report; another seed another network. */
  @Test
  void theSameSeedTrainsTheSameNetworkBitForBitAndAnotherSeedAnotherOne(@TempDir Path dir) throws Exception {
    RunSettings five = settings("--epochs", "2", "--schedule", "step:0.05@0,0.01@1", "--seed", "5");
    train(five, dir.resolve("a"));
    train(five, dir.resolve("b"));
    assertSameRun(dir.resolve("a"), dir.resolve("b"));
    assertTrue(report(dir.resolve("a")).path("metrics").path("test").path("confusion").size() > 0);

    train(settings("--epochs", "2", "--schedule", "step:0.05@0,0.01@1", "--seed", "6"), dir.resolve("c"));
    float[] p5 = parameters(dir.resolve("a"));
    float[] p6 = parameters(dir.resolve("c"));
    assertEquals(p5.length, p6.length);
    assertFalse(Arrays.equals(p5, p6), "seeds 5 and 6 trained the same parameters");
    assertFalse(differences("report", report(dir.resolve("a")), report(dir.resolve("c"))).isEmpty());
  }

  /**
   * Property 3 through the command line, with a schedule whose rate changes within the run (the position in the
   * schedule must be restored, not just the weights): 4 epochs straight, or 1 epoch and then {@code --resume
   * --epochs 4}.
   */
  @Test
  void stoppingAfterAnEpochAndResumingWithMoreEpochsEndsWhereOneRunDoes(@TempDir Path dir) throws Exception {
    String schedule = "step:0.05@0,0.02@2,0.005@3";
    train(settings("--schedule", schedule, "--seed", "3", "--epochs", "4"), dir.resolve("straight"));
    train(settings("--schedule", schedule, "--seed", "3", "--epochs", "1"), dir.resolve("staged"));
    CliRun resumed = resume(dir.resolve("staged"), "--epochs", "4");
    assertTrue(resumed.err().contains("resuming after epoch 1 of 4"), resumed.err());
    assertSameRun(dir.resolve("straight"), dir.resolve("staged"));
  }

  /**
   * Property 3 with the default schedule (no {@code --schedule}: the paper's steps at 40 % and 80 % of the run's
   * epochs). A run of 2 epochs extended with {@code --resume --epochs 5} cannot end where a 5-epoch run on the default
   * schedule does: its second epoch already ran at 0.01, the 2-epoch plan. It keeps the schedule it was started with
   * (recomputing it for 5 epochs recorded a schedule the run had not followed) and ends where a 5-epoch run on that
   * schedule, written out, does; the command says so.
   */
  @Test
  void extendingARunOnTheDefaultScheduleKeepsTheScheduleItWasStartedWith(@TempDir Path dir) throws Exception {
    String started = io.github.drsn.model.schedule.StepDecaySchedule.paperSteps(2).epochStepText();
    assertEquals("step:0.1@0,0.01@1,0.001@2", started);
    train(settings("--schedule", started, "--seed", "3", "--epochs", "5"), dir.resolve("straight"));
    train(settings("--seed", "3", "--epochs", "2"), dir.resolve("staged"));
    CliRun resumed = resume(dir.resolve("staged"), "--epochs", "5");
    assertTrue(resumed.err().contains("the run keeps the schedule it was started with, the paper's steps over its 2"
        + " epochs (step:0.1@0,0.01@1,0.001@2)"), resumed.err());
    assertSameRun(dir.resolve("straight"), dir.resolve("staged"));
  }

  /**
   * Property 3 as a Ctrl-C does it: the run stops inside its third epoch (after the checkpoint of the second), and
   * {@code train --resume} with the same settings ends where an uninterrupted run does. The schedule is a
   * triangular cycle counted in iterations, so the restored iteration count matters within every epoch; the
   * windows are drawn in shuffled passes, with an SNR drawn per use from a range and augmented, so every draw of
   * the seeded stream matters too.
   */
  @Test
  void aRunInterruptedInsideAnEpochAndResumedEndsWhereOneRunDoes(@TempDir Path dir) throws Exception {
    RunSettings settings = settings("--epochs", "4", "--seed", "9", "--schedule",
        "triangular:base=0.005,max=0.05,step=3", "--sampling", "SHUFFLED", "--snr-max", "6", "--augment",
        "rate=0.05,polarity");
    Path straight = dir.resolve("straight");
    train(settings, straight);

    Path staged = dir.resolve("staged");
    assertEquals(2, interrupted(settings, staged, 2, 1).outcome().training().history().size());
    CliRun resumed = resume(staged);
    assertTrue(resumed.err().contains("resuming after epoch 2 of 4"), resumed.err());
    assertSameRun(straight, staged);
  }

  /** Stops the run after minibatch {@code batch} of epoch {@code epoch} (both from 0), as a Ctrl-C would. */
  private static TrainingJob.Result interrupted(RunSettings settings, Path out, int epoch, int batch)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onBatch(int e, int b, int batchesInEpoch, double loss) {
        if (e == epoch && b == batch) {
          stop.set(true);
        }
      }
    };
    TrainingJob.Result result = TrainingJob.run(settings, out, false, listener, stop::get);
    assertTrue(result.interrupted());
    return result;
  }

  /** Property 1 with the recipes that draw at random inside the network: dropout and spatial dropout. */
  @Test
  void theSameSeedTrainsTheSameNetworkWithDropout(@TempDir Path dir) throws Exception {
    RunSettings settings = settings("--epochs", "2", "--schedule", "step:0.05@0", "--seed", "4", "--dropout", "0.3",
        "--spatial-dropout", "0.2");
    train(settings, dir.resolve("a"));
    train(settings, dir.resolve("b"));
    assertSameRun(dir.resolve("a"), dir.resolve("b"));
  }

  /** Property 3 with dropout and spatial dropout: their masks must continue as in one uninterrupted run. */
  @Test
  void aRunWithDropoutInterruptedAndResumedEndsWhereOneRunDoes(@TempDir Path dir) throws Exception {
    RunSettings settings = settings("--epochs", "3", "--schedule", "step:0.05@0", "--seed", "4", "--dropout", "0.3",
        "--spatial-dropout", "0.2");
    train(settings, dir.resolve("straight"));
    assertEquals(1, interrupted(settings, dir.resolve("staged"), 1, 1).outcome().training().history().size());
    assertTrue(resume(dir.resolve("staged")).err().contains("resuming after epoch 1 of 3"));
    assertSameRun(dir.resolve("straight"), dir.resolve("staged"));
  }
}
