package io.github.drsn.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.cli.ModelOptions;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.contract.Architecture;
import io.github.drsn.model.bench.SpeedBenchmark;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.runtime.bench.LeanBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drsn bench}: the speed figures of docs/protocol.md for one of the paper's networks. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measures, for the paper's network (Table II sizes, 10 classes) on random windows of 2048 samples: training"
            + " windows/s at batch 128 over an epoch after a warm-up epoch, inference latency (median, p99) at batch 1"
            + " and 64, process start-up to the first prediction of a restored model, and peak memory; then the same"
            + " network's latency, throughput, start-up and jar size in the plain-Java lean runtime. Run it on an"
            + " otherwise idle machine: the figures are per-machine and other load distorts them.",
    footerHeading = "%nExamples:%n",
    footer = {"  drsn bench --model drsn-cw --json", "  drsn bench --model drsn-cw --kernels nd4j --json", "  drsn bench --model drsn-cw --profile", "  OMP_NUM_THREADS=1 drsn bench --model resnet --threads 1"})
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      converter = ModelOptions.ArchitectureName.class,
      defaultValue = "drsn-cw",
      description = "drsn-cw, drsn-cs, resnet or convnet (default: ${DEFAULT-VALUE}).")
  Architecture model = Architecture.DRSN_CW;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Compute threads of the network's layers; 0 = OMP_NUM_THREADS if set, else all processors"
          + " (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--kernels",
      paramLabel = "KIND",
      converter = KernelsConverter.class,
      defaultValue = "auto",
      description = "Implementation of the network's custom layers: java (plain-Java kernels on the host), nd4j"
          + " (ND4J ops, on the GPU under the cuda build) or auto (java on the CPU backend, nd4j otherwise)"
          + " (default: ${DEFAULT-VALUE}).")
  KernelChoice kernels = KernelChoice.AUTO;

  @Option(names = "--batches", paramLabel = "N", description = "Batches of 128 per timed epoch (default: ${DEFAULT-VALUE}, one CWRU epoch).")
  int batches = 47;

  @Option(names = "--json", description = "One JSON object on stdout (model, train_windows_per_sec, infer_batch1_ms_median, ...).")
  boolean json;

  @Option(names = "--profile", description = "Also print the share of each phase of a training step (stem, units'"
      + " sweeps, weight gradients, head, DL4J's output layer and loss, updater, data pipeline): to stdout, or to"
      + " stderr with --json.")
  boolean profile;

  @Option(names = "--lean-threads", paramLabel = "N", description = "Threads of the lean runtime's throughput figure (default: ${DEFAULT-VALUE}).")
  int leanThreads = 2;

  /** java, nd4j or auto, any case. */
  public static final class KernelsConverter implements CommandLine.ITypeConverter<KernelChoice> {
    @Override
    public KernelChoice convert(String value) {
      return KernelChoice.parse(value);
    }
  }

  @Override
  public Integer call() throws Exception {
    // Checked before the training benchmark, which takes minutes, rather than by the lean benchmark after it.
    // Far more threads than processors measure only the scheduler's contention, and take minutes to do it.
    int most = 4 * Runtime.getRuntime().availableProcessors();
    if (threads < 0 || threads > most) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 0 (all processors) to " + most
          + " (four per processor here), got " + threads);
    }
    if (leanThreads < 1 || leanThreads > most) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--lean-threads must be 1 to " + most
          + " (four per processor here), got " + leanThreads);
    }
    if (batches < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batches must be >= 1, got " + batches);
    }
    java.io.PrintStream profileTo = !profile ? null : json ? System.err : System.out;
    SpeedBenchmark.Result result = SpeedBenchmark.run(model, threads, batches, kernels, profileTo);
    LeanBenchmark.Result lean = LeanBenchmark.run(model.label(), null, leanThreads, true);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = JsonMappers.compact();
      ObjectNode all = (ObjectNode) mapper.readTree(result.toJson());
      ObjectNode leanJson = (ObjectNode) mapper.readTree(lean.toJson());
      leanJson.remove("model");
      all.setAll(leanJson);
      out.println(mapper.writeValueAsString(all));
    } else {
      out.printf("%s, %d thread(s), %s kernels on %s%n", model.label(), result.threads(), result.kernels(),
          result.backend());
      out.printf("  training            %8.1f windows/s (%.1f per CPU second), peak RSS %.0f MB%n",
          result.trainWindowsPerSec(), result.trainWindowsPerCpuSec(), result.trainRssPeakMb());
      out.printf("  inference batch 1   %8.3f ms median, %.3f ms p99%n", result.inferBatch1MsMedian(),
          result.inferBatch1MsP99());
      out.printf("  inference batch 64  %8.3f ms median%n", result.inferBatch64MsMedian());
      out.printf("  start-up            %8d ms to the first prediction%n", result.startupMs());
      out.printf("  lean runtime        %8.3f ms median at batch 1, %.0f windows/s on %d threads, start-up %d ms,"
          + " jar %d bytes%n", lean.batch1MsMedian(), lean.windowsPerSec(), lean.threads(), lean.startupMs(), lean.jarBytes());
      out.printf("  reference (PyTorch 1.13, 2 threads): DRSN-CW 2130 windows/s, 1.18 ms, 6.8 ms;"
          + " ResNet 2660 windows/s, 0.67 ms, 5.4 ms%n");
    }
    out.flush();
    return 0;
  }
}
