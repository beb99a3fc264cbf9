package io.github.drsn.runtime.bench;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.signals.Normalization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speed of the lean runtime (docs/protocol.md, "Speed"): a {@link LeanDiagnoser} on the paper's Table II network
 * (or a given bundle), windows of 2048 random samples, preprocessing (z-score) included. Figures:
 * <ul>
 *   <li>{@code lean_infer_batch1_ms_median/p99}: wall time of one {@code predict(window)} after warm-up;</li>
 *   <li>{@code lean_windows_per_sec}: windows per second with {@code threads} threads (default 2) sharing one
 *       diagnoser, each classifying its own batch of windows for ~2 s;</li>
 *   <li>{@code lean_alloc_bytes_per_window}: bytes the JVM allocated on the measuring thread per
 *       {@code predict} (0 means no allocation in steady state);</li>
 *   <li>{@code lean_startup_ms}: from the start of a fresh JVM (class path: the runtime, signals and
 *       JTransforms jars, and this benchmark's own jar for the probe's main) to its first prediction of the
 *       bundle loaded from disk;</li>
 *   <li>{@code lean_jar_bytes}, {@code signals_jar_bytes}, {@code jtransforms_jar_bytes}: sizes of the
 *       jars the runtime needs (-1 when run from class folders, e.g. in an IDE).</li>
 * </ul>
 * Command line: {@code LeanBenchmark [--model drsn-cw|drsn-cs|resnet|convnet] [--bundle file] [--threads 2]
 * [--json]}; {@code --startup-probe <bundle>} is the fresh JVM's side of the start-up measurement. Weights do
 * not change the cost, so without {@code --bundle} a bundle of random weights is written to a temp file.
 */
public final class LeanBenchmark {

  private LeanBenchmark() {
  }

  /** Measured figures; {@link #toJson()} gives them as one JSON object. */
  public record Result(String model, int threads, double batch1MsMedian, double batch1MsP99, double windowsPerSec,
      double windowsPerCpuSec, double allocBytesPerWindow, long startupMs, long jarBytes, long signalsJarBytes, long jtransformsJarBytes) {

    /** The figures with the keys listed in the class documentation. */
    public String toJson() {
      return String.format(Locale.ROOT, "{\"model\": \"%s\", \"lean_threads\": %d, \"lean_infer_batch1_ms_median\": %.4f, "
          + "\"lean_infer_batch1_ms_p99\": %.4f, \"lean_windows_per_sec\": %.1f, \"lean_windows_per_cpu_sec\": %.1f, "
          + "\"lean_alloc_bytes_per_window\": %.1f, "
          + "\"lean_startup_ms\": %d, \"lean_jar_bytes\": %d, \"signals_jar_bytes\": %d, \"jtransforms_jar_bytes\": %d}",
          model, threads, batch1MsMedian, batch1MsP99, windowsPerSec, windowsPerCpuSec, allocBytesPerWindow, startupMs, jarBytes,
          signalsJarBytes, jtransformsJarBytes);
    }
  }

