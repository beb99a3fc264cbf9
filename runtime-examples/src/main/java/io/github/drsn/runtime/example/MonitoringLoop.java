package io.github.drsn.runtime.example;

import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.contract.Representation;
import io.github.drsn.runtime.StreamingDiagnoser;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.signals.Normalization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A service-like loop: reads a recording (WAV or CSV), feeds it to a {@link StreamingDiagnoser} in chunks as
 * a sensor would deliver them, and logs one line per diagnosis, then a summary.
 *
 * <pre>
 * MonitoringLoop --bundle model.drsn --input recording.wav [--rate Hz] [--column 0] [--chunk 1024]
 *                [--hop 2048] [--smoothing 3] [--min-confidence 0.6] [--realtime]
 * MonitoringLoop --demo      (a random-weights bundle and a synthetic 48 kHz recording: shows the loop, not a diagnosis)
 * </pre>
 * WAV: PCM 8/16/24/32-bit integer or 32/64-bit float, the rate from its header, channel {@code --column}. CSV:
 * one sample per row in column {@code --column} (comma, semicolon, tab or space separated; non-numeric rows
 * such as a header are skipped), the rate from {@code --rate}. {@code --realtime} sleeps each chunk's duration,
 * as a live sensor would pace the loop. Exit code 0, 1 on a read error, 2 on a usage error.
 */
public final class MonitoringLoop {

  private MonitoringLoop() {
  }

  /** A recording read from a file: samples of one channel and the sampling rate. */
  public record Recording(float[] samples, double samplingRate) {
  }

