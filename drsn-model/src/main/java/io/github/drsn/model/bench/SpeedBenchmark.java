package io.github.drsn.model.bench;

import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.model.layers.impl.DrsnRuntimeLayer;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.signals.Normalization;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.NativeBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Speed benchmark of the paper's networks (docs/protocol.md, "Speed"; Table II sizes, 10 classes), on
 * random data of the right shape (the data pipeline is measured separately). Result keys:
 * <ul>
 *   <li>{@code startup_ms}: a fresh JVM ({@link StartupProbe}, -Xmx512m) that loads the saved model
 *       and makes one prediction, timed from spawn to exit;</li>
 *   <li>{@code kernels}: the custom layers' implementation that ran (java or nd4j); {@code nd4j_backend}: ND4J's
 *       backend class (CpuBackend, JCublasBackend);</li>
 *   <li>{@code train_windows_per_sec}: windows/s over one epoch of {@code batches} batches of 128
 *       ({@code fit(DataSet)} per batch) after one warm-up epoch; {@code train_windows_per_cpu_sec}:
 *       the same per second of process CPU time (robust to other load on the machine);</li>
 *   <li>{@code infer_batch1_ms_median/p99}, {@code infer_batch64_ms_median}: wall time of
 *       {@code MultiLayerNetwork.output(x)} after warm-up;</li>
 *   <li>{@code rss_peak_mb}, {@code train_rss_peak_mb}: VmHWM of the process at the end and after training.</li>
 * </ul>
 * Command line: {@code SpeedBenchmark [--model drsn-cw|drsn-cs|resnet|convnet] [--threads N]
 * [--kernels java|nd4j|auto] [--batches 47] [--json] [--profile]}; {@code --kernels} chooses the custom layers'
 * implementation ({@link KernelChoice}; default: the process-wide choice, AUTO unless set); {@code --profile} prints,
 * to stderr, the share of each phase of a training step ({@link TrainingProfile}, an extra epoch after the timed
 * one) or, for the ND4J-op kernels, ND4J's op profiler dashboard (op counts and times over five iterations). {@code --threads N} sets the DRSN layers'
 * compute threads ({@link NativeBackend#computeThreads()}). {@link #main} applies ND4J's process-wide settings
 * ({@link NativeBackend#configure()}); callers of {@link #run} apply them at their own entry point.
 */
public final class SpeedBenchmark {

  private SpeedBenchmark() {
  }

  /** Measured figures; {@link #toJson()} gives the benchmark's JSON object. */
  public record Result(String model, int threads, String kernels, String backend, double trainWindowsPerSec,
      double trainWindowsPerCpuSec,
      double inferBatch1MsMedian, double inferBatch1MsP99, double inferBatch64MsMedian, long startupMs,
      double rssPeakMb, double trainRssPeakMb, long params) {

    /** One JSON object with the keys listed in the class documentation. */
    public String toJson() {
      return String.format(Locale.ROOT, "{\"model\": \"%s\", \"threads\": %d, \"kernels\": \"%s\", "
          + "\"nd4j_backend\": \"%s\", \"train_windows_per_sec\": %.1f, "
          + "\"train_windows_per_cpu_sec\": %.1f, \"infer_batch1_ms_median\": %.3f, \"infer_batch1_ms_p99\": %.3f, "
          + "\"infer_batch64_ms_median\": %.3f, \"infer_batch64_windows_per_sec\": %.1f, \"startup_ms\": %d, "
          + "\"rss_peak_mb\": %.1f, \"train_rss_peak_mb\": %.1f, \"params\": %d}",
          model, threads, kernels, backend, trainWindowsPerSec, trainWindowsPerCpuSec, inferBatch1MsMedian,
          inferBatch1MsP99,
          inferBatch64MsMedian, 64 / (inferBatch64MsMedian / 1000), startupMs, rssPeakMb, trainRssPeakMb, params);
    }
  }

  /** Command-line entry point; prints one JSON object (one key per line without {@code --json}). */
  public static void main(String[] args) throws IOException {
    NativeBackend.configure();
    Architecture arch = Architecture.DRSN_CW;
    int threads = 0;
    int batches = 47;
    boolean json = false;
    boolean profile = false;
    KernelChoice kernels = KernelChoice.selected();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> arch = architecture(value(args, ++i));
        case "--threads" -> threads = Integer.parseInt(value(args, ++i));
        case "--kernels" -> kernels = KernelChoice.parse(value(args, ++i));
        case "--batches" -> batches = Integer.parseInt(value(args, ++i));
        case "--json" -> json = true;
        case "--profile" -> profile = true;
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]
            + "; usage: [--model drsn-cw|drsn-cs|resnet|convnet] [--threads N] [--kernels java|nd4j|auto] [--batches N]"
            + " [--json] [--profile]");
      }
    }
    String out = run(arch, threads, batches, kernels, profile ? System.err : null).toJson();
    System.out.println(json ? out : out.replace(", ", ",\n  "));
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  /** The architecture for a CLI model name: drsn-cw, drsn-cs, resnet or convnet. */
  public static Architecture architecture(String name) {
    return Architecture.parse(name);
  }

  /**
   * Runs the benchmark for the paper's {@code architecture} (Table II, 10 classes).
   *
   * @param threads   compute threads of the DRSN layers (0: {@link NativeBackend#computeThreads()}'s default)
   * @param batches   batches of 128 per timed epoch (47 in the reference protocol)
   * @param profileTo where to print the training profile ({@link TrainingProfile}; ND4J's op dashboard for the
   *                  ND4J-op kernels), or null for none
   */
  public static Result run(Architecture architecture, int threads, int batches, PrintStream profileTo)
      throws IOException {
    return run(architecture, threads, batches, KernelChoice.selected(), profileTo);
  }

  /**
   * As {@link #run(Architecture, int, int, PrintStream)}, with the custom layers' implementation {@code kernels}
   * (selected process-wide, {@link KernelChoice#select}, and passed to the start-up probe's JVM); the result's
   * {@code kernels} names the implementations the benchmarked network's layers actually ran.
   */
  public static Result run(Architecture architecture, int threads, int batches, KernelChoice kernels,
      PrintStream profileTo) throws IOException {
    KernelChoice.select(kernels);
    if (batches <= 0 || threads < 0) {
      throw new IllegalArgumentException("batches must be positive and threads non-negative, got " + batches
          + ", " + threads);
    }
    if (threads > 0) {
      NativeBackend.setComputeThreads(threads);
    }
    ModelSpec spec = ModelSpec.paper(10);

    // Start-up: a fresh JVM that loads a model bundle and makes one prediction, timed from spawn to exit.
    Path file = Files.createTempFile("drsn-bench", ".drsn");
    MultiLayerNetwork net;
    long startupMs;
    try {
      List<String> classes = new ArrayList<>();
      for (int k = 0; k < spec.classes(); k++) {
        classes.add("class" + k);
      }
      new ModelBundle(DrsnModels.network(architecture, spec), architecture, spec, classes,
          new InputSpec(12_000, spec.inputLength(), 1, Normalization.Z_SCORE, Representation.TIME), null, null, null,
          "bench", null).write(file);
      startupMs = timeStartupProbe(file, spec.inputLength(), threads, kernels);
      net = DrsnModels.network(architecture, spec);
    } finally {
      Files.deleteIfExists(file);
    }

    // Training throughput: one warm-up epoch, one timed epoch.
    Nd4j.getRandom().setSeed(1);
    List<DataSet> epoch = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      INDArray x = Nd4j.randn(DataType.FLOAT, 128, 1, 1, spec.inputLength());
      INDArray y = Nd4j.zeros(DataType.FLOAT, 128, spec.classes());
      for (int i = 0; i < 128; i++) {
        y.putScalar(i, (i * 7 + b) % spec.classes(), 1.0);
      }
      epoch.add(new DataSet(x, y));
    }
    for (DataSet ds : epoch) {
      net.fit(ds);
    }
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    for (DataSet ds : epoch) {
      net.fit(ds);
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    double trainCpuSeconds = (processCpuNanos() - cpu0) / 1e9;
    double trainRssMb = peakRssMb();
    if (profileTo != null) {
      if (kernelsOf(net).equals(KernelChoice.ND4J.label())) {
        profileOps(net, epoch.subList(0, Math.min(5, batches)), profileTo);
      } else {
        TrainingProfile.print(net, epoch, profileTo);
      }
    }

    // Inference latency of DL4J; the plain-Java runtime's is measured by the runtime module's LeanBenchmark.
    INDArray one = Nd4j.randn(DataType.FLOAT, 1, 1, 1, spec.inputLength());
    INDArray many = Nd4j.randn(DataType.FLOAT, 64, 1, 1, spec.inputLength());
    double[] b1 = time(() -> net.output(one), 100, 500);
    double[] b64 = time(() -> net.output(many), 20, 100);

    int batchWindows = batches * 128;
    return new Result(modelName(architecture), NativeBackend.computeThreads(), kernelsOf(net),
        Nd4j.getBackend().getClass().getSimpleName(), batchWindows / trainSeconds,
        trainCpuSeconds > 0 ? batchWindows / trainCpuSeconds : -1, percentile(b1, 0.5), percentile(b1, 0.99),
        percentile(b64, 0.5), startupMs, peakRssMb(), trainRssMb, net.numParams());
  }

  /** Wall time from spawning a JVM running {@link StartupProbe} on {@code model} to its exit. */
  private static long timeStartupProbe(Path model, int inputLength, int threads, KernelChoice kernels)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseParallelGC"));
    for (String p : List.of("org.bytedeco.javacpp.cachedir", NativeBackend.EXTENSION_PROPERTY)) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-D" + KernelChoice.PROPERTY + "=" + kernels.label());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StartupProbe.class.getName(),
        model.toString(), Integer.toString(inputLength)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (threads > 0) {
      pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("StartupProbe failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while timing start-up", e);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** The implementations the network's custom layers run, e.g. "nd4j" (joined by '+' if they were mixed). */
  static String kernelsOf(MultiLayerNetwork net) {
    java.util.Set<String> kinds = new java.util.TreeSet<>();
    for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
      if (layer instanceof DrsnRuntimeLayer<?> d) {
        kinds.add(d.kernels().label());
      }
    }
    return kinds.isEmpty() ? "none" : String.join("+", kinds);
  }

  private static String modelName(Architecture a) {
    return a.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Prints ND4J's op profiler dashboard (op counts and time per op) over a few training iterations. */
  @SuppressWarnings("deprecation")
  private static void profileOps(MultiLayerNetwork net, List<DataSet> data, PrintStream out) {
    OpProfiler.getInstance().reset();
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().stackTrace(false).build());
    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
    for (DataSet ds : data) {
      net.fit(ds);
    }
    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
    out.println("Native ops per training iteration: " + OpProfiler.getInstance().getInvocationsCount()
        / data.size());
    OpProfiler.getInstance().printOutDashboard();
  }

  private static double[] time(Runnable forward, int warmup, int runs) {
    for (int i = 0; i < warmup; i++) {
      forward.run();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      forward.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** CPU time of the whole process (all threads, GC and JIT included), or -1 if unavailable. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /** Peak resident set size (VmHWM) in MB, or -1 where /proc is unavailable. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
