package io.github.drsn.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.runtime.LeanDiagnoser;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;

/**
 * {@code drsn score --bench}: windows per second of the scoring job on a session's master against the single-JVM lean
 * runtime scoring the same files with the same code ({@link RecordingScorer}, one thread), and the peak heap of each.
 * Both read the files from disk every run (the page cache holds them after the warm-up). Each is run once to warm up
 * and then {@code repeats} times; the median run is reported. The job's time runs from listing the files to the
 * renamed output (Parquet, in a temporary folder), so it includes Spark's scheduling and writing: the overhead a user
 * pays. Peak heap is the JVM's used heap sampled every 5 ms (after a full collection at the start of each
 * measurement); with a local master the executor is this JVM, so it is the executor's peak with the driver's share.
 */
final class ScoreBenchmark {

  private ScoreBenchmark() {
  }

  static ObjectNode run(SparkSession spark, Path model, String input, RecordingScorer scorer, int repeats)
      throws Exception {
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
    }
    List<RecordingInputs.Sized> files = RecordingInputs.list(input);
    LeanDiagnoser diagnoser = LeanDiagnoser.load(model);
    ObjectNode result = JsonMappers.indented().createObjectNode();
    result.put("model", model.toString());
    result.put("architecture", diagnoser.architecture());
    result.put("input", input);
    result.put("files", files.size());
    result.put("bytes", files.stream().mapToLong(RecordingInputs.Sized::bytes).sum());
    result.put("master", spark.sparkContext().master());
    result.put("cores_available", Runtime.getRuntime().availableProcessors());
    result.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
    result.put("java", System.getProperty("java.version"));
    result.put("spark", spark.version());
    result.put("repeats", repeats);
    // The machine's load: on a shared machine it says how many cores the measurement really had.
    result.put("load_average_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    long windows = 0;
    double[] single = new double[repeats];
    long singlePeak = 0;
    for (int r = -1; r < repeats; r++) {
      try (HeapSampler heap = new HeapSampler()) {
        long start = System.nanoTime();
        long w = 0;
        for (RecordingInputs.Sized file : files) {
          for (ScoreRow row : scorer.score(diagnoser, file)) {
            w += row.windows() == null ? 0 : row.windows();
          }
        }
        if (r >= 0) {
          single[r] = (System.nanoTime() - start) / 1e9;
          singlePeak = Math.max(singlePeak, heap.peak());
        }
        windows = w;
      }
    }
    result.put("windows", windows);
    double singleSeconds = median(single);
    ObjectNode s = result.putObject("single_jvm");
    s.put("seconds", singleSeconds);
    s.put("windows_per_second", windows / singleSeconds);
    s.put("peak_heap_mb", singlePeak / (double) (1 << 20));

    Path tmp = Files.createTempDirectory("drsn-score-bench");
    double[] job = new double[repeats];
    long jobPeak = 0;
    double cold = 0;
    int partitions = 0;
    try {
      for (int r = -1; r < repeats; r++) {
        try (HeapSampler heap = new HeapSampler()) {
          ScoringJob.Summary summary = ScoringJob.run(spark, new ScoringJob.Request(model, input,
              tmp.resolve("run" + (r + 1)).toString(), ScoringJob.Format.PARQUET, scorer));
          if (summary.windows() != windows) {
            throw new IllegalStateException("the job classified " + summary.windows() + " windows, the single JVM "
                + windows);
          }
          partitions = summary.partitions();
          if (r < 0) {
            cold = summary.seconds();
          } else {
            job[r] = summary.seconds();
            jobPeak = Math.max(jobPeak, heap.peak());
          }
        }
      }
    } finally {
      try (var walk = Files.walk(tmp)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    double jobSeconds = median(job);
    ObjectNode j = result.putObject("spark_job");
    j.put("partitions", partitions);
    j.put("first_job_seconds", cold);
    j.put("seconds", jobSeconds);
    j.put("windows_per_second", windows / jobSeconds);
    j.put("peak_heap_mb", jobPeak / (double) (1 << 20));
    result.put("spark_over_single_jvm_throughput", singleSeconds / jobSeconds);
    result.put("load_average_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return result;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The JVM's used heap, sampled every 5 ms by a daemon thread until closed. */
  private static final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapSampler() {
      System.gc();
      thread = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long peak() {
      return peak.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}