  /** Entry point; see the class documentation. */
  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the loop with output to {@code out}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Path bundle = null;
    Path input = null;
    double rate = Double.NaN;
    int column = 0;
    int chunk = 1024;
    int hop = -1;
    int smoothing = 3;
    double minConfidence = 0.6;
    boolean realtime = false;
    boolean demo = false;
    Path demoDir = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bundle" -> bundle = Path.of(args[++i]);
          case "--input" -> input = Path.of(args[++i]);
          case "--rate" -> rate = Double.parseDouble(args[++i]);
          case "--column" -> column = Integer.parseInt(args[++i]);
          case "--chunk" -> chunk = Integer.parseInt(args[++i]);
          case "--hop" -> hop = Integer.parseInt(args[++i]);
          case "--smoothing" -> smoothing = Integer.parseInt(args[++i]);
          case "--min-confidence" -> minConfidence = Double.parseDouble(args[++i]);
          case "--realtime" -> realtime = true;
          case "--demo" -> demo = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (demo) {
        Path dir = Files.createTempDirectory("drsn-demo");
        demoDir = dir;
        bundle = dir.resolve("demo.drsn");
        RandomBundles.write(bundle, RandomBundles.paperLayout(Architecture.DRSN_CW),
            List.of("normal", "IR007", "B007", "OR007", "IR014", "B014", "OR014", "IR021", "B021", "OR021"),
            new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 1);
        input = dir.resolve("demo.csv");
        writeDemoRecording(input);
        rate = 48_000;
        err.println("demo: random weights (" + bundle + ") and a synthetic recording (" + input
            + "); the labels mean nothing, the loop is what is shown");
      }
      if (bundle == null || input == null || chunk < 1) {
        throw new IllegalArgumentException("--bundle and --input are required (or --demo); --chunk must be >= 1");
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      err.println("usage error: " + e.getMessage());
      err.println("usage: MonitoringLoop --bundle model.drsn --input recording.wav|.csv [--rate Hz] [--column 0] "
          + "[--chunk 1024] [--hop 2048] [--smoothing 3] [--min-confidence 0.6] [--realtime] | --demo");
      return 2;
    }
    try {
      return loop(bundle, input, rate, column, chunk, hop, smoothing, minConfidence, realtime, out, err);
    } finally {
      if (demoDir != null) {
        Files.deleteIfExists(bundle);
        Files.deleteIfExists(input);
        Files.deleteIfExists(demoDir);
      }
    }
  }

  private static int loop(Path bundle, Path input, double rate, int column, int chunk, int hop, int smoothing,
      double minConfidence, boolean realtime, PrintStream out, PrintStream err) throws InterruptedException {
    LeanDiagnoser diagnoser;
    Recording recording;
    try {
      long t0 = System.nanoTime();
      diagnoser = LeanDiagnoser.load(bundle);
      err.printf(Locale.ROOT, "loaded %s (%s, %d classes, %d samples at %.0f Hz) in %.1f ms%n", bundle,
          diagnoser.architecture(), diagnoser.classes().size(), diagnoser.inputSpec().windowLength(),
          diagnoser.inputSpec().samplingRate(), (System.nanoTime() - t0) / 1e6);
      if (diagnoser.inputSpec().namedChannels()) {
        // The sensor the model was trained on: --column must be that sensor's channel (this loop reads one).
        err.println("the model was trained on channel(s) " + diagnoser.inputSpec().channelNames()
            + "; --column " + column + " must be that sensor");
      }
      recording = read(input, rate, column);
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    StreamingDiagnoser stream = new StreamingDiagnoser(diagnoser, new StreamingDiagnoser.Config(
        recording.samplingRate(), hop > 0 ? hop : diagnoser.inputSpec().windowLength(), smoothing, minConfidence));
    Map<String, Integer> counts = new TreeMap<>();
    float[] x = recording.samples();
    for (int at = 0; at < x.length; at += chunk) {
      int n = Math.min(chunk, x.length - at);
      for (StreamingDiagnoser.Result r : stream.feed(x, at, n)) {
        Diagnosis d = r.diagnosis();
        String what = switch (d.outcome()) {
          case CLASSIFIED -> String.format(Locale.ROOT, "%s (p=%.3f)", d.label(), d.confidence());
          case UNCERTAIN -> String.format(Locale.ROOT, "uncertain (best %s, p=%.3f)",
              diagnoser.classes().get(d.labelIndex()), d.confidence());
          case UNHEALTHY_INPUT -> "unhealthy input " + d.health().issues() + ": " + d.health().detail();
          case UNKNOWN -> String.format(Locale.ROOT, "unknown (OOD score %.3g, best %s)", d.oodScore(),
              diagnoser.classes().get(d.labelIndex()));
        };
        out.printf(Locale.ROOT, "t=%8.3f s  window %5d  %s%n", r.startSeconds(), r.window(), what);
        counts.merge(d.outcome() == Diagnosis.Outcome.CLASSIFIED ? d.label() : d.outcome().name().toLowerCase(Locale.ROOT),
            1, Integer::sum);
      }
      if (realtime) {
        Thread.sleep((long) (1000.0 * n / recording.samplingRate()));
      }
    }
    out.println("summary: " + counts);
    return 0;
  }

  /** Reads one channel of a WAV or CSV file (by extension). */
  public static Recording read(Path file, double csvRate, int column) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".wav")) {
      return readWav(file, column);
    }
    if (!(csvRate > 0) || Double.isInfinite(csvRate)) {
      throw new IllegalArgumentException("a CSV recording needs --rate (the sensor's sampling rate in Hz)");
    }
    List<String> lines = Files.readAllLines(file);
    float[] x = new float[lines.size()];
    int n = 0;
    for (String line : lines) {
      String[] fields = line.trim().split("[,;\\t ]+");
      if (fields.length <= column || fields[column].isEmpty()) {
        continue;
      }
      try {
        float v = Float.parseFloat(fields[column]);
        x[n++] = v;
      } catch (NumberFormatException e) {
        // A header or comment row.
      }
    }
    if (n == 0) {
      throw new IOException(file + ": no numeric values in column " + column);
    }
    return new Recording(java.util.Arrays.copyOf(x, n), csvRate);
  }

  /** RIFF/WAVE (PCM integer or IEEE float, WAVE_FORMAT_EXTENSIBLE included), one channel as floats. */
  static Recording readWav(Path file, int channel) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IOException(file + ": not a RIFF/WAVE file");
    }
    int pos = 12;
    int format = -1;
    int channels = 0;
    double rate = 0;
    int bits = 0;
    while (pos + 8 <= b.limit()) {
      int id = b.getInt(pos);
      int size = b.getInt(pos + 4);
      int body = pos + 8;
      if (size < 0 || body + size > b.limit()) {
        size = b.limit() - body;
      }
      if (id == 0x20746d66) {
        format = b.getShort(body) & 0xffff;
        channels = b.getShort(body + 2) & 0xffff;
        rate = b.getInt(body + 4) & 0xffffffffL;
        bits = b.getShort(body + 14) & 0xffff;
        if (format == 0xfffe && size >= 26) {
          format = b.getShort(body + 24) & 0xffff;
        }
      } else if (id == 0x61746164) {
        if (format < 0) {
          throw new IOException(file + ": data chunk before the fmt chunk");
        }
        if (channel >= channels) {
          throw new IOException(file + ": channel " + channel + " requested, the file has " + channels);
        }
        int bytes = bits / 8;
        int frames = size / (bytes * channels);
        float[] x = new float[frames];
        for (int f = 0; f < frames; f++) {
          int at = body + (f * channels + channel) * bytes;
          x[f] = sample(b, at, format, bits, file);
        }
        return new Recording(x, rate);
      }
      pos = body + size + (size & 1);
    }
    throw new IOException(file + ": no data chunk (truncated file?)");
  }

  private static float sample(ByteBuffer b, int at, int format, int bits, Path file) throws IOException {
    if (format == 3 && bits == 32) {
      return b.getFloat(at);
    }
    if (format == 3 && bits == 64) {
      return (float) b.getDouble(at);
    }
    if (format != 1) {
      throw new IOException(file + ": WAV format " + format + " with " + bits + " bits is not supported");
    }
    return switch (bits) {
      case 8 -> ((b.get(at) & 0xff) - 128) / 128f;
      case 16 -> b.getShort(at) / 32768f;
      case 24 -> (((b.get(at) & 0xff) | ((b.get(at + 1) & 0xff) << 8) | (b.get(at + 2) << 16))) / 8388608f;
      case 32 -> b.getInt(at) / 2147483648f;
      default -> throw new IOException(file + ": " + bits + "-bit PCM is not supported");
    };
  }

  private static void writeDemoRecording(Path file) throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    List<String> lines = new ArrayList<>();
    lines.add("acceleration_g");
    double rate = 48_000;
    for (int i = 0; i < 3 * 48_000; i++) {
      double t = i / rate;
      double impacts = Math.exp(-((t * 105) % 1) * 40) * Math.sin(2 * Math.PI * 3_000 * t);
      lines.add(String.format(Locale.ROOT, "%.6f", 0.2 * Math.sin(2 * Math.PI * 29.95 * t) + 0.5 * impacts
          + 0.1 * random.nextGaussian()));
    }
    Files.write(file, lines);
  }
}
