package io.github.drsn.cli.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.io.Json;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus (#15): files and arguments a hostile or careless user gives the command line, generated
 * here (no committed binaries), run through {@code drsn} in a child JVM with the launcher's heap ({@code -Xmx512m}).
 * Every case must end with the expected exit code (1 for bad data, 2 for usage), a message that names the input
 * and the problem, no stack trace, nothing written, and within a bounded time.
 */
class BadInputCorpusTest {

  /** The launcher's heap: memory bombs must fail cleanly within it. */
  private static final String HEAP = "-Xmx512m";
  private static final long CASE_MILLIS = 60_000;

  @TempDir Path dir;

  private record Case(String id, int exitCode, List<String> expected, List<String> args) {
  }

  private final List<Case> cases = new ArrayList<>();

  private void bad(String id, int exitCode, List<String> expected, String... args) {
    cases.add(new Case(id, exitCode, expected, List.of(args)));
  }

  @Test
  void everyBadInputIsACleanErrorNamingIt() throws Exception {
    Path good = dir.resolve("good.drsn");
    Bundle bundle = RandomBundles.random(RandomBundles.paperLayout(Architecture.DRSN_CW), classes(),
        new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 5);
    bundle.write(good);
    recordings(good.toString());
    bundles(good);
    manifests();
    arguments(good.toString());
    runFolders(good);
    assertTrue(cases.size() >= 60, "the corpus has " + cases.size() + " cases");

    Path caseFile = dir.resolve("cases.tsv");
    List<String> lines = new ArrayList<>();
    for (Case c : cases) {
      lines.add(c.id() + "\t" + String.join("\t", c.args()));
    }
    Files.write(caseFile, lines, StandardCharsets.UTF_8);
    Path results = dir.resolve("results.tsv");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
        "-XX:+UseParallelGC", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
        CorpusHarness.class.getName(), caseFile.toString(), results.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    boolean finished = child.waitFor(cases.size() * 20L, TimeUnit.SECONDS);
    if (!finished) {
      child.destroyForcibly();
    }
    assertTrue(finished, "the corpus did not finish in time; child log:\n" + tail(dir.resolve("child.log")));
    assertEquals(0, child.exitValue(), "child JVM died; log:\n" + tail(dir.resolve("child.log")));

    Map<String, String[]> byId = new LinkedHashMap<>();
    for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", -1);
      byId.put(f[0], f);
    }
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      String[] r = byId.get(c.id());
      if (r == null) {
        failures.add(c.id() + ": no result");
        continue;
      }
      int code = Integer.parseInt(r[1]);
      long millis = Long.parseLong(r[2]);
      String err = CorpusHarness.unescape(r[4]);
      List<String> problems = new ArrayList<>();
      if (code != c.exitCode()) {
        problems.add("exit " + code + ", expected " + c.exitCode());
      }
      for (String e : c.expected()) {
        if (!err.contains(e)) {
          problems.add("stderr lacks \"" + e + "\"");
        }
      }
      if (err.contains("\tat ") || err.contains("Exception in thread") || err.contains("ESCAPED")) {
        problems.add("a stack trace");
      }
      if (millis > CASE_MILLIS) {
        problems.add("took " + millis + " ms");
      }
      if (!problems.isEmpty()) {
        failures.add(c.id() + " " + c.args() + ": " + problems + "\n    stderr: " + err.strip());
      }
    }
    try (var written = Files.list(dir.resolve("out"))) {
      List<Path> outputs = written.toList();
      assertEquals(List.of(), outputs, "failing commands wrote output");
    }
    assertEquals(List.of("model.drsn"), List.of(Files.list(dir.resolve("someone")).map(p -> p.getFileName().toString())
        .toArray()), "a refused run leaves someone's folder as it was");
    assertEquals(Files.size(good), Files.size(dir.resolve("someone").resolve("model.drsn")));
    assertEquals("", String.join("\n", failures), failures.size() + " of " + cases.size() + " cases were not clean");
  }

  private static List<String> classes() {
    return List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021");
  }

  // ---- recordings, through predict ----

  private void recordings(String model) throws IOException {
    Path rec = Files.createDirectories(dir.resolve("rec"));
    Files.createDirectories(dir.resolve("out"));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("empty.mat", new byte[0]);
    files.put("short.mat", "MATLAB 5.0 MAT-file".getBytes(StandardCharsets.US_ASCII));
    files.put("text.mat", "hello world, not a MAT-file\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
    files.put("v73.mat", Arrays.copyOf("MATLAB 7.3 MAT-file, Platform: GLNXA64".getBytes(StandardCharsets.US_ASCII), 512));
    files.put("version.mat", concat(matHeader((byte) 0, (byte) 2), matrix(8, 1, 64)));
    files.put("huge.mat", concat(matHeader((byte) 0, (byte) 1), hugeMatrix()));
    files.put("dims.mat", concat(matHeader((byte) 0, (byte) 1), lyingDimensions()));
    files.put("bomb.mat", concat(matHeader((byte) 0, (byte) 1), compressedZeros(300L << 20)));
    files.put("truncated.mat", Arrays.copyOf(concat(matHeader((byte) 0, (byte) 1), matrix(4096, 1, 4096 * 8)), 2000));
    files.put("empty.csv", new byte[0]);
    files.put("header-only.csv", "accel\n".getBytes(StandardCharsets.US_ASCII));
    files.put("ragged.csv", "a,b\n1,2\n3\n".getBytes(StandardCharsets.US_ASCII));
    files.put("words.csv", "a\n1\nbanana\n".getBytes(StandardCharsets.US_ASCII));
    files.put("nan.csv", "a\n1\nNaN\n".getBytes(StandardCharsets.US_ASCII));
    files.put("inf.csv", "a\n1\n-Infinity\n".getBytes(StandardCharsets.US_ASCII));
    files.put("gap.csv", "a\n1\n\n2\n".getBytes(StandardCharsets.US_ASCII));
    files.put("binary.csv", randomBytes(4096, 1));
    files.put("latin1.csv", "a\n1,5\n\u00e9\u00e8\n".getBytes(StandardCharsets.ISO_8859_1));
    files.put("short.csv", "a\n1\n2\n3\n".getBytes(StandardCharsets.US_ASCII));
    files.put("empty.wav", new byte[0]);
    files.put("riff-only.wav", "RIFF".getBytes(StandardCharsets.US_ASCII));
    files.put("not-riff.wav", randomBytes(200, 2));
    files.put("no-data.wav", wavHeaderOnly());
    files.put("data-lie.wav", wavDataLie());
    files.put("unknown.xyz", "1\n2\n".getBytes(StandardCharsets.US_ASCII));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path file = Files.write(rec.resolve(f.getKey()), f.getValue());
      bad("predict-" + f.getKey(), 1, List.of(f.getKey()), "predict", "--model", model, "--rate", "12000",
          file.toString());
    }
    for (String folder : List.of("folder.mat", "folder.csv", "folder.wav")) {
      Path file = Files.createDirectories(rec.resolve(folder));
      bad("predict-" + folder, 1, List.of(folder), "predict", "--model", model, "--rate", "12000", file.toString());
    }
    bad("predict-missing.csv", 1, List.of("missing.csv"), "predict", "--model", model, "--rate", "12000",
        rec.resolve("missing.csv").toString());
    Path text = Files.write(rec.resolve("charonly.mat"), concat(matHeader((byte) 0, (byte) 1), charArray()));
    bad("predict-charonly.mat", 1, List.of("charonly.mat", "no real numeric vector"), "predict", "--model", model,
        "--rate", "12000", text.toString());
  }

  // ---- bundles, through predict and evaluate ----

  private void bundles(Path good) throws IOException {
    Path dirB = Files.createDirectories(dir.resolve("bundles"));
    Path csv = Files.writeString(dir.resolve("rec").resolve("fine.csv"), "a\n" + "0.5\n-0.25\n".repeat(3000));
    byte[] bytes = Files.readAllBytes(good);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("truncated.drsn", Arrays.copyOf(bytes, bytes.length / 2));
    files.put("empty.drsn", new byte[0]);
    files.put("text.drsn", "not a bundle".getBytes(StandardCharsets.US_ASCII));
    files.put("future.drsn", rewrite(good, root -> root.put("format_version", 4L)));
    files.put("units.drsn", rewrite(good, root -> model(root).put("units_per_stage", 200_000L)));
    files.put("channels.drsn", rewrite(good, root -> model(root).put("stage_channels", List.of(4096L, 4096L, 4096L))));
    files.put("classes.drsn", rewrite(good, root -> model(root).put("classes", 2_000_000_000L)));
    files.put("kernel.drsn", rewrite(good, root -> model(root).put("kernel_size", 1L << 30)));
    files.put("arch.drsn", rewrite(good, root -> root.put("architecture", "lenet")));
    files.put("sha.drsn", rewrite(good, root -> params(root).put("sha256", "0".repeat(64))));
    files.put("layout.drsn", rewrite(good, root -> model(root).put("stage_channels", List.of(8L, 8L, 16L))));
    files.put("nan.drsn", nanParameters(good));
    files.put("twice.drsn", duplicateFirstEntry(bytes));
    files.put("bomb.drsn", zip(Bundle.METADATA_ENTRY, new byte[20 << 20]));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path file = Files.write(dirB.resolve(f.getKey()), f.getValue());
      bad("predict-bundle-" + f.getKey(), 1, List.of(f.getKey()), "predict", "--model", file.toString(), "--rate",
          "12000", csv.toString());
    }
    // The calibration section (issue #16): every value is checked, the message names the file and the field.
    Bundle plain = Bundle.read(good);
    Path calibrated = dir.resolve("calibrated-source.drsn");
    plain.withCalibration(RandomBundles.calibration(plain.layout(), 9)).write(calibrated);
    Map<String, Map.Entry<Consumer<Map<String, Object>>, String>> calibrations = new LinkedHashMap<>();
    calibrations.put("cal-t0.drsn", Map.entry(root -> calibration(root).put("temperature", 0.0),
        "calibration.temperature is 0.0"));
    calibrations.put("cal-tnull.drsn", Map.entry(root -> calibration(root).put("temperature", Json.NULL),
        "calibration.temperature must be a number"));
    calibrations.put("cal-rate.drsn", Map.entry(root -> calibration(root).put("false_alarm_rate", 7.0),
        "calibration.false_alarm_rate is 7.0"));
    calibrations.put("cal-method.drsn", Map.entry(root -> calibration(root).put("ood_method", "GUESS"),
        "calibration.ood_method names 'GUESS'"));
    calibrations.put("cal-means.drsn", Map.entry(root -> mahalanobisOf(root).put("class_means", List.of()),
        "calibration.mahalanobis.class_means has 0 entries, expected 10"));
    calibrations.put("cal-features.drsn", Map.entry(root -> mahalanobisOf(root).put("features", 4096L),
        "calibration.mahalanobis.features is 4096, the network pools 16"));
    calibrations.put("cal-precision.drsn", Map.entry(root -> mahalanobisOf(root).put("precision", List.of(List.of(1.0))),
        "calibration.mahalanobis.precision has 1 entries, expected 16"));
    for (var c : calibrations.entrySet()) {
      Path file = Files.write(dirB.resolve(c.getKey()), rewrite(calibrated, c.getValue().getKey()));
      bad("predict-bundle-" + c.getKey(), 1, List.of(c.getKey(), c.getValue().getValue()), "predict", "--model",
          file.toString(), "--rate", "12000", csv.toString());
    }
    bad("calibrate-bad-rate", 2, List.of("--false-alarm 1.5: expected a fraction in (0, 1)"), "calibrate", "--model",
        good.toString(), "--false-alarm", "1.5");
    bad("calibrate-no-settings", 1, List.of("good.drsn", "records no run settings"), "calibrate", "--model",
        good.toString(), "--out", dir.resolve("out").resolve("calibrated.drsn").toString());
    bad("calibrate-bad-method", 2, List.of("--ood-method"), "calibrate", "--model", good.toString(), "--ood-method",
        "vibes");
    Path folder = Files.createDirectories(dirB.resolve("folder.drsn"));
    bad("evaluate-bundle-folder", 1, List.of("folder.drsn"), "evaluate", "--model", folder.toString());
    bad("evaluate-bundle-missing", 1, List.of("missing.drsn"), "evaluate", "--model",
        dirB.resolve("missing.drsn").toString());
    bad("evaluate-bundle-nan", 1, List.of("nan.drsn", "finite"), "evaluate", "--model",
        dirB.resolve("nan.drsn").toString());
  }

  // ---- manifests, through dataset info ----

  private void manifests() throws IOException {
    Path m = Files.createDirectories(dir.resolve("manifests"));
    Files.createDirectories(dir.resolve("secret"));
    Files.writeString(dir.resolve("secret").resolve("creds.csv"), "password\nhunter2\n");
    Files.writeString(m.resolve("r.csv"), "a\n" + "0.5\n-0.25\n".repeat(3000));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("outside.csv", "file,label,samplingRate\n../secret/creds.csv,a,12000\n");
    files.put("absolute.csv", "file,label,samplingRate\n" + dir.resolve("secret").resolve("creds.csv") + ",a,12000\n");
    files.put("twice.csv", "file,label,samplingRate\nr.csv,a,12000\nr.csv,b,12000\n");
    files.put("resample.json", "{\"resampleTo\": 12000000, \"samplingRate\": 12000, \"recordings\": "
        + "[{\"file\": \"r.csv\", \"label\": \"a\"}]}");
    files.put("syntax.json", "{\"recordings\": [" + "x".repeat(3000) + "]}");
    files.put("unknown-field.json", "{\"recordings\": [{\"file\": \"r.csv\", \"label\": \"a\", \"samplingRate\": 12000,"
        + " \"colour\": \"red\"}]}");
    files.put("no-label.json", "{\"recordings\": [{\"file\": \"r.csv\", \"samplingRate\": 12000}]}");
    files.put("no-rate.csv", "file,label\nr.csv,a\n");
    files.put("empty.json", "{\"recordings\": []}");
    files.put("not-object.json", "[1, 2, 3]");
    files.put("missing-file.csv", "file,label,samplingRate\nnope.csv,a,12000\n");
    files.put("bad-rate.csv", "file,label,samplingRate\nr.csv,a,fast\n");
    files.put("manifest.txt", "file,label\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = Files.writeString(m.resolve(f.getKey()), f.getValue());
      // A recording the manifest lists but that is missing is named itself.
      String named = f.getKey().equals("missing-file.csv") ? "nope.csv" : f.getKey();
      bad("dataset-" + f.getKey(), 1, List.of(named), "dataset", "info", "--data", "manifest", "--manifest",
          file.toString());
    }
    bad("dataset-manifest-missing", 1, List.of("absent.json"), "dataset", "info", "--data", "manifest", "--manifest",
        m.resolve("absent.json").toString());
    bad("dataset-cwru-missing-dir", 1, List.of("no-such-dir"), "dataset", "info", "--data", "cwru", "--data-dir",
        dir.resolve("no-such-dir").toString());
  }

  // ---- arguments ----

  private void arguments(String model) {
    String out = dir.resolve("out").resolve("x").toString();
    bad("usage-unknown-command", 2, List.of("frobnicate"), "frobnicate");
    bad("usage-unknown-option", 2, List.of("--colour"), "predict", "--model", model, "--colour", "red", "x.csv");
    bad("usage-predict-no-files", 2, List.of("FILE"), "predict", "--model", model);
    bad("usage-predict-confidence", 2, List.of("minimum confidence"), "predict", "--model", model, "--min-confidence",
        "2", "x.csv");
    bad("usage-evaluate-train-region", 2, List.of("TRAIN"), "evaluate", "--model", model, "--region", "TRAIN");
    bad("usage-evaluate-window", 2, List.of("--window 1024"), "evaluate", "--model", model, "--window", "1024");
    bad("usage-evaluate-snrs", 2, List.of("--snrs"), "evaluate", "--model", model, "--snrs", "loud");
    bad("usage-cwru-without-dir", 2, List.of("--data-dir"), "dataset", "info", "--data", "cwru");
    bad("usage-train-epochs", 2, List.of("--epochs"), "train", "--epochs", "many", "--out", out);
    bad("usage-train-model", 2, List.of("lenet"), "train", "--model", "lenet", "--out", out);
    bad("usage-train-schedule", 2, List.of("wobbly"), "train", "--schedule", "wobbly:1", "--out", out);
    bad("usage-train-units", 2, List.of("units per stage"), "train", "--units", "200000", "--out", out);
    bad("usage-train-channels", 2, List.of("stage channels"), "train", "--channels", "0,4", "--out", out);
    bad("usage-train-batch", 2, List.of("batch"), "train", "--batch", "0", "--out", out);
    bad("train-batch-heap", 1, List.of("batch of 2000000000 windows"), "train", "--batch", "2000000000", "--out",
        out);
    bad("usage-clean-folds", 2, List.of("folds must be at least 2"), "dataset", "clean", "--folds", "1", "--out", out);
    bad("usage-clean-threshold", 2, List.of("(0, 1), got 0.0"), "dataset", "clean", "--threshold", "0", "--out", out);
    bad("usage-clean-flip", 2, List.of("--flip-labels"), "dataset", "clean", "--flip-labels", "-0.1", "--out", out);
    bad("clean-cwru-missing-dir", 1, List.of("no-such-dir"), "dataset", "clean", "--data", "cwru", "--data-dir",
        dir.resolve("no-such-dir").toString(), "--out", out);
  }

  // ---- run folders and experiment configs ----

  private void runFolders(Path good) throws IOException {
    Path someone = Files.createDirectories(dir.resolve("someone"));
    Files.copy(good, someone.resolve("model.drsn"));
    bad("train-over-someones-model", 1, List.of("already holds a model"), "train", "--epochs", "1", "--out",
        someone.toString());
    Path empty = Files.createDirectories(dir.resolve("empty-run"));
    bad("resume-nothing", 1, List.of("empty-run"), "train", "--resume", "--out", empty.toString());
    Path garbage = Files.createDirectories(dir.resolve("garbage-run").resolve("checkpoints"));
    Files.writeString(garbage.getParent().resolve("run.json"), "{\"data\": [1, 2");
    bad("resume-bad-settings", 1, List.of("run.json"), "train", "--resume", "--out", garbage.getParent().toString());
    Path configs = Files.createDirectories(dir.resolve("configs"));
    Files.writeString(configs.resolve("syntax.json"), "{\"name\": \"x\", ");
    Files.writeString(configs.resolve("unknown.json"), "{\"name\": \"x\", \"models\": [{\"name\": \"drsn-cw\"}],"
        + " \"noise\": [{\"type\": \"none\"}], \"seeds\": [1], \"colour\": \"red\"}");
    Files.writeString(configs.resolve("argv.json"), "{\"name\": \"x\", \"data\": [\"--data\", \"cwru\"],"
        + " \"models\": [{\"name\": \"drsn-cw\"}], \"noise\": [{\"type\": \"none\"}], \"seeds\": [1]}");
    for (String name : List.of("syntax.json", "unknown.json", "argv.json")) {
      bad("experiment-" + name, 1, List.of(name), "experiment", "--config", configs.resolve(name).toString(), "--out",
          dir.resolve("out").resolve("grid").toString());
    }
    bad("experiment-missing", 1, List.of("absent.json"), "experiment", "--config",
        configs.resolve("absent.json").toString(), "--out", dir.resolve("out").resolve("grid").toString());
  }

  // ---- file makers ----

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] matHeader(byte versionLow, byte versionHigh) {
    byte[] header = new byte[128];
    Arrays.fill(header, 0, 116, (byte) ' ');
    byte[] text = "MATLAB 5.0 MAT-file, corpus".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, 0, text.length);
    header[124] = versionLow;
    header[125] = versionHigh;
    header[126] = 'I';
    header[127] = 'M';
    return header;
  }

  /** A double column vector "x" of {@code rows} x {@code cols} with {@code dataBytes} bytes of data. */
  private static byte[] matrix(int rows, int cols, int dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(8 + 16 + 16 + 8 + 8 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(14).putInt(16 + 16 + 8 + 8 + dataBytes);
    b.putInt(6).putInt(8).putInt(6).putInt(0);
    b.putInt(5).putInt(8).putInt(rows).putInt(cols);
    b.putInt((1 << 16) | 1).put(new byte[] {'x', 0, 0, 0});
    b.putInt(9).putInt(dataBytes).put(new byte[dataBytes]);
    return b.array();
  }

  private static byte[] hugeMatrix() {
    byte[] m = matrix(16, 1, 128);
    ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(4, Integer.MAX_VALUE);
    return m;
  }

  private static byte[] lyingDimensions() {
    byte[] m = matrix(1 << 14, 1 << 14, 64);
    return m;
  }

  private static byte[] charArray() {
    ByteBuffer b = ByteBuffer.allocate(8 + 16 + 16 + 8 + 8 + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(14).putInt(16 + 16 + 8 + 8 + 16);
    b.putInt(6).putInt(8).putInt(4).putInt(0); // class char
    b.putInt(5).putInt(8).putInt(1).putInt(8);
    b.putInt((1 << 16) | 1).put(new byte[] {'n', 0, 0, 0});
    b.putInt(4).putInt(16); // miUINT16 characters
    for (char c : "abcdefgh".toCharArray()) {
      b.putShort((short) c);
    }
    return b.array();
  }

  private static byte[] compressedZeros(long inflated) throws IOException {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(packed, new Deflater(Deflater.BEST_COMPRESSION))) {
      byte[] zeros = new byte[1 << 20];
      for (long n = 0; n < inflated; n += zeros.length) {
        z.write(zeros);
      }
    }
    byte[] c = packed.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(8 + c.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(15).putInt(c.length).put(c);
    return b.array();
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static byte[] wavHeaderOnly() {
    ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(28).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
    return b.array();
  }

  private static byte[] wavDataLie() {
    ByteBuffer b = ByteBuffer.allocate(44 + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put(wavHeaderOnly());
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(Integer.MAX_VALUE);
    return b.array();
  }

  private static byte[] zip(String name, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private static byte[] duplicateFirstEntry(byte[] zip) {
    int central = 0;
    for (int i = 0; i + 4 <= zip.length; i++) {
      if (zip[i] == 0x50 && zip[i + 1] == 0x4b && zip[i + 2] == 0x01 && zip[i + 3] == 0x02) {
        central = i;
        break;
      }
    }
    return concat(Arrays.copyOfRange(zip, 0, central), zip);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> model(Map<String, Object> root) {
    return (Map<String, Object>) root.get("model");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Map<String, Object> root) {
    return (Map<String, Object>) root.get("parameters");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> calibration(Map<String, Object> root) {
    return (Map<String, Object>) root.get("calibration");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mahalanobisOf(Map<String, Object> root) {
    return (Map<String, Object>) calibration(root).get("mahalanobis");
  }

  private static byte[] rewrite(Path bundle, Consumer<Map<String, Object>> edit) throws IOException {
    return rewriteEntries(bundle, edit, null);
  }

  private static byte[] nanParameters(Path bundle) throws IOException {
    return rewriteEntries(bundle, null, npy -> {
      ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN).putFloat(npy.length - 4, Float.NaN);
    });
  }

  /** The bundle with its metadata edited and/or its parameters changed (the recorded SHA-256 then follows them). */
  private static byte[] rewriteEntries(Path bundle, Consumer<Map<String, Object>> edit, Consumer<byte[]> npyEdit)
      throws IOException {
    byte[] metadata = null;
    byte[] npy = null;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(bundle))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals(Bundle.METADATA_ENTRY)) {
          metadata = in.readAllBytes();
        } else if (e.getName().equals(Bundle.PARAMETERS_ENTRY)) {
          npy = in.readAllBytes();
        }
      }
    }
    Map<String, Object> root = mutable(Json.parse(new String(metadata, StandardCharsets.UTF_8)));
    if (npyEdit != null) {
      npyEdit.accept(npy);
      try {
        params(root).put("sha256", java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(npy)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    if (edit != null) {
      edit.accept(root);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(Bundle.METADATA_ENTRY));
      zip.write(Json.write(root).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(Bundle.PARAMETERS_ENTRY));
      zip.write(npy);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <T> T mutable(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, mutable(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(mutable(v)));
      return (T) copy;
    }
    return (T) value;
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    String text = Files.readString(log);
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }
}