  /**
   * Runs the benchmark (for the CLI's {@code bench} command).
   *
   * @param model drsn-cw, drsn-cs, resnet or convnet (ignored when {@code bundle} is given)
   * @param bundle a bundle to measure, or null for the paper's network with random weights
   * @param threads threads for the throughput figure
   * @param measureStartup whether to launch a fresh JVM for the start-up figure (-1 otherwise)
   */
  public static Result run(String model, Path bundle, int threads, boolean measureStartup)
      throws IOException, InterruptedException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Path file = bundle;
    Path temp = null;
    if (file == null) {
      temp = Files.createTempDirectory("lean-bench");
      file = temp.resolve(model + ".drsn");
      List<String> classes = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        classes.add("class" + k);
      }
      RandomBundles.write(file, RandomBundles.paperLayout(Architecture.parse(model)), classes,
          new InputSpec(12_000, 2048, 1, Normalization.Z_SCORE, Representation.TIME), 1);
    }
    try {
      long startup = measureStartup ? startupMs(file) : -1;
      LeanDiagnoser diagnoser = LeanDiagnoser.load(file);
      float[][] windows = windows(diagnoser.inputSpec(), 64, 7);
      float[] p = new float[diagnoser.classes().size()];
      for (int i = 0; i < 20_000; i++) {
        diagnoser.predict(windows[i & 63], p);
      }
      int n = 3000;
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        diagnoser.predict(windows[i & 63], p);
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      double alloc = allocatedPerWindow(diagnoser, windows, p);
      double[] throughput = throughput(diagnoser, threads, 2_000);
      return new Result(diagnoser.architecture(), threads, ms[n / 2], ms[(int) (n * 0.99)], throughput[0],
          throughput[1], alloc, startup,
          jarSize(codeSource(LeanDiagnoser.class), "drsn-runtime"), jarSize(codeSource(io.github.drsn.signals.Fft.class),
          "drsn-signals"), jarBytesOf("org.jtransforms.fft.DoubleFFT_1D", "JTransforms"));
    } finally {
      if (temp != null) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(temp);
      }
    }
  }

  static float[][] windows(InputSpec spec, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] w = new float[count][spec.windowSamples()];
    for (float[] window : w) {
      for (int i = 0; i < window.length; i++) {
        window[i] = (float) (0.3 * random.nextGaussian() + 0.5 * Math.sin(0.05 * i));
      }
    }
    return w;
  }

  private static double allocatedPerWindow(LeanDiagnoser diagnoser, float[][] windows, float[] p) {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean)
        || !bean.isThreadAllocatedMemorySupported()) {
      return Double.NaN;
    }
    long id = Thread.currentThread().getId();
    int n = 2000;
    long before = bean.getThreadAllocatedBytes(id);
    for (int i = 0; i < n; i++) {
      diagnoser.predict(windows[i & 63], p);
    }
    return (double) (bean.getThreadAllocatedBytes(id) - before) / n;
  }

  /** {windows per wall second, windows per CPU second of the worker threads}. */
  private static double[] throughput(LeanDiagnoser diagnoser, int threads, long millis) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong cpuNanos = new AtomicLong();
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      float[][] batch = windows(diagnoser.inputSpec(), 64, 100 + t);
      Thread worker = new Thread(() -> {
        float[] p = new float[diagnoser.classes().size()];
        for (int i = 0; i < 5000; i++) {
          diagnoser.predict(batch[i & 63], p);
        }
        ready.countDown();
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long cpu0 = bean.getCurrentThreadCpuTime();
        long count = 0;
        while (System.nanoTime() < deadline) {
          for (float[] w : batch) {
            diagnoser.predict(w, p);
          }
          count += batch.length;
        }
        cpuNanos.addAndGet(bean.getCurrentThreadCpuTime() - cpu0);
        done.addAndGet(count);
      }, "lean-bench-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return new double[] {done.get() / wall, done.get() / (cpuNanos.get() / 1e9)};
  }

  /** Start-up of a fresh JVM to its first prediction, as the JVM itself measures it (from its start time). */
  private static long startupMs(Path bundle) throws IOException, InterruptedException {
    List<String> cp = new ArrayList<>();
    // The runtime's jars, and this class's own (drsn-runtime-examples) for the probe's main: no DL4J, no CLI.
    // The runtime reads bundles through the contract module (io.github.drsn.contract.Bundle): its jar too.
    for (Class<?> c : new Class<?>[] {LeanDiagnoser.class, io.github.drsn.signals.Fft.class, LeanBenchmark.class,
        io.github.drsn.contract.Bundle.class}) {
      cp.add(Path.of(codeSource(c)).toString());
    }
    String jt = codeSourceOf("org.jtransforms.fft.DoubleFFT_1D");
    if (jt != null) {
      cp.add(Path.of(jt).toString());
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long best = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      Process process = new ProcessBuilder(javaBin, "-cp", String.join(java.io.File.pathSeparator, cp),
          LeanBenchmark.class.getName(), "--startup-probe", bundle.toString()).redirectErrorStream(true).start();
      String last = null;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          last = line;
        }
      }
      if (process.waitFor() != 0 || last == null || !last.startsWith("startup_ms ")) {
        throw new IOException("start-up probe failed: " + last);
      }
      best = Math.min(best, Long.parseLong(last.substring("startup_ms ".length()).trim()));
    }
    return best;
  }

  private static String codeSource(Class<?> c) {
    try {
      return c.getProtectionDomain().getCodeSource().getLocation().toURI().getPath();
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot locate the code of " + c, e);
    }
  }

  private static String codeSourceOf(String className) {
    try {
      return codeSource(Class.forName(className));
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static long jarBytesOf(String className, String prefix) throws IOException {
    String where = codeSourceOf(className);
    return where == null ? -1 : jarSize(where, prefix);
  }

  /**
   * Size of the jar at {@code location} if its name starts with {@code prefix} (a fat jar holding everything
   * is not the runtime's jar: -1); for a Maven class folder, the jar Maven built beside it, if any.
   */
  private static long jarSize(String location, String prefix) throws IOException {
    Path p = Path.of(location);
    if (Files.isRegularFile(p)) {
      return p.getFileName().toString().startsWith(prefix) ? Files.size(p) : -1;
    }
    Path target = p.getParent();
    if (target != null && Files.isDirectory(target)) {
      try (var files = Files.list(target)) {
        List<Path> jars = files.filter(f -> f.getFileName().toString().startsWith(prefix)
            && f.getFileName().toString().endsWith(".jar")
            && !f.getFileName().toString().endsWith("-sources.jar") && !f.getFileName().toString().endsWith("-tests.jar"))
            .toList();
        if (jars.size() == 1) {
          return Files.size(jars.get(0));
        }
      }
    }
    return -1;
  }

  /** Command-line entry point; prints one JSON object. */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--startup-probe")) {
      LeanDiagnoser d = LeanDiagnoser.load(Path.of(args[1]));
      float[] p = new float[d.classes().size()];
      d.predict(new float[d.inputSpec().windowSamples()], p);
      long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      System.out.println("startup_ms " + ms);
      return;
    }
    String model = "drsn-cw";
    Path bundle = null;
    int threads = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = args[++i];
        case "--bundle" -> bundle = Path.of(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--json" -> { }
        default -> {
          System.err.println("usage: LeanBenchmark [--model drsn-cw|drsn-cs|resnet|convnet] [--bundle file] "
              + "[--threads 2] [--json]");
          System.exit(2);
        }
      }
    }
    System.out.println(run(model, bundle, threads, true).toJson());
  }
}
